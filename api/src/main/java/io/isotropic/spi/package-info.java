/**
 * The service-provider interface of compute backends: {@link io.isotropic.spi.BackendProvider} (found by
 * {@link java.util.ServiceLoader}), the {@link io.isotropic.spi.Backend} kernels and
 * {@link io.isotropic.spi.AbstractBackend}, which validates operands once for every backend. Depends on
 * {@code tensor}, {@code linalg} and {@code math}.
 */
package io.isotropic.spi;
