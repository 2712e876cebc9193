package io.isotropic.backend.vector;

import java.util.Arrays;

/**
 * SVD of an upper bidiagonal matrix {@code B = Ub diag(s) Vb^T} with both factors, by divide and conquer (Gu and
 * Eisenstat, SIAM J. Matrix Anal. Appl. 16 (1995); the structure of LAPACK's {@code dbdsdc}/{@code dlasd0-4}): for
 * {@link SvdF64}, whose QR iteration spends {@code 12 n^3} flops rotating the factors; here almost all the work is
 * matrix products ({@code about 8/3 n^3} with the full blocks), which run several times faster per flop.
 *
 * <p>A node is an {@code n x (n + s)} upper bidiagonal block, {@code s} in {0, 1} (one extra column, as the upper
 * half of a split always has). Leaves of up to {@value #LEAF} rows are solved by {@link BidiagonalQr} (a zero row
 * appended when {@code s = 1}, which that iteration deflates at once with right rotations only). A node is split at
 * its middle row {@code k}: with the children's SVDs {@code B1 = U1 [S1 0] V1^T} and {@code B2 = U2 [S2 (0)] V2^T},
 * {@code B = diag(U1, 1, U2) M diag(V1, V2)^T}, where {@code M} is zero but for the diagonal {@code (S1, S2)} and the
 * row {@code z = (d_k l1, e_k f2)} ({@code l1} the last row of V1, {@code f2} the first row of V2). The two columns
 * of M with no diagonal entry (the children's null vectors) are combined by a rotation; the rest is the
 * "broken arrow" {@code [z; 0 diag(d_2..)]}, whose singular values solve the secular equation
 * {@code 1 + sum_j z_j^2 / (d_j^2 - sigma^2) = 0}.
 *
 * <p>Accuracy: entries of z below {@code tol = 8 eps max(|d|, |z|)} and diagonal entries closer than tol are
 * deflated (a perturbation of M below tol, so backward stable); each root is found relative to its nearest pole so
 * that the differences {@code d_j - sigma_i} carry full relative accuracy; z is then recomputed from the roots
 * (Loewner's formula) so that the singular vectors computed from it are orthogonal to working precision however
 * close the roots are.
 */
final class BidiagonalDc {
    /** Nodes with at most this many rows are solved by QR iteration. */
    static final int LEAF = 24;
    /** Nodes of at least this many rows solve their two children on two threads when the workers allow. */
    private static final int PARALLEL_ROWS = 128;
    private static final double EPS = 0x1.0p-52;
    /** Iterations of the secular solver before it gives up (about 5 are typical; bisection needs fewer than 2100). */
    private static final int MAX_ITERATIONS = 2200;

    private final Parallel par;
    private final int n;
    /** Whether the merges form the whole left factor (else only leaves fill u, and it is left unspecified). */
    private final boolean wantU;
    /**
     * Whether the merges form the whole right factor; else they keep only each node's first and last rows of V,
     * which are all a parent's merge reads (its {@code z} and the null vector's entries), and v is otherwise
     * unspecified.
     */
    private final boolean wantV;
    private final double[] d;
    private final double[] e;
    /** Left factor, row-major n x n: column j is the left singular vector of value sig[j] (if wanted). */
    final double[] u;
    /** Right factor, row-major n x n (if wanted). */
    final double[] v;
    /** Singular values, unsorted, non-negative. */
    final double[] sig;

    private BidiagonalDc(Parallel par, int n, double[] d, double[] e, boolean wantU, boolean wantV) {
        this.par = par;
        this.n = n;
        this.wantU = wantU;
        this.wantV = wantV;
        this.d = d;
        this.e = e;
        this.u = new double[n * n];
        this.v = new double[n * n];
        this.sig = new double[n];
    }

    /**
     * Decomposes the {@code n x n} upper bidiagonal with diagonal d and superdiagonal e.
     *
     * @param par the workers, or null (the matrix products of the largest merges use them)
     * @param n order, {@code >= 1}
     * @param d diagonal (not modified)
     * @param e superdiagonal, {@code e[n-1]} ignored (not modified)
     * @return the factors and values
     * @throws ArithmeticException if a leaf's QR iteration or a secular equation fails to converge
     */
    static BidiagonalDc svd(Parallel par, int n, double[] d, double[] e) {
        return svd(par, n, d, e, true, true);
    }

    /**
     * Decomposes the bidiagonal as {@link #svd(Parallel, int, double[], double[])}, forming only the wanted factors:
     * without U the merges skip its products, and the values and V are computed by the same operations as with both;
     * without V they carry only the first and last rows of each node's V (the merges need nothing else of it), about
     * {@code q^2} multiply-adds per merge of order q instead of a {@code q x q} product, and since those rows come
     * from dot products rather than the packed product, the values and U agree with the two-factor result to rounding.
     *
     * @param par the workers, or null
     * @param n order, {@code >= 1}
     * @param d diagonal (not modified)
     * @param e superdiagonal, {@code e[n-1]} ignored (not modified)
     * @param wantU whether to form {@link #u}
     * @param wantV whether to form {@link #v}
     * @return the values and the wanted factors (the other array's contents are unspecified)
     * @throws ArithmeticException if a leaf's QR iteration or a secular equation fails to converge
     */
    static BidiagonalDc svd(Parallel par, int n, double[] d, double[] e, boolean wantU, boolean wantV) {
        BidiagonalDc dc = new BidiagonalDc(par, n, d, e, wantU, wantV);
        dc.solve(0, n, 0);
        return dc;
    }

    /** Solves the node of rows [r0, r0 + rows) and columns [r0, r0 + rows + s). */
    private void solve(int r0, int rows, int s) {
        if (rows <= LEAF) {
            leaf(r0, rows, s);
            return;
        }
        int k = (rows + 1) / 2;
        if (par != null && par.threads() > 1 && rows >= PARALLEL_ROWS) {
            // the children are independent and write disjoint blocks; jobs started inside a part run inline
            par.run(2, part -> {
                if (part == 0) {
                    solve(r0, k - 1, 1);
                } else {
                    solve(r0 + k, rows - k, s);
                }
            });
        } else {
            solve(r0, k - 1, 1);
            solve(r0 + k, rows - k, s);
        }
        merge(r0, rows, s, k);
    }

    /** A leaf: QR iteration on the block (square after appending a zero row if s = 1). */
    private void leaf(int r0, int rows, int s) {
        int q = rows + s;
        double[] dd = new double[q];
        double[] ee = new double[q];
        for (int i = 0; i < rows; i++) {
            dd[i] = d[r0 + i];
        }
        for (int i = 0; i < rows - 1 + s; i++) {
            ee[i] = e[r0 + i];
        }
        // scale by a power of two so that the block's largest entry is in [1, 2): a block deep in a graded matrix
        // would otherwise be iterated on in subnormal arithmetic, whose rotations are not orthogonal
        double max = 0;
        for (int i = 0; i < q; i++) {
            max = Math.max(max, Math.max(Math.abs(dd[i]), Math.abs(ee[i])));
        }
        int ex = max == 0 ? 0 : SvdSupport.exponent(max);
        for (int i = 0; i < q; i++) {
            dd[i] = Math.scalb(dd[i], -ex);
            ee[i] = Math.scalb(ee[i], -ex);
        }
        double[] ut = identity(q);
        double[] vt = identity(q);
        new BidiagonalQr(null, q, q, dd, ee, ut, vt, false, SvdF64.maxSweeps(q)).qrIteration();
        for (int i = 0; i < q; i++) {
            dd[i] = Math.scalb(dd[i], ex);
        }
        // with s = 1 the appended zero row deflates first with right rotations only: value q-1 is 0 and its left
        // vector stays e_(q-1), so U restricted to the block's rows is ut's leading rows x rows transposed
        for (int j = 0; j < rows; j++) {
            sig[r0 + j] = dd[j];
            for (int i = 0; i < rows; i++) {
                u[(r0 + i) * n + r0 + j] = ut[j * q + i];
            }
        }
        for (int j = 0; j < q; j++) {
            for (int i = 0; i < q; i++) {
                v[(r0 + i) * n + r0 + j] = vt[j * q + i];
            }
        }
    }

    private static double[] identity(int q) {
        double[] x = new double[q * q];
        for (int i = 0; i < q; i++) {
            x[i * q + i] = 1;
        }
        return x;
    }

    /**
     * Merges the solved children of the node [r0, r0 + rows) x [r0, r0 + rows + s) split at local row k - 1.
     *
     * <p>Merge basis: index 0 is the middle row (U side) and the children's combined null vector (V side); indices
     * 1..k-1 the left child's pairs, k..rows-1 the right child's. Row i of {@code umt} and {@code vmt} (rows x rows)
     * is the i-th left and right singular vector of the merged problem in that basis; the node's U and V are the
     * children's blocks times them (matrix products with the transposed operand).
     */
    private void merge(int r0, int rows, int s, int k) {
        int n1 = k - 1;
        int n2 = rows - k;
        int mid = r0 + k - 1;
        double alpha = d[mid];
        double beta = e[mid];
        double[] z = new double[rows];
        double[] dm = new double[rows];
        // left child: V1 is k x k at (r0, r0), its null vector is column k-1
        z[0] = alpha * v[mid * n + mid];
        for (int i = 0; i < n1; i++) {
            z[1 + i] = alpha * v[mid * n + r0 + i];
            dm[1 + i] = sig[r0 + i];
        }
        // right child: V2 is (n2 + s) x (n2 + s) at (r0 + k, r0 + k), null vector (s = 1) is its column n2
        int r2 = r0 + k;
        for (int i = 0; i < n2; i++) {
            z[k + i] = beta * v[r2 * n + r2 + i];
            dm[k + i] = sig[r2 + i];
        }
        double zNull = s == 1 ? beta * v[r2 * n + r2 + n2] : 0;
        double c = 1;
        double sn = 0;
        if (s == 1) {
            double r = SvdSupport.hypot(z[0], zNull);
            if (r != 0) {
                c = z[0] / r;
                sn = zNull / r;
            }
            z[0] = r;
        }
        double[] umt = new double[rows * rows];
        double[] vmt = new double[rows * rows];
        double[] sm = new double[rows];
        // vectors 0..dense-1 are dense, the rest (deflated values) have a few entries each
        int dense = secular(rows, dm, z, sm, umt, vmt);
        if (wantU) {
            mergeU(r0, rows, k, dense, umt);
        }
        if (wantV) {
            mergeV(r0, rows, s, k, dense, vmt, c, sn);
        } else {
            mergeBoundaryRowsOfV(r0, rows, s, k, vmt, c, sn);
        }
        System.arraycopy(sm, 0, sig, r0, rows);
    }

    /** The node's U from the children's and the merged left vectors (rows of umt; the first dense are dense). */
    private void mergeU(int r0, int rows, int k, int dense, double[] umt) {
        int n1 = k - 1;
        int n2 = rows - k;
        int r2 = r0 + k;
        // node's U: rows [r0, r0 + rows): left child's rows, the middle row, the right child's rows
        double[] uNew = new double[rows * rows];
        product(u, r0 * n + r0, n1, umt, rows, 1, dense, uNew, 0, rows);
        for (int j = 0; j < rows; j++) {
            uNew[n1 * rows + j] = umt[j * rows];
        }
        product(u, r2 * n + r2, n2, umt, rows, k, dense, uNew, k * rows, rows);
        for (int j = dense; j < rows; j++) {
            int o = j * rows;
            for (int r = 1; r < rows; r++) {
                double x = umt[o + r];
                if (x != 0) {
                    boolean left = r < k;
                    int src = left ? r0 + r - 1 : r2 + r - k;
                    int top = left ? 0 : k;
                    int len = left ? n1 : n2;
                    int base = left ? r0 : r2;
                    for (int i = 0; i < len; i++) {
                        uNew[(top + i) * rows + j] += x * u[(base + i) * n + src];
                    }
                }
            }
        }
        for (int i = 0; i < rows; i++) {
            System.arraycopy(uNew, i * rows, u, (r0 + i) * n + r0, rows);
        }
    }

    /**
     * The merged vectors in the children's V bases: row j of t1 ({@code rows x k}) holds vector j's entries on V1's
     * columns, row j of t2 ({@code rows x (n2 + s)}) on V2's; V1's null column takes c x (entry 0 of each merged
     * vector), V2's null column sn x (entry 0).
     */
    private static double[][] mergedInChildBases(int rows, int s, int k, double[] vmt, double c, double sn) {
        int n1 = k - 1;
        int n2 = rows - k;
        double[] t1 = new double[rows * k];
        double[] t2 = new double[rows * (n2 + s)];
        for (int j = 0; j < rows; j++) {
            System.arraycopy(vmt, j * rows + 1, t1, j * k, n1);
            t1[j * k + n1] = c * vmt[j * rows];
            System.arraycopy(vmt, j * rows + k, t2, j * (n2 + s), n2);
            if (s == 1) {
                t2[j * (n2 + s) + n2] = sn * vmt[j * rows];
            }
        }
        return new double[][] {t1, t2};
    }

    /**
     * Without V: only the node's first row (from V1's first row) and last row (from V2's last row) of V, each entry
     * a dot product of that child row with a merged vector, and the null vector's entries in those rows.
     */
    private void mergeBoundaryRowsOfV(int r0, int rows, int s, int k, double[] vmt, double c, double sn) {
        int n2 = rows - k;
        int r2 = r0 + k;
        int mid = r0 + k - 1;
        int q = rows + s;
        int w2 = n2 + s;
        double[][] t = mergedInChildBases(rows, s, k, vmt, c, sn);
        double[] first = new double[q];
        double[] last = new double[q];
        int firstRow = r0 * n + r0;
        int lastRow = (r2 + w2 - 1) * n + r2;
        for (int j = 0; j < rows; j++) {
            first[j] = ElementwiseF64.dot(k, v, firstRow, t[0], j * k);
            last[j] = ElementwiseF64.dot(w2, v, lastRow, t[1], j * w2);
        }
        if (s == 1) {
            first[rows] = -sn * v[r0 * n + mid];
            last[rows] = c * v[lastRow + n2];
        }
        System.arraycopy(first, 0, v, r0 * n + r0, q);
        System.arraycopy(last, 0, v, (r0 + q - 1) * n + r0, q);
    }

    /** The node's V from the children's and the merged right vectors (rows of vmt; the first dense are dense). */
    private void mergeV(int r0, int rows, int s, int k, int dense, double[] vmt, double c, double sn) {
        int n2 = rows - k;
        int r2 = r0 + k;
        int mid = r0 + k - 1;
        // node's V: rows [r0, r0 + k) from V1, rows [r0 + k, r0 + rows + s) from V2
        int q = rows + s;
        double[][] t = mergedInChildBases(rows, s, k, vmt, c, sn);
        double[] t1 = t[0];
        double[] t2 = t[1];
        double[] vNew = new double[q * q];
        product(v, r0 * n + r0, k, t1, k, 0, dense, vNew, 0, q);
        product(v, r2 * n + r2, n2 + s, t2, n2 + s, 0, dense, vNew, k * q, q);
        for (int j = dense; j < rows; j++) {
            for (int r = 0; r < k; r++) {
                double x = t1[j * k + r];
                if (x != 0) {
                    for (int i = 0; i < k; i++) {
                        vNew[i * q + j] += x * v[(r0 + i) * n + r0 + r];
                    }
                }
            }
            for (int r = 0; r < n2 + s; r++) {
                double x = t2[j * (n2 + s) + r];
                if (x != 0) {
                    for (int i = 0; i < n2 + s; i++) {
                        vNew[(k + i) * q + j] += x * v[(r2 + i) * n + r2 + r];
                    }
                }
            }
        }
        if (s == 1) {
            // the node's null vector: -sn x V1's null column on top, c x V2's null column below
            for (int i = 0; i < k; i++) {
                vNew[i * q + rows] = -sn * v[(r0 + i) * n + mid];
            }
            for (int i = 0; i < n2 + 1; i++) {
                vNew[(k + i) * q + rows] = c * v[(r2 + i) * n + r2 + n2];
            }
        }
        for (int i = 0; i < q; i++) {
            System.arraycopy(vNew, i * q, v, (r0 + i) * n + r0, q);
        }
    }

    /**
     * {@code out[outOff + i * ldo + j] = sum_p x[xOff + i * n + p] * yt[j * ldy + yCol0 + p]} for {@code i < r},
     * {@code p < r}, {@code j < cols}: an {@code r x r} child block of x (row stride n) times entries yCol0.. of the
     * first cols merged vectors (the dense ones), stored as rows of yt.
     */
    private void product(double[] x, int xOff, int r, double[] yt, int ldy, int yCol0, int cols, double[] out,
                         int outOff, int ldo) {
        if (r == 0 || cols == 0) {
            return;
        }
        GemmF64.gemm(par, false, true, r, cols, r, 1.0, x, xOff, n, yt, yCol0, ldy, 0.0, out, outOff, ldo);
    }

    /**
     * SVD of the broken arrow {@code M = e_0 z^T + diag(0, dm[1..])} ({@code q x q}): values into sm, the left
     * vectors into the rows of umt and the right vectors into the rows of vmt (entry r of a vector belongs to merge
     * index r, the index of dm and z).
     *
     * @return the number of leading dense vectors; the others belong to deflated values and have a few entries
     */
    static int secular(int q, double[] dm, double[] z, double[] sm, double[] umt, double[] vmt) {
        // scale by a power of two so that the largest entry is in [1, 2) (exact)
        double max = 0;
        for (int j = 0; j < q; j++) {
            max = Math.max(max, Math.max(Math.abs(dm[j]), Math.abs(z[j])));
        }
        if (max == 0) {
            Arrays.fill(sm, 0, q, 0.0);
            for (int j = 0; j < q; j++) {
                umt[j * q + j] = 1;
                vmt[j * q + j] = 1;
            }
            return 0;
        }
        int ex = SvdSupport.exponent(max);
        double[] dd = new double[q];
        double[] zz = new double[q];
        for (int j = 0; j < q; j++) {
            dd[j] = Math.scalb(dm[j], -ex);
            zz[j] = Math.scalb(z[j], -ex);
        }
        dd[0] = 0;
        double tol = 8 * EPS * maxAbs(dd, zz, q);
        // sort indices 1.. by d ascending
        Integer[] order = new Integer[q - 1];
        for (int j = 1; j < q; j++) {
            order[j - 1] = j;
        }
        Arrays.sort(order, (x, y) -> Double.compare(dd[x], dd[y]));
        // deflation: kept holds the merge indices of the secular problem, in ascending d, starting with 0
        int[] kept = new int[q];
        int nk = 0;
        kept[nk++] = 0;
        // rotations applied during deflation, replayed on the vectors afterwards: (i, j, c, s, bothSides)
        int[] ri = new int[q];
        int[] rj = new int[q];
        double[] rc = new double[q];
        double[] rs = new double[q];
        boolean[] both = new boolean[q];
        int nr = 0;
        boolean[] deflated = new boolean[q];
        for (int t = 0; t < q - 1; t++) {
            int j = order[t];
            if (Math.abs(zz[j]) <= tol) {
                deflated[j] = true;
                continue;
            }
            int prev = kept[nk - 1];
            boolean closeToZero = dd[j] <= tol;
            if (closeToZero || dd[j] - dd[prev] <= tol) {
                // rotate z_prev and z_j into z_prev: j deflates with value d_j (or 0 next to d_0 = 0)
                int into = closeToZero ? 0 : prev;
                double r = SvdSupport.hypot(zz[into], zz[j]);
                double cs = zz[into] / r;
                double sn = zz[j] / r;
                zz[into] = r;
                zz[j] = 0;
                if (closeToZero) {
                    dd[j] = 0;
                }
                ri[nr] = into;
                rj[nr] = j;
                rc[nr] = cs;
                rs[nr] = sn;
                both[nr] = !closeToZero;
                nr++;
                deflated[j] = true;
                continue;
            }
            kept[nk++] = j;
        }
        if (Math.abs(zz[0]) <= tol) {
            zz[0] = tol;
        }
        // the secular problem on the kept indices
        double[] pd = new double[nk];
        double[] pz = new double[nk];
        for (int t = 0; t < nk; t++) {
            pd[t] = dd[kept[t]];
            pz[t] = zz[kept[t]];
        }
        double[] roots = new double[nk];
        double[] delta = new double[nk * nk];
        rootsOf(nk, pd, pz, roots, delta);
        double[] zh = loewner(nk, pd, pz, roots, delta);
        double[] x = new double[nk];
        for (int i = 0; i < nk; i++) {
            double si = roots[i];
            double vn = Math.sqrt(SecularKernels.vectorOf(nk, zh, delta, i * nk, pd, si, x));
            double un = 1;
            for (int t = 1; t < nk; t++) {
                double ut = pd[t] * x[t];
                un += ut * ut;
            }
            un = Math.sqrt(un);
            int o = i * q;
            umt[o + kept[0]] = -1 / un;
            vmt[o + kept[0]] = x[0] / vn;
            for (int t = 1; t < nk; t++) {
                vmt[o + kept[t]] = x[t] / vn;
                umt[o + kept[t]] = pd[t] * x[t] / un;
            }
            sm[i] = Math.scalb(si, ex);
        }
        int col = nk;
        for (int j = 1; j < q; j++) {
            if (deflated[j]) {
                umt[col * q + j] = 1;
                vmt[col * q + j] = 1;
                sm[col] = Math.scalb(dd[j], ex);
                col++;
            }
        }
        // undo the deflation rotations (last first): M = G_U M' G_V^T, so vectors = G x vectors'
        for (int t = nr - 1; t >= 0; t--) {
            rotateEntries(vmt, q, ri[t], rj[t], rc[t], rs[t]);
            if (both[t]) {
                rotateEntries(umt, q, ri[t], rj[t], rc[t], rs[t]);
            }
        }
        return nk;
    }

    private static double maxAbs(double[] a, double[] b, int q) {
        double m = 0;
        for (int j = 0; j < q; j++) {
            m = Math.max(m, Math.max(Math.abs(a[j]), Math.abs(b[j])));
        }
        return m;
    }

    /** Entries (i, j) of every vector (row of x, q of them) become {@code (c x_i - s x_j, s x_i + c x_j)}. */
    private static void rotateEntries(double[] x, int q, int i, int j, double c, double s) {
        for (int o = 0; o < q * q; o += q) {
            double a = x[o + i];
            double b = x[o + j];
            x[o + i] = c * a - s * b;
            x[o + j] = s * a + c * b;
        }
    }

    /**
     * The roots of {@code 1 + sum_t z_t^2 / (d_t^2 - sigma^2) = 0} for ascending poles {@code d_0 = 0 < d_1 < ...}
     * (gaps and |z| above the deflation tolerance): root i lies in {@code (d_i, d_(i+1))} (the last above
     * {@code d_(k-1)}); {@code delta[i k + t] = d_t - sigma_i} to full relative accuracy.
     */
    static void rootsOf(int k, double[] pd, double[] pz, double[] roots, double[] delta) {
        double[] w = new double[k];
        double zz = 0;
        for (int t = 0; t < k; t++) {
            w[t] = pz[t] * pz[t];
            zz += w[t];
        }
        double[] dl = new double[k];
        double[] sums = new double[2];
        for (int i = 0; i < k; i++) {
            int origin;
            double lo;
            double hi;
            SecularKernels.shifted(k, pd, pd[i], dl);
            if (i == k - 1) {
                origin = i;
                lo = 0;
                hi = zz;
            } else {
                double gap2 = dl[i + 1];
                SecularKernels.sums(w, dl, 0, k, gap2 / 2, sums);
                if (1 + sums[0] >= 0) {
                    origin = i;
                    lo = 0;
                    hi = gap2 / 2;
                } else {
                    origin = i + 1;
                    lo = -gap2 / 2;
                    hi = 0;
                    SecularKernels.shifted(k, pd, pd[i + 1], dl);
                }
            }
            double dO = pd[origin];
            double tau = solve(k, i, w, dl, lo, hi, sums);
            double sigma = Math.sqrt(dO * dO + tau);
            double eta = tau / (sigma + dO);
            roots[i] = sigma;
            SecularKernels.differences(k, pd, dO, eta, delta, i * k);
        }
    }

    /**
     * The root {@code tau} in {@code (lo, hi)} of {@code f(tau) = 1 + sum_t w_t / (dl_t - tau)} (poles dl ascending,
     * the root between poles i and i + 1, or above pole i when it is the last): the two-pole rational model of
     * Bunch, Nielsen and Sorensen (matching the sums over the poles on either side in value and derivative), with
     * bisection when a step leaves the bracket, until {@code |f|} is below its own rounding error.
     */
    private static double solve(int k, int i, double[] w, double[] dl, double lo, double hi, double[] sums) {
        double tau = lo == 0 ? hi / 2 : lo / 2;
        for (int it = 0; it < MAX_ITERATIONS; it++) {
            SecularKernels.sums(w, dl, 0, i + 1, tau, sums);
            double psi = sums[0];
            double dpsi = sums[1];
            SecularKernels.sums(w, dl, i + 1, k, tau, sums);
            double phi = sums[0];
            double dphi = sums[1];
            double f = 1 + psi + phi;
            double err = (k + 4) * EPS * (1 + Math.abs(psi) + Math.abs(phi));
            if (Math.abs(f) <= err) {
                return tau;
            }
            if (f < 0) {
                lo = tau;
            } else {
                hi = tau;
            }
            double d1 = dl[i] - tau;
            double a = dpsi * d1 * d1;
            double c1 = psi - dpsi * d1;
            double next;
            if (i == k - 1) {
                double cc = 1 + c1;
                next = cc > 0 ? tau + d1 + a / cc : Double.NaN;
            } else {
                double d2 = dl[i + 1] - tau;
                double b = dphi * d2 * d2;
                double c2 = phi - dphi * d2;
                double cc = 1 + c1 + c2;
                double c0 = d1 * d2 * f;
                double b0 = cc * (d1 + d2) + a + b;
                double disc = b0 * b0 - 4 * cc * c0;
                next = disc >= 0 ? tau + 2 * c0 / (b0 + Math.copySign(Math.sqrt(disc), b0)) : Double.NaN;
            }
            if (!(next > lo && next < hi)) {
                next = lo + (hi - lo) / 2;
            }
            if (next == tau || hi - lo <= 2 * EPS * Math.max(Math.abs(lo), Math.abs(hi))) {
                return next;
            }
            tau = next;
        }
        throw new ArithmeticException("svd: the secular equation of a divide-and-conquer merge did not converge "
                + "within " + MAX_ITERATIONS + " iterations (root " + i + " of " + k + ")");
    }

    /**
     * Loewner's formula: the {@code zhat} for which the computed roots are exact, signed as z:
     * {@code zhat_j^2 = (sigma_(k-1)^2 - d_j^2) prod_(i<j) (sigma_i^2 - d_j^2) / (d_i^2 - d_j^2)
     * prod_(j<=i<k-1) (sigma_i^2 - d_j^2) / (d_(i+1)^2 - d_j^2)}, with {@code sigma_i^2 - d_j^2 =
     * -delta[i k + j] (sigma_i + d_j)}; the products are built root by root for all j at once.
     */
    static double[] loewner(int k, double[] pd, double[] pz, double[] roots, double[] delta) {
        double[] p = new double[k];
        int last = (k - 1) * k;
        for (int j = 0; j < k; j++) {
            p[j] = -delta[last + j] * (roots[k - 1] + pd[j]);
        }
        for (int i = 0; i < k - 1; i++) {
            // j <= i: denominator pole d_(i+1); j > i: pole d_i
            SecularKernels.loewnerFactor(p, 0, i + 1, delta, i * k, roots[i], pd, pd[i + 1]);
            SecularKernels.loewnerFactor(p, i + 1, k, delta, i * k, roots[i], pd, pd[i]);
        }
        for (int j = 0; j < k; j++) {
            p[j] = Math.copySign(Math.sqrt(Math.abs(p[j])), pz[j]);
        }
        return p;
    }
}
