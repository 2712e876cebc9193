/**
 * Dense linear algebra of the method, in double precision, built on a backend's products: random orthogonal
 * matrices, Householder QR and bases, and the smallest singular directions that neurodegeneration removes.
 * Depends on {@code spi} and {@code tensor}; {@code nn} and {@code adapt} use it.
 */
package io.isotropic.linalg;
