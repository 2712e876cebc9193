package io.isotropic.backend.vector;

import io.isotropic.spi.RawSvd;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Full singular value decomposition in double precision: Householder bidiagonalisation, explicit transposed
 * orthogonal factors, then the implicit-shift QR iteration on the bidiagonal (Golub and Kahan; the deflation,
 * splitting and shift logic of LINPACK's {@code dsvdc}, as in JAMA) with its Givens rotations applied to the
 * <em>transposed</em> factors, where a rotation of two columns of {@code U} is a rotation of two contiguous rows of
 * {@code U^T}. Wide matrices are transposed first, so the core only sees {@code m >= n}.
 *
 * <p>Where the time goes and how it is vectorised:
 * <ul>
 *   <li>bidiagonalisation: one pass over the trailing rows per step; each row receives the left and the right
 *       reflection (an axpy, a dot product and an axpy while it is in L1) and accumulates the sums that the next
 *       left reflector needs;</li>
 *   <li>{@code U^T} and {@code V^T}: backward accumulation of the reflectors in blocks of 32 in compact WY form
 *       ({@code Y = Y - ((Y V) T^T) V^T}, two calls of the packed matrix product per block);</li>
 *   <li>QR sweeps: the scalar recurrence on the bidiagonal records its rotations; up to 32 sweeps are then applied
 *       together, strip by strip of four vectors of columns, the running row of each sweep held in registers
 *       ({@code RotationLog}), so a factor is streamed once per batch instead of once per sweep.</li>
 * </ul>
 * With two or more threads and {@code n >= 96}, the two factors are formed and rotated concurrently. Every step
 * runs in a fixed order, so results do not depend on the thread count or on JIT compilation.
 *
 * <p>Convergence: the implicit QR sweeps are counted, and more than {@link #maxSweeps(int)} (75 per singular value
 * plus 100; 1.5 to 2 per value are typical) raises an {@link ArithmeticException} instead of looping.
 */
final class SvdF64 {
    private static final VectorSpecies<Double> SP = Lanes.F64;
    private static final int L = SP.length();
    private static final double EPS = 0x1.0p-52;
    private static final double TINY = 0x1.0p-966;
    /** Reflectors per block when forming the orthogonal factors. */
    private static final int NB = 32;

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
     * Full SVD {@code A = U diag(s) V^T} with square factors, singular values non-negative and non-increasing, and
     * the columns of U (and the null-space columns of V) already signed as {@link io.isotropic.linalg.SvdNormaliser}
     * wants, so that the normaliser finds nothing to permute or flip.
     *
     * @param par the workers (with two or more threads the two factors are formed and rotated concurrently)
     * @param m rows
     * @param n columns
     * @param a the matrix, row-major (destroyed)
     * @return the factors
     * @throws ArithmeticException if the QR iteration does not converge
     */
    static RawSvd svd(Parallel par, int m, int n, double[] a) {
        return svd(par, m, n, a, maxSweeps(Math.min(m, n)));
    }

    /**
     * {@link #svd(Parallel, int, int, double[])} with an explicit cap on QR sweeps (tests use a tiny cap to see the
     * failure).
     *
     * @param par the workers
     * @param m rows
     * @param n columns
     * @param a the matrix, row-major (destroyed)
     * @param sweepCap the most implicit QR sweeps allowed
     * @return the factors
     * @throws ArithmeticException if the QR iteration needs more than sweepCap sweeps
     */
    static RawSvd svd(Parallel par, int m, int n, double[] a, int sweepCap) {
        boolean tall = m >= n;
        Core c = tall ? new Core(par, m, n, a, true) : new Core(par, n, m, transpose(a, m, n), true);
        c.sweepCap = sweepCap;
        c.run();
        c.sortAndSign(tall);
        if (tall) {
            return new RawSvd(transpose(c.ut, m, m), c.d, transpose(c.vt, n, n));
        }
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
        Core c = m >= n ? new Core(null, m, n, a, false) : new Core(null, n, m, transpose(a, m, n), false);
        c.run();
        return c.d;
    }

    /**
     * Transpose of a row-major {@code rows x cols} matrix, in 8 x 8 blocks walked along the rows of the result: with
     * 32 x 32 blocks and power-of-two sizes the 32 rows of a block fall into one L1 set and the 512 x 512 transpose
     * took 1.5 ms instead of 0.2 ms.
     *
     * @param a the matrix
     * @param rows its rows
     * @param cols its columns
     * @return a new {@code cols x rows} matrix
     */
    static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[rows * cols];
        final int b = 8;
        for (int j0 = 0; j0 < cols; j0 += b) {
            int j1 = Math.min(cols, j0 + b);
            for (int i0 = 0; i0 < rows; i0 += b) {
                int i1 = Math.min(rows, i0 + b);
                for (int j = j0; j < j1; j++) {
                    for (int i = i0; i < i1; i++) {
                        t[j * rows + i] = a[i * cols + j];
                    }
                }
            }
        }
        return t;
    }

    /** The decomposition of one tall-or-square matrix. */
    private static final class Core {
        /** Factors of at least this many elements are formed and rotated concurrently when threads allow. */
        private static final int PARALLEL_ORDER = 96;
        final Parallel par;
        /** Most QR sweeps allowed. */
        int sweepCap;
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

        Core(Parallel par, int m, int n, double[] a, boolean vectors) {
            this.par = par;
            this.m = m;
            this.n = n;
            this.a = a;
            this.vectors = vectors;
            this.d = new double[n];
            this.e = new double[n];
            this.sweepCap = maxSweeps(n);
        }

        /** Whether the two factors are worth handling on two threads. */
        boolean twoThreads() {
            return par != null && par.threads() > 1 && n >= PARALLEL_ORDER;
        }

        /**
         * Sorts the singular values into non-increasing order (permuting the rows of ut and vt, which are
         * contiguous) and signs each pair so that the largest-magnitude entry of U's column is positive, taking
         * U's column from ut for a tall input and from vt for a wide one (whose factors were swapped); unpaired
         * rows of ut are signed by their own largest entry.
         */
        void sortAndSign(boolean tall) {
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (x, y) -> Double.compare(d[y], d[x]));
            boolean sorted = true;
            for (int i = 0; i < n; i++) {
                sorted &= order[i] == i;
            }
            if (!sorted) {
                double[] d2 = new double[n];
                double[] u2 = new double[n * m];
                double[] v2 = new double[n * n];
                for (int r = 0; r < n; r++) {
                    d2[r] = d[order[r]];
                    System.arraycopy(ut, order[r] * m, u2, r * m, m);
                    System.arraycopy(vt, order[r] * n, v2, r * n, n);
                }
                System.arraycopy(d2, 0, d, 0, n);
                System.arraycopy(u2, 0, ut, 0, n * m);
                System.arraycopy(v2, 0, vt, 0, n * n);
            }
            for (int r = 0; r < n; r++) {
                if (tall ? largestIsNegative(ut, r * m, m) : largestIsNegative(vt, r * n, n)) {
                    negateRow(ut, m, r);
                    negateRow(vt, n, r);
                }
            }
            for (int r = n; r < m; r++) {
                if (largestIsNegative(ut, r * m, m)) {
                    negateRow(ut, m, r);
                }
            }
        }

        void run() {
            bidiagonalise();
            if (vectors) {
                if (twoThreads()) {
                    par.run(2, part -> {
                        if (part == 0) {
                            ut = formTransposedProduct(m, n, hl, tauL, 0);
                        } else {
                            vt = formTransposedProduct(n, Math.max(0, n - 1), hr, tauR, 1);
                        }
                    });
                } else {
                    ut = formTransposedProduct(m, n, hl, tauL, 0);
                    vt = formTransposedProduct(n, Math.max(0, n - 1), hr, tauR, 1);
                }
            }
            hl = null;
            hr = null;
            qrIteration();
        }

        /**
         * {@code A = Q B P^T}: Householder reflections from the left (columns) and right (rows), alternately.
         *
         * <p>One pass over the trailing rows per step: each row gets the left update of step k, then the right one
         * (a dot product and an axpy while the row is in L1), and then feeds the sums step k+1 needs, so that
         * {@code acc[j] = sum_{i > k+1} A[i, k+1] A[i, j]} is ready when the pass ends: {@code acc[k+1]} is the
         * squared norm below the next pivot and {@code w = A[k+1, :] + acc / (alpha - beta)} is
         * {@code v^T A} for the next left reflector. Where that squared norm leaves the safe range the step falls
         * back to a scaled norm and a separate pass for {@code w}.
         */
        private void bidiagonalise() {
            hl = new double[n * m];
            tauL = new double[n];
            hr = new double[n * n];
            tauR = new double[n];
            double[] w = new double[n];
            double[] acc = new double[n];
            for (int i = 1; i < m; i++) {
                axpy(n, a[i * n], a, i * n, acc, 0);
            }
            for (int k = 0; k < n; k++) {
                int cols = n - k - 1;
                int c0 = k + 1;
                // left reflection annihilating A[k+1.., k], from the sums of the previous pass
                int vo = k * m + k;
                double alpha = a[k * n + k];
                double nrm2 = acc[k];
                boolean fused = nrm2 > 0x1.0p-900 && nrm2 < 0x1.0p900;
                double tau;
                double beta;
                if (fused) {
                    double xnorm = Math.sqrt(nrm2);
                    beta = -Math.copySign(hypot(alpha, xnorm), alpha);
                    tau = (beta - alpha) / beta;
                    double inv = 1 / (alpha - beta);
                    hl[vo] = 1;
                    for (int i = k + 1, src = (k + 1) * n + k; i < m; i++, src += n) {
                        hl[vo + i - k] = a[src] * inv;
                    }
                    if (cols > 0) {
                        for (int j = 0; j < cols; j++) {
                            w[j] = Math.fma(acc[c0 + j], inv, a[k * n + c0 + j]);
                        }
                    }
                } else {
                    for (int i = k, src = k * n + k; i < m; i++, src += n) {
                        hl[vo + i - k] = a[src];
                    }
                    beta = house(hl, vo, m - k);
                    tau = hl[vo];
                    hl[vo] = 1;
                    if (tau != 0 && cols > 0) {
                        java.util.Arrays.fill(w, 0, cols, 0.0);
                        for (int i = k; i < m; i++) {
                            axpy(cols, hl[vo + i - k], a, i * n + c0, w, 0);
                        }
                    }
                }
                tauL[k] = tau;
                d[k] = beta;
                if (cols == 0) {
                    break;
                }
                if (tau != 0) {
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
                java.util.Arrays.fill(acc, c0, n, 0.0);
                for (int i = k + 1; i < m; i++) {
                    updateRow(a, i * n + c0, cols, tau == 0 ? 0 : tau * hl[vo + i - k], w, tauRk, hr, ro,
                            i > k + 1 ? acc : null, c0);
                }
            }
            e[n - 1] = 0;
        }

        /**
         * One trailing row: {@code r -= a w}, then {@code r -= tauR (r . u) u}, then (if acc is given)
         * {@code acc[c0 + j] += r[0] r[j]}.
         */
        private static void updateRow(double[] x, int o, int len, double aw, double[] w, double tauR, double[] u,
                                      int uo, double[] acc, int c0) {
            double dot = 0;
            if (aw != 0 || tauR != 0) {
                DoubleVector na = DoubleVector.broadcast(SP, -aw);
                DoubleVector d0 = DoubleVector.zero(SP);
                DoubleVector d1 = d0;
                int j = 0;
                for (; j + 2 * L <= len; j += 2 * L) {
                    DoubleVector r0 = DoubleVector.fromArray(SP, w, j).fma(na, DoubleVector.fromArray(SP, x, o + j));
                    DoubleVector r1 = DoubleVector.fromArray(SP, w, j + L)
                            .fma(na, DoubleVector.fromArray(SP, x, o + j + L));
                    r0.intoArray(x, o + j);
                    r1.intoArray(x, o + j + L);
                    d0 = r0.fma(DoubleVector.fromArray(SP, u, uo + j), d0);
                    d1 = r1.fma(DoubleVector.fromArray(SP, u, uo + j + L), d1);
                }
                if (j + L <= len) {
                    DoubleVector r0 = DoubleVector.fromArray(SP, w, j).fma(na, DoubleVector.fromArray(SP, x, o + j));
                    r0.intoArray(x, o + j);
                    d0 = r0.fma(DoubleVector.fromArray(SP, u, uo + j), d0);
                    j += L;
                }
                dot = Lanes.sum(d0.add(d1));
                for (; j < len; j++) {
                    double r = Math.fma(w[j], -aw, x[o + j]);
                    x[o + j] = r;
                    dot += r * u[uo + j];
                }
            }
            double b = tauR * dot;
            if (b == 0 && acc == null) {
                return;
            }
            double x0 = Math.fma(u[uo], -b, x[o]);
            DoubleVector nb = DoubleVector.broadcast(SP, -b);
            DoubleVector xv = DoubleVector.broadcast(SP, x0);
            int j = 0;
            if (acc == null) {
                for (; j + L <= len; j += L) {
                    DoubleVector.fromArray(SP, u, uo + j).fma(nb, DoubleVector.fromArray(SP, x, o + j))
                            .intoArray(x, o + j);
                }
                for (; j < len; j++) {
                    x[o + j] = Math.fma(u[uo + j], -b, x[o + j]);
                }
            } else {
                for (; j + L <= len; j += L) {
                    DoubleVector r = DoubleVector.fromArray(SP, u, uo + j)
                            .fma(nb, DoubleVector.fromArray(SP, x, o + j));
                    r.intoArray(x, o + j);
                    r.fma(xv, DoubleVector.fromArray(SP, acc, c0 + j)).intoArray(acc, c0 + j);
                }
                for (; j < len; j++) {
                    double r = Math.fma(u[uo + j], -b, x[o + j]);
                    x[o + j] = r;
                    acc[c0 + j] = Math.fma(r, x0, acc[c0 + j]);
                }
            }
        }

        /**
         * Forms {@code Y = H_{r-1} ... H_0} ({@code order x order}) from r reflectors stored as rows of {@code h}
         * (row stride {@code order}; reflector k acts on coordinates {@code k + shift ..}), by backward accumulation
         * {@code Y = Y H_k} over blocks of {@link #NB} reflectors in compact WY form: with
         * {@code H_k0 ... H_k1-1 = I - V T V^T} (LAPACK {@code dlarft}), {@code Y = Y - ((Y V) T^T) V^T} is two
         * matrix products. Only the trailing block {@code Y[c0.., c0..]} is touched: the rest is still the identity.
         */
        private static double[] formTransposedProduct(int order, int count, double[] h, double[] tau, int shift) {
            double[] y = new double[order * order];
            for (int i = 0; i < order; i++) {
                y[i * order + i] = 1;
            }
            int r = Math.min(count, order - shift);
            double[] t = new double[NB * NB];
            double[] w = new double[order * NB];
            for (int k1 = r; k1 > 0; ) {
                int k0 = Math.max(0, k1 - NB);
                int nb = k1 - k0;
                int c0 = k0 + shift;
                int len = order - c0;
                if (nb < 4 || len < 2 * NB) {
                    for (int k = k1 - 1; k >= k0; k--) {
                        reflectRight(y, order, h, k * order + k + shift, k + shift, tau[k]);
                    }
                } else {
                    int vOff = k0 * order + c0;
                    triangularFactor(h, vOff, order, len, nb, tau, k0, t);
                    GemmF64.gemm(null, false, true, len, nb, len, 1.0, y, c0 * order + c0, order, h, vOff, order,
                            0.0, w, 0, nb);
                    for (int row = 0; row < len; row++) {
                        int o = row * nb;
                        for (int j = 0; j < nb; j++) {
                            double sum = 0;
                            for (int i = j; i < nb; i++) {
                                sum += w[o + i] * t[j * NB + i];
                            }
                            w[o + j] = sum;
                        }
                    }
                    GemmF64.gemm(null, false, false, len, len, nb, -1.0, w, 0, nb, h, vOff, order, 1.0, y,
                            c0 * order + c0, order);
                }
                k1 = k0;
            }
            return y;
        }

        /** {@code Y = Y (I - tau v v^T)} on rows and columns {@code c0..}, v at {@code h[vo ..]}. */
        private static void reflectRight(double[] y, int order, double[] h, int vo, int c0, double tau) {
            if (tau == 0) {
                return;
            }
            int len = order - c0;
            for (int i = c0; i < order; i++) {
                int row = i * order + c0;
                double s = ElementwiseF64.dot(len, y, row, h, vo);
                if (s != 0) {
                    axpy(len, -tau * s, h, vo, y, row);
                }
            }
        }

        /**
         * The upper-triangular T (leading dimension NB) with {@code H_0 ... H_{nb-1} = I - V T V^T} for nb reflectors
         * stored as rows of {@code h} from {@code vOff} (row stride ld, length len, row i zero before column i).
         */
        private static void triangularFactor(double[] h, int vOff, int ld, int len, int nb, double[] tau, int k0,
                                             double[] t) {
            for (int i = 0; i < nb; i++) {
                double ti = tau[k0 + i];
                t[i * NB + i] = ti;
                if (i == 0) {
                    continue;
                }
                // z_j = v_j . v_i (v_i vanishes before coordinate i)
                int vi = vOff + i * ld + i;
                for (int j = 0; j < i; j++) {
                    t[j * NB + i] = ti == 0 ? 0 : -ti * ElementwiseF64.dot(len - i, h, vOff + j * ld + i, h, vi);
                }
                // T[0:i, i] = T[0:i, 0:i] (-tau_i z)
                for (int j = 0; j < i; j++) {
                    double sum = 0;
                    for (int q = j; q < i; q++) {
                        sum += t[j * NB + q] * t[q * NB + i];
                    }
                    t[j * NB + i] = sum;
                }
            }
        }

        /**
         * Implicit-shift QR on the bidiagonal (d, e). The rotations of the sweeps are logged and applied to the
         * rows of ut and vt in batches ({@link RotationLog}); the rare deflation rotations (cases 1 and 2) flush the
         * log and are applied at once; sign changes of converged values are applied at the end, since a row of
         * vt is never rotated again once its value has converged.
         */
        private void qrIteration() {
            double[] s = d;
            int p = n;
            int sweeps = 0;
            int cap = sweepCap;
            RotationLog log = vectors ? new RotationLog(n, par, twoThreads()) : null;
            double[] cs1 = new double[Math.max(1, n)];
            double[] sn1 = new double[Math.max(1, n)];
            double[] cs2 = new double[Math.max(1, n)];
            double[] sn2 = new double[Math.max(1, n)];
            boolean[] negate = new boolean[n];
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
                        if (log != null) {
                            log.flush(ut, m, vt, n);
                        }
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
                        if (log != null) {
                            log.flush(ut, m, vt, n);
                        }
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
                        if (log == null) {
                            qrSweep(s, k, p, cs1, sn1, 0, cs2, sn2, 0);
                        } else {
                            int off = log.reserve(k, p, ut, m, vt, n);
                            qrSweep(s, k, p, log.cv, log.sv, off, log.cu, log.su, off);
                        }
                    }
                    default -> {
                        // convergence of s[k] (k == p - 1): make it non-negative
                        if (s[k] <= 0.0) {
                            s[k] = s[k] < 0.0 ? -s[k] : 0.0;
                            negate[k] = true;
                        }
                        p--;
                    }
                }
            }
            if (vectors) {
                log.flush(ut, m, vt, n);
                for (int i = 0; i < n; i++) {
                    if (negate[i]) {
                        negateRow(vt, n, i);
                    }
                }
            }
        }

        /**
         * One Golub-Kahan step with Wilkinson-type shift on the block [k, p); the V and U rotation of step j are
         * written to {@code cv/sv[ov + j - k]} and {@code cu/su[ou + j - k]}.
         */
        private void qrSweep(double[] s, int k, int p, double[] cv, double[] sv, int ov, double[] cu, double[] su,
                             int ou) {
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
                cv[ov + j - k] = cs;
                sv[ov + j - k] = sn;
                t = hypot(f, g);
                cs = f / t;
                sn = g / t;
                s[j] = t;
                f = cs * e[j] + sn * s[j + 1];
                s[j + 1] = -sn * e[j] + cs * s[j + 1];
                g = sn * e[j + 1];
                e[j + 1] = cs * e[j + 1];
                cu[ou + j - k] = cs;
                su[ou + j - k] = sn;
            }
            e[p - 2] = f;
        }
    }

    /**
     * The rotations of consecutive QR sweeps, kept until a batch is full and then applied to both factors strip by
     * strip: a strip of {@code 4 L} columns of the active rows is copied into a contiguous buffer (it fits in L2),
     * every logged sweep runs down it with the running row held in four vector registers (four independent chains
     * hide the latency of each step), and the strip is copied back. A factor is thus read and written once per
     * batch instead of once per sweep, which matters once it no longer fits in cache (n = 512 is 2 MB).
     */
    private static final class RotationLog {
        private static final int MAX_SWEEPS = 32;
        private static final int SW = 4 * L;
        final int[] ks = new int[MAX_SWEEPS];
        final int[] ps = new int[MAX_SWEEPS];
        final int[] offs = new int[MAX_SWEEPS];
        final double[] cv;
        final double[] sv;
        final double[] cu;
        final double[] su;
        final int capacity;
        int count;
        int used;
        private final double[][] bufs = {new double[0], new double[0]};
        private final Parallel par;
        private final boolean twoThreads;

        RotationLog(int n, Parallel par, boolean twoThreads) {
            this.par = par;
            this.twoThreads = twoThreads;
            capacity = Math.max(1, MAX_SWEEPS * Math.max(1, n - 1));
            cv = new double[capacity];
            sv = new double[capacity];
            cu = new double[capacity];
            su = new double[capacity];
        }

        /** Logs a sweep on [k, p) and returns where its p - k - 1 rotations go, flushing first if full. */
        int reserve(int k, int p, double[] ut, int m, double[] vt, int n) {
            if (count == MAX_SWEEPS || used + p - k > capacity) {
                flush(ut, m, vt, n);
            }
            ks[count] = k;
            ps[count] = p;
            offs[count] = used;
            count++;
            used += p - k - 1;
            return used - (p - k - 1);
        }

        void flush(double[] ut, int m, double[] vt, int n) {
            if (count == 0) {
                return;
            }
            if (twoThreads) {
                par.run(2, part -> {
                    if (part == 0) {
                        apply(vt, n, cv, sv, 0);
                    } else {
                        apply(ut, m, cu, su, 1);
                    }
                });
            } else {
                apply(vt, n, cv, sv, 0);
                apply(ut, m, cu, su, 1);
            }
            count = 0;
            used = 0;
        }

        private void apply(double[] q, int cols, double[] c, double[] s, int which) {
            int lo = Integer.MAX_VALUE;
            int hi = 0;
            for (int i = 0; i < count; i++) {
                lo = Math.min(lo, ks[i]);
                hi = Math.max(hi, ps[i]);
            }
            int rows = hi - lo;
            if (bufs[which].length < rows * SW) {
                bufs[which] = new double[rows * SW];
            }
            double[] b = bufs[which];
            int j0 = 0;
            for (; j0 + SW <= cols; j0 += SW) {
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(q, (lo + r) * cols + j0, b, r * SW, SW);
                }
                for (int i = 0; i < count; i++) {
                    chain4(b, (ks[i] - lo) * SW, ps[i] - ks[i], c, s, offs[i]);
                }
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(b, r * SW, q, (lo + r) * cols + j0, SW);
                }
            }
            for (; j0 + L <= cols; j0 += L) {
                for (int i = 0; i < count; i++) {
                    chain1(q, ks[i] * cols + j0, cols, ps[i] - ks[i], c, s, offs[i]);
                }
            }
            for (; j0 < cols; j0++) {
                for (int i = 0; i < count; i++) {
                    int o = ks[i] * cols + j0;
                    double x = q[o];
                    for (int t = 0, off = offs[i]; t < ps[i] - ks[i] - 1; t++, off++) {
                        int o2 = o + cols;
                        double y = q[o2];
                        q[o] = Math.fma(x, c[off], s[off] * y);
                        x = Math.fma(y, c[off], -(s[off] * x));
                        o = o2;
                    }
                    q[o] = x;
                }
            }
        }

        /** One sweep of {@code len - 1} rotations down a strip of SW contiguous columns (row stride SW). */
        private static void chain4(double[] b, int o, int len, double[] c, double[] s, int off) {
            DoubleVector x0 = DoubleVector.fromArray(SP, b, o);
            DoubleVector x1 = DoubleVector.fromArray(SP, b, o + L);
            DoubleVector x2 = DoubleVector.fromArray(SP, b, o + 2 * L);
            DoubleVector x3 = DoubleVector.fromArray(SP, b, o + 3 * L);
            for (int t = 0; t < len - 1; t++, off++) {
                int o2 = o + SW;
                DoubleVector cs = DoubleVector.broadcast(SP, c[off]);
                DoubleVector sn = DoubleVector.broadcast(SP, s[off]);
                DoubleVector ns = sn.neg();
                DoubleVector y0 = DoubleVector.fromArray(SP, b, o2);
                DoubleVector y1 = DoubleVector.fromArray(SP, b, o2 + L);
                DoubleVector y2 = DoubleVector.fromArray(SP, b, o2 + 2 * L);
                DoubleVector y3 = DoubleVector.fromArray(SP, b, o2 + 3 * L);
                x0.fma(cs, y0.mul(sn)).intoArray(b, o);
                x1.fma(cs, y1.mul(sn)).intoArray(b, o + L);
                x2.fma(cs, y2.mul(sn)).intoArray(b, o + 2 * L);
                x3.fma(cs, y3.mul(sn)).intoArray(b, o + 3 * L);
                x0 = y0.fma(cs, x0.mul(ns));
                x1 = y1.fma(cs, x1.mul(ns));
                x2 = y2.fma(cs, x2.mul(ns));
                x3 = y3.fma(cs, x3.mul(ns));
                o = o2;
            }
            x0.intoArray(b, o);
            x1.intoArray(b, o + L);
            x2.intoArray(b, o + 2 * L);
            x3.intoArray(b, o + 3 * L);
        }

        /** One sweep down one vector of columns in place (row stride {@code stride}). */
        private static void chain1(double[] q, int o, int stride, int len, double[] c, double[] s, int off) {
            DoubleVector x0 = DoubleVector.fromArray(SP, q, o);
            for (int t = 0; t < len - 1; t++, off++) {
                int o2 = o + stride;
                DoubleVector cs = DoubleVector.broadcast(SP, c[off]);
                DoubleVector sn = DoubleVector.broadcast(SP, s[off]);
                DoubleVector y0 = DoubleVector.fromArray(SP, q, o2);
                x0.fma(cs, y0.mul(sn)).intoArray(q, o);
                x0 = y0.fma(cs, x0.mul(sn.neg()));
                o = o2;
            }
            x0.intoArray(q, o);
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

    /** Whether the first largest-magnitude entry of {@code q[off .. off+len)} is negative. */
    private static boolean largestIsNegative(double[] q, int off, int len) {
        double best = 0;
        double val = 0;
        for (int i = 0; i < len; i++) {
            double x = Math.abs(q[off + i]);
            if (x > best) {
                best = x;
                val = q[off + i];
            }
        }
        return val < 0;
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
}
