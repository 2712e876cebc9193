package io.isotropic.linalg;

import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;

/**
 * An orthogonal {@code P = Q Pi} of order {@code m} stored as {@code k} Householder reflections
 * ({@code Q = H_0 H_1 ... H_{k-1}}, {@code H_c = I - 2 v_c v_c^T} acting on entries {@code c..m-1}) and the
 * permutation {@code Pi} that moves the first {@code k} columns of {@code Q} to the end. Its last {@code k}
 * columns are the given orthonormal directions (up to sign). Applying it costs {@code O(m n k)} instead of the
 * {@code O(m^2 n)} of a dense product. The element-wise square {@code P.P}, which transforms Adam's second moments,
 * is applied in {@code O(k^2 m n)} too: with the compact form {@code Q = I - Y}, {@code Y = V T V^T} ({@code V} the
 * reflection vectors as columns, {@code T} upper triangular), {@code Q.Q = I - 2 diag(Y) + Y.Y} and
 * {@code Y.Y = U (T (x) T) U^T} with {@code U = [v_a.v_c]} ({@code m x k^2}), so nothing of order {@code m^2} is formed.
 */
public final class HouseholderBasis {
    private final int m;
    private final int k;
    private final double[][] v; // v[c] has length m - c, unit norm, or null for H_c = I
    private Tensor dense;
    private double[] squareDiag; // -2 diag(Y)
    private double[] squareU;    // U [m, k^2], row-major
    private double[] squareUSt;  // U S^T [m, k^2], row-major, S = T (x) T

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
        checkRows("leftTranspose", x);
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
        return rowsToEnd(a, n, x.rank());
    }

    /**
     * {@code X P} for a matrix {@code [r, m]} (columns of X are indexed by the rotated space).
     *
     * @param x F64 input (not modified)
     * @return a new F64 tensor {@code [r, m]}
     * @throws IllegalArgumentException if x is not a matrix with {@code m} columns
     */
    public Tensor right(Tensor x) {
        checkColumns("right", x);
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
        return columnsToEnd(a, r);
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

    /**
     * {@code (P.P)^T X} for a matrix {@code [m, n]} or vector {@code [m]}: the second-moment counterpart of
     * {@link #leftTranspose}, in {@code O(k^2 m n)} without forming {@code P}.
     *
     * @param x F64 input (not modified)
     * @return a new F64 tensor of the same shape
     * @throws IllegalArgumentException if x does not have {@code m} rows
     */
    public Tensor squaredLeftTranspose(Tensor x) {
        checkRows("squaredLeftTranspose", x);
        prepareSquare();
        int n = x.rank() == 1 ? 1 : x.cols();
        int q = k * k;
        double[] a = x.toDoubleArray();
        // (Q.Q)^T X = X - 2 diag(Y) X + (U S^T) (U^T X)
        double[] ux = new double[q * n]; // U^T X
        for (int i = 0; i < m; i++) {
            int off = i * n;
            for (int r = 0; r < q; r++) {
                double u = squareU[i * q + r];
                for (int j = 0; j < n; j++) {
                    ux[r * n + j] += u * a[off + j];
                }
            }
        }
        double[] y = new double[a.length];
        for (int i = 0; i < m; i++) {
            int off = i * n;
            double d = 1 + squareDiag[i];
            for (int j = 0; j < n; j++) {
                y[off + j] = d * a[off + j];
            }
            for (int r = 0; r < q; r++) {
                double w = squareUSt[i * q + r];
                for (int j = 0; j < n; j++) {
                    y[off + j] += w * ux[r * n + j];
                }
            }
        }
        return rowsToEnd(y, n, x.rank());
    }

    /**
     * {@code X (P.P)} for a matrix {@code [r, m]}: the second-moment counterpart of {@link #right}, in
     * {@code O(k^2 r m)} without forming {@code P}.
     *
     * @param x F64 input (not modified)
     * @return a new F64 tensor {@code [r, m]}
     * @throws IllegalArgumentException if x is not a matrix with {@code m} columns
     */
    public Tensor squaredRight(Tensor x) {
        checkColumns("squaredRight", x);
        prepareSquare();
        int r = x.rows();
        int q = k * k;
        double[] a = x.toDoubleArray();
        double[] y = new double[a.length];
        double[] xu = new double[q];
        // X (Q.Q) = X - 2 X diag(Y) + (X U) (U S^T)^T, row by row
        for (int w = 0; w < r; w++) {
            int off = w * m;
            java.util.Arrays.fill(xu, 0);
            for (int i = 0; i < m; i++) {
                double xi = a[off + i];
                for (int t = 0; t < q; t++) {
                    xu[t] += xi * squareU[i * q + t];
                }
            }
            for (int i = 0; i < m; i++) {
                double yi = (1 + squareDiag[i]) * a[off + i];
                for (int t = 0; t < q; t++) {
                    yi += xu[t] * squareUSt[i * q + t];
                }
                y[off + i] = yi;
            }
        }
        return columnsToEnd(y, r);
    }

    /** Rejects anything but a matrix {@code [m, n]} or vector {@code [m]}, naming the operation. */
    private void checkRows(String op, Tensor x) {
        if (x == null || x.rank() > 2 || x.rank() == 0 || (x.rank() == 1 ? x.size() : x.rows()) != m) {
            throw new IllegalArgumentException("HouseholderBasis." + op + ": the basis has order " + m + ", x is "
                    + (x == null ? "null" : x.shape()));
        }
    }

    /** Rejects anything but a matrix {@code [r, m]}, naming the operation. */
    private void checkColumns(String op, Tensor x) {
        if (x == null || x.rank() != 2 || x.cols() != m) {
            throw new IllegalArgumentException("HouseholderBasis." + op + ": the basis has order " + m + ", x is "
                    + (x == null ? "null" : x.shape()));
        }
    }

    /** {@code Pi^T} on the rows of {@code a} ({@code [m, n]}): rows {@code 0..k-1} go to the end. */
    private Tensor rowsToEnd(double[] a, int n, int rank) {
        double[] out = new double[a.length];
        System.arraycopy(a, k * n, out, 0, (m - k) * n);
        System.arraycopy(a, 0, out, (m - k) * n, k * n);
        return rank == 1 ? Tensor.wrap(out, m) : Tensor.wrap(out, m, n);
    }

    /** {@code Pi} on the columns of {@code a} ({@code [r, m]}): columns {@code 0..k-1} go to the end. */
    private Tensor columnsToEnd(double[] a, int r) {
        double[] out = new double[a.length];
        for (int row = 0; row < r; row++) {
            System.arraycopy(a, row * m + k, out, row * m, m - k);
            System.arraycopy(a, row * m, out, row * m + m - k, k);
        }
        return Tensor.wrap(out, r, m);
    }

    /** Forms {@code -2 diag(Y)}, {@code U} and {@code U (T (x) T)^T} of the class comment once. */
    private void prepareSquare() {
        if (squareU != null) {
            return;
        }
        double[][] vv = new double[k][m]; // the reflection vectors, zero-padded to length m
        double[] tau = new double[k];
        for (int c = 0; c < k; c++) {
            if (v[c] != null) {
                System.arraycopy(v[c], 0, vv[c], c, m - c);
                tau[c] = 2;
            }
        }
        // compact WY: H_0 ... H_{c-1} H_c = I - [V v_c] [[T, -tau_c T V^T v_c], [0, tau_c]] [V v_c]^T
        double[] t = new double[k * k];
        for (int c = 0; c < k; c++) {
            double[] z = new double[c];
            for (int a = 0; a < c; a++) {
                double d = 0;
                for (int i = 0; i < m; i++) {
                    d += vv[a][i] * vv[c][i];
                }
                z[a] = d;
            }
            for (int a = 0; a < c; a++) {
                double d = 0;
                for (int b = a; b < c; b++) {
                    d += t[a * k + b] * z[b];
                }
                t[a * k + c] = -tau[c] * d;
            }
            t[c * k + c] = tau[c];
        }
        double[] diag = new double[m];
        for (int i = 0; i < m; i++) {
            double y = 0;
            for (int a = 0; a < k; a++) {
                for (int b = a; b < k; b++) {
                    y += vv[a][i] * t[a * k + b] * vv[b][i];
                }
            }
            diag[i] = -2 * y;
        }
        int q = k * k;
        double[] u = new double[m * q];
        for (int i = 0; i < m; i++) {
            for (int a = 0; a < k; a++) {
                for (int c = 0; c < k; c++) {
                    u[i * q + a * k + c] = vv[a][i] * vv[c][i];
                }
            }
        }
        // U S^T with S = T (x) T, S[(a,c),(b,d)] = T_ab T_cd: (U S^T)[i, (a,c)] = sum_{b,d} U[i, (b,d)] T_ab T_cd
        // (T upper triangular: b >= a, d >= c)
        double[] ust = new double[m * q];
        for (int i = 0; i < m; i++) {
            for (int a = 0; a < k; a++) {
                for (int c = 0; c < k; c++) {
                    double sum = 0;
                    for (int b = a; b < k; b++) {
                        for (int d = c; d < k; d++) {
                            sum += u[i * q + b * k + d] * t[a * k + b] * t[c * k + d];
                        }
                    }
                    ust[i * q + a * k + c] = sum;
                }
            }
        }
        squareDiag = diag;
        squareUSt = ust;
        squareU = u;
    }
}
