/**
 * Isotropic networks: {@link io.isotropic.nn.IsotropicMlp} (parameters in method.md's indexing, forward pass with
 * intrinsic lengths and psi corrections, exact backward pass), its modes and initialisers. Depends on
 * {@code spi}, {@code tensor}, {@code linalg}, {@code activation}; used by {@code train}, {@code adapt} and the cli, and
 * must not depend on either of the first two.
 */
package io.isotropic.nn;
