package io.isotropic.oracle;

import io.isotropic.spi.Svd;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Plain scalar reference loops in double precision, the oracle that the conformance contracts and the benchmarks'
 * checks compare backends against. Inputs are read as doubles (F32 values widen exactly), so for F32 data the
 * reference is accurate to double precision.
 *
 * <p>Independence: nothing here calls the code under test. The activation is computed from its definition
 * (method.md 2.2), not with {@code io.isotropic.activation.IsoTanh}, and its slope by a different formula (a series
 * without cancellation); singular values come from one-sided Jacobi, an algorithm none of the backends uses; only
 * {@link Tensor}'s element access and random factories are shared.
 */
public final class Reference {
    /** Sweeps after which {@link #singularValues} gives up (it converges quadratically, in about 10). */
    private static final int JACOBI_MAX_SWEEPS = 60;

    private Reference() {
    }

    /**
     * {@code alpha op(A) op(B) + beta C} and the magnitude {@code |alpha| |op(A)| |op(B)| + |beta| |C|} used to
     * bound rounding errors.
     *
     * @param alpha product scale
     * @param a A
     * @param transA use A transposed
     * @param b B
     * @param transB use B transposed
     * @param beta scale of C
     * @param c old C (not modified; not read when {@code beta = 0}, may then be null)
     * @return {value, magnitude}, each {@code m x n} row-major
     * @throws IllegalArgumentException if the inner sizes differ
     */
    public static double[][] gemm(double alpha, Tensor a, boolean transA, Tensor b, boolean transB, double beta,
                                  Tensor c) {
        int m = transA ? a.cols() : a.rows();
        int[] all = new int[m];
        Arrays.setAll(all, i -> i);
        return gemmRows(alpha, a, transA, b, transB, beta, c, all);
    }

    /**
     * The rows {@code rows[0], rows[1], ...} of {@link #gemm} only (for products too large to check whole).
     *
     * @param alpha product scale
     * @param a A
     * @param transA use A transposed
     * @param b B
     * @param transB use B transposed
     * @param beta scale of C
     * @param c old C (not modified; not read when {@code beta = 0}, may then be null)
     * @param rows the rows of the result to compute, each in {@code [0, m)}
     * @return {value, magnitude}, each {@code rows.length x n} row-major
     * @throws IllegalArgumentException if the inner sizes differ or a row is out of range
     */
    public static double[][] gemmRows(double alpha, Tensor a, boolean transA, Tensor b, boolean transB, double beta,
                                      Tensor c, int[] rows) {
        int m = transA ? a.cols() : a.rows();
        int k = transA ? a.rows() : a.cols();
        int kb = transB ? b.cols() : b.rows();
        int n = transB ? b.rows() : b.cols();
        if (k != kb) {
            throw new IllegalArgumentException("Reference.gemm: inner sizes differ: op(A) is " + m + " x " + k
                    + ", op(B) is " + kb + " x " + n);
        }
        double[] val = new double[rows.length * n];
        double[] mag = new double[rows.length * n];
        for (int r = 0; r < rows.length; r++) {
            int i = rows[r];
            if (i < 0 || i >= m) {
                throw new IllegalArgumentException("Reference.gemmRows: row " + i + " outside [0, " + m + ")");
            }
            for (int j = 0; j < n; j++) {
                double s = 0;
                double sa = 0;
                for (int p = 0; p < k; p++) {
                    double x = transA ? a.get(p, i) : a.get(i, p);
                    double y = transB ? b.get(j, p) : b.get(p, j);
                    s += x * y;
                    sa += Math.abs(x * y);
                }
                double old = beta == 0 ? 0 : c.get(i, j);
                val[r * n + j] = alpha * s + beta * old;
                mag[r * n + j] = Math.abs(alpha) * sa + Math.abs(beta * old);
            }
        }
        return new double[][] {val, mag};
    }

    /**
     * The batched affine map {@code X W^T + b} and the magnitude {@code |X||W^T| + |b|}.
     *
     * @param x inputs {@code [batch, in]}
     * @param w weights {@code [out, in]}
     * @param bias biases {@code [out]}, or null for none
     * @return {value, magnitude}, each {@code batch x out} row-major
     * @throws IllegalArgumentException if the widths differ
     */
    public static double[][] affine(Tensor x, Tensor w, Tensor bias) {
        double[][] ref = gemm(1.0, x, false, w, true, 0.0, null);
        if (bias != null) {
            int out = w.rows();
            for (int i = 0; i < ref[0].length; i++) {
                ref[0][i] += bias.getFlat(i % out);
                ref[1][i] += Math.abs(bias.getFlat(i % out));
            }
        }
        return ref;
    }

    /**
     * Rows spread evenly over {@code [0, m)}, first and last included: all of them when {@code m <= count}.
     *
     * @param m the number of rows
     * @param count how many to pick, {@code >= 1}
     * @return the row indices, ascending
     */
    public static int[] spreadRows(int m, int count) {
        int c = Math.min(m, count);
        int[] out = new int[c];
        for (int r = 0; r < c; r++) {
            out[r] = c == m ? r : c == 1 ? 0 : (int) ((long) r * (m - 1) / (c - 1));
        }
        return out;
    }

    /**
     * Random dense matrix with i.i.d. standard normal entries.
     *
     * @param dtype dtype
     * @param seed seed
     * @param rows rows
     * @param cols columns
     * @return the matrix
     */
    public static Tensor gaussian(DType dtype, long seed, int rows, int cols) {
        return Tensor.randomNormal(dtype, seed, 1.0, rows, cols);
    }

    /**
     * Random orthogonal {@code n x n} matrix (Gram-Schmidt, applied twice, of a Gaussian matrix), in double.
     *
     * @param n order
     * @param rng random source
     * @return row-major {@code n x n} array
     */
    public static double[] randomOrthogonal(int n, SplittableRandom rng) {
        double[] q = new double[n * n];
        for (int i = 0; i < q.length; i++) {
            q[i] = rng.nextGaussian();
        }
        // orthonormalise the columns
        for (int j = 0; j < n; j++) {
            for (int pass = 0; pass < 2; pass++) {
                for (int p = 0; p < j; p++) {
                    double d = 0;
                    for (int i = 0; i < n; i++) {
                        d += q[i * n + p] * q[i * n + j];
                    }
                    for (int i = 0; i < n; i++) {
                        q[i * n + j] -= d * q[i * n + p];
                    }
                }
            }
            double norm = 0;
            for (int i = 0; i < n; i++) {
                norm += q[i * n + j] * q[i * n + j];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                q[i * n + j] /= norm;
            }
        }
        return q;
    }

    /**
     * Dense product of row-major double arrays.
     *
     * @param a {@code m x k}
     * @param b {@code k x n}
     * @param m rows of a
     * @param k inner size
     * @param n columns of b
     * @return {@code m x n}
     */
    public static double[] multiply(double[] a, double[] b, int m, int k, int n) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                double x = a[i * k + p];
                for (int j = 0; j < n; j++) {
                    c[i * n + j] += x * b[p * n + j];
                }
            }
        }
        return c;
    }

    /**
     * Builds {@code U diag(s) V^T} with the given singular values and random orthogonal factors.
     *
     * @param dtype dtype of the result
     * @param seed seed
     * @param m rows
     * @param n columns
     * @param s singular values, {@code min(m, n)} of them
     * @return the matrix (rounded to dtype)
     */
    public static Tensor withSingularValues(DType dtype, long seed, int m, int n, double[] s) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] u = randomOrthogonal(m, rng);
        double[] v = randomOrthogonal(n, rng);
        double[] us = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < Math.min(m, n); j++) {
                us[i * n + j] = u[i * m + j] * s[j];
            }
        }
        double[] vt = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                vt[i * n + j] = v[j * n + i];
            }
        }
        return Tensor.wrap(multiply(us, vt, m, n, n), m, n).to(dtype);
    }

    /**
     * The gain of isotropic tanh from its definition (method.md 2.2): with {@code rho = sqrt|r + o|},
     * {@code G = tanh(rho) / rho} outside the small ball {@code rho <= eps}, and inside it {@code c(o) =
     * tanh(sqrt|o|) / sqrt|o|} if {@code |o| > 0.01}, else 1.
     *
     * @param r the squared norm of the row
     * @param o the intrinsic length
     * @param eps the small-ball radius
     * @return {@code G}
     */
    public static double gain(double r, double o, double eps) {
        double rho = Math.sqrt(Math.abs(r + o));
        if (!(rho > eps)) {
            double root = Math.sqrt(Math.abs(o));
            return Math.abs(o) > 0.01 ? Math.tanh(root) / root : 1.0;
        }
        return Math.tanh(rho) / rho;
    }

    /**
     * {@code dG/dr} of {@link #gain} (zero inside the small ball), by a formula without cancellation: with
     * {@code u = |r + o|}, {@code rho = sqrt u}, {@code d/du (tanh rho / rho) = (rho sech^2 rho - tanh rho) /
     * (2 rho^3) = -(sinh 2 rho - 2 rho) / (4 rho^3 cosh^2 rho)}, and {@code (sinh x - x) / rho^3} is summed as its
     * series of positive terms for {@code rho <= 1}; above 1 the closed form loses at most a factor 2.2 to
     * cancellation. Multiplied by {@code sign(r + o)}.
     *
     * @param r the squared norm of the row
     * @param o the intrinsic length
     * @param eps the small-ball radius
     * @return {@code dG/dr}
     */
    public static double gainSlope(double r, double o, double eps) {
        boolean inBall = !(Math.sqrt(Math.abs(r + o)) > eps);
        return inBall ? 0.0 : Math.signum(r + o) * derivativeInU(Math.abs(r + o));
    }

    /** {@code d/du (tanh sqrt u / sqrt u)} for {@code u > 0}, as {@link #gainSlope} describes. */
    private static double derivativeInU(double u) {
        double root = Math.sqrt(u);
        double ch = Math.cosh(root);
        if (root > 1) {
            return (root / (ch * ch) - Math.tanh(root)) / (2 * u * root);
        }
        // (sinh 2 root - 2 root) / root^3 = sum_k 2^(2k+1) root^(2k-2) / (2k+1)!, k >= 1: 4/3 + 4u/15 + ...
        double term = 4.0 / 3;
        double sum = term;
        for (int k = 1; term > 1e-18 * sum; k++) {
            term *= 4 * u / ((2.0 * k + 2) * (2.0 * k + 3));
            sum += term;
        }
        return -sum / (4 * ch * ch);
    }

    /**
     * Isotropic tanh forward in double: gains and activations.
     *
     * @param z pre-activations {@code [rows, n]}
     * @param o intrinsic length
     * @param eps small-ball radius
     * @return {gains (rows), h (rows * n)}
     */
    public static double[][] isoTanh(Tensor z, double o, double eps) {
        int rows = z.rows();
        int n = z.cols();
        double[] g = new double[rows];
        double[] h = new double[rows * n];
        for (int i = 0; i < rows; i++) {
            double r = 0;
            for (int j = 0; j < n; j++) {
                r += z.get(i, j) * z.get(i, j);
            }
            g[i] = gain(r, o, eps);
            for (int j = 0; j < n; j++) {
                h[i * n + j] = g[i] * z.get(i, j);
            }
        }
        return new double[][] {g, h};
    }

    /**
     * Isotropic tanh backward in double, with an error-scale estimate per element.
     *
     * @param z pre-activations
     * @param gains gains of the forward pass (as the backend returned them), or null to use the reference's
     * @param dh upstream gradient
     * @param gainGrad extra gain gradient or null
     * @param o intrinsic length
     * @param eps small-ball radius
     * @return {dz (rows * n), magnitude (rows * n), {dO, |dO| magnitude}}
     */
    public static double[][] isoTanhBackward(Tensor z, Tensor gains, Tensor dh, Tensor gainGrad, double o, double eps) {
        int rows = z.rows();
        int n = z.cols();
        double[] dz = new double[rows * n];
        double[] mag = new double[rows * n];
        double dO = 0;
        double dOmag = 0;
        for (int i = 0; i < rows; i++) {
            double r = 0;
            double zdh = 0;
            double zdhAbs = 0;
            for (int j = 0; j < n; j++) {
                r += z.get(i, j) * z.get(i, j);
                zdh += z.get(i, j) * dh.get(i, j);
                zdhAbs += Math.abs(z.get(i, j) * dh.get(i, j));
            }
            double extra = gainGrad == null ? 0 : gainGrad.getFlat(i);
            double gs = zdh + extra;
            double gsAbs = zdhAbs + Math.abs(extra);
            double slope = gainSlope(r, o, eps);
            double g = gains == null ? gain(r, o, eps) : gains.getFlat(i);
            for (int j = 0; j < n; j++) {
                dz[i * n + j] = g * dh.get(i, j) + 2 * gs * slope * z.get(i, j);
                mag[i * n + j] = Math.abs(g * dh.get(i, j)) + 2 * gsAbs * Math.abs(slope * z.get(i, j));
            }
            dO += gs * slope;
            dOmag += gsAbs * Math.abs(slope);
        }
        return new double[][] {dz, mag, {dO, dOmag}};
    }

    /**
     * Frobenius norm in double precision.
     *
     * @param a the tensor
     * @return {@code |A|_F}
     */
    public static double frobenius(Tensor a) {
        return Math.sqrt(inner(a, a));
    }

    /**
     * The exponent {@code e} with {@code max|a_ij| 2^-e} in {@code [1, 2)}, exact for subnormal maxima too; 0 for an
     * empty or zero tensor. Norms and residuals computed on entries scaled by {@code 2^-e} (which is exact) neither
     * overflow nor underflow at any scale of the tensor.
     *
     * @param a the tensor
     * @return the exponent of its largest magnitude
     */
    public static int scaleExponent(Tensor a) {
        double max = a.size() == 0 ? 0 : a.maxAbs();
        if (max == 0) {
            return 0;
        }
        return max >= Double.MIN_NORMAL ? Math.getExponent(max) : Math.getExponent(max * 0x1.0p54) - 54;
    }

    /**
     * The Frobenius norm of exactly scaled entries.
     *
     * @param a the tensor
     * @param e the scale exponent, usually {@link #scaleExponent}
     * @return {@code |A|_F 2^-e}
     */
    public static double scaledFrobenius(Tensor a, int e) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            double x = Math.scalb(a.getFlat(i), -e);
            s += x * x;
        }
        return Math.sqrt(s);
    }

    /**
     * Frobenius inner product {@code <A, B> = sum_ij A_ij B_ij} in double precision.
     *
     * @param a first tensor
     * @param b second tensor, same size
     * @return the inner product
     * @throws IllegalArgumentException if the sizes differ
     */
    public static double inner(Tensor a, Tensor b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("Reference.inner: sizes differ: " + a.shape() + " and " + b.shape());
        }
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += a.getFlat(i) * b.getFlat(i);
        }
        return s;
    }

    /**
     * The loss of orthogonality of a square factor.
     *
     * @param q {@code [n, n]}
     * @return {@code |Q^T Q - I|_max}
     */
    public static double orthogonalityError(Tensor q) {
        int n = q.rows();
        double worst = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double d = 0;
                for (int p = 0; p < n; p++) {
                    d += q.get(p, i) * q.get(p, j);
                }
                worst = Math.max(worst, Math.abs(d - (i == j ? 1 : 0)));
            }
        }
        return worst;
    }

    /**
     * The residual of a decomposition.
     *
     * @param a the decomposed matrix {@code [m, n]}
     * @param svd its decomposition, {@code U [m, m]}, {@code s [min(m, n)]}, {@code V [n, n]}
     * @return {@code |A - U diag(s) V^T|_F}
     */
    public static double svdResidual(Tensor a, Svd svd) {
        int m = a.rows();
        int n = a.cols();
        int k = Math.min(m, n);
        double err = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double r = 0;
                for (int p = 0; p < k; p++) {
                    r += svd.u().get(i, p) * svd.s().getFlat(p) * svd.v().get(j, p);
                }
                double d = r - a.get(i, j);
                err += d * d;
            }
        }
        return Math.sqrt(err);
    }

    /**
     * The residual of a decomposition measured on exactly scaled entries, so that it neither overflows nor
     * underflows at any scale of the matrix.
     *
     * @param a the decomposed matrix {@code [m, n]}
     * @param svd its decomposition, {@code U [m, m]}, {@code s [min(m, n)]}, {@code V [n, n]}
     * @param e the scale exponent, usually {@link #scaleExponent}
     * @return {@code |A 2^-e - U diag(s 2^-e) V^T|_F}
     */
    public static double scaledSvdResidual(Tensor a, Svd svd, int e) {
        int m = a.rows();
        int n = a.cols();
        int k = Math.min(m, n);
        double[] s = new double[k];
        for (int p = 0; p < k; p++) {
            s[p] = Math.scalb(svd.s().getFlat(p), -e);
        }
        double err = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double r = 0;
                for (int p = 0; p < k; p++) {
                    r += svd.u().get(i, p) * s[p] * svd.v().get(j, p);
                }
                double d = r - Math.scalb(a.get(i, j), -e);
                err += d * d;
            }
        }
        return Math.sqrt(err);
    }

    /**
     * Singular values by one-sided Jacobi (Hestenes) in double precision: the columns of {@code A} (of
     * {@code A^T} when {@code m < n}) are rotated in cyclic sweeps until every pair is orthogonal to
     * {@code |a_p . a_q| <= m eps |a_p||a_q|}; the singular values are then the column norms. Backward stable, so
     * every value is within a small multiple of {@code max(m, n) eps |A|_F} of the exact one, well inside
     * {@link Tolerance#singularValue}; it shares no code or algorithm with the backends (Golub-Kahan based).
     *
     * @param a the matrix {@code [m, n]}
     * @return the {@code min(m, n)} singular values, non-increasing
     * @throws ArithmeticException if {@value #JACOBI_MAX_SWEEPS} sweeps do not converge (never seen)
     * @throws IllegalArgumentException if the matrix is not finite
     */
    public static double[] singularValues(Tensor a) {
        if (a.firstNonFinite() >= 0) {
            throw new IllegalArgumentException("Reference.singularValues: the " + a.shape()
                    + " matrix has a non-finite entry at " + Arrays.toString(a.unravel(a.firstNonFinite())));
        }
        boolean tall = a.rows() >= a.cols();
        int len = tall ? a.rows() : a.cols();
        int count = tall ? a.cols() : a.rows();
        double[][] col = new double[count][len];
        for (int c = 0; c < count; c++) {
            for (int i = 0; i < len; i++) {
                col[c][i] = tall ? a.get(i, c) : a.get(c, i);
            }
        }
        double tol = len * DType.F64.epsilon();
        boolean rotated = true;
        for (int sweep = 0; rotated; sweep++) {
            if (sweep == JACOBI_MAX_SWEEPS) {
                throw new ArithmeticException("Reference.singularValues: one-sided Jacobi did not converge in "
                        + JACOBI_MAX_SWEEPS + " sweeps for a " + a.shape() + " matrix");
            }
            rotated = false;
            for (int p = 0; p < count - 1; p++) {
                for (int q = p + 1; q < count; q++) {
                    rotated |= rotate(col[p], col[q], tol);
                }
            }
        }
        double[] s = new double[count];
        for (int c = 0; c < count; c++) {
            double sq = 0;
            for (double v : col[c]) {
                sq += v * v;
            }
            s[c] = Math.sqrt(sq);
        }
        Arrays.sort(s);
        for (int i = 0; i < count / 2; i++) {
            double t = s[i];
            s[i] = s[count - 1 - i];
            s[count - 1 - i] = t;
        }
        return s;
    }

    /** One Jacobi rotation making columns x and y orthogonal; false if they already are to {@code tol}. */
    private static boolean rotate(double[] x, double[] y, double tol) {
        double alpha = 0;
        double beta = 0;
        double gamma = 0;
        for (int i = 0; i < x.length; i++) {
            alpha += x[i] * x[i];
            beta += y[i] * y[i];
            gamma += x[i] * y[i];
        }
        if (!(Math.abs(gamma) > tol * Math.sqrt(alpha) * Math.sqrt(beta))) {
            return false;
        }
        double zeta = (beta - alpha) / (2 * gamma);
        double t = zeta == 0 ? 1 : Math.signum(zeta) / (Math.abs(zeta) + Math.hypot(1, zeta));
        double c = 1 / Math.sqrt(1 + t * t);
        double s = c * t;
        for (int i = 0; i < x.length; i++) {
            double xi = x[i];
            double yi = y[i];
            x[i] = c * xi - s * yi;
            y[i] = s * xi + c * yi;
        }
        return true;
    }
}
