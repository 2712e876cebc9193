package io.isotropic.backend.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

import static io.isotropic.backend.vector.SvdSupport.axpy;
import static io.isotropic.backend.vector.SvdSupport.house;
import static io.isotropic.backend.vector.SvdSupport.hypot;

/**
 * Householder bidiagonalisation {@code A = Q B P^T} of a tall-or-square ({@code m >= n}) matrix for {@link SvdF64},
 * and the explicit transposed factors {@code Q^T} and {@code P^T} formed from its reflectors.
 */
final class Bidiagonalisation {
    private static final VectorSpecies<Double> SP = Lanes.F64;
    private static final int L = SP.length();
    /**
     * Fewest trailing rows per thread in a step of {@link #bidiagonalise}: below that, the hand-over costs more
     * than the rows (a step's pass is one fused read and write of each row).
     */
    private static final int MIN_ROWS_PER_PART = 32;
    /** Reflectors per block when forming the orthogonal factors. */
    private static final int NB = 32;

    final int m;
    final int n;
    /** The matrix, overwritten by the reduction. */
    final double[] a;
    /** Diagonal of the bidiagonal. */
    final double[] d;
    /** Superdiagonal ({@code e[n-1] = 0}). */
    final double[] e;
    /** Left Householder vectors: row k holds v_k in columns k..m-1 ({@code v_k[k] = 1}). */
    double[] hl;
    double[] tauL;
    /** Right Householder vectors: row k holds u_k in columns k+1..n-1 ({@code u_k[k+1] = 1}). */
    double[] hr;
    double[] tauR;

    /**
     * Prepares the reduction of an {@code m x n} matrix with {@code m >= n >= 1}.
     *
     * @param m rows
     * @param n columns
     * @param a the matrix, row-major (destroyed by {@link #bidiagonalise(Parallel)})
     */
    Bidiagonalisation(int m, int n, double[] a) {
        this.m = m;
        this.n = n;
        this.a = a;
        this.d = new double[n];
        this.e = new double[n];
    }

    /**
     * {@code Q^T} ({@code m x m}) from the left reflectors; call after {@link #bidiagonalise(Parallel)}.
     *
     * @return a new row-major array
     */
    double[] formUt() {
        return formTransposedProduct(m, n, hl, tauL, 0);
    }

    /**
     * {@code P^T} ({@code n x n}) from the right reflectors; call after {@link #bidiagonalise(Parallel)}.
     *
     * @return a new row-major array
     */
    double[] formVt() {
        return formTransposedProduct(n, Math.max(0, n - 1), hr, tauR, 1);
    }

    /**
     * {@code A = Q B P^T}: Householder reflections from the left (columns) and right (rows), alternately.
     *
     * <p>One pass over the trailing rows per step: each row gets the left update of step k, then the right one
     * (a dot product and an axpy while the row is in L1), and then feeds the sums step k+1 needs, so that
     * {@code acc[j] = sum_{i > k+1} A[i, k+1] A[i, j]} is ready when the pass ends: {@code acc[k+1]} is the
     * squared norm below the next pivot and {@code w = A[k+1, :] + acc / (alpha - beta)} is
     * {@code v^T A} for the next left reflector. Where that squared norm leaves the safe range, or one of the
     * other sums overflowed (columns of very different scales), the step falls back to a scaled norm and a
     * separate pass for {@code w}. ({@link SvdF64} scales its input so that neither happens for any finite matrix
     * whose entries are within {@code 2^-450} of its largest; the fallback covers the rest.)
     *
     * <p>With workers, a step's trailing pass is cut into blocks of rows, one per thread, each summing its own part
     * of {@code acc}: the pass reads the whole trailing matrix (3.2 MB for 784 x 512, more than one core's L2),
     * and split in two each half stays in its core's cache.
     *
     * @param par the workers, or null
     */
    void bidiagonalise(Parallel par) {
        hl = new double[n * m];
        tauL = new double[n];
        hr = new double[n * n];
        tauR = new double[n];
        double[] w = new double[n];
        double[] acc = new double[n];
        double[][] partial = null; // per-thread sums of a split trailing pass (part 0 uses acc), made once
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
            boolean fused = nrm2 > 0x1.0p-900 && nrm2 < 0x1.0p900 && finite(acc, k + 1, n - k - 1);
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
            int rows = m - k - 1;
            int parts = par == null ? 1 : par.streamParts((long) rows * cols, rows / MIN_ROWS_PER_PART);
            if (parts <= 1) {
                trailingRows(k + 1, m, k, cols, tau, w, tauRk, ro, acc);
            } else {
                // the rows split into nearly equal blocks, one per thread; each block sums its own acc, added in
                // part order afterwards (deterministic for a given thread count)
                final int kk = k;
                final double tk = tau;
                if (partial == null || partial.length < parts) {
                    partial = new double[parts][n];
                }
                double[][] sums = partial;
                par.run(parts, part -> {
                    int lo = kk + 1 + Parallel.start(rows, part, parts);
                    int hi = kk + 1 + Parallel.start(rows, part + 1, parts);
                    double[] mine = part == 0 ? acc : sums[part];
                    if (part != 0) {
                        java.util.Arrays.fill(mine, kk + 1, n, 0.0);
                    }
                    trailingRows(lo, hi, kk, cols, tk, w, tauRk, ro, mine);
                });
                for (int q = 1; q < parts; q++) {
                    axpy(cols, 1.0, sums[q], c0, acc, c0);
                }
            }
        }
        e[n - 1] = 0;
    }

    /**
     * Rows {@code lo .. hi-1} of the trailing pass of step k: the left update, the right update and (rows past
     * {@code k + 1}) the sums of step k+1 into {@code sums}.
     */
    private void trailingRows(int lo, int hi, int k, int cols, double tau, double[] w, double tauRk, int ro,
                              double[] sums) {
        int vo = k * m + k;
        int c0 = k + 1;
        for (int i = lo; i < hi; i++) {
            updateRow(a, i * n + c0, cols, tau == 0 ? 0 : tau * hl[vo + i - k], w, tauRk, hr, ro,
                    i > k + 1 ? sums : null, c0);
        }
    }

    /** Whether {@code x[off .. off+len)} are all finite (an overflowed sum is infinite or NaN). */
    private static boolean finite(double[] x, int off, int len) {
        double sum = 0;
        for (int i = off; i < off + len; i++) {
            sum += x[i] * 0;
        }
        return sum == 0;
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
     * {@code H_k0 ... H_k1-1 = I - V T V^T} (LAPACK {@code dlarft}), {@code Y = Y - (Y V) (T^T V^T)} is two
     * matrix products. Only the trailing block {@code Y[c0.., c0..]} is touched: the rest is still the identity.
     */
    private static double[] formTransposedProduct(int order, int count, double[] h, double[] tau, int shift) {
        double[] y = new double[order * order];
        for (int i = 0; i < order; i++) {
            y[i * order + i] = 1;
        }
        accumulate(null, y, 0, order, count, h, tau, shift);
        return y;
    }

    /**
     * {@code U^T = [Ub^T 0; 0 I] Q^T} ({@code m x m}) for the factor {@code Ub} of the bidiagonal ({@code n x n},
     * row-major, its columns the vectors): the first n rows are {@code Ub^T H_(n-1) ... H_0}, the rest the null-space
     * rows of {@code Q^T}. Cheaper than forming {@code Q^T} and multiplying ({@code 2 n^3} against
     * {@code 10/3 n^3} flops for a square matrix), since the reflectors shrink as they are applied.
     *
     * @param par the workers, or null (the products use them)
     * @param ub the bidiagonal's left factor
     * @return {@code U^T}
     */
    double[] applyUt(Parallel par, double[] ub) {
        double[] y = new double[m * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                y[i * m + j] = ub[j * n + i];
            }
        }
        for (int i = n; i < m; i++) {
            y[i * m + i] = 1;
        }
        accumulate(par, y, n, m, n, hl, tauL, 0);
        return y;
    }

    /**
     * {@code V^T = Vb^T P^T} ({@code n x n}) for the factor {@code Vb} of the bidiagonal, as {@link #applyUt}.
     *
     * @param par the workers, or null
     * @param vb the bidiagonal's right factor ({@code n x n}, row-major, its columns the vectors)
     * @return {@code V^T}
     */
    double[] applyVt(Parallel par, double[] vb) {
        double[] y = SvdF64.transpose(vb, n, n);
        accumulate(par, y, n, n, Math.max(0, n - 1), hr, tauR, 1);
        return y;
    }

    /**
     * {@code Y = Y H_{r-1} ... H_0} in place for a Y whose rows {@code [0, dense)} are arbitrary and whose other rows
     * are the identity's: those are touched only from column {@code c0} of each block on, where they stop being so.
     */
    private static void accumulate(Parallel par, double[] y, int dense, int order, int count, double[] h,
                                   double[] tau, int shift) {
        int r = Math.min(count, order - shift);
        double[] t = new double[NB * NB];
        double[] w = new double[order * NB];
        double[] mt = new double[NB * order];
        for (int k1 = r; k1 > 0; ) {
            int k0 = Math.max(0, k1 - NB);
            int nb = k1 - k0;
            int c0 = k0 + shift;
            int len = order - c0;
            // rows touched: [0, dense) and [max(dense, c0), order)
            int lo2 = Math.max(dense, c0);
            if (nb < 4 || len < 2 * NB) {
                for (int k = k1 - 1; k >= k0; k--) {
                    reflectRight(y, order, h, k * order + k + shift, k + shift, tau[k], 0, dense);
                    reflectRight(y, order, h, k * order + k + shift, k + shift, tau[k], Math.max(dense, k + shift),
                            order);
                }
            } else {
                int vOff = k0 * order + c0;
                triangularFactor(h, vOff, order, len, nb, tau, k0, t);
                transposedFactorTimesVt(h, vOff, order, len, nb, t, mt);
                if (dense > 0) {
                    blockUpdate(par, y, order, 0, dense, c0, len, nb, h, vOff, mt, w);
                }
                if (lo2 < order) {
                    blockUpdate(par, y, order, lo2, order, c0, len, nb, h, vOff, mt, w);
                }
            }
            k1 = k0;
        }
    }

    /**
     * {@code M = T^T V^T} ({@code nb x len}, row-major, leading dimension len) for the block's upper-triangular T and
     * reflectors V (stored as the rows of {@code h} from {@code vOff}, row i zero before column i): row j of M is
     * {@code sum_{i <= j} T[i, j] v_i}, vector multiply-adds along the reflectors' contiguous rows. Forming it once per
     * block costs {@code nb^2 len / 2} multiply-adds, where multiplying {@code Y V} by {@code T^T} row by row cost
     * {@code rows nb^2 / 2} scalar ones: {@link #applyUt} at order 512, one thread, AMD EPYC guest, went from 18.1
     * to 15.1-15.5 ms.
     */
    private static void transposedFactorTimesVt(double[] h, int vOff, int ld, int len, int nb, double[] t,
                                                double[] mt) {
        java.util.Arrays.fill(mt, 0, nb * len, 0.0);
        for (int j = 0; j < nb; j++) {
            for (int i = 0; i <= j; i++) {
                double c = t[i * NB + j];
                if (c != 0) {
                    axpy(len - i, c, h, vOff + i * ld + i, mt, j * len + i);
                }
            }
        }
    }

    /**
     * {@code Y[r0:r1, c0..] -= (Y[r0:r1, c0..] V) M}, {@code M = T^T V^T} ({@link #transposedFactorTimesVt}), for the
     * nb reflectors stored at {@code h[vOff ..]}: two packed matrix products.
     */
    private static void blockUpdate(Parallel par, double[] y, int order, int r0, int r1, int c0, int len, int nb,
                                    double[] h, int vOff, double[] mt, double[] w) {
        int rows = r1 - r0;
        GemmF64.gemm(par, false, true, rows, nb, len, 1.0, y, r0 * order + c0, order, h, vOff, order, 0.0, w, 0, nb);
        GemmF64.gemm(par, false, false, rows, len, nb, -1.0, w, 0, nb, mt, 0, len, 1.0, y, r0 * order + c0, order);
    }

    /** {@code Y = Y (I - tau v v^T)} on rows {@code [r0, r1)} and columns {@code c0..}, v at {@code h[vo ..]}. */
    private static void reflectRight(double[] y, int order, double[] h, int vo, int c0, double tau, int r0, int r1) {
        if (tau == 0) {
            return;
        }
        int len = order - c0;
        for (int i = r0; i < r1; i++) {
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
}
