package io.isotropic.linalg;

import io.isotropic.spi.Backend;
import io.isotropic.spi.Svd;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Seeds;
import io.isotropic.tensor.Tensor;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The few smallest singular triplets of a wide or square matrix {@code W [m, n]} ({@code m <= n}) without a full
 * SVD, to the accuracy of one, for neurodegeneration.
 *
 * <p>Method. A Householder LQ factorisation {@code W = [L 0] Q} ({@link HouseholderLq}, backward stable) gives
 * {@code W W^T = L L^T} without forming the Gram matrix, so the left singular vectors of {@code W} are those of the
 * triangular {@code L} and nothing is lost to a squared condition number. Block inverse iteration
 * {@code X <- L^{-T} L^{-1} X} with a block of {@code p = k + 1 + }{@value #OVERSAMPLE} columns converges to the
 * smallest left singular subspace at the rate {@code (sigma_i / sigma_{p+1})^2} per step for the {@code i}-th
 * vector; a diagonal entry of {@code L} below the value resolution {@code tol_s} (a null direction) is raised to it,
 * which only speeds up convergence towards that direction. After every step, Rayleigh-Ritz with {@code W} itself:
 * the SVD of the small {@code X^T W} (through the LQ factor of its transpose, {@code p x p}) gives Ritz values
 * {@code theta_i} and left vectors {@code x_i}.
 *
 * <p>Convergence. A Ritz pair has the residual {@code r_i = |W W^T x_i - theta_i^2 x_i|}; by the Davis-Kahan theorem
 * the angle between {@code x_i} and the exact singular vector is at most {@code r_i / (sigma_j^2 - theta_i^2)}, with
 * {@code sigma_j} the nearest other singular value. A pair counts as converged when
 * {@code r_i <= tol_r = 64 sqrt(n) u |W|_F^2}, the rounding error of forming {@code W (W^T x)} itself; the iteration
 * then goes on for as many steps as reduce the angle by another factor {@code 10^4} at the observed rate, down to the
 * floor of inverse iteration with backward-stable solves, the SVD's own accuracy {@code u sigma_max / gap}.
 *
 * <p>Certification. Values within {@code 2 tol_s} ({@code tol_s = 8 max(m, n) u |W|_F}, the resolution of singular
 * values) form a cluster; the result covers the first {@code k} pairs and the rest of a cluster at the cut, and it is
 * returned only if no smaller singular value can have been missed and the cluster is complete. Two certificates,
 * either suffices. (1) With {@code X_c} the {@code c} returned vectors and {@code M = L^{-1}}, the next singular
 * value of {@code W} is at least {@code 1 / |M (I - X_c X_c^T)|_F} (Courant-Fischer applied to {@code M}, whose
 * singular values are the reciprocals), which is sharp when the next value is much smaller than the rest, as next to
 * a null direction. (2) An inertia test with a threshold {@code t} above the cluster and {@code mu = |W|_F^2}:
 * {@code L L^T - t^2 I + mu X_c X_c^T} has a Cholesky factorisation only if {@code W W^T} has at most {@code c}
 * eigenvalues below {@code t^2} (a rank-{@code c} positive update raises at most {@code c} of them), while the
 * {@code c} Ritz values, upper bounds of the {@code c} smallest singular values, are below {@code t}; it is made
 * only where {@code t^2} clears the Gram matrix's rounding {@code m u (|W|_F^2 + mu)} by a factor 64, i.e. for a gap
 * that is large against {@code |W|}. If neither certifies within the iteration budget, the result is null and the
 * caller computes an SVD: the slow case is a spectrum whose smallest values are not separated from the next ones (the
 * rate above close to 1), e.g. the soft edge of a Gaussian rectangular matrix.
 */
public final class SmallestSingularDirections {
    /** Extra block columns beyond the wanted ones. */
    public static final int OVERSAMPLE = 16;

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
     * LQ factorisation to beat an SVD.
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
        Tensor l = HouseholderLq.factor(be, w).lower();
        for (int i = 0; i < m; i++) {
            double d = l.f64()[i * m + i];
            if (Math.abs(d) < sc.values()) {
                l.f64()[i * m + i] = d < 0 ? -sc.values() : sc.values();
            }
        }
        Tensor linv = Cholesky.invertLower(be, l);
        int p = Math.min(m, k + 1 + OVERSAMPLE);
        Tensor x = Tensor.randomNormal(DType.F64, new SplittableRandom(Seeds.mix(m, n, k)), 1.0, m, p);
        orthonormaliseColumns(x);
        Ritz ritz = null;
        int extra = -1; // steps still to take after first convergence; -1 before it
        for (int it = 1; it <= budget; it++) {
            x = be.matmul(linv, true, be.matmul(linv, x), false); // (L L^T)^{-1} X
            orthonormaliseColumns(x);
            ritz = rayleighRitz(be, w, x, sc);
            if (extra < 0) {
                if (ritz.converged() >= k) {
                    // rate of the slowest wanted vector; the largest Ritz value stands in for sigma_{p+1}
                    double rate = Math.pow(ritz.values()[k - 1] / ritz.values()[p - 1], 2);
                    extra = rate <= 0 ? 0 : (int) Math.min(budget, Math.ceil(Math.log(1e-4) / Math.log(rate)));
                    extra = Math.max(1, Math.min(extra, budget - it));
                }
            } else {
                extra--;
            }
            if (extra == 0) {
                return certify(be, l, linv, x, ritz, k, sc, it);
            }
        }
        return ritz != null && extra >= 0 ? certify(be, l, linv, x, ritz, k, sc, budget) : null;
    }

    /** The resolution of singular values, the residual tolerance and {@code |W|_F}. */
    private record Scales(double values, double residual, double normF) {
    }

    /** Ritz values ascending, their residuals, and how many of the smallest have converged (a prefix). */
    private record Ritz(double[] values, double[] residuals, int converged) {
    }

    /** Rayleigh-Ritz with W on span(X): replaces X by the Ritz vectors (ascending) and returns values and residuals. */
    private static Ritz rayleighRitz(Backend be, Tensor w, Tensor x, Scales sc) {
        int m = x.rows();
        int p = x.cols();
        Tensor z = be.matmul(w, true, x, false); // W^T X [n, p]; X^T W = Z^T
        Tensor lz = HouseholderLq.factor(be, z.transpose()).lower(); // Z^T = [Lz 0] Q: singular values of Lz
        Svd small = be.svd(lz);                                      // Lz = U S V^T, U the left vectors of X^T W
        Tensor vectors = be.matmul(x, small.u());                   // [m, p], descending in value
        Tensor wz = be.matmul(w, false, be.matmul(z, small.u()), false); // W W^T x_i for each Ritz vector
        double[] values = new double[p];
        double[] res = new double[p];
        int converged = 0;
        boolean prefix = true;
        for (int a = 0; a < p; a++) {
            int src = p - 1 - a; // ascending
            double s = small.s().getFlat(src);
            values[a] = s;
            double r2 = 0;
            for (int i = 0; i < m; i++) {
                double d = wz.f64()[i * p + src] - s * s * vectors.f64()[i * p + src];
                r2 += d * d;
            }
            res[a] = Math.sqrt(r2);
            prefix &= res[a] <= sc.residual();
            if (prefix) {
                converged = a + 1;
            }
        }
        for (int i = 0; i < m; i++) {
            for (int a = 0; a < p; a++) {
                x.f64()[i * p + a] = vectors.f64()[i * p + (p - 1 - a)];
            }
        }
        return new Ritz(values, res, converged);
    }

    /**
     * The converged smallest pairs through the end of the cluster at the cut, if at least {@code need} converged and
     * a certificate holds, else null.
     */
    private static Triplets certify(Backend be, Tensor l, Tensor linv, Tensor x, Ritz ritz, int need, Scales sc,
                                    int it) {
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
        double bound = 1 / frobeniusOfDeflated(be, linv, xc);
        if (!(bound > values[end] + 2 * tol)) {
            // a threshold between the cluster and the next Ritz value (an upper bound of the next singular value)
            double t = values[end] + Math.max(4 * tol, 0.5 * (values[end + 1] - values[end]));
            if (!inertiaCertifies(be, l, xc, t, sc.normF())) {
                return null;
            }
            bound = t;
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
     * Whether {@code L L^T - t^2 I + mu X X^T} is numerically positive definite ({@code mu = |W|_F^2}), with a margin
     * of 64 times its rounding error: then {@code W W^T} has at most {@code X}'s column count of eigenvalues below
     * {@code t^2}.
     */
    private static boolean inertiaCertifies(Backend be, Tensor l, Tensor xc, double t, double normF) {
        int m = l.rows();
        double mu = normF * normF;
        double rounding = m * DType.F64.unitRoundoff() * (normF * normF + mu);
        if (!(t * t > 128 * rounding)) {
            return false;
        }
        Tensor b = be.matmul(l, false, l, true);
        be.gemm(mu, xc, false, xc, true, 1.0, b);
        for (int i = 0; i < m; i++) {
            b.f64()[i * m + i] -= t * t + 64 * rounding; // a margin beyond t^2, so success is no rounding accident
        }
        return Cholesky.factor(be, b) != null;
    }

    /** Orthonormalises the columns of an F64 matrix in place (Gram-Schmidt twice, on the transpose's rows). */
    private static void orthonormaliseColumns(Tensor x) {
        Tensor t = x.transpose();
        Orthogonal.orthonormaliseRows(t);
        Tensor back = t.transpose();
        System.arraycopy(back.f64(), 0, x.f64(), 0, back.size());
    }
}
