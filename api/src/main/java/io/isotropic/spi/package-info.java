/**
 * The service-provider interface of compute backends: {@link io.isotropic.spi.BackendProvider} (found by
 * {@link java.util.ServiceLoader}), the {@link io.isotropic.spi.Backend} kernels,
 * {@link io.isotropic.spi.AbstractBackend}, which validates operands once for every backend, and the
 * {@link io.isotropic.spi.RawKernels} on plain arrays it dispatches to (scalar defaults in
 * {@link io.isotropic.spi.ScalarKernels}). Depends on
 * {@code tensor}, {@code linalg} and {@code math}.
 */
package io.isotropic.spi;
