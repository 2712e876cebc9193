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
    private static final int BLOCK = 64;
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
        orthonormaliseRows(xt);
        double[] previous = null;
        boolean settled = false;
        Tensor projected = null;
        for (int it = 0; it < MAX_ITERATIONS && !settled; it++) {
            xt = be.matmul(xt, inv); // (G^{-1} X)^T, G symmetric
            orthonormaliseRows(xt);
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

    /** Modified Gram-Schmidt, applied twice, on the rows of a row-major F64 matrix. */
    static void orthonormaliseRows(Tensor x) {
        int p = x.rows();
        int m = x.cols();
        double[] a = x.f64();
        for (int pass = 0; pass < 2; pass++) {
            for (int c = 0; c < p; c++) {
                int oc = c * m;
                for (int d = 0; d < c; d++) {
                    int od = d * m;
                    double dot = 0;
                    for (int i = 0; i < m; i++) {
                        dot += a[od + i] * a[oc + i];
                    }
                    for (int i = 0; i < m; i++) {
                        a[oc + i] -= dot * a[od + i];
                    }
                }
                double norm = 0;
                for (int i = 0; i < m; i++) {
                    norm += a[oc + i] * a[oc + i];
                }
                norm = Math.sqrt(norm);
                for (int i = 0; i < m; i++) {
                    a[oc + i] = norm > 0 ? a[oc + i] / norm : (i == c ? 1 : 0);
                }
            }
        }
    }

    /**
     * The inverse of a symmetric positive-definite matrix (row-major, only the lower triangle read) through a
     * left-looking blocked Cholesky factorisation {@code A = L L^T} and {@code A^{-1} = L^{-T} L^{-1}}, with every
     * block update done by the backend's matrix product; null if a pivot is not positive.
     */
    static Tensor inverseSpd(Backend be, double[] a, int n) {
        double[] l = new double[n * n];
        int nb = (n + BLOCK - 1) / BLOCK;
        Tensor[] invDiag = new Tensor[nb];
        for (int jb = 0; jb < nb; jb++) {
            int c0 = jb * BLOCK;
            int bs = Math.min(BLOCK, n - c0);
            Tensor s = block(a, n, c0, c0, bs, bs);
            if (c0 > 0) {
                Tensor lj = block(l, n, c0, 0, bs, c0);
                be.gemm(-1.0, lj, false, lj, true, 1.0, s);
            }
            if (!choleskyInPlace(s.f64(), bs)) {
                return null;
            }
            put(l, n, c0, c0, s);
            invDiag[jb] = invertLower(s.f64(), bs);
            int below = n - c0 - bs;
            if (below > 0) {
                Tensor panel = block(a, n, c0 + bs, c0, below, bs);
                if (c0 > 0) {
                    be.gemm(-1.0, block(l, n, c0 + bs, 0, below, c0), false, block(l, n, c0, 0, bs, c0), true, 1.0,
                            panel);
                }
                put(l, n, c0 + bs, c0, be.matmul(panel, false, invDiag[jb], true));
            }
        }
        // L^{-1} block row by block row: Linv[i, 0:i] = -D_i (L[i, 0:i] Linv[0:i, 0:i])
        double[] li = new double[n * n];
        for (int ib = 0; ib < nb; ib++) {
            int r0 = ib * BLOCK;
            int bs = Math.min(BLOCK, n - r0);
            put(li, n, r0, r0, invDiag[ib]);
            if (r0 > 0) {
                Tensor t = be.matmul(block(l, n, r0, 0, bs, r0), block(li, n, 0, 0, r0, r0));
                Tensor r = be.matmul(invDiag[ib], t);
                be.scale(-1.0, r);
                put(li, n, r0, 0, r);
            }
        }
        Tensor linv = Tensor.wrap(li, n, n);
        return be.matmul(linv, true, linv, false);
    }

    private static Tensor block(double[] a, int n, int r0, int c0, int rows, int cols) {
        Tensor t = Tensor.zeros(DType.F64, rows, cols);
        for (int i = 0; i < rows; i++) {
            System.arraycopy(a, (r0 + i) * n + c0, t.f64(), i * cols, cols);
        }
        return t;
    }

    private static void put(double[] a, int n, int r0, int c0, Tensor t) {
        int rows = t.rows();
        int cols = t.cols();
        for (int i = 0; i < rows; i++) {
            System.arraycopy(t.f64(), i * cols, a, (r0 + i) * n + c0, cols);
        }
    }

    /** Unblocked Cholesky of a row-major b x b block in place (lower triangle; the upper is zeroed). */
    private static boolean choleskyInPlace(double[] s, int b) {
        for (int j = 0; j < b; j++) {
            double d = s[j * b + j];
            for (int p = 0; p < j; p++) {
                d -= s[j * b + p] * s[j * b + p];
            }
            if (!(d > 0)) {
                return false;
            }
            d = Math.sqrt(d);
            s[j * b + j] = d;
            for (int i = j + 1; i < b; i++) {
                double v = s[i * b + j];
                for (int p = 0; p < j; p++) {
                    v -= s[i * b + p] * s[j * b + p];
                }
                s[i * b + j] = v / d;
            }
            for (int c = j + 1; c < b; c++) {
                s[j * b + c] = 0;
            }
        }
        return true;
    }

    /** Inverse of a lower-triangular row-major b x b block. */
    private static Tensor invertLower(double[] l, int b) {
        Tensor out = Tensor.zeros(DType.F64, b, b);
        double[] x = out.f64();
        for (int c = 0; c < b; c++) {
            x[c * b + c] = 1 / l[c * b + c];
            for (int i = c + 1; i < b; i++) {
                double s = 0;
                for (int p = c; p < i; p++) {
                    s += l[i * b + p] * x[p * b + c];
                }
                x[i * b + c] = -s / l[i * b + i];
            }
        }
        return out;
    }
}
