package io.isotropic.linalg;

import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;

import java.util.random.RandomGenerator;

/**
 * Random (semi-)orthogonal matrices and row orthonormalisation, in double precision.
 *
 * <p>{@link #random} takes the Q factor of a Gaussian matrix whose triangular factor has a positive diagonal, which
 * makes the distribution Haar (the recipe of PyTorch's {@code nn.init.orthogonal_}). The factor is computed by
 * CholeskyQR2 ({@code G = A^T A = L L^T}, {@code Q_1 = A L^{-T}}, once more on {@code Q_1}), whose work is
 * matrix products on the backend: a Gaussian {@code m x n} matrix has condition number of order {@code m} with
 * overwhelming probability, far below the {@code u^{-1/2}} that CholeskyQR2 needs for an orthogonality error of
 * order {@code n u} (Yamamoto et al., 2015). Because the QR factorisation with a positive diagonal is unique, a
 * matrix for which the check fails is factorised by Householder QR instead and gives the same Q up to rounding.
 */
public final class Orthogonal {
    private Orthogonal() {
    }

    /**
     * A random {@code rows x cols} matrix with orthonormal rows (if {@code rows <= cols}) or orthonormal columns
     * (if {@code rows > cols}), so every singular value is 1.
     *
     * @param rows number of rows, {@code >= 1}
     * @param cols number of columns, {@code >= 1}
     * @param rng the random source (advanced by {@code rows * cols} Gaussian draws, row-major)
     * @param be the backend whose products do the work
     * @return the matrix {@code [rows, cols]}, F64
     * @throws IllegalArgumentException if a dimension is below 1, the matrix exceeds the largest array, or rng or
     *         the backend is null
     */
    public static Tensor random(int rows, int cols, RandomGenerator rng, Backend be) {
        if (rows < 1 || cols < 1 || (long) rows * cols > Integer.MAX_VALUE - 8 || rng == null || be == null) {
            throw new IllegalArgumentException("Orthogonal.random: need rows, cols >= 1 with at most 2^31 - 9 entries, "
                    + "a generator and a backend, got " + rows + " x " + cols + ", rng " + rng + ", backend " + be);
        }
        boolean wide = rows < cols;
        int m = wide ? cols : rows; // tall working shape m x n, m >= n
        int n = wide ? rows : cols;
        double[] g = new double[rows * cols];
        for (int i = 0; i < g.length; i++) {
            g[i] = rng.nextGaussian();
        }
        // a wide draw [rows, cols] is the transpose of the tall working matrix [m = cols, n = rows]
        Tensor a = wide ? Tensor.wrap(g, rows, cols).transpose() : Tensor.wrap(g, rows, cols);
        Tensor q = choleskyQr2(be, a);
        if (q == null) {
            q = Tensor.wrap(householderQ(a.toDoubleArray(), m, n), m, n);
        }
        return wide ? q.transpose() : q;
    }

    /** Q of CholeskyQR2, or null when a Cholesky factorisation fails or the first pass is too far from orthogonal. */
    private static Tensor choleskyQr2(Backend be, Tensor a) {
        Tensor q1 = choleskyQrPass(be, a, false);
        if (q1 == null) {
            return null;
        }
        return choleskyQrPass(be, q1, true);
    }

    /**
     * One pass {@code Q = A L^{-T}} with {@code A^T A = L L^T}; on the second pass the Gram matrix of the first
     * pass's Q must be within 1/2 of the identity in Frobenius norm (so that its condition number is at most 3 and
     * the pass reaches orthogonality of order {@code n u}).
     */
    private static Tensor choleskyQrPass(Backend be, Tensor a, boolean second) {
        Tensor gram = be.matmul(a, true, a, false);
        int n = gram.rows();
        if (second) {
            double dev = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    double d = gram.f64()[i * n + j] - (i == j ? 1 : 0);
                    dev += d * d;
                }
            }
            if (!(dev <= 0.25)) {
                return null;
            }
        }
        Tensor l = Cholesky.factor(be, gram);
        if (l == null) {
            return null;
        }
        return be.matmul(a, false, Cholesky.invertLower(be, l), true);
    }

    /** Thin Q (m x n, m >= n) of a = Q R by Householder reflections, with columns multiplied by sign(R_jj). */
    static double[] householderQ(double[] a, int m, int n) {
        Householder h = Householder.factor(a, m, n);
        double[][] vs = h.vectors();
        double[] rDiag = h.diagonal();
        // Q = H_0 H_1 ... H_{n-1} applied to the first n columns of the identity
        double[] q = new double[m * n];
        for (int j = 0; j < n; j++) {
            q[j * n + j] = 1;
        }
        for (int k = n - 1; k >= 0; k--) {
            double[] v = vs[k];
            if (v == null) {
                continue;
            }
            for (int j = 0; j < n; j++) {
                double d = 0;
                for (int i = k; i < m; i++) {
                    d += v[i - k] * q[i * n + j];
                }
                for (int i = k; i < m; i++) {
                    q[i * n + j] -= 2 * d * v[i - k];
                }
            }
        }
        for (int j = 0; j < n; j++) {
            if (rDiag[j] < 0) {
                for (int i = 0; i < m; i++) {
                    q[i * n + j] = -q[i * n + j];
                }
            }
        }
        return q;
    }

    /**
     * Orthonormalises the rows of a matrix in place by modified Gram-Schmidt applied twice ("twice is enough":
     * the second pass removes what the first lost to rounding); a row that vanishes is replaced by a unit vector.
     *
     * @param x an F64 matrix {@code [p, m]} with {@code p <= m} (modified)
     * @throws IllegalArgumentException if x is not an F64 matrix with at most as many rows as columns
     */
    public static void orthonormaliseRows(Tensor x) {
        if (x == null || x.rank() != 2 || x.dtype() != DType.F64 || x.rows() > x.cols()) {
            throw new IllegalArgumentException("Orthogonal.orthonormaliseRows: need an F64 matrix [p, m] with p <= m, "
                    + "got " + (x == null ? "null" : x.dtype() + " " + x.shape()));
        }
        int p = x.rows();
        int m = x.cols();
        double[] a = x.f64();
        for (int pass = 0; pass < 2; pass++) {
            for (int c = 0; c < p; c++) {
                int oc = c * m;
                for (int d = 0; d < c; d++) {
                    int od = d * m;
                    double dot = dot(a, od, a, oc, m);
                    for (int i = 0; i < m; i++) {
                        a[oc + i] -= dot * a[od + i];
                    }
                }
                double norm = Math.sqrt(dot(a, oc, a, oc, m));
                for (int i = 0; i < m; i++) {
                    a[oc + i] = norm > 0 ? a[oc + i] / norm : (i == c ? 1 : 0);
                }
            }
        }
    }

    /**
     * {@code x[xo ..] . y[yo ..]} over {@code len} entries, in four partial sums combined in a fixed order (so the
     * result is deterministic and the sums run in parallel).
     */
    static double dot(double[] x, int xo, double[] y, int yo, int len) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < len; i += 4) {
            s0 += x[xo + i] * y[yo + i];
            s1 += x[xo + i + 1] * y[yo + i + 1];
            s2 += x[xo + i + 2] * y[yo + i + 2];
            s3 += x[xo + i + 3] * y[yo + i + 3];
        }
        for (; i < len; i++) {
            s0 += x[xo + i] * y[yo + i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
