/**
 * Entry points: {@link io.isotropic.Backends} discovers and selects compute backends. Depends on the
 * subpackages {@code tensor}, {@code spi}, {@code linalg}; nothing here depends on a backend module.
 */
package io.isotropic;
