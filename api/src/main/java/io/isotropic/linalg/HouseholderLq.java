package io.isotropic.linalg;

import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;

/**
 * Householder LQ factorisation {@code A = [L 0] Q} of a row-major {@code m x n} matrix in double precision
 * ({@code L} lower trapezoidal {@code m x min(m, n)}, {@code Q} orthogonal {@code n x n}), blocked: rows are
 * factored in panels of {@value #BLOCK} and each panel's reflectors are applied to the rows below as one compact WY
 * transform {@code I - Y T Y^T} through two backend products (LAPACK's {@code dgelqf} scheme), so the
 * {@code 2 m n^2 - 2 m^3 / 3} flops run at the backend's gemm speed.
 *
 * <p>Backward stable: the computed {@code L} is the exact factor of {@code A + E} with {@code |E|_F <= c n u |A|_F}.
 * So the singular values and left singular vectors of {@code L} are those of {@code A} to the accuracy of an SVD,
 * without the squared condition number of the Gram matrix {@code A A^T = L L^T}.
 */
public final class HouseholderLq {
    private static final int BLOCK = 32;
    /** Panel rows up to which a panel is factored row by row (see {@link #factorPanel}). */
    private static final int LEAF = 8;

    private final int m;
    private final int n;
    private final double[] a;   // L on and below the diagonal, reflector tails to the right of it
    private final double[] tau;
    private final Backend be;

    private HouseholderLq(Backend be, int m, int n, double[] a, double[] tau) {
        this.be = be;
        this.m = m;
        this.n = n;
        this.a = a;
        this.tau = tau;
    }

    /**
     * Factorises a matrix (the input is not modified).
     *
     * @param be the backend for the block products
     * @param x the matrix {@code [m, n]}, F64, finite
     * @return the factorisation
     * @throws IllegalArgumentException if x is not an F64 matrix or the backend is null
     */
    public static HouseholderLq factor(Backend be, Tensor x) {
        if (be == null || x == null || x.rank() != 2 || x.dtype() != DType.F64) {
            throw new IllegalArgumentException("HouseholderLq.factor: need a backend and an F64 matrix, got "
                    + (x == null ? "null" : x.dtype() + " " + x.shape()));
        }
        int m = x.rows();
        int n = x.cols();
        double[] a = x.f64().clone();
        int r = Math.min(m, n);
        double[] tau = new double[r];
        for (int i0 = 0; i0 < r; i0 += BLOCK) {
            int b = Math.min(BLOCK, r - i0);
            factorPanel(be, a, n, tau, i0, b);
            if (m > i0 + b) {
                // rows below the panel: A2 <- A2 (H_i0 ... H_{i0+b-1})
                applyBlock(be, a, n, tau, i0, b, i0 + b, m);
            }
        }
        return new HouseholderLq(be, m, n, a, tau);
    }

    /**
     * Factors the panel rows {@code i0 .. i0+b-1} (columns {@code i0 ..}) recursively: the first half, then its
     * reflectors applied to the second half as one block ({@link #applyBlock}, two backend products), then the second
     * half; panels of at most {@value #LEAF} rows reflect row by row. The same reflectors as the row-by-row
     * factorisation, with most of the panel's work in products (row by row, the panels were a quarter of the time).
     */
    private static void factorPanel(Backend be, double[] a, int n, double[] tau, int i0, int b) {
        if (b <= LEAF) {
            for (int i = i0; i < i0 + b; i++) {
                tau[i] = reflect(a, n, i, i);
                for (int row = i + 1; row < i0 + b; row++) {
                    applyRight(a, n, row, i, tau[i]);
                }
            }
            return;
        }
        int b1 = b / 2;
        factorPanel(be, a, n, tau, i0, b1);
        applyBlock(be, a, n, tau, i0, b1, i0 + b1, i0 + b);
        factorPanel(be, a, n, tau, i0 + b1, b - b1);
    }

    /**
     * Applies the reflectors of rows {@code i0 .. i0+b-1} to rows {@code r0 .. r1-1} from the right as one compact
     * WY transform: {@code A2 <- A2 (H_i0 ... H_{i0+b-1}) = A2 - (A2 Y) T Y^T}, {@code Y = [n - i0, b]}.
     */
    private static void applyBlock(Backend be, double[] a, int n, double[] tau, int i0, int b, int r0, int r1) {
        int rows = r1 - r0;
        int width = n - i0;
        Tensor y = reflectorColumns(a, n, i0, b);
        Tensor t = triangularFactor(be, y, tau, i0, b);
        Tensor a2 = Tensor.zeros(DType.F64, rows, width);
        for (int row = 0; row < rows; row++) {
            System.arraycopy(a, (r0 + row) * n + i0, a2.f64(), row * width, width);
        }
        Tensor w = be.matmul(be.matmul(a2, y), t);
        be.gemm(-1.0, w, false, y, true, 1.0, a2);
        for (int row = 0; row < rows; row++) {
            System.arraycopy(a2.f64(), row * width, a, (r0 + row) * n + i0, width);
        }
    }

    /**
     * Computes the reflector of row {@code i} that zeroes entries {@code c+1 .. n-1} of that row (entry c becomes
     * {@code beta}); stores its tail {@code v_{c+1..}} in place (with {@code v_c = 1} implied) and returns tau.
     */
    private static double reflect(double[] a, int n, int i, int c) {
        int off = i * n;
        double scale = 0;
        for (int j = c; j < n; j++) {
            scale = Math.max(scale, Math.abs(a[off + j]));
        }
        if (scale == 0) {
            return 0;
        }
        double tail = 0;
        for (int j = c + 1; j < n; j++) {
            double t = a[off + j] / scale;
            tail += t * t;
        }
        double alpha = a[off + c];
        if (tail == 0) {
            return 0; // already zero to the right: H = I
        }
        // scaled throughout, so that neither a tiny nor a huge row under- or overflows (LAPACK's dlarfg rescales too)
        double as = alpha / scale;
        double ns = Math.sqrt(as * as + tail);
        double bs = as >= 0 ? -ns : ns;
        double t = (bs - as) / bs;
        double den = as - bs; // |den| = |as| + ns is in [1, 2 sqrt(n)]
        for (int j = c + 1; j < n; j++) {
            a[off + j] = (a[off + j] / scale) / den;
        }
        a[off + c] = bs * scale;
        return t;
    }

    /** Applies reflector {@code c} (stored in row c) to row {@code row} from the right: {@code x <- x - tau (x v) v^T}. */
    private static void applyRight(double[] a, int n, int row, int c, double t) {
        if (t == 0) {
            return;
        }
        int ro = row * n;
        int vo = c * n;
        double d = (a[ro + c] + Orthogonal.dot(a, ro + c + 1, a, vo + c + 1, n - c - 1)) * t;
        a[ro + c] -= d;
        for (int j = c + 1; j < n; j++) {
            a[ro + j] -= d * a[vo + j];
        }
    }

    /** The panel's reflectors as columns {@code Y [n - i0, b]}: column j is {@code v} of row {@code i0 + j}. */
    private static Tensor reflectorColumns(double[] a, int n, int i0, int b) {
        int width = n - i0;
        Tensor y = Tensor.zeros(DType.F64, width, b);
        double[] yy = y.f64();
        for (int j = 0; j < b; j++) {
            int row = i0 + j;
            yy[j * b + j] = 1;
            for (int c = row + 1; c < n; c++) {
                yy[(c - i0) * b + j] = a[row * n + c];
            }
        }
        return y;
    }

    /**
     * The upper-triangular T with {@code H_0 H_1 ... H_{b-1} = I - Y T Y^T} (LAPACK's {@code dlarft}, forward,
     * column-wise): {@code T_jj = tau_j}, {@code T_{0:j, j} = -tau_j T_{0:j, 0:j} Y_{:, 0:j}^T y_j}.
     */
    private static Tensor triangularFactor(Backend be, Tensor y, double[] tau, int i0, int b) {
        double[] g = be.matmul(y, true, y, false).f64(); // Y^T Y [b, b]: the products y_p^T y_j at gemm speed
        Tensor t = Tensor.zeros(DType.F64, b, b);
        double[] tt = t.f64();
        double[] z = new double[b];
        for (int j = 0; j < b; j++) {
            double tj = tau[i0 + j];
            tt[j * b + j] = tj;
            if (j == 0 || tj == 0) {
                continue;
            }
            for (int p = 0; p < j; p++) {
                z[p] = -tj * g[p * b + j];
            }
            for (int p = 0; p < j; p++) {
                double s = 0;
                for (int q = p; q < j; q++) {
                    s += tt[p * b + q] * z[q];
                }
                tt[p * b + j] = s;
            }
        }
        return t;
    }

    /**
     * The factor {@code L}.
     *
     * @return {@code [m, min(m, n)]}, lower trapezoidal, F64
     */
    public Tensor lower() {
        int r = Math.min(m, n);
        Tensor l = Tensor.zeros(DType.F64, m, r);
        for (int i = 0; i < m; i++) {
            int upto = Math.min(i, r - 1);
            System.arraycopy(a, i * n, l.f64(), i * r, upto + 1);
        }
        return l;
    }

    /**
     * An orthonormal basis of the vectors orthogonal to every row of {@code A} (its null space, for {@code m < n} and
     * full row rank): the last {@code n - m} rows of {@code Q}, as columns, {@code Q^T [0; I]}.
     *
     * @return {@code [n, n - m]}, F64 (empty when {@code m >= n})
     */
    public Tensor nullSpace() {
        int r = Math.min(m, n);
        int d = n - r;
        Tensor x = Tensor.zeros(DType.F64, n, d);
        for (int j = 0; j < d; j++) {
            x.f64()[(r + j) * d + j] = 1;
        }
        return qTransposeTimes(x);
    }

    /**
     * {@code Q^T X} for a matrix of {@code n} rows: with {@code A = [L 0] Q}, the right singular vectors of {@code A}
     * are {@code Q^T} applied to those of {@code [L 0]}.
     *
     * @param x the matrix {@code [n, c]}, F64 (not modified)
     * @return {@code Q^T X}, a new {@code [n, c]} matrix
     * @throws IllegalArgumentException if x is not an F64 matrix with {@code n} rows
     */
    public Tensor qTransposeTimes(Tensor x) {
        if (x == null || x.rank() != 2 || x.rows() != n || x.dtype() != DType.F64) {
            throw new IllegalArgumentException("HouseholderLq.qTransposeTimes: need an F64 matrix with " + n
                    + " rows, got " + (x == null ? "null" : x.dtype() + " " + x.shape()));
        }
        int r = Math.min(m, n);
        int d = x.cols();
        Tensor out = x.copy();
        // Q^T = H_0 H_1 ... H_{r-1}: apply the last block first, X <- (I - Y T Y^T) X
        for (int i0 = ((r - 1) / BLOCK) * BLOCK; i0 >= 0 && d > 0 && r > 0; i0 -= BLOCK) {
            int b = Math.min(BLOCK, r - i0);
            Tensor y = reflectorColumns(a, n, i0, b);
            Tensor t = triangularFactor(be, y, tau, i0, b);
            int width = n - i0;
            Tensor xs = Tensor.zeros(DType.F64, width, d);
            System.arraycopy(out.f64(), i0 * d, xs.f64(), 0, width * d);
            Tensor w = be.matmul(t, be.matmul(y, true, xs, false));
            be.gemm(-1.0, y, false, w, false, 1.0, xs);
            System.arraycopy(xs.f64(), 0, out.f64(), i0 * d, width * d);
        }
        return out;
    }
}
