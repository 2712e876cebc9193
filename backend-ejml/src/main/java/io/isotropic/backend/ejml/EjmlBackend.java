package io.isotropic.backend.ejml;

import io.isotropic.spi.AbstractBackend;
import org.ejml.concurrency.EjmlConcurrency;

/**
 * Backend over EJML 0.46 ({@link EjmlKernels}): matrix products through {@code CommonOps_DDRM}/{@code CommonOps_FDRM}
 * (their {@code _MT_} variants when more than one thread is allowed) on matrices that wrap the tensors' arrays
 * without copying, and EJML's full SVD ({@code compact = false}), whose unsorted singular values are sorted by
 * {@link AbstractBackend}. F32 SVDs are computed in double precision and rounded. Row-wise and element-wise
 * kernels use the portable scalar loops, since EJML has no equivalent fused operations.
 *
 * <p>EJML's thread count is a process-wide setting ({@code EjmlConcurrency.setMaxThreads}); a multi-threaded
 * instance sets it when created, so two EJML backends with different thread counts in one JVM share the last
 * value set.
 */
public final class EjmlBackend extends AbstractBackend {
    /**
     * Creates the backend.
     *
     * @param threads threads per kernel call, {@code >= 1}
     * @throws IllegalArgumentException if threads is below 1
     */
    public EjmlBackend(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("EjmlBackend: threads must be >= 1, got " + threads);
        }
        super(EjmlBackendProvider.NAME, threads, new EjmlKernels(threads));
        if (threads > 1) {
            EjmlConcurrency.setMaxThreads(threads);
        }
    }
}
