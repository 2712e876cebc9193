package io.isotropic.linalg;

import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;

/**
 * Blocked Cholesky factorisation {@code A = L L^T} of a symmetric positive-definite matrix and the inverse of a
 * lower-triangular factor, in double precision, with every block update done by a backend's matrix product (a
 * left-looking variant with {@value #BLOCK}-column panels, so that O(n^3) of the work runs at the backend's gemm
 * speed and only O(n BLOCK^2) is scalar).
 */
public final class Cholesky {
    private static final int BLOCK = 64;

    private Cholesky() {
    }

    /**
     * The lower-triangular factor {@code L} of {@code A = L L^T}.
     *
     * @param be the backend for the block products
     * @param a symmetric {@code [n, n]}, F64; only the lower triangle is read
     * @return {@code L} ({@code [n, n]}, F64, zero above the diagonal), or null if a pivot is not positive (A is
     *         not numerically positive definite)
     * @throws IllegalArgumentException if a is not a square F64 matrix
     */
    public static Tensor factor(Backend be, Tensor a) {
        int n = checkSquare("Cholesky.factor", be, a);
        double[] src = a.f64();
        double[] l = new double[n * n];
        int nb = (n + BLOCK - 1) / BLOCK;
        for (int jb = 0; jb < nb; jb++) {
            int c0 = jb * BLOCK;
            int bs = Math.min(BLOCK, n - c0);
            Tensor s = block(src, n, c0, c0, bs, bs);
            if (c0 > 0) {
                Tensor lj = block(l, n, c0, 0, bs, c0);
                be.gemm(-1.0, lj, false, lj, true, 1.0, s);
            }
            if (!factorBlock(s.f64(), bs)) {
                return null;
            }
            put(l, n, c0, c0, s);
            int below = n - c0 - bs;
            if (below > 0) {
                Tensor panel = block(src, n, c0 + bs, c0, below, bs);
                if (c0 > 0) {
                    be.gemm(-1.0, block(l, n, c0 + bs, 0, below, c0), false, block(l, n, c0, 0, bs, c0), true, 1.0,
                            panel);
                }
                put(l, n, c0 + bs, c0, be.matmul(panel, false, invertBlock(s.f64(), bs), true));
            }
        }
        return Tensor.wrap(l, n, n);
    }

    /**
     * The inverse of a lower-triangular matrix with a non-zero diagonal, block row by block row:
     * {@code Linv[i, 0:i] = -D_i (L[i, 0:i] Linv[0:i, 0:i])} with {@code D_i} the inverse of diagonal block i.
     *
     * @param be the backend for the block products
     * @param l lower-triangular {@code [n, n]}, F64 (entries above the diagonal are ignored)
     * @return {@code L^{-1}}, lower-triangular, F64
     * @throws IllegalArgumentException if l is not a square F64 matrix or has a zero on its diagonal
     */
    public static Tensor invertLower(Backend be, Tensor l) {
        int n = checkSquare("Cholesky.invertLower", be, l);
        double[] src = l.f64();
        for (int i = 0; i < n; i++) {
            if (src[i * n + i] == 0) {
                throw new IllegalArgumentException("Cholesky.invertLower: diagonal entry " + i + " is 0");
            }
        }
        double[] li = new double[n * n];
        int nb = (n + BLOCK - 1) / BLOCK;
        for (int ib = 0; ib < nb; ib++) {
            int r0 = ib * BLOCK;
            int bs = Math.min(BLOCK, n - r0);
            Tensor d = invertBlock(block(src, n, r0, r0, bs, bs).f64(), bs);
            put(li, n, r0, r0, d);
            if (r0 > 0) {
                Tensor t = be.matmul(block(src, n, r0, 0, bs, r0), block(li, n, 0, 0, r0, r0));
                Tensor r = be.matmul(d, t);
                be.scale(-1.0, r);
                put(li, n, r0, 0, r);
            }
        }
        return Tensor.wrap(li, n, n);
    }

    private static int checkSquare(String op, Backend be, Tensor a) {
        if (be == null || a == null || a.rank() != 2 || a.rows() != a.cols() || a.dtype() != DType.F64) {
            throw new IllegalArgumentException(op + ": need a backend and a square F64 matrix, got "
                    + (a == null ? "null" : a.dtype() + " " + a.shape()));
        }
        return a.rows();
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
    private static boolean factorBlock(double[] s, int b) {
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

    /** Inverse of a lower-triangular row-major b x b block (entries above the diagonal ignored). */
    private static Tensor invertBlock(double[] l, int b) {
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
