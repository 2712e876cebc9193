/**
 * Linear-algebra value types: the full SVD and the normalisation (descending order, sign convention) that makes
 * every backend's factors comparable. Depends on {@code tensor}.
 */
package io.isotropic.linalg;
