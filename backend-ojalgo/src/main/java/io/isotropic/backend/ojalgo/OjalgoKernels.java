package io.isotropic.backend.ojalgo;

import io.isotropic.spi.RawKernels;
import io.isotropic.spi.RawSvd;
import org.ojalgo.matrix.decomposition.SingularValue;
import org.ojalgo.matrix.store.MatrixStore;
import org.ojalgo.matrix.store.R032Store;
import org.ojalgo.matrix.store.R064Store;

import java.util.Arrays;

/**
 * The ojAlgo backend's raw kernels (layout, precision, SVD and threads as described in {@link OjalgoBackend}); each
 * call limits ojAlgo to this backend's thread count through {@link OjalgoParallelism}.
 */
final class OjalgoKernels implements RawKernels {
    private final int threads;

    /**
     * Creates the kernels.
     *
     * @param threads threads per kernel call, {@code >= 1}
     */
    OjalgoKernels(int threads) {
        this.threads = threads;
    }

    // ================================================================ products

    /**
     * Copies a row-major {@code rows x cols} array into column-major order (the row-major array of its
     * transpose), in cache-sized tiles.
     */
    static double[] transposed(double[] src, int rows, int cols) {
        double[] dst = new double[rows * cols];
        final int tile = 32;
        for (int i0 = 0; i0 < rows; i0 += tile) {
            int i1 = Math.min(rows, i0 + tile);
            for (int j0 = 0; j0 < cols; j0 += tile) {
                int j1 = Math.min(cols, j0 + tile);
                for (int i = i0; i < i1; i++) {
                    for (int j = j0; j < j1; j++) {
                        dst[j * rows + i] = src[i * cols + j];
                    }
                }
            }
        }
        return dst;
    }

    /** Single-precision variant of {@link #transposed(double[], int, int)}. */
    static float[] transposed(float[] src, int rows, int cols) {
        float[] dst = new float[rows * cols];
        final int tile = 32;
        for (int i0 = 0; i0 < rows; i0 += tile) {
            int i1 = Math.min(rows, i0 + tile);
            for (int j0 = 0; j0 < cols; j0 += tile) {
                int j1 = Math.min(cols, j0 + tile);
                for (int i = i0; i < i1; i++) {
                    for (int j = j0; j < j1; j++) {
                        dst[j * rows + i] = src[i * cols + j];
                    }
                }
            }
        }
        return dst;
    }

    @Override
    public void gemmF64(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, double[] b,
                        double beta, double[] c) {
        int size = m * n;
        if (k == 0 || alpha == 0) {
            if (beta == 0) {
                Arrays.fill(c, 0, size, 0.0);
            } else if (beta != 1) {
                for (int i = 0; i < size; i++) {
                    c[i] *= beta;
                }
            }
            return;
        }
        // C^T (n x m, column-major = C row-major) = op(B)^T (n x k) op(A)^T (k x m)
        R064Store left = R064Store.wrap(transB ? transposed(b, n, k) : b, n);
        R064Store right = R064Store.wrap(transA ? transposed(a, k, m) : a, k);
        int previous = OjalgoParallelism.enter(threads);
        try {
            if (beta == 0) {
                R064Store.wrap(c, n).fillByMultiplying(left, right);
                if (alpha != 1) {
                    for (int i = 0; i < size; i++) {
                        c[i] *= alpha;
                    }
                }
            } else {
                double[] p = new double[size];
                R064Store.wrap(p, n).fillByMultiplying(left, right);
                for (int i = 0; i < size; i++) {
                    c[i] = alpha * p[i] + beta * c[i];
                }
            }
        } finally {
            OjalgoParallelism.exit(previous);
        }
    }

    @Override
    public void gemmF32(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, float[] b,
                        float beta, float[] c) {
        int size = m * n;
        if (k == 0 || alpha == 0) {
            if (beta == 0) {
                Arrays.fill(c, 0, size, 0.0f);
            } else if (beta != 1) {
                for (int i = 0; i < size; i++) {
                    c[i] *= beta;
                }
            }
            return;
        }
        R032Store left = R032Store.wrap(transB ? transposed(b, n, k) : b, n);
        R032Store right = R032Store.wrap(transA ? transposed(a, k, m) : a, k);
        int previous = OjalgoParallelism.enter(threads);
        try {
            if (beta == 0) {
                R032Store.wrap(c, n).fillByMultiplying(left, right);
                if (alpha != 1) {
                    for (int i = 0; i < size; i++) {
                        c[i] *= alpha;
                    }
                }
            } else {
                float[] p = new float[size];
                R032Store.wrap(p, n).fillByMultiplying(left, right);
                for (int i = 0; i < size; i++) {
                    c[i] = alpha * p[i] + beta * c[i];
                }
            }
        } finally {
            OjalgoParallelism.exit(previous);
        }
    }

    // ================================================================ SVD

    /**
     * The matrix handed to ojAlgo's SVD: {@code A} if it has at least as many rows as columns, else {@code A^T}
     * (both without copying: the column-major wrap of row-major {@code A} is {@code A^T}).
     */
    private static MatrixStore<Double> tallView(int m, int n, double[] a) {
        R064Store at = R064Store.wrap(a, n);
        return m >= n ? at.transpose() : at;
    }

    /**
     * Whether ojAlgo's dense full-size SVD is faster than its thin SVD plus the QR completion of the larger factor,
     * for a {@code p x k} matrix with {@code p >= k}: measured (this module's README) to be so once {@code p > 2k};
     * up to that aspect ratio the thin SVD plus completion was as fast or faster (and exact for square matrices).
     */
    static boolean fullSizeFaster(int p, int k) {
        return p > 2L * k;
    }

    @Override
    public RawSvd svdF64(int m, int n, double[] a) {
        return svd("svd", m, n, a, true);
    }

    /**
     * Left factor only: for a wide matrix it is the small factor of the tall view, so the thin SVD is asked for and
     * the larger factor is neither completed nor copied; for a tall one the completion is needed and V is dropped.
     */
    @Override
    public RawSvd svdLeftF64(int m, int n, double[] a) {
        return svd("svdLeft", m, n, a, false);
    }

    private RawSvd svd(String op, int m, int n, double[] a, boolean wantV) {
        int p = Math.max(m, n);
        int k = Math.min(m, n);
        boolean wide = m < n;
        MatrixStore<Double> input = tallView(m, n, a);
        int previous = OjalgoParallelism.enter(threads);
        try {
            SingularValue<Double> svd = SingularValue.R064.make(input, (wantV || !wide) && fullSizeFaster(p, k));
            if (!svd.decompose(input)) {
                throw new ArithmeticException(op + ": ojAlgo's SVD did not converge on a " + m + " x " + n
                        + " matrix");
            }
            // input = Ut S Vt^T with Ut p x k (thin) or p x p (full size) and Vt k x k
            MatrixStore<Double> ut = svd.getU();
            MatrixStore<Double> vt = svd.getV();
            if (ut.getRowDim() != p || ut.getColDim() < k || vt.getRowDim() != k || vt.getColDim() != k) {
                throw new IllegalStateException(op + ": ojAlgo returned factors U " + ut.getRowDim() + "x"
                        + ut.getColDim() + " and V " + vt.getRowDim() + "x" + vt.getColDim() + " for a " + p + " x "
                        + k + " matrix");
            }
            double[] s = new double[k];
            svd.getSingularValues(s);
            // tall: A = Ut S Vt^T, so U = Ut (completed), V = Vt; wide: A^T = Ut S Vt^T, so U = Vt, V = Ut
            double[] large = wantV || !wide ? completedBasis(ut, p, k) : null;
            double[] small = wantV || wide ? rowMajor(vt, k, k) : null;
            return wide ? new RawSvd(small, s, large) : new RawSvd(large, s, small);
        } finally {
            OjalgoParallelism.exit(previous);
        }
    }

    @Override
    public double[] singularValuesF64(int m, int n, double[] a) {
        MatrixStore<Double> input = tallView(m, n, a);
        int previous = OjalgoParallelism.enter(threads);
        try {
            SingularValue<Double> svd = SingularValue.R064.make(input, false);
            if (!svd.computeValuesOnly(input)) {
                throw new ArithmeticException("singularValues: ojAlgo's SVD did not converge on a " + m + " x " + n
                        + " matrix");
            }
            double[] s = new double[Math.min(m, n)];
            svd.getSingularValues(s);
            return s;
        } finally {
            OjalgoParallelism.exit(previous);
        }
    }

    /** Copies the first {@code cols} columns of a store into a row-major array. */
    private static double[] rowMajor(MatrixStore<Double> x, int rows, int cols) {
        double[] out = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                out[i * cols + j] = x.doubleValue(i, j);
            }
        }
        return out;
    }

    /**
     * Extends the {@code k} orthonormal columns of {@code q1} ({@code p x k}) to an orthonormal basis of
     * {@code R^p}: the extra columns are the trailing {@code p - k} columns of the full {@code Q} of a Householder
     * QR of {@code q1} ({@link #complement}), which are orthogonal to {@code range(q1)} to working precision. A
     * {@code q1} that is already square (ojAlgo's dense SVD may return full factors) is returned as it is.
     *
     * @return the row-major {@code p x p} matrix {@code [q1, q2]}
     */
    private static double[] completedBasis(MatrixStore<Double> q1, int p, int k) {
        if (q1.getColDim() == p) {
            return rowMajor(q1, p, p);
        }
        double[] out = new double[p * p];
        double[] cm = new double[p * k];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < k; j++) {
                double x = q1.doubleValue(i, j);
                out[i * p + j] = x;
                cm[j * p + i] = x;
            }
        }
        if (p == k) {
            return out;
        }
        double[] q2 = complement(cm, p, k);
        for (int j = 0; j < p - k; j++) {
            for (int i = 0; i < p; i++) {
                out[i * p + k + j] = q2[j * p + i];
            }
        }
        return out;
    }

    /**
     * The trailing {@code p - k} columns of {@code Q = H_0 ... H_(k-1)} of a Householder QR of a {@code p x k}
     * matrix with orthonormal columns, column-major: {@code Q e_j} for {@code j >= k}, orthogonal to the matrix's
     * columns to working precision. Plain Householder arithmetic without thresholds: ojAlgo's full QR, used here
     * before, left the completion of a thin factor with entries down to {@code 3e-8} of its largest non-orthogonal to
     * it by {@code 3e-8} (columns graded over 300 decades, contract S12), as if entries that small were dropped.
     *
     * @param cm the matrix, column-major (column c at {@code c p}; destroyed)
     * @param p rows
     * @param k columns, {@code k < p}
     * @return the {@code p x (p - k)} complement, column-major
     */
    static double[] complement(double[] cm, int p, int k) {
        double[][] vs = new double[k][];
        double[] scale = new double[k];
        for (int c = 0; c < k; c++) {
            int o = c * p;
            int len = p - c;
            double max = 0;
            for (int i = 0; i < len; i++) {
                max = Math.max(max, Math.abs(cm[o + c + i]));
            }
            if (max == 0) {
                continue;
            }
            double[] v = new double[len];
            double norm2 = 0;
            for (int i = 0; i < len; i++) {
                v[i] = cm[o + c + i] / max;
                norm2 += v[i] * v[i];
            }
            double alpha = v[0] > 0 ? -Math.sqrt(norm2) : Math.sqrt(norm2);
            v[0] -= alpha;
            double vnorm2 = 0;
            for (double x : v) {
                vnorm2 += x * x;
            }
            if (vnorm2 == 0) {
                continue;
            }
            vs[c] = v;
            scale[c] = 2 / vnorm2;
            for (int j = c + 1; j < k; j++) {
                reflect(v, scale[c], cm, j * p + c);
            }
        }
        double[] q2 = new double[p * (p - k)];
        for (int j = 0; j < p - k; j++) {
            int o = j * p;
            q2[o + k + j] = 1;
            for (int c = k - 1; c >= 0; c--) {
                if (vs[c] != null) {
                    reflect(vs[c], scale[c], q2, o + c);
                }
            }
        }
        return q2;
    }

    /** {@code x[o ..] -= f (v . x[o ..]) v}, the reflection {@code I - f v v^T} on a contiguous piece of x. */
    private static void reflect(double[] v, double f, double[] x, int o) {
        double d = 0;
        for (int i = 0; i < v.length; i++) {
            d += v[i] * x[o + i];
        }
        if (d == 0) {
            return;
        }
        double t = f * d;
        for (int i = 0; i < v.length; i++) {
            x[o + i] -= t * v[i];
        }
    }
}
