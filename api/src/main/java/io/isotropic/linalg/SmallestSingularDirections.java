package io.isotropic.linalg;

import io.isotropic.spi.Backend;
import io.isotropic.spi.Svd;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Seeds;
import io.isotropic.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * The few smallest singular directions of a weight matrix without a full SVD, for neurodegeneration.
 *
 * <p>With {@code G = W W^T + delta I} ({@code delta = 1e-10 tr(W W^T)}, which keeps the Cholesky factorisation
 * of the positive semi-definite Gram matrix well defined), block inverse iteration {@code X <- G^{-1} X} with an
 * oversampled block of {@code k + 15} columns converges to the invariant subspace of the smallest eigenvalues;
 * its Ritz values converge at the squared rate {@code ((lambda_k + delta)/(lambda_{k+16} + delta))^2} per step,
 * and a final Rayleigh-Ritz step returns the Ritz directions. Inverse iteration is accurate wherever
 * the choice matters: directions are determined to {@code O(u |W|^2 / gap)}, and when the smallest values are
 * clustered any direction of the cluster has about the same singular value. Each returned singular value is
 * measured directly as the norm of the rotated row, {@code |x^T W|}. {@code G^{-1}} is formed once from a
 * blocked Cholesky factorisation whose updates are backend matrix products, so each iteration is one product.
 */
public final class SmallestSingularDirections {
    /** Extra block columns beyond the wanted ones. */
    private static final int OVERSAMPLE = 15;
    private static final int MAX_ITERATIONS = 60;

    private SmallestSingularDirections() {
    }

    /**
     * The {@code k} smallest singular directions of {@code w}.
     *
     * @param x orthonormal columns {@code [m, k]}, the left singular directions in ascending order of {@code sigma}
     * @param sigma their singular values ({@code |x_i^T W|}), ascending
     */
    public record Directions(Tensor x, double[] sigma) {
    }

    /**
     * Whether the iterative path is worth it: a few directions of a layer wide enough for the O(m^3) factorisation
     * to beat an SVD.
     *
     * @param m rows of the matrix (the layer's width)
     * @param k directions wanted
     * @return true if {@link #find} should be tried before a full SVD
     */
    public static boolean applicable(int m, int k) {
        return m >= 96 && k <= 16 && 4 * k <= m;
    }

    /**
     * Finds the {@code k} smallest left singular directions of {@code w}, or returns null if the Gram matrix cannot
     * be factorised or the iteration does not settle (the caller then uses an SVD).
     *
     * @param be the backend for the products
     * @param w the matrix {@code [m, n]}, F64, finite
     * @param k directions wanted, {@code 1 <= k <= m}
     * @return the directions, or null
     * @throws IllegalArgumentException if w is not an F64 matrix or k is out of range
     */
    public static Directions find(Backend be, Tensor w, int k) {
        if (be == null || w == null || w.rank() != 2 || w.dtype() != DType.F64 || k < 1 || k > w.rows()) {
            throw new IllegalArgumentException("SmallestSingularDirections.find: need a backend, an F64 matrix and "
                    + "1 <= k <= rows, got " + (w == null ? "null" : w.dtype() + " " + w.shape()) + ", k = " + k);
        }
        int m = w.rows();
        int p = Math.min(m, k + OVERSAMPLE);
        Tensor g = be.matmul(w, false, w, true);
        double trace = 0;
        for (int i = 0; i < m; i++) {
            trace += g.f64()[i * m + i];
        }
        if (!(trace > 0)) {
            return null; // a zero matrix: every direction is a null direction; the SVD path handles it exactly
        }
        double delta = 1e-10 * trace;
        for (int i = 0; i < m; i++) {
            g.f64()[i * m + i] += delta;
        }
        Tensor inv = inverseSpd(be, g.f64(), m);
        if (inv == null) {
            return null;
        }
        SplittableRandom rng = new SplittableRandom(Seeds.mix(m, w.cols(), k));
        // the block is kept transposed, [p, m] (one direction per row), so that Gram-Schmidt runs on contiguous rows
        Tensor xt = Tensor.randomNormal(DType.F64, rng, 1.0, p, m);
        Orthogonal.orthonormaliseRows(xt);
        double[] previous = null;
        boolean settled = false;
        Tensor projected = null;
        for (int it = 0; it < MAX_ITERATIONS && !settled; it++) {
            xt = be.matmul(xt, inv); // (G^{-1} X)^T, G symmetric
            Orthogonal.orthonormaliseRows(xt);
            // Ritz values of G on span(X): the eigenvalues of the small symmetric X^T G X (= its singular values)
            projected = be.matmul(be.matmul(xt, g), false, xt, true);
            double[] ritz = be.singularValues(projected).toDoubleArray();
            if (previous != null) {
                settled = true;
                for (int i = 0; i < k; i++) {
                    settled &= Math.abs(ritz[p - 1 - i] - previous[p - 1 - i]) <= 1e-14 * trace;
                }
            }
            previous = ritz;
        }
        if (!settled) {
            return null;
        }
        // Rayleigh-Ritz: eigenvectors U of X^T W W^T X (X^T G X - delta I, same vectors) give the Ritz directions X U;
        // each direction's singular value is then measured directly as |d^T W|
        Svd small = be.svd(projected);
        Tensor dirsT = be.matmul(small.u(), true, xt, false); // [p, m], ordered by descending Ritz value
        Tensor out = Tensor.zeros(DType.F64, m, k);
        for (int c = 0; c < k; c++) {
            int src = p - 1 - c; // ascending
            for (int i = 0; i < m; i++) {
                out.f64()[i * k + c] = dirsT.f64()[src * m + i];
            }
        }
        Tensor rows = be.matmul(out, true, w, false); // [k, n]: the removed neurons' incoming weights
        double[] sigma = new double[k];
        int n = w.cols();
        for (int c = 0; c < k; c++) {
            double s2 = 0;
            for (int j = 0; j < n; j++) {
                s2 += rows.f64()[c * n + j] * rows.f64()[c * n + j];
            }
            sigma[c] = Math.sqrt(s2);
        }
        return new Directions(out, sigma);
    }

    /** The inverse of a symmetric positive-definite matrix, {@code L^{-T} L^{-1}}; null if it is not positive definite. */
    private static Tensor inverseSpd(Backend be, double[] a, int n) {
        Tensor l = Cholesky.factor(be, Tensor.wrap(a, n, n));
        if (l == null) {
            return null;
        }
        Tensor linv = Cholesky.invertLower(be, l);
        return be.matmul(linv, true, linv, false);
    }
}
