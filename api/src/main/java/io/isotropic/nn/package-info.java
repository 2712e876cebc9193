/**
 * Isotropic networks: {@link io.isotropic.nn.IsotropicMlp} (parameters in method.md's indexing, forward pass with
 * intrinsic lengths and psi corrections, exact backward pass), its modes and initialisers. Depends on
 * {@code spi}, {@code tensor}, {@code linalg}, {@code math}.
 */
package io.isotropic.nn;
