package io.isotropic.backend.vector;

import io.isotropic.spi.RawSvd;

import static io.isotropic.backend.vector.SvdSupport.largestIsNegative;
import static io.isotropic.backend.vector.SvdSupport.negateRow;
import static io.isotropic.backend.vector.SvdSupport.normaliseScale;
import static io.isotropic.backend.vector.SvdSupport.unscale;

/**
 * Full singular value decomposition in double precision: Householder bidiagonalisation {@code A = Q B P^T}, then the
 * SVD of the bidiagonal B. Singular values only: the implicit-shift QR iteration on B (Golub and Kahan; the
 * deflation, splitting and shift logic of LINPACK's {@code dsvdc}, as in JAMA), O(n^2). With vectors, from order
 * {@value #DC_ORDER} on: divide and conquer on B ({@link BidiagonalDc}, as LAPACK's {@code dgesdd}), then
 * {@code U^T = [Ub^T 0; 0 I] Q^T} and {@code V^T = Vb^T P^T}, the reflectors of Q and P applied to the bidiagonal's
 * factors.
 * Below that order: the QR iteration with its Givens rotations applied to the <em>transposed</em> factors, where a
 * rotation of two columns of {@code U} is a rotation of two contiguous rows of {@code U^T}. Wide matrices are
 * transposed first, so the parts only see {@code m >= n}.
 *
 * <p>This class is the driver; the parts are {@link Bidiagonalisation} (the reduction and the explicit factors),
 * {@link BidiagonalDc} (divide and conquer), {@link BidiagonalQr} (the QR iteration), {@link RotationLog} (batched
 * application of its rotations) and {@link SvdSupport} (shared helpers).
 *
 * <p>Where the time goes and how it is vectorised:
 * <ul>
 *   <li>bidiagonalisation: one pass over the trailing rows per step; each row receives the left and the right
 *       reflection (an axpy, a dot product and an axpy while it is in L1) and accumulates the sums that the next
 *       left reflector needs;</li>
 *   <li>the reflectors, applied to {@code Ub^T} and {@code Vb^T} (or, on the QR path, to the identity to form
 *       {@code Q^T} and {@code P^T}): backward accumulation in blocks of 32 in compact WY form
 *       ({@code Y = Y - (Y V) M}, {@code M = T^T V^T} formed once per block by vector multiply-adds, then two calls
 *       of the packed matrix product);</li>
 *   <li>divide and conquer: the merges' products of the children's factors with the merged vectors (the packed
 *       matrix product) and their secular equations ({@link SecularKernels});</li>
 *   <li>QR sweeps (small matrices): the scalar recurrence on the bidiagonal records its rotations; up to 32 sweeps
 *       are then applied together, strip by strip of four vectors of columns, the running row of each sweep held in
 *       registers ({@link RotationLog}), so a factor is streamed once per batch instead of once per sweep.</li>
 * </ul>
 * With two or more threads and {@code n >= 96}, the two factors are formed (and, below the divide-and-conquer order,
 * rotated) concurrently, the two halves of the largest divide-and-conquer nodes are solved concurrently and the
 * large matrix products are split over the threads. Every step runs in a fixed order, so results do not depend on
 * the thread count or on JIT compilation.
 *
 * <p>Scale: the matrix is first multiplied by the power of two that brings its largest magnitude into {@code [1, 2)}
 * (exact, and undone on the singular values), so that no sum of squares or products overflows and the relative
 * thresholds of the QR iteration never underflow, for every finite input; the factors do not depend on the scale.
 *
 * <p>Convergence: the implicit QR sweeps are counted, and more than {@link #maxSweeps(int)} (75 per singular value
 * plus 100; 1.5 to 2 per value are typical) raises an {@link ArithmeticException} instead of looping.
 */
final class SvdF64 {
    /** Factors of at least this order are formed and rotated concurrently when threads allow. */
    private static final int PARALLEL_ORDER = 96;
    /** From this order on the bidiagonal's factors come from divide and conquer instead of the QR iteration. */
    static final int DC_ORDER = 48;

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
     * the columns of U (and the null-space columns of V) already signed as {@link io.isotropic.spi.SvdNormaliser}
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
        int rows = Math.max(m, n);
        int cols = Math.min(m, n);
        int e = normaliseScale(a);
        Result c = decompose(par, rows, cols, tall ? a : transpose(a, m, n), true, true, sweepCap);
        unscale(c.d, e, m, n);
        sortAndSign(rows, cols, c.d, c.ut, c.vt, tall);
        if (tall) {
            return new RawSvd(transpose(c.ut, m, m), c.d, transpose(c.vt, n, n));
        }
        // A^T = U' S V'^T, so A = V' S U'^T
        return new RawSvd(transpose(c.vt, m, m), c.d, transpose(c.ut, n, n));
    }

    /**
     * The left factor and the singular values only, as {@link #svd(Parallel, int, int, double[])} returns them: for a
     * tall matrix {@code V^T} is neither formed nor rotated, for a wide one (decomposed as its transpose) the larger
     * factor {@code U'^T} of the transpose is not. The operations on U, and so the bits, are svd's, except for a
     * tall or square matrix from the divide-and-conquer order on: there the merges carry only the first and last rows
     * of the bidiagonal's right factor, by dot products instead of matrix products, and the results agree with svd's
     * to rounding.
     *
     * @param par the workers
     * @param m rows
     * @param n columns
     * @param a the matrix, row-major (destroyed)
     * @return {@code U}, the singular values and no {@code V} (null)
     * @throws ArithmeticException if the QR iteration does not converge
     */
    static RawSvd svdLeft(Parallel par, int m, int n, double[] a) {
        boolean tall = m >= n;
        int rows = Math.max(m, n);
        int cols = Math.min(m, n);
        int e = normaliseScale(a);
        Result c = decompose(par, rows, cols, tall ? a : transpose(a, m, n), tall, !tall, maxSweeps(cols));
        unscale(c.d, e, m, n);
        sortAndSign(rows, cols, c.d, c.ut, c.vt, tall);
        return new RawSvd(tall ? transpose(c.ut, m, m) : transpose(c.vt, m, m), c.d, null);
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
        int e = normaliseScale(a);
        double[] d = decompose(null, Math.max(m, n), Math.min(m, n), m >= n ? a : transpose(a, m, n), false, false,
                maxSweeps(Math.min(m, n))).d;
        unscale(d, e, m, n);
        return d;
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

    /** The singular values and, when vectors were wanted, the transposed factors of a tall-or-square matrix. */
    private record Result(double[] d, double[] ut, double[] vt) {
    }

    /**
     * Bidiagonalises an {@code m x n} matrix with {@code m >= n}, forms {@code U^T} and {@code V^T} as wanted
     * (concurrently with two or more threads, both wanted and {@code n >= PARALLEL_ORDER}), and runs the QR
     * iteration, rotating the factors formed.
     */
    private static Result decompose(Parallel par, int m, int n, double[] a, boolean wantU, boolean wantV,
                                    int sweepCap) {
        Bidiagonalisation b = new Bidiagonalisation(m, n, a);
        b.bidiagonalise(par);
        boolean twoThreads = wantU && wantV && par != null && par.threads() > 1 && n >= PARALLEL_ORDER;
        if ((wantU || wantV) && n >= DC_ORDER) {
            return divideAndConquer(par, m, n, b, wantU, wantV, twoThreads);
        }
        double[][] f = new double[2][];
        if (wantU || wantV) {
            if (twoThreads) {
                par.run(2, part -> {
                    if (part == 0) {
                        f[0] = b.formUt();
                    } else {
                        f[1] = b.formVt();
                    }
                });
            } else {
                f[0] = wantU ? b.formUt() : null;
                f[1] = wantV ? b.formVt() : null;
            }
        }
        b.hl = null;
        b.hr = null;
        new BidiagonalQr(par, m, n, b.d, b.e, f[0], f[1], twoThreads, sweepCap).qrIteration();
        return new Result(b.d, f[0], f[1]);
    }

    /**
     * The factors from the divide-and-conquer SVD of the bidiagonal, {@code B = Ub S Vb^T}: with {@code A = Q B P^T},
     * {@code U^T = [Ub^T 0; 0 I] Q^T} (rows n.. of {@code Q^T} span the null space) and {@code V^T = Vb^T P^T}, the
     * reflectors applied to {@code Ub^T} and {@code Vb^T} in blocks ({@link Bidiagonalisation#applyUt}).
     */
    private static Result divideAndConquer(Parallel par, int m, int n, Bidiagonalisation b, boolean wantU,
                                           boolean wantV, boolean twoThreads) {
        BidiagonalDc dc = BidiagonalDc.svd(par, n, b.d, b.e, wantU, wantV);
        double[][] f = new double[2][];
        if (twoThreads) {
            par.run(2, part -> {
                if (part == 0) {
                    f[0] = b.applyUt(null, dc.u);
                } else {
                    f[1] = b.applyVt(null, dc.v);
                }
            });
        } else {
            f[0] = wantU ? b.applyUt(par, dc.u) : null;
            f[1] = wantV ? b.applyVt(par, dc.v) : null;
        }
        b.hl = null;
        b.hr = null;
        return new Result(dc.sig, f[0], f[1]);
    }

    /**
     * Sorts the singular values into non-increasing order (permuting the rows of ut and vt, which are
     * contiguous) and signs each pair so that the largest-magnitude entry of U's column is positive, taking
     * U's column from ut for a tall input and from vt for a wide one (whose factors were swapped); unpaired
     * rows of ut are signed by their own largest entry. A factor that was not wanted is null (the one that decides
     * the signs never is).
     */
    private static void sortAndSign(int m, int n, double[] d, double[] ut, double[] vt, boolean tall) {
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
                if (ut != null) {
                    System.arraycopy(ut, order[r] * m, u2, r * m, m);
                }
                if (vt != null) {
                    System.arraycopy(vt, order[r] * n, v2, r * n, n);
                }
            }
            System.arraycopy(d2, 0, d, 0, n);
            if (ut != null) {
                System.arraycopy(u2, 0, ut, 0, n * m);
            }
            if (vt != null) {
                System.arraycopy(v2, 0, vt, 0, n * n);
            }
        }
        for (int r = 0; r < n; r++) {
            if (tall ? largestIsNegative(ut, r * m, m) : largestIsNegative(vt, r * n, n)) {
                if (ut != null) {
                    negateRow(ut, m, r);
                }
                if (vt != null) {
                    negateRow(vt, n, r);
                }
            }
        }
        if (ut != null) {
            for (int r = n; r < m; r++) {
                if (largestIsNegative(ut, r * m, m)) {
                    negateRow(ut, m, r);
                }
            }
        }
    }
}
