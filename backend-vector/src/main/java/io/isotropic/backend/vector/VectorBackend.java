package io.isotropic.backend.vector;

import io.isotropic.spi.AbstractBackend;

/**
 * Backend written with the JDK's incubating Vector API: SIMD kernels ({@link VectorKernels}) for every raw kernel
 * in both dtypes, packed and register-blocked matrix products split over threads, a fused
 * isotropic activation, and an SVD of its own (Householder bidiagonalisation and implicit-shift QR).
 *
 * <p>Instances are created only by {@link VectorBackendProvider#create} after its probe found
 * {@code jdk.incubator.vector}; this class is the first to touch Vector API types. An instance with more than one
 * thread owns a pool of daemon workers, which {@link #close()} shuts down.
 */
final class VectorBackend extends AbstractBackend {
    /** Matrix products with fewer multiply-adds run on the calling thread: 64^3, a few tens of microseconds. */
    static final long DEFAULT_PARALLEL_WORK = 64L * 64 * 64;
    /** Row-wise kernels over fewer elements run on the calling thread. */
    static final long DEFAULT_PARALLEL_ELEMENTS = 1L << 16;

    /**
     * Creates the backend with the default parallel thresholds.
     *
     * @param threads threads per kernel call, {@code >= 1}
     * @throws IllegalArgumentException if threads is below 1
     */
    VectorBackend(int threads) {
        this(threads, DEFAULT_PARALLEL_WORK, DEFAULT_PARALLEL_ELEMENTS);
    }

    /**
     * Creates the backend with explicit parallel thresholds (tests lower them so that small cases use the
     * multi-threaded paths).
     *
     * @param threads threads per kernel call, {@code >= 1}
     * @param parallelWork multiply-adds from which a matrix product is split over threads
     * @param parallelElements elements from which a row-wise kernel is split over threads
     * @throws IllegalArgumentException if threads is below 1
     */
    VectorBackend(int threads, long parallelWork, long parallelElements) {
        if (threads < 1) {
            throw new IllegalArgumentException("VectorBackend: threads must be >= 1, got " + threads);
        }
        super(VectorBackendProvider.NAME, threads, new VectorKernels(new Parallel(threads, parallelWork,
                parallelElements)));
    }

    /**
     * The vector shape in use, for the probe's reason and for tests.
     *
     * @return for example {@code "512-bit vectors (8 doubles, 16 floats)"}
     */
    static String describeSpecies() {
        return Lanes.describe();
    }

    /**
     * Doubles per vector in this JVM (8 with 512-bit vectors, 2 under the 128-bit test switch).
     *
     * @return the lane count of the double species
     */
    static int doubleLanes() {
        return Lanes.F64.length();
    }
}
