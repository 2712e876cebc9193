package io.isotropic.linalg;

import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;

/**
 * Products with a square lower-triangular F64 matrix {@code L [m, m]} that skip its zero upper part: {@code L} is
 * kept as row blocks {@code L[r0:r1, 0:r1]} of {@value #BLOCK} rows and, for {@code L^T}, as the row blocks
 * {@code L[r0:m, r0:r1]^T} of {@code L^T}, and each product is one backend product per block (so neither reads a
 * transposed operand across rows). {@code L X} and {@code L^T X} then cost {@code (N + 1) / (2 N)} of a dense
 * product ({@code N} blocks: 56% for {@code m = 512}), with the same rounding bound as the dense product: every
 * entry is still one sum of the same products, {@code |fl - exact| <= gamma_m |L| |X|} entry-wise (the zeros skipped contribute nothing), only summed in a
 * different order.
 */
final class LowerTriangular {
    /** Rows per block. */
    static final int BLOCK = 64;

    private final int m;
    private final Tensor[] rows; // rows[b] = L[b BLOCK : r1, 0 : r1], r1 = min(m, (b + 1) BLOCK)
    private final Tensor[] upper; // upper[b] = L[b BLOCK : m, b BLOCK : r1]^T, rows b BLOCK .. r1 - 1 of L^T

    private LowerTriangular(int m, Tensor[] rows, Tensor[] upper) {
        this.m = m;
        this.rows = rows;
        this.upper = upper;
    }

    /**
     * Splits a lower-triangular matrix into row blocks (entries above the diagonal are taken as zero).
     *
     * @param l {@code [m, m]}, F64
     * @return the blocked matrix
     * @throws IllegalArgumentException if l is not a square F64 matrix
     */
    static LowerTriangular of(Tensor l) {
        if (l == null || l.rank() != 2 || l.rows() != l.cols() || l.dtype() != DType.F64) {
            throw new IllegalArgumentException("LowerTriangular.of: need a square F64 matrix, got "
                    + (l == null ? "null" : l.dtype() + " " + l.shape()));
        }
        int m = l.rows();
        int nb = (m + BLOCK - 1) / BLOCK;
        Tensor[] rows = new Tensor[nb];
        Tensor[] upper = new Tensor[nb];
        double[] a = l.f64();
        for (int b = 0; b < nb; b++) {
            int r0 = b * BLOCK;
            int r1 = Math.min(m, r0 + BLOCK);
            Tensor t = Tensor.zeros(DType.F64, r1 - r0, r1);
            for (int i = r0; i < r1; i++) {
                System.arraycopy(a, i * m, t.f64(), (i - r0) * r1, i + 1);
            }
            rows[b] = t;
            int w = m - r0;
            Tensor u = Tensor.zeros(DType.F64, r1 - r0, w);
            double[] uu = u.f64();
            for (int i = r0; i < m; i++) {
                for (int j = r0; j <= Math.min(i, r1 - 1); j++) {
                    uu[(j - r0) * w + (i - r0)] = a[i * m + j];
                }
            }
            upper[b] = u;
        }
        return new LowerTriangular(m, rows, upper);
    }

    /**
     * {@code L X}.
     *
     * @param be the backend for the block products
     * @param x {@code [m, p]}, F64
     * @return a new {@code [m, p]}
     * @throws IllegalArgumentException if x is not an F64 matrix of m rows
     */
    Tensor times(Backend be, Tensor x) {
        int p = check("times", x);
        Tensor out = Tensor.zeros(DType.F64, m, p);
        for (int b = 0; b < rows.length; b++) {
            int r0 = b * BLOCK;
            int r1 = rows[b].cols();
            Tensor y = be.matmul(rows[b], leadingRows(x, r1)); // [r1 - r0, p]
            System.arraycopy(y.f64(), 0, out.f64(), r0 * p, (r1 - r0) * p);
        }
        return out;
    }

    /**
     * {@code L^T X}.
     *
     * @param be the backend for the block products
     * @param x {@code [m, p]}, F64
     * @return a new {@code [m, p]}
     * @throws IllegalArgumentException if x is not an F64 matrix of m rows
     */
    Tensor transposeTimes(Backend be, Tensor x) {
        int p = check("transposeTimes", x);
        Tensor out = Tensor.zeros(DType.F64, m, p);
        for (int b = 0; b < upper.length; b++) {
            int r0 = b * BLOCK;
            Tensor xs = Tensor.zeros(DType.F64, m - r0, p); // rows r0 .. m - 1 of x
            System.arraycopy(x.f64(), r0 * p, xs.f64(), 0, (m - r0) * p);
            Tensor y = be.matmul(upper[b], xs); // [r1 - r0, p]
            System.arraycopy(y.f64(), 0, out.f64(), r0 * p, y.size());
        }
        return out;
    }

    private int check(String op, Tensor x) {
        if (x == null || x.rank() != 2 || x.rows() != m || x.dtype() != DType.F64) {
            throw new IllegalArgumentException("LowerTriangular." + op + ": need an F64 matrix with " + m
                    + " rows, got " + (x == null ? "null" : x.dtype() + " " + x.shape()));
        }
        return x.cols();
    }

    /** The first r rows of x (a copy: they are a prefix of its row-major array). */
    private static Tensor leadingRows(Tensor x, int r) {
        int p = x.cols();
        Tensor t = Tensor.zeros(DType.F64, r, p);
        System.arraycopy(x.f64(), 0, t.f64(), 0, r * p);
        return t;
    }
}
