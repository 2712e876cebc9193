/**
 * The {@code ojalgo} compute backend: {@link io.isotropic.backend.ojalgo.OjalgoBackendProvider} (found by
 * {@link java.util.ServiceLoader}) and {@link io.isotropic.backend.ojalgo.OjalgoBackend}, which maps the SPI's
 * row-major kernels onto ojAlgo 57.1's column-major stores and SVD. Depends on {@code api} and ojAlgo only; nothing
 * depends on it at compile time (the cli and bench load it at run time).
 */
package io.isotropic.backend.ojalgo;
