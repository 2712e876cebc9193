package io.isotropic.spi;

import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Puts any valid full SVD into the project's canonical form so that every backend returns comparable factors:
 * singular values non-increasing (ties keep the backend's order), and each column of {@code U} signed so that
 * its largest-magnitude entry (the first one, on exact ties) is positive; for {@code i < min(m, n)} the sign
 * flip is applied to column {@code i} of {@code V} as well, which leaves {@code U diag(s) V^T} unchanged. Columns
 * of {@code V} past {@code min(m, n)} are signed by the same rule on themselves.
 */
public final class SvdNormaliser {
    private SvdNormaliser() {
    }

    /**
     * Normalises raw factors computed in double precision and stores them in the requested dtype.
     *
     * @param m rows of the decomposed matrix
     * @param n columns of the decomposed matrix
     * @param u left factor, row-major {@code m x m} (modified)
     * @param s singular values, length {@code min(m, n)}, any order, non-negative (modified)
     * @param v right factor, row-major {@code n x n} (modified)
     * @param dtype the dtype of the returned factors
     * @return the normalised decomposition
     * @throws IllegalArgumentException if an array has the wrong length or a singular value is negative or not finite
     */
    public static Svd normalise(int m, int n, double[] u, double[] s, double[] v, DType dtype) {
        int k = Math.min(m, n);
        if (u == null || s == null || v == null || u.length != m * m || s.length != k || v.length != n * n) {
            throw new IllegalArgumentException("SvdNormaliser: factor sizes do not match a " + m + " x " + n
                    + " matrix (u " + (u == null ? "null" : u.length) + ", s " + (s == null ? "null" : s.length)
                    + ", v " + (v == null ? "null" : v.length) + ")");
        }
        orderAndSign(m, n, u, s, v);
        if (dtype == DType.F64) {
            return new Svd(Tensor.wrap(u, m, m), Tensor.wrap(s, k), Tensor.wrap(v, n, n));
        }
        return new Svd(Tensor.wrap(u, m, m).to(DType.F32), Tensor.wrap(s, k).to(DType.F32),
                Tensor.wrap(v, n, n).to(DType.F32));
    }

    /**
     * Normalises a left factor and singular values computed without the right factor, exactly as
     * {@link #normalise} treats them: {@code normaliseLeft(m, n, u, s, dt)} has the {@code U} and {@code s} of
     * {@code normalise(m, n, u, s, v, dt)} for any {@code v}.
     *
     * @param m rows of the decomposed matrix
     * @param n columns of the decomposed matrix
     * @param u left factor, row-major {@code m x m} (modified)
     * @param s singular values, length {@code min(m, n)}, any order, non-negative (modified)
     * @param dtype the dtype of the returned factors
     * @return the normalised left half
     * @throws IllegalArgumentException if an array has the wrong length or a singular value is negative or not finite
     */
    public static SvdLeft normaliseLeft(int m, int n, double[] u, double[] s, DType dtype) {
        int k = Math.min(m, n);
        if (u == null || s == null || u.length != m * m || s.length != k || n < 0) {
            throw new IllegalArgumentException("SvdNormaliser: factor sizes do not match a " + m + " x " + n
                    + " matrix (u " + (u == null ? "null" : u.length) + ", s " + (s == null ? "null" : s.length)
                    + ")");
        }
        orderAndSign(m, n, u, s, null);
        if (dtype == DType.F64) {
            return new SvdLeft(Tensor.wrap(u, m, m), Tensor.wrap(s, k));
        }
        return new SvdLeft(Tensor.wrap(u, m, m).to(DType.F32), Tensor.wrap(s, k).to(DType.F32));
    }

    /** Sorts and signs in place; {@code v} may be null (left half only). */
    private static void orderAndSign(int m, int n, double[] u, double[] s, double[] v) {
        int k = Math.min(m, n);
        for (int i = 0; i < k; i++) {
            if (!(s[i] >= 0) || Double.isInfinite(s[i])) {
                throw new IllegalArgumentException("SvdNormaliser: singular value " + i + " is " + s[i]
                        + "; backends must return finite non-negative values");
            }
        }
        Integer[] order = new Integer[k];
        for (int i = 0; i < k; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> s[i]).reversed());
        boolean sorted = true;
        for (int i = 0; i < k; i++) {
            sorted &= order[i] == i;
        }
        if (!sorted) {
            double[] s2 = new double[k];
            double[] u2 = u.clone();
            double[] v2 = v == null ? null : v.clone();
            for (int dst = 0; dst < k; dst++) {
                int src = order[dst];
                s2[dst] = s[src];
                for (int r = 0; r < m; r++) {
                    u2[r * m + dst] = u[r * m + src];
                }
                if (v != null) {
                    for (int r = 0; r < n; r++) {
                        v2[r * n + dst] = v[r * n + src];
                    }
                }
            }
            System.arraycopy(s2, 0, s, 0, k);
            System.arraycopy(u2, 0, u, 0, u.length);
            if (v != null) {
                System.arraycopy(v2, 0, v, 0, v.length);
            }
        }
        boolean[] flipU = largestIsNegative(u, m);
        negateColumns(u, m, flipU);
        if (v != null) {
            boolean[] flipV = largestIsNegative(v, n);
            for (int c = 0; c < Math.min(k, n); c++) {
                flipV[c] = c < m && flipU[c];
            }
            negateColumns(v, n, flipV);
        }
    }

    /**
     * Sorts singular values in non-increasing order, in place.
     *
     * @param s the singular values (modified)
     * @return {@code s}
     */
    public static double[] sortDescending(double[] s) {
        Arrays.sort(s);
        for (int i = 0, j = s.length - 1; i < j; i++, j--) {
            double t = s[i];
            s[i] = s[j];
            s[j] = t;
        }
        return s;
    }

    /**
     * For every column of a square row-major matrix, whether its first largest-magnitude entry is negative; one pass
     * along the rows (the per-column scan strode through the whole matrix once per column).
     */
    private static boolean[] largestIsNegative(double[] a, int order) {
        double[] best = new double[order];
        double[] sign = new double[order];
        Arrays.fill(sign, 1);
        for (int r = 0; r < order; r++) {
            int o = r * order;
            for (int c = 0; c < order; c++) {
                double x = Math.abs(a[o + c]);
                if (x > best[c]) {
                    best[c] = x;
                    sign[c] = a[o + c];
                }
            }
        }
        boolean[] negative = new boolean[order];
        for (int c = 0; c < order; c++) {
            negative[c] = sign[c] < 0;
        }
        return negative;
    }

    /** Negates the flagged columns of a square row-major matrix, row by row. */
    private static void negateColumns(double[] a, int order, boolean[] flip) {
        boolean any = false;
        for (boolean f : flip) {
            any |= f;
        }
        if (!any) {
            return;
        }
        for (int r = 0; r < order; r++) {
            int o = r * order;
            for (int c = 0; c < order; c++) {
                if (flip[c]) {
                    a[o + c] = -a[o + c];
                }
            }
        }
    }
}
