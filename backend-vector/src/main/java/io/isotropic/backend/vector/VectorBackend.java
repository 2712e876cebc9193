package io.isotropic.backend.vector;

import io.isotropic.spi.AbstractBackend;
import io.isotropic.spi.AdamStep;
import io.isotropic.spi.RawSvd;
import io.isotropic.spi.SgdStep;

/**
 * Backend written with the JDK's incubating Vector API: SIMD kernels for every raw kernel of
 * {@link AbstractBackend} in both dtypes, packed and register-blocked matrix products split over threads, a fused
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

    private final Parallel par;

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
        super(VectorBackendProvider.NAME, threads);
        this.par = new Parallel(threads, parallelWork, parallelElements);
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

    @Override
    protected void gemmF64(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, double[] b,
                           double beta, double[] c) {
        GemmF64.gemm(par, transA, transB, m, n, k, alpha, a, b, beta, c);
    }

    @Override
    protected void gemmF32(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, float[] b,
                           float beta, float[] c) {
        GemmF32.gemm(par, transA, transB, m, n, k, alpha, a, b, beta, c);
    }

    @Override
    protected void affineF64(int rows, int in, int out, double[] x, double[] w, double[] b, double[] y) {
        if (b == null) {
            GemmF64.gemm(par, false, true, rows, out, in, 1.0, x, w, 0.0, y);
        } else {
            ElementwiseF64.fillRows(rows, out, b, y);
            GemmF64.gemm(par, false, true, rows, out, in, 1.0, x, w, 1.0, y);
        }
    }

    @Override
    protected void affineF32(int rows, int in, int out, float[] x, float[] w, float[] b, float[] y) {
        if (b == null) {
            GemmF32.gemm(par, false, true, rows, out, in, 1.0f, x, w, 0.0f, y);
        } else {
            ElementwiseF32.fillRows(rows, out, b, y);
            GemmF32.gemm(par, false, true, rows, out, in, 1.0f, x, w, 1.0f, y);
        }
    }

    @Override
    protected RawSvd svdF64(int m, int n, double[] a) {
        return SvdF64.svd(par, m, n, a);
    }

    @Override
    protected double[] singularValuesF64(int m, int n, double[] a) {
        return SvdF64.singularValues(m, n, a);
    }

    @Override
    protected void rowSquaredNormsF64(int rows, int cols, double[] x, double[] out) {
        ElementwiseF64.rowSquaredNorms(par, rows, cols, x, out);
    }

    @Override
    protected void rowSquaredNormsF32(int rows, int cols, float[] x, float[] out) {
        ElementwiseF32.rowSquaredNorms(par, rows, cols, x, out);
    }

    @Override
    protected void isoTanhForwardF64(int rows, int n, double[] z, double o, double eps, double[] gains, double[] h) {
        IsoTanhF64.forward(par, rows, n, z, o, eps, gains, h);
    }

    @Override
    protected void isoTanhForwardF32(int rows, int n, float[] z, double o, double eps, float[] gains, float[] h) {
        IsoTanhF32.forward(par, rows, n, z, o, eps, gains, h);
    }

    @Override
    protected double isoTanhBackwardF64(int rows, int n, double[] z, double[] gains, double[] dh, double[] gainGrad,
                                        double o, double eps, double[] dz) {
        return IsoTanhF64.backward(par, rows, n, z, gains, dh, gainGrad, o, eps, dz);
    }

    @Override
    protected double isoTanhBackwardF32(int rows, int n, float[] z, float[] gains, float[] dh, float[] gainGrad,
                                        double o, double eps, float[] dz) {
        return IsoTanhF32.backward(par, rows, n, z, gains, dh, gainGrad, o, eps, dz);
    }

    @Override
    protected void tanhF64(int n, double[] z, double[] h) {
        ElementwiseF64.tanh(n, z, h);
    }

    @Override
    protected void tanhF32(int n, float[] z, float[] h) {
        ElementwiseF32.tanh(n, z, h);
    }

    @Override
    protected void tanhBackwardF64(int n, double[] h, double[] dh, double[] dz) {
        ElementwiseF64.tanhBackward(n, h, dh, dz);
    }

    @Override
    protected void tanhBackwardF32(int n, float[] h, float[] dh, float[] dz) {
        ElementwiseF32.tanhBackward(n, h, dh, dz);
    }

    @Override
    protected void axpyF64(int n, double alpha, double[] x, double[] y) {
        ElementwiseF64.axpy(n, alpha, x, y);
    }

    @Override
    protected void axpyF32(int n, float alpha, float[] x, float[] y) {
        ElementwiseF32.axpy(n, alpha, x, y);
    }

    @Override
    protected void scaleF64(int n, double alpha, double[] x) {
        ElementwiseF64.scale(n, alpha, x);
    }

    @Override
    protected void scaleF32(int n, float alpha, float[] x) {
        ElementwiseF32.scale(n, alpha, x);
    }

    @Override
    protected double dotF64(int n, double[] x, double[] y) {
        return ElementwiseF64.dot(n, x, 0, y, 0);
    }

    @Override
    protected double dotF32(int n, float[] x, float[] y) {
        return ElementwiseF32.dot(n, x, 0, y, 0);
    }

    @Override
    protected void columnSumsF64(int rows, int cols, double[] x, double[] out, boolean accumulate) {
        ElementwiseF64.columnSums(rows, cols, x, out, accumulate);
    }

    @Override
    protected void columnSumsF32(int rows, int cols, float[] x, float[] out, boolean accumulate) {
        ElementwiseF32.columnSums(rows, cols, x, out, accumulate);
    }

    @Override
    protected void adamF64(AdamStep s, int n, double[] p, double[] g, double[] m, double[] v) {
        ElementwiseF64.adam(par, s, n, p, g, m, v);
    }

    @Override
    protected void adamF32(AdamStep s, int n, float[] p, float[] g, float[] m, float[] v) {
        ElementwiseF32.adam(par, s, n, p, g, m, v);
    }

    @Override
    protected void sgdF64(SgdStep s, int n, double[] p, double[] g, double[] buf) {
        ElementwiseF64.sgd(par, s, n, p, g, buf);
    }

    @Override
    protected void sgdF32(SgdStep s, int n, float[] p, float[] g, float[] buf) {
        ElementwiseF32.sgd(par, s, n, p, g, buf);
    }

    @Override
    public void close() {
        par.close();
    }
}
