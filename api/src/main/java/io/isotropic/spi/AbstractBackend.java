package io.isotropic.spi;

import io.isotropic.tensor.DType;
import io.isotropic.tensor.ShapeMismatchException;
import io.isotropic.tensor.Tensor;

import java.util.Objects;

/**
 * Base class of every backend: validates operands once, here, and dispatches to raw row-major array kernels.
 *
 * <p>Subclasses must implement the matrix products and the double-precision SVD; every other kernel has a
 * portable scalar implementation ({@link ScalarKernels}) that a subclass overrides when it has a faster one.
 * Raw kernels receive arrays whose lengths already match the stated dimensions and may assume the aliasing
 * rules of {@link Backend} hold.
 */
public abstract class AbstractBackend implements Backend {
    private final String name;
    private final int threads;

    /**
     * Creates the base with a provider name and thread count.
     *
     * @param name the provider name
     * @param threads threads per kernel call, {@code >= 1}
     * @throws IllegalArgumentException if threads is below 1 or name is null
     */
    protected AbstractBackend(String name, int threads) {
        if (name == null || threads < 1) {
            throw new IllegalArgumentException("AbstractBackend: need a name and threads >= 1, got " + name + ", "
                    + threads);
        }
        this.name = name;
        this.threads = threads;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int threads() {
        return threads;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + ", threads=" + threads + "]";
    }

    // ================================================================ raw kernels (subclass hooks)

    /**
     * Raw {@code C = alpha op(A) op(B) + beta C}; dims are {@code m x n} output and inner size {@code k}; with
     * {@code beta == 0} C must be overwritten without being read. Sizes may be zero.
     *
     * @param transA use A transposed (A stored {@code k x m})
     * @param transB use B transposed (B stored {@code n x k})
     * @param m rows of C
     * @param n columns of C
     * @param k inner dimension
     * @param alpha product scale
     * @param a A, row-major
     * @param b B, row-major
     * @param beta scale of old C
     * @param c C, row-major {@code m x n}
     */
    protected abstract void gemmF64(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a,
                                    double[] b, double beta, double[] c);

    /**
     * Raw single-precision {@code C = alpha op(A) op(B) + beta C}; see {@link #gemmF64}.
     *
     * @param transA use A transposed
     * @param transB use B transposed
     * @param m rows of C
     * @param n columns of C
     * @param k inner dimension
     * @param alpha product scale
     * @param a A, row-major
     * @param b B, row-major
     * @param beta scale of old C
     * @param c C, row-major {@code m x n}
     */
    protected abstract void gemmF32(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a,
                                    float[] b, float beta, float[] c);

    /**
     * Raw full SVD of an {@code m x n} matrix with {@code m, n >= 1}; the array is a private copy the kernel may
     * overwrite. The result is sorted and signed by the caller.
     *
     * @param m rows
     * @param n columns
     * @param a the matrix, row-major (may be destroyed)
     * @return unnormalised factors
     * @throws ArithmeticException if the algorithm fails to converge
     */
    protected abstract RawSvd svdF64(int m, int n, double[] a);

    /**
     * Raw full SVD of a float matrix; the default widens to double and calls {@link #svdF64}.
     *
     * @param m rows
     * @param n columns
     * @param a the matrix, row-major (not modified)
     * @return unnormalised factors in double precision
     * @throws ArithmeticException if the algorithm fails to converge
     */
    protected RawSvd svdF32(int m, int n, float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = a[i];
        }
        return svdF64(m, n, d);
    }

    /**
     * Raw singular values of an {@code m x n} matrix ({@code m, n >= 1}), any order; the default takes them from
     * {@link #svdF64}.
     *
     * @param m rows
     * @param n columns
     * @param a the matrix, row-major (may be destroyed)
     * @return {@code min(m, n)} non-negative values
     * @throws ArithmeticException if the algorithm fails to converge
     */
    protected double[] singularValuesF64(int m, int n, double[] a) {
        return svdF64(m, n, a).s();
    }

    /**
     * Raw singular values of a float matrix; the default widens and calls {@link #singularValuesF64}.
     *
     * @param m rows
     * @param n columns
     * @param a the matrix, row-major (not modified)
     * @return {@code min(m, n)} non-negative values in double precision
     * @throws ArithmeticException if the algorithm fails to converge
     */
    protected double[] singularValuesF32(int m, int n, float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = a[i];
        }
        return singularValuesF64(m, n, d);
    }

    /**
     * Raw batched affine map {@code y = x w^T + b}; the default is a matrix product plus a bias loop.
     *
     * @param rows batch size
     * @param in input width
     * @param out output width
     * @param x inputs {@code rows x in}
     * @param w weights {@code out x in}
     * @param b bias of length out, or null
     * @param y output {@code rows x out}
     */
    protected void affineF64(int rows, int in, int out, double[] x, double[] w, double[] b, double[] y) {
        gemmF64(false, true, rows, out, in, 1.0, x, w, 0.0, y);
        if (b != null) {
            ScalarKernels.addRowVector(rows, out, b, y);
        }
    }

    /**
     * Raw single-precision batched affine map; see {@link #affineF64}.
     *
     * @param rows batch size
     * @param in input width
     * @param out output width
     * @param x inputs {@code rows x in}
     * @param w weights {@code out x in}
     * @param b bias of length out, or null
     * @param y output {@code rows x out}
     */
    protected void affineF32(int rows, int in, int out, float[] x, float[] w, float[] b, float[] y) {
        gemmF32(false, true, rows, out, in, 1.0f, x, w, 0.0f, y);
        if (b != null) {
            ScalarKernels.addRowVector(rows, out, b, y);
        }
    }

    /**
     * Raw row squared norms.
     *
     * @param rows rows
     * @param cols columns
     * @param x matrix
     * @param out one value per row
     */
    protected void rowSquaredNormsF64(int rows, int cols, double[] x, double[] out) {
        ScalarKernels.rowSquaredNorms(rows, cols, x, out);
    }

    /**
     * Raw row squared norms in float storage.
     *
     * @param rows rows
     * @param cols columns
     * @param x matrix
     * @param out one value per row
     */
    protected void rowSquaredNormsF32(int rows, int cols, float[] x, float[] out) {
        ScalarKernels.rowSquaredNorms(rows, cols, x, out);
    }

    /**
     * Raw isotropic-tanh forward; h may be z.
     *
     * @param rows rows
     * @param n row length
     * @param z pre-activations
     * @param o intrinsic length
     * @param eps small-ball radius
     * @param gains output gains
     * @param h output activations
     */
    protected void isoTanhForwardF64(int rows, int n, double[] z, double o, double eps, double[] gains, double[] h) {
        ScalarKernels.isoTanhForward(rows, n, z, o, eps, gains, h);
    }

    /**
     * Raw isotropic-tanh forward in float storage; h may be z.
     *
     * @param rows rows
     * @param n row length
     * @param z pre-activations
     * @param o intrinsic length
     * @param eps small-ball radius
     * @param gains output gains
     * @param h output activations
     */
    protected void isoTanhForwardF32(int rows, int n, float[] z, double o, double eps, float[] gains, float[] h) {
        ScalarKernels.isoTanhForward(rows, n, z, o, eps, gains, h);
    }

    /**
     * Raw isotropic-tanh backward; dz may be dh.
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
     * @return the gradient with respect to o
     */
    protected double isoTanhBackwardF64(int rows, int n, double[] z, double[] gains, double[] dh, double[] gainGrad,
                                        double o, double eps, double[] dz) {
        return ScalarKernels.isoTanhBackward(rows, n, z, gains, dh, gainGrad, o, eps, dz);
    }

    /**
     * Raw isotropic-tanh backward in float storage; dz may be dh.
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
     * @return the gradient with respect to o
     */
    protected double isoTanhBackwardF32(int rows, int n, float[] z, float[] gains, float[] dh, float[] gainGrad,
                                        double o, double eps, float[] dz) {
        return ScalarKernels.isoTanhBackward(rows, n, z, gains, dh, gainGrad, o, eps, dz);
    }

    /**
     * Raw element-wise tanh.
     *
     * @param n element count
     * @param z input
     * @param h output (may be z)
     */
    protected void tanhF64(int n, double[] z, double[] h) {
        ScalarKernels.tanh(n, z, h);
    }

    /**
     * Raw element-wise tanh in float storage.
     *
     * @param n element count
     * @param z input
     * @param h output (may be z)
     */
    protected void tanhF32(int n, float[] z, float[] h) {
        ScalarKernels.tanh(n, z, h);
    }

    /**
     * Raw element-wise tanh backward.
     *
     * @param n element count
     * @param h forward output
     * @param dh upstream gradient
     * @param dz output (may alias h or dh)
     */
    protected void tanhBackwardF64(int n, double[] h, double[] dh, double[] dz) {
        ScalarKernels.tanhBackward(n, h, dh, dz);
    }

    /**
     * Raw element-wise tanh backward in float storage.
     *
     * @param n element count
     * @param h forward output
     * @param dh upstream gradient
     * @param dz output (may alias h or dh)
     */
    protected void tanhBackwardF32(int n, float[] h, float[] dh, float[] dz) {
        ScalarKernels.tanhBackward(n, h, dh, dz);
    }

    /**
     * Raw {@code y += alpha x}.
     *
     * @param n element count
     * @param alpha scale
     * @param x addend
     * @param y accumulator
     */
    protected void axpyF64(int n, double alpha, double[] x, double[] y) {
        ScalarKernels.axpy(n, alpha, x, y);
    }

    /**
     * Raw {@code y += alpha x} in float storage.
     *
     * @param n element count
     * @param alpha scale
     * @param x addend
     * @param y accumulator
     */
    protected void axpyF32(int n, float alpha, float[] x, float[] y) {
        ScalarKernels.axpy(n, alpha, x, y);
    }

    /**
     * Raw {@code x *= alpha}.
     *
     * @param n element count
     * @param alpha scale
     * @param x data
     */
    protected void scaleF64(int n, double alpha, double[] x) {
        ScalarKernels.scale(n, alpha, x);
    }

    /**
     * Raw {@code x *= alpha} in float storage.
     *
     * @param n element count
     * @param alpha scale
     * @param x data
     */
    protected void scaleF32(int n, float alpha, float[] x) {
        ScalarKernels.scale(n, alpha, x);
    }

    /**
     * Raw inner product.
     *
     * @param n element count
     * @param x first operand
     * @param y second operand
     * @return the sum of products
     */
    protected double dotF64(int n, double[] x, double[] y) {
        return ScalarKernels.dot(n, x, y);
    }

    /**
     * Raw inner product of floats, accumulated in double.
     *
     * @param n element count
     * @param x first operand
     * @param y second operand
     * @return the sum of products
     */
    protected double dotF32(int n, float[] x, float[] y) {
        return ScalarKernels.dot(n, x, y);
    }

    /**
     * Raw column sums.
     *
     * @param rows rows
     * @param cols columns
     * @param x matrix
     * @param out output
     * @param accumulate add instead of overwrite
     */
    protected void columnSumsF64(int rows, int cols, double[] x, double[] out, boolean accumulate) {
        ScalarKernels.columnSums(rows, cols, x, out, accumulate);
    }

    /**
     * Raw column sums in float storage.
     *
     * @param rows rows
     * @param cols columns
     * @param x matrix
     * @param out output
     * @param accumulate add instead of overwrite
     */
    protected void columnSumsF32(int rows, int cols, float[] x, float[] out, boolean accumulate) {
        ScalarKernels.columnSums(rows, cols, x, out, accumulate);
    }

    /**
     * Raw Adam update.
     *
     * @param s hyper-parameters
     * @param n element count
     * @param p parameter
     * @param g gradient
     * @param m first moment
     * @param v second moment
     */
    protected void adamF64(AdamStep s, int n, double[] p, double[] g, double[] m, double[] v) {
        ScalarKernels.adam(s, n, p, g, m, v);
    }

    /**
     * Raw Adam update in float storage.
     *
     * @param s hyper-parameters
     * @param n element count
     * @param p parameter
     * @param g gradient
     * @param m first moment
     * @param v second moment
     */
    protected void adamF32(AdamStep s, int n, float[] p, float[] g, float[] m, float[] v) {
        ScalarKernels.adam(s, n, p, g, m, v);
    }

    /**
     * Raw SGD update.
     *
     * @param s hyper-parameters
     * @param n element count
     * @param p parameter
     * @param g gradient
     * @param buf momentum buffer or null
     */
    protected void sgdF64(SgdStep s, int n, double[] p, double[] g, double[] buf) {
        ScalarKernels.sgd(s, n, p, g, buf);
    }

    /**
     * Raw SGD update in float storage.
     *
     * @param s hyper-parameters
     * @param n element count
     * @param p parameter
     * @param g gradient
     * @param buf momentum buffer or null
     */
    protected void sgdF32(SgdStep s, int n, float[] p, float[] g, float[] buf) {
        ScalarKernels.sgd(s, n, p, g, buf);
    }

    // ================================================================ validated public kernels

    @Override
    public void gemm(double alpha, Tensor a, boolean transA, Tensor b, boolean transB, double beta, Tensor c) {
        String op = "gemm";
        nonNull(op, "a", a);
        nonNull(op, "b", b);
        nonNull(op, "c", c);
        sameDtype(op, a, b, c);
        matrix(op, "a", a);
        matrix(op, "b", b);
        matrix(op, "c", c);
        finite(op, "alpha", alpha);
        finite(op, "beta", beta);
        int m = transA ? a.cols() : a.rows();
        int k = transA ? a.rows() : a.cols();
        int kb = transB ? b.cols() : b.rows();
        int n = transB ? b.rows() : b.cols();
        if (k != kb || c.rows() != m || c.cols() != n) {
            throw new ShapeMismatchException(op + ": op(a) is [" + m + ", " + k + "] (a " + a.shape()
                    + (transA ? " transposed" : "") + "), op(b) is [" + kb + ", " + n + "] (b " + b.shape()
                    + (transB ? " transposed" : "") + "), c is " + c.shape()
                    + "; need op(a).cols == op(b).rows and c == [op(a).rows, op(b).cols]");
        }
        noAlias(op, "c", c, "a", a);
        noAlias(op, "c", c, "b", b);
        if (m == 0 || n == 0) {
            return;
        }
        if (a.dtype() == DType.F64) {
            gemmF64(transA, transB, m, n, k, alpha, a.f64(), b.f64(), beta, c.f64());
        } else {
            gemmF32(transA, transB, m, n, k, (float) alpha, a.f32(), b.f32(), (float) beta, c.f32());
        }
    }

    @Override
    public void affineInto(Tensor x, Tensor w, Tensor bias, Tensor y) {
        String op = "affine";
        nonNull(op, "x", x);
        nonNull(op, "w", w);
        nonNull(op, "y", y);
        sameDtype(op, x, w, y);
        matrix(op, "x", x);
        matrix(op, "w", w);
        matrix(op, "y", y);
        if (x.cols() != w.cols() || y.rows() != x.rows() || y.cols() != w.rows()) {
            throw new ShapeMismatchException(op + ": x is " + x.shape() + ", w is " + w.shape() + ", y is " + y.shape()
                    + "; need x [batch, in], w [out, in], y [batch, out]");
        }
        if (bias != null) {
            sameDtype(op, x, bias);
            if (bias.rank() != 1 || bias.size() != w.rows()) {
                throw new ShapeMismatchException(op + ": bias is " + bias.shape() + ", w is " + w.shape()
                        + "; bias must be [out] = [" + w.rows() + "]");
            }
            noAlias(op, "y", y, "bias", bias);
        }
        noAlias(op, "y", y, "x", x);
        noAlias(op, "y", y, "w", w);
        int rows = x.rows();
        int in = x.cols();
        int out = w.rows();
        if (rows == 0 || out == 0) {
            return;
        }
        if (x.dtype() == DType.F64) {
            affineF64(rows, in, out, x.f64(), w.f64(), bias == null ? null : bias.f64(), y.f64());
        } else {
            affineF32(rows, in, out, x.f32(), w.f32(), bias == null ? null : bias.f32(), y.f32());
        }
    }

    @Override
    public void rowSquaredNormsInto(Tensor x, Tensor out) {
        String op = "rowSquaredNorms";
        nonNull(op, "x", x);
        nonNull(op, "out", out);
        sameDtype(op, x, out);
        matrix(op, "x", x);
        vector(op, "out", out, x.rows(), "x.rows");
        if (x.dtype() == DType.F64) {
            rowSquaredNormsF64(x.rows(), x.cols(), x.f64(), out.f64());
        } else {
            rowSquaredNormsF32(x.rows(), x.cols(), x.f32(), out.f32());
        }
    }

    @Override
    public void isoTanhForwardInto(Tensor z, double o, double eps, Tensor gains, Tensor h) {
        String op = "isoTanhForward";
        nonNull(op, "z", z);
        nonNull(op, "gains", gains);
        nonNull(op, "h", h);
        sameDtype(op, z, gains, h);
        matrix(op, "z", z);
        activationScalars(op, o, eps);
        vector(op, "gains", gains, z.rows(), "z.rows");
        sameShape(op, "z", z, "h", h);
        noAlias(op, "gains", gains, "z", z);
        if (z.dtype() == DType.F64) {
            isoTanhForwardF64(z.rows(), z.cols(), z.f64(), o, eps, gains.f64(), h.f64());
        } else {
            isoTanhForwardF32(z.rows(), z.cols(), z.f32(), o, eps, gains.f32(), h.f32());
        }
    }

    @Override
    public double isoTanhBackwardInto(Tensor z, Tensor gains, Tensor dh, Tensor gainGrad, double o, double eps,
                                      Tensor dz) {
        String op = "isoTanhBackward";
        nonNull(op, "z", z);
        nonNull(op, "gains", gains);
        nonNull(op, "dh", dh);
        nonNull(op, "dz", dz);
        sameDtype(op, z, gains, dh, dz);
        matrix(op, "z", z);
        activationScalars(op, o, eps);
        vector(op, "gains", gains, z.rows(), "z.rows");
        sameShape(op, "z", z, "dh", dh);
        sameShape(op, "z", z, "dz", dz);
        if (gainGrad != null) {
            sameDtype(op, z, gainGrad);
            vector(op, "gainGrad", gainGrad, z.rows(), "z.rows");
            noAlias(op, "dz", dz, "gainGrad", gainGrad);
        }
        noAlias(op, "dz", dz, "z", z);
        noAlias(op, "dz", dz, "gains", gains);
        if (z.dtype() == DType.F64) {
            return isoTanhBackwardF64(z.rows(), z.cols(), z.f64(), gains.f64(), dh.f64(),
                    gainGrad == null ? null : gainGrad.f64(), o, eps, dz.f64());
        }
        return isoTanhBackwardF32(z.rows(), z.cols(), z.f32(), gains.f32(), dh.f32(),
                gainGrad == null ? null : gainGrad.f32(), o, eps, dz.f32());
    }

    @Override
    public void tanhForwardInto(Tensor z, Tensor h) {
        String op = "tanhForward";
        nonNull(op, "z", z);
        nonNull(op, "h", h);
        sameDtype(op, z, h);
        sameShape(op, "z", z, "h", h);
        if (z.dtype() == DType.F64) {
            tanhF64(z.size(), z.f64(), h.f64());
        } else {
            tanhF32(z.size(), z.f32(), h.f32());
        }
    }

    @Override
    public void tanhBackwardInto(Tensor h, Tensor dh, Tensor dz) {
        String op = "tanhBackward";
        nonNull(op, "h", h);
        nonNull(op, "dh", dh);
        nonNull(op, "dz", dz);
        sameDtype(op, h, dh, dz);
        sameShape(op, "h", h, "dh", dh);
        sameShape(op, "h", h, "dz", dz);
        if (h.dtype() == DType.F64) {
            tanhBackwardF64(h.size(), h.f64(), dh.f64(), dz.f64());
        } else {
            tanhBackwardF32(h.size(), h.f32(), dh.f32(), dz.f32());
        }
    }

    @Override
    public Svd svd(Tensor a) {
        String op = "svd";
        nonNull(op, "a", a);
        matrix(op, "a", a);
        a.requireFinite(op, "a");
        int m = a.rows();
        int n = a.cols();
        RawSvd raw;
        if (m == 0 || n == 0) {
            raw = new RawSvd(identity(m), new double[0], identity(n));
        } else if (a.dtype() == DType.F64) {
            raw = svdF64(m, n, a.f64().clone());
        } else {
            raw = svdF32(m, n, a.f32());
        }
        if (raw == null || raw.u() == null || raw.s() == null || raw.v() == null) {
            throw new IllegalStateException(op + ": backend " + name + " returned no factors for a " + m + " x " + n
                    + " matrix");
        }
        return SvdNormaliser.normalise(m, n, raw.u(), raw.s(), raw.v(), a.dtype());
    }

    @Override
    public Tensor singularValues(Tensor a) {
        String op = "singularValues";
        nonNull(op, "a", a);
        matrix(op, "a", a);
        a.requireFinite(op, "a");
        int m = a.rows();
        int n = a.cols();
        int k = Math.min(m, n);
        double[] s;
        if (k == 0) {
            s = new double[0];
        } else if (a.dtype() == DType.F64) {
            s = singularValuesF64(m, n, a.f64().clone());
        } else {
            s = singularValuesF32(m, n, a.f32());
        }
        if (s == null || s.length != k) {
            throw new IllegalStateException(op + ": backend " + name + " returned "
                    + (s == null ? "null" : s.length + " values") + " for a " + m + " x " + n + " matrix");
        }
        s = SvdNormaliser.sortDescending(s.clone());
        Tensor out = Tensor.wrap(s, k);
        return a.dtype() == DType.F64 ? out : out.to(DType.F32);
    }

    @Override
    public void axpy(double alpha, Tensor x, Tensor y) {
        String op = "axpy";
        nonNull(op, "x", x);
        nonNull(op, "y", y);
        sameDtype(op, x, y);
        sameShape(op, "x", x, "y", y);
        finite(op, "alpha", alpha);
        if (x == y) {
            throw new IllegalArgumentException(op + ": x and y are the same tensor; use scale(1 + alpha, y)");
        }
        if (x.dtype() == DType.F64) {
            axpyF64(x.size(), alpha, x.f64(), y.f64());
        } else {
            axpyF32(x.size(), (float) alpha, x.f32(), y.f32());
        }
    }

    @Override
    public void scale(double alpha, Tensor x) {
        String op = "scale";
        nonNull(op, "x", x);
        finite(op, "alpha", alpha);
        if (x.dtype() == DType.F64) {
            scaleF64(x.size(), alpha, x.f64());
        } else {
            scaleF32(x.size(), (float) alpha, x.f32());
        }
    }

    @Override
    public double dot(Tensor x, Tensor y) {
        String op = "dot";
        nonNull(op, "x", x);
        nonNull(op, "y", y);
        sameDtype(op, x, y);
        sameShape(op, "x", x, "y", y);
        return x.dtype() == DType.F64 ? dotF64(x.size(), x.f64(), y.f64()) : dotF32(x.size(), x.f32(), y.f32());
    }

    @Override
    public void columnSumsInto(Tensor x, Tensor out, boolean accumulate) {
        String op = "columnSums";
        nonNull(op, "x", x);
        nonNull(op, "out", out);
        sameDtype(op, x, out);
        matrix(op, "x", x);
        vector(op, "out", out, x.cols(), "x.cols");
        noAlias(op, "out", out, "x", x);
        if (x.dtype() == DType.F64) {
            columnSumsF64(x.rows(), x.cols(), x.f64(), out.f64(), accumulate);
        } else {
            columnSumsF32(x.rows(), x.cols(), x.f32(), out.f32(), accumulate);
        }
    }

    @Override
    public void adamStep(AdamStep step, Tensor param, Tensor grad, Tensor m, Tensor v) {
        String op = "adamStep";
        nonNull(op, "step", step);
        nonNull(op, "param", param);
        nonNull(op, "grad", grad);
        nonNull(op, "m", m);
        nonNull(op, "v", v);
        sameDtype(op, param, grad, m, v);
        sameShape(op, "param", param, "grad", grad);
        sameShape(op, "param", param, "m", m);
        sameShape(op, "param", param, "v", v);
        distinct(op, new String[] {"param", "grad", "m", "v"}, param, grad, m, v);
        if (param.dtype() == DType.F64) {
            adamF64(step, param.size(), param.f64(), grad.f64(), m.f64(), v.f64());
        } else {
            adamF32(step, param.size(), param.f32(), grad.f32(), m.f32(), v.f32());
        }
    }

    @Override
    public void sgdStep(SgdStep step, Tensor param, Tensor grad, Tensor momentumBuffer) {
        String op = "sgdStep";
        nonNull(op, "step", step);
        nonNull(op, "param", param);
        nonNull(op, "grad", grad);
        sameDtype(op, param, grad);
        sameShape(op, "param", param, "grad", grad);
        if (step.momentum() != 0) {
            nonNull(op, "momentumBuffer (momentum " + step.momentum() + " != 0)", momentumBuffer);
            sameDtype(op, param, momentumBuffer);
            sameShape(op, "param", param, "momentumBuffer", momentumBuffer);
            distinct(op, new String[] {"param", "grad", "momentumBuffer"}, param, grad, momentumBuffer);
        } else {
            distinct(op, new String[] {"param", "grad"}, param, grad);
        }
        Tensor buf = step.momentum() != 0 ? momentumBuffer : null;
        if (param.dtype() == DType.F64) {
            sgdF64(step, param.size(), param.f64(), grad.f64(), buf == null ? null : buf.f64());
        } else {
            sgdF32(step, param.size(), param.f32(), grad.f32(), buf == null ? null : buf.f32());
        }
    }

    // ================================================================ checks

    private static double[] identity(int n) {
        double[] id = new double[n * n];
        for (int i = 0; i < n; i++) {
            id[i * n + i] = 1;
        }
        return id;
    }

    private static void nonNull(String op, String operand, Object value) {
        Objects.requireNonNull(value, () -> op + ": " + operand + " is null");
    }

    private static void sameDtype(String op, Tensor first, Tensor... others) {
        for (Tensor t : others) {
            if (t.dtype() != first.dtype()) {
                throw new IllegalArgumentException(op + ": operands mix dtypes " + first.dtype() + " and " + t.dtype()
                        + "; all operands must share one dtype");
            }
        }
    }

    private static void matrix(String op, String operand, Tensor t) {
        if (t.rank() != 2) {
            throw new ShapeMismatchException(op + ": " + operand + " is " + t.shape() + "; must be a matrix (rank 2)");
        }
    }

    private static void vector(String op, String operand, Tensor t, int length, String what) {
        if (t.rank() != 1 || t.size() != length) {
            throw new ShapeMismatchException(op + ": " + operand + " is " + t.shape() + "; must be [" + length
                    + "] (" + what + ")");
        }
    }

    private static void sameShape(String op, String n1, Tensor t1, String n2, Tensor t2) {
        if (!t1.shape().equals(t2.shape())) {
            throw new ShapeMismatchException(op + ": " + n1 + " is " + t1.shape() + ", " + n2 + " is " + t2.shape()
                    + "; shapes must be equal");
        }
    }

    private static void finite(String op, String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(op + ": " + name + " must be finite, got " + value);
        }
    }

    private static void activationScalars(String op, double o, double eps) {
        finite(op, "intrinsic length o", o);
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException(op + ": small-ball radius eps must be finite and > 0, got " + eps);
        }
    }

    private static boolean sharesArray(Tensor x, Tensor y) {
        if (x.dtype() != y.dtype()) {
            return false;
        }
        return x.dtype() == DType.F64 ? x.f64() == y.f64() : x.f32() == y.f32();
    }

    private static void noAlias(String op, String outName, Tensor out, String inName, Tensor in) {
        if (sharesArray(out, in)) {
            throw new IllegalArgumentException(op + ": " + outName + " shares its array with " + inName
                    + "; pass a separate output tensor");
        }
    }

    private static void distinct(String op, String[] names, Tensor... ts) {
        for (int i = 0; i < ts.length; i++) {
            for (int j = i + 1; j < ts.length; j++) {
                if (sharesArray(ts[i], ts[j])) {
                    throw new IllegalArgumentException(op + ": " + names[i] + " and " + names[j]
                            + " share one array; they must be distinct tensors");
                }
            }
        }
    }
}
