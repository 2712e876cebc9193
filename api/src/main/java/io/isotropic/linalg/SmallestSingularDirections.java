package io.isotropic.linalg;

import io.isotropic.spi.Backend;
import io.isotropic.spi.SvdLeft;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Seeds;
import io.isotropic.tensor.Tensor;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The few smallest singular triplets of a wide or square matrix {@code W [m, n]} ({@code m <= n}) without a full
 * SVD, to the accuracy of one, for neurodegeneration.
 *
 * <p>Method. The Gram matrix {@code G = W W^T} (one backend product) and the Cholesky factor
 * {@code Lg} of {@code G + delta I} ({@code delta = 2 (n + m + 1) u |W|_F^2}, so that a null direction does not stop
 * the factorisation; the guaranteed {@code 2 (m (m + 2) + n) u |W|_F^2} of Higham's theorem 10.7 if that fails) give
 * the operator. {@code Lg Lg^T} is within {@code e = delta + 2 (n + m + 1) u (|W|_F^2 + m delta)} of {@code W W^T}
 * (forming G, gamma_n |W|_F^2; the factorisation, gamma_{m+1} of the trace), which limits only how fast the
 * iteration converges and what the Gram matrix can certify: every value and every final residual comes from
 * {@code W} itself, so the squared condition number of G never reaches the results. Restarted block Krylov (block
 * Lanczos) iteration with {@code A = Lg^{-T} Lg^{-1}}, about {@code (W W^T)^{-1}} (the triangular factors applied by
 * {@link LowerTriangular}, which skips their zero halves): from an orthonormal block {@code X} of
 * {@code p = k + 1 + }{@value #OVERSAMPLE} columns, the basis {@code [X, A X, ..., A^d X]}
 * ({@code d = }{@value #DEPTH}, fewer where the layer is narrow), orthonormalised by block classical Gram-Schmidt
 * twice, then Rayleigh-Ritz on that basis: with {@code Lg} (triangular, m columns instead of n) to steer the
 * iteration (a residual does not see the shift), and with {@code W} itself ({@code Q^T W}, through the LQ factor of
 * the small {@code Q^T W}) once the iteration has converged, for the values (the singular values of {@code Q^T W},
 * at the SVD's accuracy) and the residuals; the {@code p} smallest Ritz vectors restart the next outer iteration.
 * The basis contains {@code A^d X}, so an outer iteration does at least what {@code d} steps of plain block inverse
 * iteration do (rate {@code (sigma_i / sigma_{p+1})^2} per step), and its Chebyshev acceleration is what makes the
 * soft edge of a Gaussian layer converge: a 512 x 784 Gaussian layer, whose smallest values give the plain iteration
 * with this block a rate of 0.74 per step (over 100 steps to converge), converges in 16 steps and certifies within a
 * budget of 30 (a block of 16 at depth 4, rate 0.56, took 24 steps but more time: each step and each Rayleigh-Ritz
 * costs in proportion to the block: 86 against 70 ms on one core in F64, side by side, with the earlier LQ
 * operator). A Krylov column that the others span to rounding (an invariant subspace reached) is replaced by a random
 * one. The Gram operator replaced a Householder LQ factor of {@code W} ({@code W = [L 0] Q}, backward stable, whose
 * factorisation ran at about a third of the gemm speed): on that layer, one core, AMD EPYC, the whole search took
 * 50-52 ms against 64 ms (minimum of 25 calls each).
 *
 * <p>Convergence. A Ritz pair has the residual {@code r_i = |W W^T x_i - theta_i^2 x_i|}; by the Davis-Kahan theorem
 * the angle between {@code x_i} and the exact singular vector is at most {@code r_i / (sigma_j^2 - theta_i^2)}, with
 * {@code sigma_j} the nearest other singular value. A pair counts as converged when
 * {@code r_i <= tol_r = 64 sqrt(n) u |W|_F^2}, the rounding error of forming {@code W (W^T x)} itself; the iteration
 * then goes on for as many outer iterations as reduce the angle by another factor {@code 10^4} at the observed rate
 * ({@link #stepsToReduce}), down to the floor of inverse iteration with backward-stable solves, the SVD's own
 * accuracy {@code u sigma_max / gap}. Before convergence, an iteration whose residual falls too slowly to converge
 * within the budget (at the reduction observed over the last outer iteration, with a factor 2 of slack) is abandoned
 * early, so that the caller's SVD fallback does not come after a wasted budget.
 *
 * <p>Certification. Values within {@code 2 tol_s} ({@code tol_s = 8 max(m, n) u |W|_F}, the resolution of singular
 * values) form a cluster; the result covers the first {@code k} pairs and the rest of a cluster at the cut, and it is
 * returned only if no smaller singular value can have been missed and the cluster is complete. Two certificates,
 * either suffices. (1) With {@code X_c} the {@code c} returned vectors and {@code M = Lg^{-1}}, the next singular
 * value of {@code Lg} is at least {@code b = 1 / |M (I - X_c X_c^T)|_F} (Courant-Fischer applied to {@code M}, whose
 * singular values are the reciprocals), so that of {@code W} is at least {@code sqrt(b^2 - e)}; this is sharp when the
 * next value is much smaller than the rest, as next to a null direction. Where that next value is itself below the
 * Gram matrix's resolution (its Ritz value squared within {@code 16 e}, as for a near-null neighbour of a null
 * direction), {@code M} is instead the inverse of the factor of a Householder LQ factorisation {@code W = [L 0] Q}
 * (backward stable: {@code L} is the exact factor of {@code W + E}, {@code |E|_F <= c n u |W|_F}, nothing squared;
 * a diagonal entry below {@code tol_s} raised to it) and {@code b} bounds the next value directly. (2) An inertia test
 * with a threshold {@code t} above the cluster and {@code mu = |W|_F^2}: {@code G - t^2 I + mu X_c X_c^T} has a
 * Cholesky factorisation only if {@code W W^T} has at most {@code c} eigenvalues below {@code t^2} (a rank-{@code c}
 * positive update raises at most {@code c} of them), while the {@code c} Ritz values, upper bounds of the {@code c}
 * smallest singular values, are below {@code t}; it is made only where {@code t^2} clears the test's rounding
 * {@code 2 (n + m + 1 + c) u (|W|_F^2 + c mu)} (forming G, the update, the factorisation) by a factor 128, with a
 * margin of 64 times it, i.e. for a gap
 * that is large against {@code |W|}. If neither certifies within the iteration budget, the result is null and the
 * caller computes an SVD: the slow case is a spectrum whose smallest values are not separated from the next ones (the
 * rate above close to 1), e.g. the soft edge of a Gaussian rectangular matrix.
 */
public final class SmallestSingularDirections {
    /** Extra block columns beyond the wanted ones. */
    public static final int OVERSAMPLE = 4;

    /** Inverse-iteration steps per outer iteration: the degree of the block Krylov space before each restart. */
    public static final int DEPTH = 8;

    private SmallestSingularDirections() {
    }

    /**
     * The smallest singular triplets found, ascending, certified.
     *
     * @param left orthonormal columns {@code [m, c]}: the left singular vectors, ascending in value
     * @param values their singular values ({@code |x_i^T W|}), ascending, length {@code c}
     * @param residuals the residual {@code |W W^T x_i - theta_i^2 x_i|} of each, all {@code <= 64 sqrt(n) u |W|_F^2}
     * @param tolerance the resolution of the values, {@code tol_s = 8 max(m, n) u |W|_F}
     * @param iterations inverse-iteration steps taken
     * @param nextLowerBound a certified lower bound on the next singular value of {@code W} (beyond these)
     */
    public record Triplets(Tensor left, double[] values, double[] residuals, double tolerance, int iterations,
                           double nextLowerBound) {
        /**
         * Number of triplets.
         *
         * @return {@code c}
         */
        public int count() {
            return values.length;
        }
    }

    /**
     * Whether the iterative path is worth trying: a few directions of a wide or square layer large enough for the
     * Gram-matrix operator and the iteration to beat an SVD.
     *
     * @param m rows of the matrix (the layer's width)
     * @param n columns
     * @param k directions wanted
     * @return true if {@link #find} should be tried before a full SVD
     */
    public static boolean applicable(int m, int n, int k) {
        return m <= n && m >= 96 && k >= 1 && k <= 16 && k + OVERSAMPLE + 1 <= m;
    }

    /**
     * Finds the {@code k} smallest singular triplets of {@code w}, extended to the end of a cluster of equal values
     * at the cut, certified; or returns null if that does not happen within the budget.
     *
     * @param be the backend for the products
     * @param w the matrix {@code [m, n]}, {@code m <= n}, F64, finite
     * @param k triplets wanted, {@code 1 <= k}, {@code k + 1 + OVERSAMPLE <= m}
     * @param budget maximum inverse-iteration steps, {@code >= 1}
     * @return the certified smallest triplets (at least {@code k}, ending with a complete cluster), or null
     * @throws IllegalArgumentException if w is not a wide F64 matrix, or k or the budget is out of range
     */
    public static Triplets find(Backend be, Tensor w, int k, int budget) {
        if (be == null || w == null || w.rank() != 2 || w.dtype() != DType.F64 || w.rows() > w.cols() || k < 1
                || k + 1 + OVERSAMPLE > w.rows() || budget < 1) {
            throw new IllegalArgumentException("SmallestSingularDirections.find: need a backend, an F64 matrix [m, n] "
                    + "with m <= n, 1 <= k <= m - " + (OVERSAMPLE + 1) + " and a budget >= 1, got "
                    + (w == null ? "null" : w.dtype() + " " + w.shape()) + ", k = " + k + ", budget " + budget);
        }
        int m = w.rows();
        int n = w.cols();
        double normF = w.frobeniusNorm();
        if (normF == 0) {
            return null; // a zero matrix: every direction is a null direction; the SVD path handles it exactly
        }
        double u = DType.F64.unitRoundoff();
        Scales sc = new Scales(8.0 * Math.max(m, n) * u * normF, 64.0 * Math.sqrt(n) * u * normF * normF, normF);
        Tensor g = be.matmul(w, false, w, true); // G = W W^T
        // the operator's factor: G + delta I = Lg Lg^T; the shift only keeps null directions from stopping the
        // factorisation (it changes the operator, so convergence, but no value: those come from W itself)
        double delta = 2.0 * (n + m + 1) * u * normF * normF;
        Tensor lg = Cholesky.factor(be, shifted(g, delta));
        if (lg == null) {
            delta = 2.0 * (m * (m + 2.0) + n) * u * normF * normF; // enough for any G within rounding (Higham 10.7)
            lg = Cholesky.factor(be, shifted(g, delta));
            if (lg == null) {
                return null;
            }
        }
        // |Lg Lg^T - W W^T|_2: the shift, forming G (gamma_n |W|_F^2) and the factorisation
        // (gamma_{m+1} tr(G + delta I))
        double gramError = delta + 2.0 * (n + m + 1) * u * (normF * normF + m * delta);
        Tensor linv = Cholesky.invertLower(be, lg);
        LowerTriangular minv = LowerTriangular.of(linv); // the products skip its zero upper half
        LowerTriangular gramFactor = LowerTriangular.of(lg);
        int p = Math.min(m, k + 1 + OVERSAMPLE);
        SplittableRandom rng = new SplittableRandom(Seeds.mix(m, n, k));
        Tensor x = Tensor.randomNormal(DType.F64, rng, 1.0, m, p);
        orthonormaliseColumns(x);
        Ritz ritz = null;
        Tensor basis = null;
        int steps = 0;
        int extra = -1; // outer iterations still to take after first convergence; -1 before it
        double previous = Double.NaN; // the k-th Ritz pair's residual after the previous outer iteration
        while (steps < budget) {
            int d = Math.min(DEPTH, Math.min(budget - steps, (m - p) / p));
            basis = d >= 1 ? krylov(be, minv, x, d, rng) : power(be, minv, x);
            steps += Math.max(d, 1);
            // the iteration's own Rayleigh-Ritz, with the Gram factor (triangular, m columns instead of n): enough
            // to steer it (a residual does not see the shift); the values and the final residuals come from W
            ritz = rayleighRitz(be, basis, p, sc, gramFactor.transposeTimes(be, basis).transpose(),
                    y -> gramFactor.times(be, y), true);
            x = leadingColumns(basis, p);
            if (extra < 0) {
                if (ritz.converged() >= k) {
                    // the slowest wanted vector's rate; the next Ritz value beyond the block stands in for sigma_{p+1}
                    double next = ritz.values()[Math.min(p, ritz.values().length - 1)];
                    double rate = next > 0 ? Math.min(1.0, Math.pow(ritz.values()[k - 1] / next, 2)) : 0.0;
                    extra = (int) Math.ceil(stepsToReduce(rate, 1e-4) / DEPTH);
                    extra = Math.max(1, Math.min(extra, (budget - steps + DEPTH - 1) / DEPTH));
                    if (steps >= budget) {
                        extra = 0;
                    }
                } else {
                    double r = ritz.residuals()[k - 1];
                    if (previous > 0 && r > 0 && hopeless(previous, r, sc.residual(), budget - steps)) {
                        return null; // at the rate observed, the budget would run out first: abandon early
                    }
                    previous = r;
                }
            } else {
                extra--;
            }
            if (extra == 0 || (extra > 0 && steps >= budget)) {
                // Rayleigh-Ritz with W itself: values at the SVD's accuracy, residuals of W W^T
                Ritz exact = rayleighRitz(be, basis, p, sc, be.matmul(basis.transpose(), w), y -> be.matmul(w, y),
                        false);
                if (exact.converged() >= k || steps >= budget) {
                    return certify(be, w, g, linv, gramError, basis, exact, k, sc, steps);
                }
                x = leadingColumns(basis, p); // not yet, measured against W: one more outer iteration
                extra = 1;
            }
        }
        return null;
    }

    /**
     * Inverse-iteration steps that reduce the angle of the slowest wanted vector by the factor {@code target} at the
     * subspace rate {@code rate = (sigma_k / sigma_{p+1})^2}, for the restarted block Krylov iteration used here:
     * each outer iteration of {@value #DEPTH} steps applies a polynomial of degree {@value #DEPTH} in
     * {@code (W W^T)^{-1}}, which reduces the angle at least by the Chebyshev factor
     * {@code 1 / T_DEPTH(1 + 2 gamma)}, {@code gamma = 1 / rate - 1} the gap ratio of the inverse Gram matrix
     * (taking its smallest eigenvalue as 0, which only enlarges the interval and so is conservative).
     *
     * @param rate {@code (sigma_k / sigma_{p+1})^2}, in {@code [0, 1]}
     * @param target the reduction wanted, in {@code (0, 1)}
     * @return the steps (a multiple of {@value #DEPTH}), or {@code Integer.MAX_VALUE} if the rate is 1 or not finite
     * @throws IllegalArgumentException if rate or target is out of range
     */
    public static int stepsToReduce(double rate, double target) {
        if (!(rate >= 0 && rate <= 1) || !(target > 0 && target < 1)) {
            throw new IllegalArgumentException("SmallestSingularDirections.stepsToReduce: need 0 <= rate <= 1 and "
                    + "0 < target < 1, got rate " + rate + ", target " + target);
        }
        if (rate == 0) {
            return DEPTH;
        }
        if (rate == 1) {
            return Integer.MAX_VALUE;
        }
        double gamma = 1 / rate - 1;
        double t = Math.cosh(DEPTH * acosh(1 + 2 * gamma)); // T_DEPTH(1 + 2 gamma)
        double outer = Math.ceil(Math.log(target) / -Math.log(t));
        return outer * DEPTH >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) (outer * DEPTH);
    }

    private static double acosh(double x) {
        return Math.log(x + Math.sqrt(x * x - 1));
    }

    /**
     * Whether, at the residual reduction observed over the last outer iteration, convergence cannot come within the
     * steps left (with a factor 2 of slack, so a slow start is not abandoned).
     */
    private static boolean hopeless(double before, double now, double tol, int stepsLeft) {
        if (now <= tol) {
            return false;
        }
        double factor = now / before;
        if (!(factor < 1)) {
            return stepsLeft < DEPTH || factor >= 2; // no progress at all; a few more steps may still turn it
        }
        double outerNeeded = Math.log(tol / now) / Math.log(factor);
        return outerNeeded > 2.0 * stepsLeft / DEPTH + 1;
    }

    /**
     * The block Krylov basis {@code [X, A X, ..., A^d X]} of {@code A = L^{-T} L^{-1} = (W W^T)^{-1}}, orthonormal
     * (block classical Gram-Schmidt twice); a column that the previous ones span to rounding (an invariant subspace
     * reached, e.g. a null direction) is replaced by a random one.
     */
    private static Tensor krylov(Backend be, LowerTriangular linv, Tensor x, int d, SplittableRandom rng) {
        int m = x.rows();
        int p = x.cols();
        int kk = (d + 1) * p;
        Tensor q = Tensor.zeros(DType.F64, m, kk);
        putColumns(q, x, 0);
        Tensor cur = x;
        for (int j = 1; j <= d; j++) {
            Tensor y = linv.transposeTimes(be, linv.times(be, cur)); // A cur [m, p]
            Tensor prev = leadingColumns(q, j * p);
            double[] before = columnNorms(y);
            be.gemm(-1.0, prev, false, be.matmul(prev, true, y, false), false, 1.0, y);
            double[] after = columnNorms(y);
            boolean replaced = false;
            for (int c = 0; c < p; c++) {
                if (!(after[c] > 1e-10 * before[c])) {
                    for (int i = 0; i < m; i++) {
                        y.f64()[i * p + c] = rng.nextGaussian();
                    }
                    replaced = true;
                }
            }
            if (replaced) {
                be.gemm(-1.0, prev, false, be.matmul(prev, true, y, false), false, 1.0, y);
            }
            // block classical Gram-Schmidt twice (BCGS2): project, orthonormalise, and again
            orthonormaliseColumns(y);
            be.gemm(-1.0, prev, false, be.matmul(prev, true, y, false), false, 1.0, y);
            orthonormaliseColumns(y);
            putColumns(q, y, j * p);
            cur = y;
        }
        return q;
    }

    /** One plain inverse-iteration step {@code X <- orth(A X)} (when the layer is too narrow for a Krylov block). */
    private static Tensor power(Backend be, LowerTriangular linv, Tensor x) {
        Tensor y = linv.transposeTimes(be, linv.times(be, x));
        orthonormaliseColumns(y);
        return y;
    }

    private static double[] columnNorms(Tensor y) {
        int m = y.rows();
        int p = y.cols();
        double[] s = new double[p];
        for (int i = 0; i < m; i++) {
            for (int c = 0; c < p; c++) {
                double v = y.f64()[i * p + c];
                s[c] += v * v;
            }
        }
        for (int c = 0; c < p; c++) {
            s[c] = Math.sqrt(s[c]);
        }
        return s;
    }

    private static Tensor leadingColumns(Tensor q, int c) {
        int m = q.rows();
        int kk = q.cols();
        Tensor out = Tensor.zeros(DType.F64, m, c);
        for (int i = 0; i < m; i++) {
            System.arraycopy(q.f64(), i * kk, out.f64(), i * c, c);
        }
        return out;
    }

    private static void putColumns(Tensor q, Tensor y, int at) {
        int m = q.rows();
        int kk = q.cols();
        int p = y.cols();
        for (int i = 0; i < m; i++) {
            System.arraycopy(y.f64(), i * p, q.f64(), i * kk + at, p);
        }
    }

    /** The resolution of singular values, the residual tolerance and {@code |W|_F}. */
    private record Scales(double values, double residual, double normF) {
    }

    /** Ritz values ascending, the residuals of the leading block, and how many of the smallest have converged. */
    private record Ritz(double[] values, double[] residuals, int converged) {
    }

    /**
     * Rayleigh-Ritz on span(X) for {@code F F^T}, with {@code F} either W itself or a triangular factor of its Gram
     * matrix (the same left singular structure to rounding, m columns instead of n), given {@code zt = X^T F} and the
     * product {@code y -> F y}: the singular values and left vectors of {@code X^T F}, through its LQ factor or
     * (squared) the eigenvectors of {@code X^T F F^T X}; writes
     * the {@code keep} smallest Ritz vectors (ascending) into X's leading columns and returns all Ritz
     * values (ascending) and the residuals of those {@code keep} (the rest of X is left as it was: only the leading
     * block is used).
     */
    private static Ritz rayleighRitz(Backend be, Tensor x, int keep, Scales sc, Tensor zt,
                                     java.util.function.UnaryOperator<Tensor> applyF, boolean squared) {
        int m = x.rows();
        int q = x.cols();
        // squared: the eigenvectors of X^T F F^T X (values to u |F|^2 absolute, enough to steer); else through
        // X^T F = [Lz 0] Q, Lz = U S V^T (values to u |F|, the SVD's accuracy)
        SvdLeft small = be.svdLeft(squared ? be.matmul(zt, false, zt, true) : HouseholderLq.factor(be, zt).lower());
        // the keep smallest, ascending: column a of ua is column q - 1 - a of U
        Tensor ua = Tensor.zeros(DType.F64, q, keep);
        for (int i = 0; i < q; i++) {
            for (int a = 0; a < keep; a++) {
                ua.f64()[i * keep + a] = small.u().f64()[i * q + (q - 1 - a)];
            }
        }
        Tensor vectors = be.matmul(x, ua);                               // [m, keep], ascending in value
        Tensor wz = applyF.apply(be.matmul(zt, true, ua, false));         // F F^T x_a for each kept Ritz vector
        double[] values = new double[q];
        for (int a = 0; a < q; a++) {
            double v = small.s().getFlat(q - 1 - a);
            values[a] = squared ? Math.sqrt(Math.max(0.0, v)) : v;
        }
        double[] res = new double[keep];
        int converged = 0;
        boolean prefix = true;
        for (int a = 0; a < keep; a++) {
            double s = values[a];
            double r2 = 0;
            for (int i = 0; i < m; i++) {
                double d = wz.f64()[i * keep + a] - s * s * vectors.f64()[i * keep + a];
                r2 += d * d;
            }
            res[a] = Math.sqrt(r2);
            prefix &= res[a] <= sc.residual();
            if (prefix) {
                converged = a + 1;
            }
        }
        for (int i = 0; i < m; i++) {
            System.arraycopy(vectors.f64(), i * keep, x.f64(), i * q, keep);
        }
        return new Ritz(values, res, converged);
    }

    /**
     * The converged smallest pairs through the end of the cluster at the cut, if at least {@code need} converged and
     * a certificate holds, else null.
     */
    private static Triplets certify(Backend be, Tensor w, Tensor g, Tensor linv, double gramError, Tensor x, Ritz ritz,
                                    int need, Scales sc, int it) {
        int m = x.rows();
        int p = x.cols();
        double[] values = ritz.values();
        if (ritz.converged() < need) {
            return null;
        }
        double tol = sc.values();
        int end = need - 1; // extend through a cluster of equal values at the cut
        while (end + 1 < ritz.converged() && values[end + 1] - values[end] <= 2 * tol) {
            end++;
        }
        if (end + 1 >= p || !(values[end + 1] > values[end] + 4 * tol)) {
            return null; // the cluster may continue beyond what has converged, or beyond the block
        }
        int c = end + 1;
        Tensor xc = Tensor.zeros(DType.F64, m, c);
        for (int i = 0; i < m; i++) {
            System.arraycopy(x.f64(), i * p, xc.f64(), i * c, c);
        }
        // 1 / |Lg^{-1} (I - X X^T)|_F bounds sigma_{c+1}(Lg) below; W W^T is within gramError of Lg Lg^T
        double b = 1 / frobeniusOfDeflated(be, linv, xc);
        double bound = Math.sqrt(Math.max(0.0, b * b - gramError));
        if (!(bound > values[end] + 2 * tol)) {
            // a threshold between the cluster and the next Ritz value (an upper bound of the next singular value)
            double t = values[end] + Math.max(4 * tol, 0.5 * (values[end + 1] - values[end]));
            if (inertiaCertifies(be, g, xc, t, sc.normF(), w.cols())) {
                bound = t;
            } else if (values[end + 1] * values[end + 1] <= 16 * gramError) {
                // a next value the Gram matrix cannot resolve (about sqrt(gramError)), e.g. a near-null neighbour of a
                // null direction: the LQ factor can (W + E = [L 0] Q, |E|_F <= c n u |W|_F, not squared)
                bound = 1 / frobeniusOfDeflated(be, Cholesky.invertLower(be, lqFactorRaised(be, w, tol)), xc);
                if (!(bound > values[end] + 2 * tol)) {
                    return null;
                }
            } else {
                return null;
            }
        }
        return new Triplets(xc, Arrays.copyOf(values, c), Arrays.copyOf(ritz.residuals(), c), tol, it, bound);
    }

    /** {@code |M (I - X X^T)|_F}, formed as {@code M - (M X) X^T} (no cancellation of the large directions). */
    private static double frobeniusOfDeflated(Backend be, Tensor mInv, Tensor xc) {
        Tensor d = mInv.copy();
        be.gemm(-1.0, be.matmul(mInv, xc), false, xc, true, 1.0, d);
        return d.frobeniusNorm();
    }

    /**
     * Whether {@code G - t^2 I + mu X X^T} is numerically positive definite ({@code G} the computed Gram matrix,
     * {@code mu = |W|_F^2}), with a margin of 64 times its rounding error (forming {@code G}, gamma_n |W|_F^2; the
     * update, gamma_c mu c; the factorisation, gamma_{m+1} of the trace): then {@code W W^T} has at most
     * {@code X}'s column count {@code c} of eigenvalues below {@code t^2}.
     */
    private static boolean inertiaCertifies(Backend be, Tensor g, Tensor xc, double t, double normF, int n) {
        int m = g.rows();
        int c = xc.cols();
        double mu = normF * normF;
        double rounding = 2.0 * (n + m + 1 + c) * DType.F64.unitRoundoff() * (normF * normF + c * mu);
        if (!(t * t > 128 * rounding)) {
            return false;
        }
        Tensor b = g.copy(); // the lower triangle, all that Cholesky reads
        be.gemm(mu, xc, false, xc, true, 1.0, b);
        for (int i = 0; i < m; i++) {
            b.f64()[i * m + i] -= t * t + 64 * rounding; // a margin beyond t^2, so success is no rounding accident
        }
        return Cholesky.factor(be, b) != null;
    }

    /**
     * The factor {@code L} of a Householder LQ factorisation {@code W = [L 0] Q}, with any diagonal entry below
     * {@code tol} in magnitude raised to it so that it can be inverted (which only moves a singular value already
     * below the resolution).
     */
    private static Tensor lqFactorRaised(Backend be, Tensor w, double tol) {
        Tensor l = HouseholderLq.factor(be, w).lower();
        int m = l.rows();
        for (int i = 0; i < m; i++) {
            double d = l.f64()[i * m + i];
            if (Math.abs(d) < tol) {
                l.f64()[i * m + i] = d < 0 ? -tol : tol;
            }
        }
        return l;
    }

    /** A copy of {@code g} with {@code delta} added to its diagonal. */
    private static Tensor shifted(Tensor g, double delta) {
        Tensor a = g.copy();
        int m = g.rows();
        for (int i = 0; i < m; i++) {
            a.f64()[i * m + i] += delta;
        }
        return a;
    }

    /** Orthonormalises the columns of an F64 matrix in place (Gram-Schmidt twice, on the transpose's rows). */
    private static void orthonormaliseColumns(Tensor x) {
        Tensor t = x.transpose();
        Orthogonal.orthonormaliseRows(t);
        Tensor back = t.transpose();
        System.arraycopy(back.f64(), 0, x.f64(), 0, back.size());
    }
}
