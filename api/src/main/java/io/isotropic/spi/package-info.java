/**
 * The service-provider interface of compute backends: {@link io.isotropic.spi.BackendProvider} (found by
 * {@link java.util.ServiceLoader}), the {@link io.isotropic.spi.Backend} kernels, the SVD value type
 * {@link io.isotropic.spi.Svd} with the normalisation that makes every backend's factors comparable,
 * {@link io.isotropic.spi.AbstractBackend}, which validates operands once for every backend, and the
 * {@link io.isotropic.spi.RawKernels} on plain arrays it dispatches to (scalar defaults in
 * {@link io.isotropic.spi.ScalarKernels}). Depends on {@code tensor} and {@code activation} only; implemented by the
 * backend modules and used by every higher api package, so it must not depend on {@code linalg}, {@code nn},
 * {@code train} or {@code adapt}.
 */
package io.isotropic.spi;
