package io.isotropic.linalg;

/**
 * Householder QR of a tall row-major matrix in double precision: the reflections {@code H_c = I - 2 v_c v_c^T}
 * (each {@code v_c} a unit vector acting on entries {@code c..m-1}) with {@code H_{k-1} ... H_0 A = R}.
 *
 * @param vectors the unit vectors {@code v_c} (length {@code m - c}), or null where the column was already zero
 * @param diagonal the diagonal {@code R_cc} of the triangular factor (the {@code alpha} of each reflection)
 */
public record Householder(double[][] vectors, double[] diagonal) {

    /**
     * Factorises a tall matrix in place; on return its upper triangle holds {@code R}.
     *
     * @param a row-major {@code m x k} matrix (modified)
     * @param m rows, {@code m >= k}
     * @param k columns
     * @return the reflections and the diagonal of {@code R}
     * @throws IllegalArgumentException if the array is too short or {@code m < k}
     */
    public static Householder factor(double[] a, int m, int k) {
        if (a == null || k < 0 || m < k || a.length < m * k) {
            throw new IllegalArgumentException("Householder.factor: need a tall m x k array with m >= k, got m = " + m
                    + ", k = " + k + ", length " + (a == null ? "null" : a.length));
        }
        double[][] vs = new double[k][];
        double[] diag = new double[k];
        for (int c = 0; c < k; c++) {
            double norm = 0;
            for (int i = c; i < m; i++) {
                norm += a[i * k + c] * a[i * k + c];
            }
            norm = Math.sqrt(norm);
            double alpha = a[c * k + c] > 0 ? -norm : norm;
            double[] v = new double[m - c];
            for (int i = c; i < m; i++) {
                v[i - c] = a[i * k + c];
            }
            v[0] -= alpha;
            double vnorm2 = 0;
            for (double x : v) {
                vnorm2 += x * x;
            }
            diag[c] = alpha;
            if (vnorm2 == 0) {
                continue;
            }
            for (int j = c; j < k; j++) {
                double d = 0;
                for (int i = c; i < m; i++) {
                    d += v[i - c] * a[i * k + j];
                }
                double f = 2 * d / vnorm2;
                for (int i = c; i < m; i++) {
                    a[i * k + j] -= f * v[i - c];
                }
            }
            double vn = Math.sqrt(vnorm2);
            for (int i = 0; i < v.length; i++) {
                v[i] /= vn;
            }
            vs[c] = v;
        }
        return new Householder(vs, diag);
    }
}
