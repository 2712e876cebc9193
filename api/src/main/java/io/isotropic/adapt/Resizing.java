package io.isotropic.adapt;

import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;

/** Appending and deleting trailing rows and columns of F64 working tensors. */
final class Resizing {
    private Resizing() {
    }

    /** Appends k rows (matrix) or entries (vector); values from {@code rows} ([k, cols] or [k]) or zeros. */
    static Tensor appendRows(Tensor t, int k, Tensor rows) {
        double[] src = t.f64();
        if (t.rank() == 1) {
            double[] out = java.util.Arrays.copyOf(src, src.length + k);
            if (rows != null) {
                System.arraycopy(rows.f64(), 0, out, src.length, k);
            }
            return Tensor.wrap(out, src.length + k);
        }
        int r = t.rows();
        int c = t.cols();
        double[] out = java.util.Arrays.copyOf(src, (r + k) * c);
        if (rows != null) {
            System.arraycopy(rows.f64(), 0, out, r * c, k * c);
        }
        return Tensor.wrap(out, r + k, c);
    }

    /** Appends k columns to a matrix; values from {@code cols} ([rows, k]) or zeros. */
    static Tensor appendColumns(Tensor t, int k, Tensor cols) {
        int r = t.rows();
        int c = t.cols();
        Tensor out = Tensor.zeros(DType.F64, r, c + k);
        double[] o = out.f64();
        double[] s = t.f64();
        for (int i = 0; i < r; i++) {
            System.arraycopy(s, i * c, o, i * (c + k), c);
            if (cols != null) {
                System.arraycopy(cols.f64(), i * k, o, i * (c + k) + c, k);
            }
        }
        return out;
    }

    /** Deletes the last k rows (matrix) or entries (vector). */
    static Tensor dropRows(Tensor t, int k) {
        double[] src = t.f64();
        if (t.rank() == 1) {
            return Tensor.wrap(java.util.Arrays.copyOf(src, src.length - k), src.length - k);
        }
        int r = t.rows();
        int c = t.cols();
        return Tensor.wrap(java.util.Arrays.copyOf(src, (r - k) * c), r - k, c);
    }

    /** Deletes the last k columns of a matrix. */
    static Tensor dropColumns(Tensor t, int k) {
        int r = t.rows();
        int c = t.cols();
        Tensor out = Tensor.zeros(DType.F64, r, c - k);
        for (int i = 0; i < r; i++) {
            System.arraycopy(t.f64(), i * c, out.f64(), i * (c - k), c - k);
        }
        return out;
    }

    /** Column j of a matrix as a vector. */
    static Tensor column(Tensor t, int j) {
        Tensor out = Tensor.zeros(DType.F64, t.rows());
        for (int i = 0; i < t.rows(); i++) {
            out.f64()[i] = t.f64()[i * t.cols() + j];
        }
        return out;
    }
}
