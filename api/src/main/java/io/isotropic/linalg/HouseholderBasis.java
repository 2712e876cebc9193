package io.isotropic.linalg;

import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;

/**
 * An orthogonal {@code P = Q Pi} of order {@code m} stored as {@code k} Householder reflections
 * ({@code Q = H_0 H_1 ... H_{k-1}}, {@code H_c = I - 2 v_c v_c^T} acting on entries {@code c..m-1}) and the
 * permutation {@code Pi} that moves the first {@code k} columns of {@code Q} to the end. Its last {@code k}
 * columns are the given orthonormal directions (up to sign). Applying it costs {@code O(m n k)} instead of the
 * {@code O(m^2 n)} of a dense product; the dense matrix is formed only when second moments need {@code P.P}.
 */
public final class HouseholderBasis {
    private final int m;
    private final int k;
    private final double[][] v; // v[c] has length m - c, unit norm, or null for H_c = I
    private Tensor dense;

    private HouseholderBasis(int m, int k, double[][] v) {
        this.m = m;
        this.k = k;
        this.v = v;
    }

    /**
     * The basis whose last {@code k} columns are the columns of {@code x} (orthonormal, {@code [m, k]}), up to sign.
     *
     * @param x the directions
     * @return the basis
     * @throws IllegalArgumentException if x is not a matrix with at least as many rows as columns
     */
    public static HouseholderBasis ofLastColumns(Tensor x) {
        if (x == null || x.rank() != 2 || x.rows() < x.cols()) {
            throw new IllegalArgumentException("HouseholderBasis.ofLastColumns: need orthonormal columns [m, k] with "
                    + "m >= k, got " + (x == null ? "null" : x.shape()));
        }
        int m = x.rows();
        int k = x.cols();
        double[][] vs = Householder.factor(x.toDoubleArray(), m, k).vectors();
        return new HouseholderBasis(m, k, vs);
    }

    /**
     * {@code P^T X} for a matrix {@code [m, n]} or vector {@code [m]} (rows of X are indexed by the rotated space).
     *
     * @param x F64 input (not modified)
     * @return a new F64 tensor of the same shape
     * @throws IllegalArgumentException if x does not have {@code m} rows
     */
    public Tensor leftTranspose(Tensor x) {
        if (x == null || x.rank() > 2 || x.rank() == 0 || (x.rank() == 1 ? x.size() : x.rows()) != m) {
            throw new IllegalArgumentException("HouseholderBasis.leftTranspose: the basis has order " + m + ", x is "
                    + (x == null ? "null" : x.shape()));
        }
        int n = x.rank() == 1 ? 1 : x.cols();
        double[] a = x.toDoubleArray();
        double[] w = new double[n];
        // Q^T = H_{k-1} ... H_0: apply H_0 first
        for (int c = 0; c < k; c++) {
            double[] vc = v[c];
            if (vc == null) {
                continue;
            }
            java.util.Arrays.fill(w, 0);
            for (int i = c; i < m; i++) {
                double vi = vc[i - c];
                int off = i * n;
                for (int j = 0; j < n; j++) {
                    w[j] += vi * a[off + j];
                }
            }
            for (int i = c; i < m; i++) {
                double f = 2 * vc[i - c];
                int off = i * n;
                for (int j = 0; j < n; j++) {
                    a[off + j] -= f * w[j];
                }
            }
        }
        // Pi^T: rows 0..k-1 go to the end
        double[] out = new double[a.length];
        System.arraycopy(a, k * n, out, 0, (m - k) * n);
        System.arraycopy(a, 0, out, (m - k) * n, k * n);
        return x.rank() == 1 ? Tensor.wrap(out, m) : Tensor.wrap(out, m, n);
    }

    /**
     * {@code X P} for a matrix {@code [r, m]} (columns of X are indexed by the rotated space).
     *
     * @param x F64 input (not modified)
     * @return a new F64 tensor {@code [r, m]}
     * @throws IllegalArgumentException if x is not a matrix with {@code m} columns
     */
    public Tensor right(Tensor x) {
        if (x == null || x.rank() != 2 || x.cols() != m) {
            throw new IllegalArgumentException("HouseholderBasis.right: the basis has order " + m + ", x is "
                    + (x == null ? "null" : x.shape()));
        }
        int r = x.rows();
        double[] a = x.toDoubleArray();
        // X Q = X H_0 H_1 ...: apply H_0 first, each row independently
        for (int c = 0; c < k; c++) {
            double[] vc = v[c];
            if (vc == null) {
                continue;
            }
            for (int row = 0; row < r; row++) {
                int off = row * m;
                double d = 0;
                for (int i = c; i < m; i++) {
                    d += a[off + i] * vc[i - c];
                }
                double f = 2 * d;
                for (int i = c; i < m; i++) {
                    a[off + i] -= f * vc[i - c];
                }
            }
        }
        double[] out = new double[a.length];
        for (int row = 0; row < r; row++) {
            System.arraycopy(a, row * m + k, out, row * m, m - k);
            System.arraycopy(a, row * m, out, row * m + m - k, k);
        }
        return Tensor.wrap(out, r, m);
    }

    /**
     * The dense {@code P} ({@code [m, m]}), formed once.
     *
     * @return the matrix
     */
    public Tensor dense() {
        if (dense == null) {
            dense = right(Tensor.identity(DType.F64, m));
        }
        return dense;
    }
}
