package io.isotropic.backend.ojalgo;

import io.isotropic.spi.RawKernels;
import io.isotropic.spi.RawSvd;
import org.ojalgo.matrix.decomposition.QR;
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
        int p = Math.max(m, n);
        int k = Math.min(m, n);
        MatrixStore<Double> input = tallView(m, n, a);
        int previous = OjalgoParallelism.enter(threads);
        try {
            SingularValue<Double> svd = SingularValue.R064.make(input, fullSizeFaster(p, k));
            if (!svd.decompose(input)) {
                throw new ArithmeticException("svd: ojAlgo's SVD did not converge on a " + m + " x " + n + " matrix");
            }
            // input = Ut S Vt^T with Ut p x k (thin) or p x p (full size) and Vt k x k
            MatrixStore<Double> ut = svd.getU();
            MatrixStore<Double> vt = svd.getV();
            if (ut.getRowDim() != p || ut.getColDim() < k || vt.getRowDim() != k || vt.getColDim() != k) {
                throw new IllegalStateException("svd: ojAlgo returned factors U " + ut.getRowDim() + "x"
                        + ut.getColDim() + " and V " + vt.getRowDim() + "x" + vt.getColDim() + " for a " + p + " x "
                        + k + " matrix");
            }
            double[] s = new double[k];
            svd.getSingularValues(s);
            double[] large = completedBasis(ut, p, k);
            double[] small = rowMajor(vt, k, k);
            // tall: A = Ut S Vt^T, so U = Ut (completed), V = Vt; wide: A^T = Ut S Vt^T, so U = Vt, V = Ut
            return m >= n ? new RawSvd(large, s, small) : new RawSvd(small, s, large);
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
     * QR of {@code q1}, which are orthogonal to {@code range(q1)} to working precision. A {@code q1} that is
     * already square (ojAlgo's dense SVD may return full factors) is returned as it is.
     *
     * @return the row-major {@code p x p} matrix {@code [q1, q2]}
     */
    private static double[] completedBasis(MatrixStore<Double> q1, int p, int k) {
        if (q1.getColDim() == p) {
            return rowMajor(q1, p, p);
        }
        double[] out = new double[p * p];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < k; j++) {
                out[i * p + j] = q1.doubleValue(i, j);
            }
        }
        if (p == k) {
            return out;
        }
        MatrixStore<Double> thin = q1.limits(p, k);
        QR<Double> qr = QR.R064.make(thin, true);
        if (!qr.decompose(thin)) {
            throw new ArithmeticException("svd: ojAlgo's QR failed while completing a " + p + " x " + k
                    + " singular-vector basis");
        }
        MatrixStore<Double> q = qr.getQ();
        if (q.getRowDim() != p || q.getColDim() != p) {
            throw new IllegalStateException("svd: ojAlgo's full QR returned Q " + q.getRowDim() + "x"
                    + q.getColDim() + " for a " + p + " x " + k + " matrix");
        }
        for (int i = 0; i < p; i++) {
            for (int j = k; j < p; j++) {
                out[i * p + j] = q.doubleValue(i, j);
            }
        }
        return out;
    }
}
