package io.isotropic.spi;

/**
 * The raw array kernels a backend implements, with portable scalar defaults ({@link ScalarKernels}) for all but the
 * matrix products and the double-precision SVD; {@link AbstractBackend} validates every operand and then calls
 * these, as Lucene's {@code VectorUtil} validates and calls a {@code VectorUtilSupport}.
 *
 * <p>What every kernel may assume, because the front has checked it: arrays are dense and row-major with no
 * offsets or strides; their lengths match the stated dimensions (extra trailing elements are never read); sizes
 * are non-negative; scalars are finite; outputs alias inputs only where the kernel's documentation says they may
 * (the aliasing rules of {@link Backend}). A kernel must not keep references to the arrays after it returns.
 *
 * <p>Kernels come in twins: {@code xxxF64} on {@code double[]} and {@code xxxF32} on {@code float[]}, with one
 * contract stated once on the F64 twin. F32 twins store in float; unless the F64 twin says otherwise, reductions
 * (sums of squares, inner products, column sums) accumulate in double and element-wise arithmetic is in float
 * (one rounding to float per stored value, as {@link ScalarKernels} does). Scalars the front rounds to float for
 * F32 operands arrive as {@code float}. Implementations should be stateless apart from worker threads, which
 * {@link #close()} releases.
 */
public interface RawKernels extends AutoCloseable {

    /**
     * {@code C = alpha op(A) op(B) + beta C} with {@code C} {@code m x n} and inner size {@code k}; with
     * {@code beta == 0} the old C must be overwritten without being read (NaN there is ignored). Any of m, n, k may
     * be zero. F32: products and sums in float (the rounding error {@code gamma_k} of a float inner product).
     *
     * @param transA use A transposed (A stored {@code k x m}, else {@code m x k})
     * @param transB use B transposed (B stored {@code n x k}, else {@code k x n})
     * @param m rows of C
     * @param n columns of C
     * @param k inner dimension
     * @param alpha product scale
     * @param a A
     * @param b B
     * @param beta scale of old C
     * @param c C, {@code m x n}; distinct from a and b
     */
    void gemmF64(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, double[] b,
                 double beta, double[] c);

    /** F32 twin of {@link #gemmF64}. */
    void gemmF32(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, float[] b, float beta,
                 float[] c);

    /**
     * Full SVD {@code A = U diag(s) V^T} of an {@code m x n} matrix with {@code m, n >= 1} and finite entries; the
     * front sorts and signs the factors ({@link io.isotropic.spi.SvdNormaliser}), so any valid decomposition
     * will do. The front has scaled the matrix by a power of two so that its largest magnitude lies in {@code [1, 2)}
     * (or it is zero): kernels never see entries near the overflow threshold, though entries may still be tiny or
     * subnormal. F32: the default widens to double and calls {@link #svdF64}; factors come back in double.
     *
     * @param m rows
     * @param n columns
     * @param a the matrix (a private copy the kernel may destroy)
     * @return factors {@code U} ({@code m x m}), {@code s} ({@code min(m, n)} non-negative values, any order) and
     *     {@code V} ({@code n x n}), row-major
     * @throws ArithmeticException if the algorithm fails to converge
     */
    RawSvd svdF64(int m, int n, double[] a);

    /**
     * F32 twin of {@link #svdF64} (the array is not modified).
     *
     * @param m rows
     * @param n columns
     * @param a the matrix (not modified)
     * @return factors in double precision
     */
    default RawSvd svdF32(int m, int n, float[] a) {
        return svdF64(m, n, widen(a));
    }

    /**
     * The left factor and the singular values of an {@code m x n} matrix ({@code m, n >= 1}, finite, scaled as for
     * {@link #svdF64}), as {@link #svdF64} would return them; the right factor need not be formed ({@code v()} of the
     * result may be null). The default calls {@link #svdF64} and drops nothing (the front ignores {@code v}).
     *
     * @param m rows
     * @param n columns
     * @param a the matrix (a private copy the kernel may destroy)
     * @return {@code U} ({@code m x m}), {@code s} and, optionally, {@code V}
     * @throws ArithmeticException if the algorithm fails to converge
     */
    default RawSvd svdLeftF64(int m, int n, double[] a) {
        return svdF64(m, n, a);
    }

    /**
     * F32 twin of {@link #svdLeftF64} (widens, the array is not modified).
     *
     * @param m rows
     * @param n columns
     * @param a the matrix (not modified)
     * @return the factors in double precision
     */
    default RawSvd svdLeftF32(int m, int n, float[] a) {
        return svdLeftF64(m, n, widen(a));
    }

    /**
     * Singular values only of an {@code m x n} matrix ({@code m, n >= 1}, finite, scaled as for {@link #svdF64});
     * the default takes them from {@link #svdF64}.
     *
     * @param m rows
     * @param n columns
     * @param a the matrix (a private copy the kernel may destroy)
     * @return {@code min(m, n)} non-negative values in any order
     * @throws ArithmeticException if the algorithm fails to converge
     */
    default double[] singularValuesF64(int m, int n, double[] a) {
        return svdF64(m, n, a).s();
    }

    /**
     * F32 twin of {@link #singularValuesF64} (widens, the array is not modified).
     *
     * @param m rows
     * @param n columns
     * @param a the matrix (not modified)
     * @return values in double precision
     */
    default double[] singularValuesF32(int m, int n, float[] a) {
        return singularValuesF64(m, n, widen(a));
    }

    /**
     * Batched affine map {@code y = x w^T + b} ({@code x} {@code rows x in}, {@code w} {@code out x in}, {@code y}
     * {@code rows x out}); the default is {@link #gemmF64} plus a bias loop.
     *
     * @param rows batch size
     * @param in input width
     * @param out output width
     * @param x inputs
     * @param w weights
     * @param b bias of length out, or null
     * @param y output, distinct from x, w and b
     */
    default void affineF64(int rows, int in, int out, double[] x, double[] w, double[] b, double[] y) {
        gemmF64(false, true, rows, out, in, 1.0, x, w, 0.0, y);
        if (b != null) {
            ScalarKernels.addRowVector(rows, out, b, y);
        }
    }

    /** F32 twin of {@link #affineF64}. */
    default void affineF32(int rows, int in, int out, float[] x, float[] w, float[] b, float[] y) {
        gemmF32(false, true, rows, out, in, 1.0f, x, w, 0.0f, y);
        if (b != null) {
            ScalarKernels.addRowVector(rows, out, b, y);
        }
    }

    /**
     * Squared Euclidean norm of every row of a {@code rows x cols} matrix.
     *
     * @param rows rows
     * @param cols columns
     * @param x the matrix
     * @param out one value per row
     */
    default void rowSquaredNormsF64(int rows, int cols, double[] x, double[] out) {
        ScalarKernels.rowSquaredNorms(rows, cols, x, out);
    }

    /** F32 twin of {@link #rowSquaredNormsF64}. */
    default void rowSquaredNormsF32(int rows, int cols, float[] x, float[] out) {
        ScalarKernels.rowSquaredNorms(rows, cols, x, out);
    }

    /**
     * Isotropic-tanh forward pass (method.md 2.2): per row, {@code G = gain(|z|^2; o, eps)} and {@code h = G z};
     * h may be z. F32: the norm and the gain are computed in double, the gain rounded to float once.
     *
     * @param rows rows
     * @param n row length
     * @param z pre-activations
     * @param o intrinsic length
     * @param eps small-ball radius, {@code > 0}
     * @param gains output gains, one per row
     * @param h output activations
     */
    default void isoTanhForwardF64(int rows, int n, double[] z, double o, double eps, double[] gains, double[] h) {
        ScalarKernels.isoTanhForward(rows, n, z, o, eps, gains, h);
    }

    /** F32 twin of {@link #isoTanhForwardF64}. */
    default void isoTanhForwardF32(int rows, int n, float[] z, double o, double eps, float[] gains, float[] h) {
        ScalarKernels.isoTanhForward(rows, n, z, o, eps, gains, h);
    }

    /**
     * Isotropic-tanh vector-Jacobian product ({@link Backend#isoTanhBackwardInto}); dz may be dh. F32: the
     * reductions and the returned {@code dL/do} are in double.
     *
     * @param rows rows
     * @param n row length
     * @param z pre-activations
     * @param gains forward gains
     * @param dh upstream gradient
     * @param gainGrad extra gain gradient per row, or null
     * @param o intrinsic length
     * @param eps small-ball radius
     * @param dz output gradient
     * @return the gradient with respect to o, summed over rows
     */
    default double isoTanhBackwardF64(int rows, int n, double[] z, double[] gains, double[] dh, double[] gainGrad,
                                      double o, double eps, double[] dz) {
        return ScalarKernels.isoTanhBackward(rows, n, z, gains, dh, gainGrad, o, eps, dz);
    }

    /** F32 twin of {@link #isoTanhBackwardF64}. */
    default double isoTanhBackwardF32(int rows, int n, float[] z, float[] gains, float[] dh, float[] gainGrad,
                                      double o, double eps, float[] dz) {
        return ScalarKernels.isoTanhBackward(rows, n, z, gains, dh, gainGrad, o, eps, dz);
    }

    /**
     * Element-wise tanh over n elements; h may be z.
     *
     * @param n element count
     * @param z input
     * @param h output
     */
    default void tanhF64(int n, double[] z, double[] h) {
        ScalarKernels.tanh(n, z, h);
    }

    /** F32 twin of {@link #tanhF64}. */
    default void tanhF32(int n, float[] z, float[] h) {
        ScalarKernels.tanh(n, z, h);
    }

    /**
     * Element-wise tanh backward {@code dz = dh (1 - h^2)}; dz may alias h or dh.
     *
     * @param n element count
     * @param h forward output
     * @param dh upstream gradient
     * @param dz output
     */
    default void tanhBackwardF64(int n, double[] h, double[] dh, double[] dz) {
        ScalarKernels.tanhBackward(n, h, dh, dz);
    }

    /** F32 twin of {@link #tanhBackwardF64}. */
    default void tanhBackwardF32(int n, float[] h, float[] dh, float[] dz) {
        ScalarKernels.tanhBackward(n, h, dh, dz);
    }

    /**
     * {@code y += alpha x} over n elements; x and y are distinct.
     *
     * @param n element count
     * @param alpha scale
     * @param x addend
     * @param y accumulator
     */
    default void axpyF64(int n, double alpha, double[] x, double[] y) {
        ScalarKernels.axpy(n, alpha, x, y);
    }

    /** F32 twin of {@link #axpyF64}. */
    default void axpyF32(int n, float alpha, float[] x, float[] y) {
        ScalarKernels.axpy(n, alpha, x, y);
    }

    /**
     * {@code x *= alpha} over n elements.
     *
     * @param n element count
     * @param alpha scale
     * @param x data
     */
    default void scaleF64(int n, double alpha, double[] x) {
        ScalarKernels.scale(n, alpha, x);
    }

    /** F32 twin of {@link #scaleF64}. */
    default void scaleF32(int n, float alpha, float[] x) {
        ScalarKernels.scale(n, alpha, x);
    }

    /**
     * Inner product {@code sum_i x_i y_i} over n elements (F32: accumulated in double).
     *
     * @param n element count
     * @param x first operand
     * @param y second operand
     * @return the sum of products
     */
    default double dotF64(int n, double[] x, double[] y) {
        return ScalarKernels.dot(n, x, y);
    }

    /** F32 twin of {@link #dotF64}. */
    default double dotF32(int n, float[] x, float[] y) {
        return ScalarKernels.dot(n, x, y);
    }

    /**
     * Column sums {@code out[j] (+)= sum_i x[i, j]} of a {@code rows x cols} matrix (F32: accumulated in double,
     * the old {@code out} added before the one rounding).
     *
     * @param rows rows
     * @param cols columns
     * @param x matrix
     * @param out output of length cols, distinct from x
     * @param accumulate add to out instead of overwriting it
     */
    default void columnSumsF64(int rows, int cols, double[] x, double[] out, boolean accumulate) {
        ScalarKernels.columnSums(rows, cols, x, out, accumulate);
    }

    /** F32 twin of {@link #columnSumsF64}. */
    default void columnSumsF32(int rows, int cols, float[] x, float[] out, boolean accumulate) {
        ScalarKernels.columnSums(rows, cols, x, out, accumulate);
    }

    /**
     * One Adam/AdamW update of n parameters and their moments ({@link AdamStep}); the four arrays are distinct.
     * F32: arithmetic in float with {@code 1 - beta} formed in double, as {@link ScalarKernels#adam} does.
     *
     * @param s hyper-parameters and step number
     * @param n element count
     * @param p parameter
     * @param g gradient
     * @param m first moment
     * @param v second moment
     */
    default void adamF64(AdamStep s, int n, double[] p, double[] g, double[] m, double[] v) {
        ScalarKernels.adam(s, n, p, g, m, v);
    }

    /** F32 twin of {@link #adamF64}. */
    default void adamF32(AdamStep s, int n, float[] p, float[] g, float[] m, float[] v) {
        ScalarKernels.adam(s, n, p, g, m, v);
    }

    /**
     * One SGD-with-momentum update of n parameters ({@link SgdStep}); the arrays are distinct.
     *
     * @param s hyper-parameters
     * @param n element count
     * @param p parameter
     * @param g gradient
     * @param buf momentum buffer, or null when the momentum is 0
     */
    default void sgdF64(SgdStep s, int n, double[] p, double[] g, double[] buf) {
        ScalarKernels.sgd(s, n, p, g, buf);
    }

    /** F32 twin of {@link #sgdF64}. */
    default void sgdF32(SgdStep s, int n, float[] p, float[] g, float[] buf) {
        ScalarKernels.sgd(s, n, p, g, buf);
    }

    /** Releases worker threads or native resources; the default does nothing. */
    @Override
    default void close() {
    }

    private static double[] widen(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
