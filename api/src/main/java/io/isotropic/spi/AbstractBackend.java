package io.isotropic.spi;

import io.isotropic.tensor.DType;
import io.isotropic.tensor.ShapeMismatchException;
import io.isotropic.tensor.Tensor;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * The validating front of every backend: checks every operand of a call once, here, so that a call that fails
 * writes nothing, then dispatches to the backend's {@link RawKernels} on plain row-major arrays.
 *
 * <p>A backend extends this class and passes its kernels to the constructor; the kernels implement the matrix
 * products and the double-precision SVD and override whichever portable scalar default ({@link ScalarKernels}) they
 * can do faster. The front also owns everything that must behave alike on every backend: empty operands, the
 * rejection of non-finite SVD input, and the sorting and signing of SVD factors ({@link SvdNormaliser}).
 */
public abstract class AbstractBackend implements Backend {
    private final String name;
    private final int threads;
    private final RawKernels kernels;

    /**
     * Creates the front with a provider name, thread count and the raw kernels it dispatches to.
     *
     * @param name the provider name
     * @param threads threads per kernel call, {@code >= 1}
     * @param kernels the raw kernels (owned by this backend from now on: {@link #close()} closes them)
     * @throws IllegalArgumentException if threads is below 1 or name or kernels is null
     */
    protected AbstractBackend(String name, int threads, RawKernels kernels) {
        if (name == null || threads < 1 || kernels == null) {
            throw new IllegalArgumentException("AbstractBackend: need a name, threads >= 1 and kernels, got " + name
                    + ", " + threads + ", " + kernels);
        }
        this.name = name;
        this.threads = threads;
        this.kernels = kernels;
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

    /** Closes the raw kernels (worker threads, native resources). */
    @Override
    public void close() {
        kernels.close();
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
            kernels.gemmF64(transA, transB, m, n, k, alpha, a.f64(), b.f64(), beta, c.f64());
        } else {
            kernels.gemmF32(transA, transB, m, n, k, (float) alpha, a.f32(), b.f32(), (float) beta, c.f32());
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
            kernels.affineF64(rows, in, out, x.f64(), w.f64(), bias == null ? null : bias.f64(), y.f64());
        } else {
            kernels.affineF32(rows, in, out, x.f32(), w.f32(), bias == null ? null : bias.f32(), y.f32());
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
            kernels.rowSquaredNormsF64(x.rows(), x.cols(), x.f64(), out.f64());
        } else {
            kernels.rowSquaredNormsF32(x.rows(), x.cols(), x.f32(), out.f32());
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
            kernels.isoTanhForwardF64(z.rows(), z.cols(), z.f64(), o, eps, gains.f64(), h.f64());
        } else {
            kernels.isoTanhForwardF32(z.rows(), z.cols(), z.f32(), o, eps, gains.f32(), h.f32());
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
            return kernels.isoTanhBackwardF64(z.rows(), z.cols(), z.f64(), gains.f64(), dh.f64(),
                    gainGrad == null ? null : gainGrad.f64(), o, eps, dz.f64());
        }
        return kernels.isoTanhBackwardF32(z.rows(), z.cols(), z.f32(), gains.f32(), dh.f32(),
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
            kernels.tanhF64(z.size(), z.f64(), h.f64());
        } else {
            kernels.tanhF32(z.size(), z.f32(), h.f32());
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
            kernels.tanhBackwardF64(h.size(), h.f64(), dh.f64(), dz.f64());
        } else {
            kernels.tanhBackwardF32(h.size(), h.f32(), dh.f32(), dz.f32());
        }
    }

    @Override
    public Svd svd(Tensor a) {
        String op = "svd";
        Scaled<RawSvd> r = scaledMatrixKernel(op, a, () -> new RawSvd(identity(a.rows()), new double[0],
                identity(a.cols())), kernels::svdF64, kernels::svdF32);
        int m = a.rows();
        int n = a.cols();
        RawSvd raw = r.result();
        if (raw == null || raw.u() == null || raw.s() == null || raw.v() == null) {
            throw noFactors(op, m, n);
        }
        double[] s = SvdScaling.unscale(op, raw.s(), r.exponent(), a.dtype(), m, n);
        return SvdNormaliser.normalise(m, n, raw.u(), s, raw.v(), a.dtype());
    }

    @Override
    public SvdLeft svdLeft(Tensor a) {
        String op = "svdLeft";
        Scaled<RawSvd> r = scaledMatrixKernel(op, a, () -> new RawSvd(identity(a.rows()), new double[0], null),
                kernels::svdLeftF64, kernels::svdLeftF32);
        int m = a.rows();
        int n = a.cols();
        RawSvd raw = r.result();
        if (raw == null || raw.u() == null || raw.s() == null) {
            throw noFactors(op, m, n);
        }
        double[] s = SvdScaling.unscale(op, raw.s(), r.exponent(), a.dtype(), m, n);
        return SvdNormaliser.normaliseLeft(m, n, raw.u(), s, a.dtype());
    }

    @Override
    public Tensor singularValues(Tensor a) {
        String op = "singularValues";
        Scaled<double[]> r = scaledMatrixKernel(op, a, () -> new double[0], kernels::singularValuesF64,
                kernels::singularValuesF32);
        int m = a.rows();
        int n = a.cols();
        int k = Math.min(m, n);
        double[] s = r.result();
        if (s == null || s.length != k) {
            throw new IllegalStateException(op + ": backend " + name + " returned "
                    + (s == null ? "null" : s.length + " values") + " for a " + m + " x " + n + " matrix");
        }
        for (int i = 0; i < k; i++) {
            if (!(s[i] >= 0) || Double.isInfinite(s[i])) {
                throw new IllegalStateException(op + ": backend " + name + " returned singular value " + i + " = "
                        + s[i] + " for a " + m + " x " + n + " matrix; backends must return finite non-negative "
                        + "values");
            }
        }
        s = SvdNormaliser.sortDescending(SvdScaling.unscale(op, s.clone(), r.exponent(), a.dtype(), m, n));
        Tensor out = Tensor.wrap(s, k);
        return a.dtype() == DType.F64 ? out : out.to(DType.F32);
    }

    /** A raw kernel on an {@code m x n} row-major matrix of one dtype. */
    @FunctionalInterface
    private interface MatrixKernel<A, R> {
        R apply(int m, int n, A a);
    }

    /** What a raw kernel returned for a matrix scaled by {@code 2^-exponent}. */
    private record Scaled<R>(R result, int exponent) {
    }

    /**
     * The common part of the SVD entry points: checks the matrix a (non-null, rank 2, finite); if it is empty,
     * returns {@code empty} with exponent 0, else runs the kernel of a's dtype on a scaled by a power of two
     * ({@link SvdScaling}: F64 always a copy, F32 a itself when no scaling is needed; kernels do not modify it).
     */
    private static <R> Scaled<R> scaledMatrixKernel(String op, Tensor a, Supplier<R> empty,
                                                    MatrixKernel<double[], R> f64, MatrixKernel<float[], R> f32) {
        nonNull(op, "a", a);
        matrix(op, "a", a);
        a.requireFinite(op, "a");
        int m = a.rows();
        int n = a.cols();
        if (m == 0 || n == 0) {
            return new Scaled<>(empty.get(), 0);
        }
        if (a.dtype() == DType.F64) {
            int e = SvdScaling.exponent(a.f64());
            return new Scaled<>(f64.apply(m, n, SvdScaling.scaledCopy(a.f64(), e)), e);
        }
        int e = SvdScaling.exponent(a.f32());
        return new Scaled<>(f32.apply(m, n, SvdScaling.scaled(a.f32(), e)), e);
    }

    private IllegalStateException noFactors(String op, int m, int n) {
        return new IllegalStateException(op + ": backend " + name + " returned no factors for a " + m + " x " + n
                + " matrix");
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
            kernels.axpyF64(x.size(), alpha, x.f64(), y.f64());
        } else {
            kernels.axpyF32(x.size(), (float) alpha, x.f32(), y.f32());
        }
    }

    @Override
    public void scale(double alpha, Tensor x) {
        String op = "scale";
        nonNull(op, "x", x);
        finite(op, "alpha", alpha);
        if (x.dtype() == DType.F64) {
            kernels.scaleF64(x.size(), alpha, x.f64());
        } else {
            kernels.scaleF32(x.size(), (float) alpha, x.f32());
        }
    }

    @Override
    public double dot(Tensor x, Tensor y) {
        String op = "dot";
        nonNull(op, "x", x);
        nonNull(op, "y", y);
        sameDtype(op, x, y);
        sameShape(op, "x", x, "y", y);
        return x.dtype() == DType.F64 ? kernels.dotF64(x.size(), x.f64(), y.f64())
                : kernels.dotF32(x.size(), x.f32(), y.f32());
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
            kernels.columnSumsF64(x.rows(), x.cols(), x.f64(), out.f64(), accumulate);
        } else {
            kernels.columnSumsF32(x.rows(), x.cols(), x.f32(), out.f32(), accumulate);
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
            kernels.adamF64(step, param.size(), param.f64(), grad.f64(), m.f64(), v.f64());
        } else {
            kernels.adamF32(step, param.size(), param.f32(), grad.f32(), m.f32(), v.f32());
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
            kernels.sgdF64(step, param.size(), param.f64(), grad.f64(), buf == null ? null : buf.f64());
        } else {
            kernels.sgdF32(step, param.size(), param.f32(), grad.f32(), buf == null ? null : buf.f32());
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
