package io.isotropic.backend.vector;

import io.isotropic.spi.RawSvd;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Full singular value decomposition in double precision: Householder bidiagonalisation, explicit transposed
 * orthogonal factors, then the implicit-shift QR iteration on the bidiagonal (Golub and Kahan; the deflation and
 * shift logic of LINPACK's {@code dsvdc}, as in JAMA) with its Givens rotations applied to the <em>transposed</em>
 * factors, where a rotation of two columns of {@code U} is a rotation of two contiguous rows of {@code U^T}.
 *
 * <p>Vectorisation: every Householder reflection is applied row by row ({@code A[i, :] -= t v}, a dot product then
 * an axpy over a contiguous row); the rotations of one QR sweep are recorded and then applied in one pass over the
 * factor, a few vector columns at a time, each row loaded and stored once per sweep (LAPACK's {@code dlasr}
 * pattern). Wide matrices are transposed first, so the core only sees {@code m >= n}.
 *
 * <p>Convergence: each QR sweep is counted; more than {@link #maxSweeps(int)} raises an
 * {@link ArithmeticException} instead of looping.
 */
final class SvdF64 {
    private static final VectorSpecies<Double> SP = Lanes.F64;
    private static final int L = SP.length();
    private static final double EPS = 0x1.0p-52;
    private static final double TINY = 0x1.0p-966;

    private SvdF64() {
    }

    /**
     * Most implicit QR sweeps allowed for an {@code n x n} bidiagonal (about 2 per singular value are typical).
     *
     * @param n order of the bidiagonal
     * @return the cap
     */
    static int maxSweeps(int n) {
        return 75 * n + 100;
    }

    /**
     * Full SVD {@code A = U diag(s) V^T} with square factors, singular values non-negative and unsorted.
     *
     * @param m rows
     * @param n columns
     * @param a the matrix, row-major (destroyed)
     * @return the factors
     * @throws ArithmeticException if the QR iteration does not converge
     */
    static RawSvd svd(int m, int n, double[] a) {
        if (m >= n) {
            Core c = new Core(m, n, a, true);
            c.run();
            return new RawSvd(transpose(c.ut, m, m), c.d, transpose(c.vt, n, n));
        }
        Core c = new Core(n, m, transpose(a, m, n), true);
        c.run();
        // A^T = U' S V'^T, so A = V' S U'^T
        return new RawSvd(transpose(c.vt, m, m), c.d, transpose(c.ut, n, n));
    }

    /**
     * Singular values only (no factors are formed or rotated).
     *
     * @param m rows
     * @param n columns
     * @param a the matrix, row-major (destroyed)
     * @return {@code min(m, n)} non-negative values, unsorted
     * @throws ArithmeticException if the QR iteration does not converge
     */
    static double[] singularValues(int m, int n, double[] a) {
        Core c = m >= n ? new Core(m, n, a, false) : new Core(n, m, transpose(a, m, n), false);
        c.run();
        return c.d;
    }

    /**
     * Transpose of a row-major {@code rows x cols} matrix, in 32 x 32 blocks.
     *
     * @param a the matrix
     * @param rows its rows
     * @param cols its columns
     * @return a new {@code cols x rows} matrix
     */
    static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[rows * cols];
        final int b = 32;
        for (int i0 = 0; i0 < rows; i0 += b) {
            int i1 = Math.min(rows, i0 + b);
            for (int j0 = 0; j0 < cols; j0 += b) {
                int j1 = Math.min(cols, j0 + b);
                for (int i = i0; i < i1; i++) {
                    for (int j = j0; j < j1; j++) {
                        t[j * rows + i] = a[i * cols + j];
                    }
                }
            }
        }
        return t;
    }

    /** The decomposition of one tall-or-square matrix. */
    private static final class Core {
        final int m;
        final int n;
        final double[] a;
        final boolean vectors;
        /** Diagonal of the bidiagonal, then the singular values. */
        final double[] d;
        /** Superdiagonal ({@code e[n-1] = 0}). */
        final double[] e;
        /** Left Householder vectors: row k holds v_k in columns k..m-1 ({@code v_k[k] = 1}). */
        double[] hl;
        double[] tauL;
        /** Right Householder vectors: row k holds u_k in columns k+1..n-1 ({@code u_k[k+1] = 1}). */
        double[] hr;
        double[] tauR;
        /** {@code U^T}, m x m. */
        double[] ut;
        /** {@code V^T}, n x n. */
        double[] vt;

        Core(int m, int n, double[] a, boolean vectors) {
            this.m = m;
            this.n = n;
            this.a = a;
            this.vectors = vectors;
            this.d = new double[n];
            this.e = new double[n];
        }

        void run() {
            bidiagonalise();
            if (vectors) {
                ut = formTransposedProduct(m, n, hl, tauL, 0);
                vt = formTransposedProduct(n, Math.max(0, n - 1), hr, tauR, 1);
            }
            hl = null;
            hr = null;
            qrIteration();
        }

        /** {@code A = Q B P^T}: Householder reflections from the left (columns) and right (rows), alternately. */
        private void bidiagonalise() {
            hl = new double[n * m];
            tauL = new double[n];
            hr = new double[n * n];
            tauR = new double[n];
            double[] w = new double[n];
            for (int k = 0; k < n; k++) {
                // left reflection annihilating A[k+1.., k]
                int len = m - k;
                int vo = k * m + k;
                for (int i = k, src = k * n + k; i < m; i++, src += n) {
                    hl[vo + i - k] = a[src];
                }
                double beta = house(hl, vo, len);
                double tau = hl[vo];
                hl[vo] = 1;
                tauL[k] = tau;
                d[k] = beta;
                int cols = n - k - 1;
                int c0 = k + 1;
                if (cols == 0) {
                    break;
                }
                if (tau != 0) {
                    // w = A[k.., k+1..]^T v
                    java.util.Arrays.fill(w, 0, cols, 0.0);
                    for (int i = k; i < m; i++) {
                        axpy(cols, hl[vo + i - k], a, i * n + c0, w, 0);
                    }
                    // row k now; rows below together with the right reflection
                    axpy(cols, -tau, w, 0, a, k * n + c0);
                }
                // right reflection annihilating A[k, k+2..]
                int ro = k * n + c0;
                System.arraycopy(a, k * n + c0, hr, ro, cols);
                double betaR = house(hr, ro, cols);
                double tauRk = hr[ro];
                hr[ro] = 1;
                tauR[k] = tauRk;
                e[k] = betaR;
                for (int i = k + 1; i < m; i++) {
                    int row = i * n + c0;
                    if (tau != 0) {
                        axpy(cols, -tau * hl[vo + i - k], w, 0, a, row);
                    }
                    if (tauRk != 0) {
                        double t = ElementwiseF64.dot(cols, a, row, hr, ro);
                        axpy(cols, -tauRk * t, hr, ro, a, row);
                    }
                }
            }
            e[n - 1] = 0;
        }

        /**
         * Forms {@code Y = H_{r-1} ... H_0} ({@code order x order}) from reflectors stored as rows of {@code h}
         * (reflector k acts on coordinates {@code k + shift ..}), by backward accumulation {@code Y = Y H_k}.
         */
        private static double[] formTransposedProduct(int order, int count, double[] h, double[] tau, int shift) {
            double[] y = new double[order * order];
            for (int i = 0; i < order; i++) {
                y[i * order + i] = 1;
            }
            int stride = order;
            for (int k = Math.min(count, order - shift) - 1; k >= 0; k--) {
                double t = tau[k];
                if (t == 0) {
                    continue;
                }
                int c0 = k + shift;
                int len = order - c0;
                int vo = k * stride + c0;
                for (int i = c0; i < order; i++) {
                    int row = i * order + c0;
                    double s = ElementwiseF64.dot(len, y, row, h, vo);
                    if (s != 0) {
                        axpy(len, -t * s, h, vo, y, row);
                    }
                }
            }
            return y;
        }

        /** Implicit-shift QR on the bidiagonal (d, e), rotations applied to the rows of ut and vt. */
        private void qrIteration() {
            double[] s = d;
            int p = n;
            int sweeps = 0;
            int cap = maxSweeps(n);
            double[] cv = new double[n];
            double[] sv = new double[n];
            double[] cu = new double[n];
            double[] su = new double[n];
            while (p > 0) {
                int k;
                int kase;
                for (k = p - 2; k >= 0; k--) {
                    if (Math.abs(e[k]) <= TINY + EPS * (Math.abs(s[k]) + Math.abs(s[k + 1]))) {
                        e[k] = 0.0;
                        break;
                    }
                }
                if (k == p - 2) {
                    kase = 4;
                } else {
                    int ks;
                    for (ks = p - 1; ks > k; ks--) {
                        double t = (ks != p ? Math.abs(e[ks]) : 0.) + (ks != k + 1 ? Math.abs(e[ks - 1]) : 0.);
                        if (Math.abs(s[ks]) <= TINY + EPS * t) {
                            s[ks] = 0.0;
                            break;
                        }
                    }
                    if (ks == k) {
                        kase = 3;
                    } else if (ks == p - 1) {
                        kase = 1;
                    } else {
                        kase = 2;
                        k = ks;
                    }
                }
                k++;
                switch (kase) {
                    case 1 -> {
                        // deflate negligible s[p-1]: rotations of V columns (j, p-1)
                        double f = e[p - 2];
                        e[p - 2] = 0.0;
                        for (int j = p - 2; j >= k; j--) {
                            double t = hypot(s[j], f);
                            double cs = s[j] / t;
                            double sn = f / t;
                            s[j] = t;
                            if (j != k) {
                                f = -sn * e[j - 1];
                                e[j - 1] = cs * e[j - 1];
                            }
                            if (vectors) {
                                rotateRows(vt, n, j, p - 1, cs, sn);
                            }
                        }
                    }
                    case 2 -> {
                        // split at negligible s[k-1]: rotations of U columns (j, k-1)
                        double f = e[k - 1];
                        e[k - 1] = 0.0;
                        for (int j = k; j < p; j++) {
                            double t = hypot(s[j], f);
                            double cs = s[j] / t;
                            double sn = f / t;
                            s[j] = t;
                            f = -sn * e[j];
                            e[j] = cs * e[j];
                            if (vectors) {
                                rotateRows(ut, m, j, k - 1, cs, sn);
                            }
                        }
                    }
                    case 3 -> {
                        if (++sweeps > cap) {
                            throw new ArithmeticException("svd: the implicit-shift QR iteration did not converge "
                                    + "within " + cap + " sweeps on a " + m + " x " + n + " matrix (" + p
                                    + " singular values unconverged)");
                        }
                        qrSweep(s, k, p, cv, sv, cu, su);
                        if (vectors) {
                            rotationSequence(vt, n, k, p, cv, sv);
                            rotationSequence(ut, m, k, p, cu, su);
                        }
                    }
                    default -> {
                        // convergence of s[k] (k == p - 1): make it non-negative
                        if (s[k] <= 0.0) {
                            s[k] = s[k] < 0.0 ? -s[k] : 0.0;
                            if (vectors) {
                                negateRow(vt, n, k);
                            }
                        }
                        p--;
                    }
                }
            }
        }

        /** One Golub-Kahan step with Wilkinson-type shift on the block [k, p); records the rotations. */
        private void qrSweep(double[] s, int k, int p, double[] cv, double[] sv, double[] cu, double[] su) {
            double scale = Math.max(Math.max(Math.max(Math.max(Math.abs(s[p - 1]), Math.abs(s[p - 2])),
                    Math.abs(e[p - 2])), Math.abs(s[k])), Math.abs(e[k]));
            double sp = s[p - 1] / scale;
            double spm1 = s[p - 2] / scale;
            double epm1 = e[p - 2] / scale;
            double sk = s[k] / scale;
            double ek = e[k] / scale;
            double b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2.0;
            double c = (sp * epm1) * (sp * epm1);
            double shift = 0.0;
            if (b != 0.0 || c != 0.0) {
                shift = Math.sqrt(b * b + c);
                if (b < 0.0) {
                    shift = -shift;
                }
                shift = c / (b + shift);
            }
            double f = (sk + sp) * (sk - sp) + shift;
            double g = sk * ek;
            for (int j = k; j < p - 1; j++) {
                double t = hypot(f, g);
                double cs = f / t;
                double sn = g / t;
                if (j != k) {
                    e[j - 1] = t;
                }
                f = cs * s[j] + sn * e[j];
                e[j] = cs * e[j] - sn * s[j];
                g = sn * s[j + 1];
                s[j + 1] = cs * s[j + 1];
                cv[j] = cs;
                sv[j] = sn;
                t = hypot(f, g);
                cs = f / t;
                sn = g / t;
                s[j] = t;
                f = cs * e[j] + sn * s[j + 1];
                s[j + 1] = -sn * e[j] + cs * s[j + 1];
                g = sn * e[j + 1];
                e[j + 1] = cs * e[j + 1];
                cu[j] = cs;
                su[j] = sn;
            }
            e[p - 2] = f;
        }
    }

    /**
     * Householder reflector (LAPACK {@code dlarfg}) for {@code x = h[off .. off+len)}: on return
     * {@code h[off+1 ..]} holds {@code v[1 ..]} (with {@code v[0] = 1} implied), {@code h[off]} holds tau, and the
     * returned beta satisfies {@code (I - tau v v^T) x = beta e_1}. Tau is 0 (no reflection) when x is already
     * a multiple of {@code e_1}.
     */
    static double house(double[] h, int off, int len) {
        double alpha = h[off];
        double xnorm = len > 1 ? norm(h, off + 1, len - 1) : 0;
        if (xnorm == 0) {
            h[off] = 0;
            return alpha;
        }
        double beta = -Math.copySign(hypot(alpha, xnorm), alpha);
        double tau = (beta - alpha) / beta;
        double inv = 1 / (alpha - beta);
        if (Double.isFinite(inv)) {
            scale(len - 1, inv, h, off + 1);
        } else {
            divide(len - 1, alpha - beta, h, off + 1);
        }
        h[off] = tau;
        return beta;
    }

    /** Euclidean norm without overflow or harmful underflow. */
    static double norm(double[] x, int off, int len) {
        double ss = ElementwiseF64.sumSquares(x, off, len);
        if (ss > 0x1.0p-900 && ss < 0x1.0p900) {
            return Math.sqrt(ss);
        }
        double max = 0;
        for (int i = 0; i < len; i++) {
            max = Math.max(max, Math.abs(x[off + i]));
        }
        if (max == 0) {
            return 0;
        }
        double inv = 1 / max;
        double s = 0;
        for (int i = 0; i < len; i++) {
            double v = x[off + i] * inv;
            s += v * v;
        }
        return max * Math.sqrt(s);
    }

    /** {@code sqrt(a^2 + b^2)}, directly in the safe range, scaled otherwise (Math.hypot is slower). */
    static double hypot(double a, double b) {
        double x = Math.abs(a);
        double y = Math.abs(b);
        double max = Math.max(x, y);
        if (max < 0x1.0p500 && max > 0x1.0p-500) {
            return Math.sqrt(a * a + b * b);
        }
        if (max == 0) {
            return 0;
        }
        double r = Math.min(x, y) / max;
        return max * Math.sqrt(1 + r * r);
    }

    /** {@code y[yo ..] += alpha x[xo ..]} over len elements. */
    static void axpy(int len, double alpha, double[] x, int xo, double[] y, int yo) {
        DoubleVector av = DoubleVector.broadcast(SP, alpha);
        int j = 0;
        for (; j + L <= len; j += L) {
            DoubleVector.fromArray(SP, x, xo + j).fma(av, DoubleVector.fromArray(SP, y, yo + j)).intoArray(y, yo + j);
        }
        for (; j < len; j++) {
            y[yo + j] = Math.fma(x[xo + j], alpha, y[yo + j]);
        }
    }

    private static void scale(int len, double alpha, double[] x, int off) {
        int j = 0;
        for (; j + L <= len; j += L) {
            DoubleVector.fromArray(SP, x, off + j).mul(alpha).intoArray(x, off + j);
        }
        for (; j < len; j++) {
            x[off + j] *= alpha;
        }
    }

    private static void divide(int len, double by, double[] x, int off) {
        for (int j = 0; j < len; j++) {
            x[off + j] /= by;
        }
    }

    private static void negateRow(double[] q, int cols, int row) {
        int o = row * cols;
        int j = 0;
        for (; j + L <= cols; j += L) {
            DoubleVector.fromArray(SP, q, o + j).neg().intoArray(q, o + j);
        }
        for (; j < cols; j++) {
            q[o + j] = -q[o + j];
        }
    }

    /** Rows {@code (r1, r2)} of q become {@code (cs r1 + sn r2, cs r2 - sn r1)}. */
    static void rotateRows(double[] q, int cols, int r1, int r2, double cs, double sn) {
        int o1 = r1 * cols;
        int o2 = r2 * cols;
        int j = 0;
        for (; j + L <= cols; j += L) {
            DoubleVector x = DoubleVector.fromArray(SP, q, o1 + j);
            DoubleVector y = DoubleVector.fromArray(SP, q, o2 + j);
            x.mul(cs).add(y.mul(sn)).intoArray(q, o1 + j);
            y.mul(cs).sub(x.mul(sn)).intoArray(q, o2 + j);
        }
        for (; j < cols; j++) {
            double x = q[o1 + j];
            double y = q[o2 + j];
            q[o1 + j] = cs * x + sn * y;
            q[o2 + j] = cs * y - sn * x;
        }
    }

    /**
     * Applies the rotations {@code j = k .. p-2} in order, rotation j acting on rows (j, j+1) as
     * {@link #rotateRows}, in one pass: for each strip of columns, row j+1 is loaded, combined with the running
     * row j, which is stored, so each row is read and written once.
     */
    static void rotationSequence(double[] q, int cols, int k, int p, double[] c, double[] s) {
        if (p - k < 2) {
            return;
        }
        int j0 = 0;
        for (; j0 + 2 * L <= cols; j0 += 2 * L) {
            int o = k * cols + j0;
            DoubleVector x0 = DoubleVector.fromArray(SP, q, o);
            DoubleVector x1 = DoubleVector.fromArray(SP, q, o + L);
            for (int j = k; j < p - 1; j++) {
                int o2 = o + cols;
                double cs = c[j];
                double sn = s[j];
                DoubleVector y0 = DoubleVector.fromArray(SP, q, o2);
                DoubleVector y1 = DoubleVector.fromArray(SP, q, o2 + L);
                x0.mul(cs).add(y0.mul(sn)).intoArray(q, o);
                x1.mul(cs).add(y1.mul(sn)).intoArray(q, o + L);
                x0 = y0.mul(cs).sub(x0.mul(sn));
                x1 = y1.mul(cs).sub(x1.mul(sn));
                o = o2;
            }
            x0.intoArray(q, o);
            x1.intoArray(q, o + L);
        }
        for (; j0 + L <= cols; j0 += L) {
            int o = k * cols + j0;
            DoubleVector x0 = DoubleVector.fromArray(SP, q, o);
            for (int j = k; j < p - 1; j++) {
                int o2 = o + cols;
                double cs = c[j];
                double sn = s[j];
                DoubleVector y0 = DoubleVector.fromArray(SP, q, o2);
                x0.mul(cs).add(y0.mul(sn)).intoArray(q, o);
                x0 = y0.mul(cs).sub(x0.mul(sn));
                o = o2;
            }
            x0.intoArray(q, o);
        }
        for (; j0 < cols; j0++) {
            int o = k * cols + j0;
            double x = q[o];
            for (int j = k; j < p - 1; j++) {
                int o2 = o + cols;
                double y = q[o2];
                q[o] = c[j] * x + s[j] * y;
                x = c[j] * y - s[j] * x;
                o = o2;
            }
            q[o] = x;
        }
    }
}
