/**
 * The service-provider interface of compute backends: {@link io.isotropic.spi.BackendProvider} (found by
 * {@link java.util.ServiceLoader}), the {@link io.isotropic.spi.Backend} kernels, the SVD value type
 * {@link io.isotropic.spi.Svd} with the normalisation that makes every backend's factors comparable, and
 * {@link io.isotropic.spi.AbstractBackend}, which validates operands once for every backend. Depends on
 * {@code tensor} and {@code activation} only.
 */
package io.isotropic.spi;
