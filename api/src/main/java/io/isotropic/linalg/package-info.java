/**
 * Linear algebra shared by the api and the backends: the full SVD value type and the normalisation (descending
 * order, sign convention) that makes every backend's factors comparable, and double-precision Householder QR and
 * random orthogonal matrices. Depends on {@code tensor}; used by {@code spi}, {@code nn}, {@code adapt} and the
 * vector backend.
 */
package io.isotropic.linalg;
