/**
 * The {@code ejml} compute backend: {@link io.isotropic.backend.ejml.EjmlBackendProvider} (found by
 * {@link java.util.ServiceLoader}) and {@link io.isotropic.backend.ejml.EjmlBackend}, which wraps the SPI's row-major
 * arrays as EJML 0.46.1 matrices for its products and SVD. Depends on {@code api} and EJML only; nothing depends on it
 * at compile time (the cli and bench load it at run time).
 */
package io.isotropic.backend.ejml;
