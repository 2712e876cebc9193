package io.isotropic.adapt;

import io.isotropic.linalg.HouseholderLq;
import io.isotropic.linalg.Orthogonal;
import io.isotropic.linalg.SmallestSingularDirections;
import io.isotropic.spi.Backend;
import io.isotropic.spi.SvdLeft;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;

/**
 * Which {@code k} directions of hidden space {@code l+1} a neurodegeneration removes: the left singular directions of
 * {@code W_l} with the {@code k} smallest singular values, null directions first for a tall layer, chosen
 * canonically where the singular values do not decide.
 *
 * <p><b>Canonical choice.</b> When the cut between removed and kept falls inside a cluster of equal singular values
 * (equal within {@code 2 tol}, {@code tol = 8 max(m, n) u |W|_F}, the SVD's backward error), e.g. the null space of a
 * tall layer, several freshly grown scaffold neurons, or the flat spectrum of an orthogonal initialisation, every
 * direction of the cluster is an equally valid smallest direction, and a backend's SVD would pick an arbitrary one
 * (so {@code o} and psi after the removal would depend on the backend). Here the choice depends only on the
 * cluster's subspace {@code S} and on the network: the removed directions are taken first from the part of
 * {@code S} orthogonal to the projections of the incoming {@code psi_{l-1}} and of the bias {@code b_l} (removing
 * them discards no psi component and absorbs no bias: {@code psi* = 0}, {@code b* = 0}), then orthogonal to the
 * psi projection only, then along it; within each part, directions follow the projections of the coordinate vectors
 * {@code e_{m-1}, e_{m-2}, ...} onto it (Gram-Schmidt), so the last neurons of the layer are preferred. That is best
 * for the function: for a null cluster the removal is then exact with {@code o} and psi unchanged whenever the
 * cluster has two more directions than are removed.
 */
final class RemovalChoice {
    /** Inverse-iteration steps before falling back to an SVD (about the cost of one SVD of a 512 x 784 layer). */
    static final int BUDGET = 30;

    /**
     * Rows below which the default settings take the SVD rather than block inverse iteration. The iteration's
     * fixed costs (the Gram matrix, its Cholesky factor and that factor's inverse, at least two outer iterations
     * each with a Rayleigh-Ritz SVD of {@code (DEPTH + 1) (k + 1 + OVERSAMPLE)} columns, and the certificate; an
     * LQ factorisation and its inverse in their place until 2026-12) do not shrink
     * with the layer as fast as the SVD does: one neuron of a Gaussian layer, vector backend, one thread, with the
     * earlier block of {@code k + 15} columns at depth 4, took 3.1 times the SVD's time at 100 x 100 and 100 x 784,
     * 3.3 at 128 x 128, 2.6 at 128 x 784, 1.7 at 200 x 200, 2.1 at 200 x 784, and 0.63 at 300 x 300 and 500 x 500,
     * 1.26 at 300 x 784, 0.92 at 512 x 784 (Intel Xeon, 2026-12-03). The present block ({@code k + 5} columns,
     * depth 8) is faster at these widths (256 x 784: 20 against 35 ms, measured side by side). Re-measured with the
     * Gram operator (the whole neurodegeneration, iteration forced against the SVD only, a layer of
     * {@code BenchNets.trainedLike}, one thread, minimum of 20, AMD EPYC, 2026-12-07), the ratio was 1.45 at
     * 128 x 128, 1.41 at 128 x 256, 1.10 at 128 x 384, 0.59-0.77 at 128 x 784, 1.23 at 160 x 320, 0.92 at
     * 192 x 192, 0.71 at 192 x 384, 0.63 at 192 x 784, 1.05 at 224 x 448, 0.68 at 224 x 784, 0.66-0.68 at 256 x 256,
     * 0.49-0.57 at 320 x 320 and 0.43-0.69 at 320 x 784, with run-to-run noise of about 20%; 256 x 784 of that
     * network has its two smallest values within 1% (0.5365, 0.5407), the iteration gives up and its time is
     * added to the SVD's (1.23-1.50). Below 256 rows only the widest layers gain, by less than the noise allows a
     * rule to be fitted on, so the threshold stays.
     */
    static final int MIN_ITERATION_WIDTH = 256;

    /** The removed directions (columns, orthonormal), their singular values (descending) and how they were found. */
    record Removal(Tensor directions, double[] values, NeurodegenerationMethod method) {
    }

    private RemovalChoice() {
    }

    /**
     * The removal of {@code k} neurons of hidden space {@code l+1}.
     *
     * @param be the backend
     * @param w {@code W_l} in F64 {@code [m, n]}
     * @param k neurons to remove, {@code 1 <= k < m}
     * @param bias {@code b_l} in F64
     * @param psiIn {@code psi_{l-1}} in F64, or null
     * @param settings which paths may be used, and the spectrum if the caller knows it
     */
    static Removal choose(Backend be, Tensor w, int k, Tensor bias, Tensor psiIn, NeurodegenerationSettings settings) {
        int m = w.rows();
        int n = w.cols();
        double tol = tolerance(w);
        boolean allowFast = settings.allowFastPaths();
        double[] known = settings.knownSingularValues();
        if (known != null && known.length != Math.min(m, n)) {
            throw new IllegalArgumentException("neurodegeneration: " + known.length + " known singular values for a "
                    + m + " x " + n + " layer; need " + Math.min(m, n));
        }
        if (allowFast && m > n && k <= m - n) {
            Removal r = nullSpace(be, w, k, bias, psiIn, tol);
            if (r != null) {
                return r;
            }
        }
        boolean wideEnough = m >= MIN_ITERATION_WIDTH || settings.iterateAtAnyWidth();
        if (allowFast && wideEnough && SmallestSingularDirections.applicable(m, n, k) && promising(known, k, tol)) {
            SmallestSingularDirections.Triplets t = SmallestSingularDirections.find(be, w, k, BUDGET);
            if (t != null && consistent(t, known, tol)) {
                // certified: the triplets end with a complete cluster, and no smaller value was missed
                Removal r = select(w, t.left(), t.values(), true, k, bias, psiIn, 2 * t.tolerance(),
                        NeurodegenerationMethod.INVERSE_ITERATION);
                if (r != null) {
                    return r;
                }
            }
        }
        SvdLeft svd = be.svdLeft(w); // the left factor is all a removal needs
        Tensor asc = Tensor.zeros(DType.F64, m, m);
        double[] values = new double[m];
        for (int a = 0; a < m; a++) {
            int src = m - 1 - a;
            values[a] = src < svd.s().size() ? svd.s().getFlat(src) : 0.0;
            for (int i = 0; i < m; i++) {
                asc.f64()[i * m + a] = svd.u().f64()[i * m + src];
            }
        }
        return select(w, asc, values, true, k, bias, psiIn, 2 * tol, NeurodegenerationMethod.SVD);
    }

    /**
     * With a known spectrum: whether block inverse iteration can reach the SVD's accuracy within its budget, at its
     * slowest rate {@code (sigma_k / sigma_{p+1})^2} (ascending indices, block {@code p}) accelerated as in
     * {@link SmallestSingularDirections#stepsToReduce}; true without one.
     */
    private static boolean promising(double[] known, int k, double tol) {
        if (known == null) {
            return true;
        }
        int q = known.length;
        int p = Math.min(q, k + 1 + SmallestSingularDirections.OVERSAMPLE);
        double sk = known[q - k];
        double sp = p < q ? known[q - 1 - p] : Double.POSITIVE_INFINITY;
        if (sk <= tol) {
            return true; // null directions converge at once
        }
        double rate = Math.min(1.0, (sk / sp) * (sk / sp));
        return rate < 1 && SmallestSingularDirections.stepsToReduce(rate, 1e-16) <= BUDGET;
    }

    /** With a known spectrum: whether the triplets found are its smallest values, to the tolerance. */
    private static boolean consistent(SmallestSingularDirections.Triplets t, double[] known, double tol) {
        if (known == null) {
            return true;
        }
        int q = known.length;
        for (int i = 0; i < t.count(); i++) {
            if (Math.abs(t.values()[i] - known[q - 1 - i]) > 4 * Math.max(tol, t.tolerance())) {
                return false;
            }
        }
        return true;
    }

    /** The SVD's backward error, {@code 8 max(m, n) u |W|_F}, the resolution at which singular values are equal. */
    static double tolerance(Tensor w) {
        return 8.0 * Math.max(w.rows(), w.cols()) * DType.F64.unitRoundoff() * w.frobeniusNorm();
    }

    /** Tall layer, k <= m - n: the structural null space, if W has full column rank (else null: use the SVD). */
    private static Removal nullSpace(Backend be, Tensor w, int k, Tensor bias, Tensor psiIn, double tol) {
        HouseholderLq lq = HouseholderLq.factor(be, w.transpose()); // W^T [n, m] = [L 0] Q
        Tensor l = lq.lower();
        int n = w.cols();
        for (int i = 0; i < n; i++) {
            if (Math.abs(l.f64()[i * n + i]) <= 2 * tol) {
                return null; // W may be rank deficient: its null cluster is larger than the structural one
            }
        }
        Tensor basis = lq.nullSpace(); // [m, m - n]
        return ordered(w, canonical(basis, k, bias, psiIn), NeurodegenerationMethod.NULL_SPACE);
    }

    /**
     * Selects k directions from ascending triplets: those below the cluster at the cut, then a canonical choice within
     * it. Null if the cluster may extend past the triplets given ({@code complete} false and it reaches the last one).
     */
    private static Removal select(Tensor w, Tensor asc, double[] values, boolean complete, int k, Tensor bias,
                                  Tensor psiIn, double clusterTol, NeurodegenerationMethod method) {
        int q = values.length;
        int cut = k - 1;
        int c0 = cut;
        while (c0 > 0 && values[c0] - values[c0 - 1] <= clusterTol) {
            c0--;
        }
        int c1 = cut;
        while (c1 + 1 < q && values[c1 + 1] - values[c1] <= clusterTol) {
            c1++;
        }
        if (!complete && c1 >= q - 1) {
            return null;
        }
        int m = asc.rows();
        Tensor dirs = Tensor.zeros(DType.F64, m, k);
        for (int i = 0; i < m; i++) {
            System.arraycopy(asc.f64(), i * q, dirs.f64(), i * k, c0);
        }
        if (c1 > cut) { // the cut falls inside a cluster: choose k - c0 of its c1 - c0 + 1 directions canonically
            Tensor cluster = Tensor.zeros(DType.F64, m, c1 - c0 + 1);
            for (int i = 0; i < m; i++) {
                System.arraycopy(asc.f64(), i * q + c0, cluster.f64(), i * (c1 - c0 + 1), c1 - c0 + 1);
            }
            Tensor chosen = canonical(cluster, k - c0, bias, psiIn);
            for (int i = 0; i < m; i++) {
                System.arraycopy(chosen.f64(), i * (k - c0), dirs.f64(), i * k + c0, k - c0);
            }
        } else {
            for (int i = 0; i < m; i++) {
                System.arraycopy(asc.f64(), i * q + c0, dirs.f64(), i * k + c0, k - c0);
            }
        }
        return ordered(w, dirs, method);
    }

    /**
     * The removal with its directions ordered by descending singular value, each value measured directly as
     * {@code |d^T W|} (so the report is sorted and every value belongs to its direction).
     */
    static Removal ordered(Tensor w, Tensor dirs, NeurodegenerationMethod method) {
        int m = w.rows();
        int n = w.cols();
        int k = dirs.cols();
        double[] v = new double[k];
        for (int c = 0; c < k; c++) {
            double[] acc = new double[n];
            for (int i = 0; i < m; i++) {
                double d = dirs.f64()[i * k + c];
                if (d != 0) {
                    for (int j = 0; j < n; j++) {
                        acc[j] += d * w.f64()[i * n + j];
                    }
                }
            }
            double s = 0;
            for (double a : acc) {
                s += a * a;
            }
            v[c] = Math.sqrt(s);
        }
        Integer[] order = new Integer[k];
        for (int c = 0; c < k; c++) {
            order[c] = c;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(v[b], v[a]));
        Tensor out = Tensor.zeros(DType.F64, m, k);
        double[] desc = new double[k];
        for (int c = 0; c < k; c++) {
            desc[c] = v[order[c]];
            for (int i = 0; i < m; i++) {
                out.f64()[i * k + c] = dirs.f64()[i * k + order[c]];
            }
        }
        return new Removal(out, desc, method);
    }

    /**
     * The canonical {@code k} directions of a subspace (orthonormal columns {@code basis [m, d]}): first orthogonal to
     * the projections of psi and the bias, then orthogonal to psi's, then along it; within each part following the
     * projections of {@code e_{m-1}, e_{m-2}, ...}.
     */
    static Tensor canonical(Tensor basis, int k, Tensor bias, Tensor psiIn) {
        int m = basis.rows();
        int d = basis.cols();
        // the protected directions in cluster coordinates: psi's projection first, then the bias's
        double[][] protect = new double[2][];
        int np = 0;
        for (Tensor v : new Tensor[] {psiIn, bias}) {
            if (v == null) {
                continue;
            }
            double[] c = new double[d];
            for (int i = 0; i < m; i++) {
                double vi = v.f64()[i];
                for (int j = 0; j < d; j++) {
                    c[j] += basis.f64()[i * d + j] * vi;
                }
            }
            for (int p = 0; p < np; p++) {
                project(c, protect[p]);
            }
            if (normalise(c, 1e-10 * v.maxAbs())) {
                protect[np++] = c;
            }
        }
        // candidates from coordinate vectors, newest neurons first, orthogonal to the protected directions
        double[][] chosen = new double[k][];
        int nc = 0;
        for (int j = m - 1; j >= 0 && nc < k && nc < d - np; j--) {
            double[] c = new double[d];
            System.arraycopy(basis.f64(), j * d, c, 0, d);
            for (int pass = 0; pass < 2; pass++) {
                for (int p = 0; p < np; p++) {
                    project(c, protect[p]);
                }
                for (int p = 0; p < nc; p++) {
                    project(c, chosen[p]);
                }
            }
            if (normalise(c, 0.5 / Math.sqrt(m))) {
                chosen[nc++] = c;
            }
        }
        // then the bias direction (orthogonal to psi's), then psi's
        for (int p = np - 1; p >= 0 && nc < k; p--) {
            chosen[nc++] = protect[p];
        }
        if (nc < k) { // numerically degenerate candidates: complete with any orthonormal directions of the subspace
            Tensor t = Tensor.zeros(DType.F64, k, d);
            for (int p = 0; p < nc; p++) {
                System.arraycopy(chosen[p], 0, t.f64(), p * d, d);
            }
            for (int p = nc; p < k; p++) {
                t.f64()[p * d + (p % d)] = 1;
            }
            Orthogonal.orthonormaliseRows(t);
            for (int p = nc; p < k; p++) {
                chosen[p] = java.util.Arrays.copyOfRange(t.f64(), p * d, (p + 1) * d);
            }
        }
        Tensor out = Tensor.zeros(DType.F64, m, k);
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < m; i++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += basis.f64()[i * d + j] * chosen[c][j];
                }
                out.f64()[i * k + c] = s;
            }
        }
        return out;
    }

    private static void project(double[] c, double[] unit) {
        double dot = 0;
        for (int j = 0; j < c.length; j++) {
            dot += c[j] * unit[j];
        }
        for (int j = 0; j < c.length; j++) {
            c[j] -= dot * unit[j];
        }
    }

    private static boolean normalise(double[] c, double min) {
        double s = 0;
        for (double x : c) {
            s += x * x;
        }
        s = Math.sqrt(s);
        if (!(s > min)) {
            return false;
        }
        for (int j = 0; j < c.length; j++) {
            c[j] /= s;
        }
        return true;
    }
}
