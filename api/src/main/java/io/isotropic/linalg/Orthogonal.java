package io.isotropic.linalg;

import java.util.random.RandomGenerator;

/**
 * Random (semi-)orthogonal matrices, computed in double precision by Householder QR of a Gaussian matrix with
 * the signs of R's diagonal folded into Q, which makes the distribution Haar (the recipe of PyTorch's
 * {@code nn.init.orthogonal_}).
 */
public final class Orthogonal {
    private Orthogonal() {
    }

    /**
     * A random {@code rows x cols} matrix with orthonormal rows (if {@code rows <= cols}) or orthonormal columns
     * (if {@code rows > cols}), so every singular value is 1.
     *
     * @param rows number of rows, {@code >= 0}
     * @param cols number of columns, {@code >= 0}
     * @param rng the random source (advanced)
     * @return row-major {@code rows x cols} array
     * @throws IllegalArgumentException if a dimension is negative or rng is null
     */
    public static double[] random(int rows, int cols, RandomGenerator rng) {
        if (rows < 0 || cols < 0 || rng == null) {
            throw new IllegalArgumentException("Orthogonal.random: need rows, cols >= 0 and a generator, got " + rows
                    + " x " + cols + ", rng " + rng);
        }
        boolean wide = rows < cols;
        int m = wide ? cols : rows; // tall working shape m x n, m >= n
        int n = wide ? rows : cols;
        double[] a = new double[m * n];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double g = rng.nextGaussian();
                if (wide) {
                    a[j * n + i] = g;
                } else {
                    a[i * n + j] = g;
                }
            }
        }
        double[] q = thinQ(a, m, n);
        double[] out = new double[rows * cols];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                if (wide) {
                    out[j * cols + i] = q[i * n + j];
                } else {
                    out[i * cols + j] = q[i * n + j];
                }
            }
        }
        return out;
    }

    /** Thin Q (m x n, m >= n) of a = Q R by Householder reflections, with columns multiplied by sign(R_jj). */
    private static double[] thinQ(double[] a, int m, int n) {
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
}
