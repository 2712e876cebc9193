/**
 * Entry points: {@link io.isotropic.Backends} discovers and selects compute backends. Depends on the
 * subpackages {@code tensor}, {@code spi}, {@code linalg}; nothing here depends on a backend module. Applications,
 * the cli, bench and the conformance suite use it to obtain a backend; the backend modules do not use it.
 */
package io.isotropic;
