package io.isotropic.backend.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The small vector helpers the parts of {@link SvdF64} share: Householder reflectors, overflow-safe norms and
 * {@code hypot}, and row operations on the transposed factors.
 */
final class SvdSupport {
    private static final VectorSpecies<Double> SP = Lanes.F64;
    private static final int L = SP.length();

    private SvdSupport() {
    }

    /**
     * Householder reflector (LAPACK {@code dlarfg}) for {@code x = h[off .. off+len)}: on return
     * {@code h[off+1 ..]} holds {@code v[1 ..]} (with {@code v[0] = 1} implied), {@code h[off]} holds tau, and the
     * returned beta satisfies {@code (I - tau v v^T) x = beta e_1}. Tau is 0 (no reflection) when x is already
     * a multiple of {@code e_1}.
     */
    static double house(double[] h, int off, int len) {
        double alpha = h[off];
        double xnorm = len > 1 ? norm(h, off + 1, len - 1) : 0;
        if (xnorm == 0) {
            h[off] = 0;
            return alpha;
        }
        double beta = -Math.copySign(hypot(alpha, xnorm), alpha);
        double tau = (beta - alpha) / beta;
        double inv = 1 / (alpha - beta);
        if (Double.isFinite(inv)) {
            scale(len - 1, inv, h, off + 1);
        } else {
            divide(len - 1, alpha - beta, h, off + 1);
        }
        h[off] = tau;
        return beta;
    }

    /**
     * Euclidean norm without overflow or harmful underflow: directly where the sum of squares is safely normal,
     * else from the entries scaled by {@code 2^-e}, with {@code 2^e <= max |x_i| < 2^(e+1)} (a power of two, so the
     * scaling is exact, and {@code 2^-e} is applied with {@code Math.scalb}, which stays finite when the maximum is
     * subnormal, where {@code 1 / max} overflows).
     */
    static double norm(double[] x, int off, int len) {
        double ss = SumsF64.sumSquares(x, off, len);
        if (ss > 0x1.0p-900 && ss < 0x1.0p900) {
            return Math.sqrt(ss);
        }
        double max = 0;
        for (int i = 0; i < len; i++) {
            max = Math.max(max, Math.abs(x[off + i]));
        }
        if (max == 0) {
            return 0;
        }
        int e = exponent(max);
        double s = 0;
        for (int i = 0; i < len; i++) {
            double v = Math.scalb(x[off + i], -e);
            s += v * v;
        }
        return Math.scalb(Math.sqrt(s), e);
    }

    /**
     * The exponent of a positive finite number, {@code 2^e <= x < 2^(e+1)}, also when x is subnormal.
     *
     * @param x the number
     * @return e, in {@code [-1074, 1023]}
     */
    static int exponent(double x) {
        return x >= Double.MIN_NORMAL ? Math.getExponent(x) : Math.getExponent(x * 0x1.0p54) - 54;
    }

    /**
     * Scales a matrix in place by the power of two that brings its largest magnitude into {@code [1, 2)} (exact for
     * every entry that stays normal) and returns the exponent to scale the singular values back with.
     *
     * @param a the entries (modified)
     * @return e, with the matrix now {@code 2^-e} times what it was; 0 for a zero matrix
     */
    static int normaliseScale(double[] a) {
        double max = 0;
        for (double x : a) {
            max = Math.max(max, Math.abs(x));
        }
        if (max == 0) {
            return 0;
        }
        int e = exponent(max);
        if (e == 0) {
            return 0;
        }
        if (-e <= Double.MAX_EXPONENT) {
            scale(a.length, Math.scalb(1.0, -e), a, 0);
        } else {
            scale(a.length, 0x1.0p600, a, 0);
            scale(a.length, Math.scalb(1.0, -e - 600), a, 0);
        }
        return e;
    }

    /**
     * Scales singular values back by {@code 2^e} in place.
     *
     * @param s the singular values of the scaled matrix (modified)
     * @param e the exponent from {@link #normaliseScale}
     * @param m rows, for the message
     * @param n columns, for the message
     * @throws ArithmeticException if a value exceeds the largest finite double
     */
    static void unscale(double[] s, int e, int m, int n) {
        if (e == 0) {
            return;
        }
        for (int i = 0; i < s.length; i++) {
            double y = Math.scalb(s[i], e);
            if (y == Double.POSITIVE_INFINITY) {
                throw new ArithmeticException("svd: singular value " + s[i] + " x 2^" + e + " of a " + m + " x " + n
                        + " matrix exceeds the largest finite double");
            }
            s[i] = y;
        }
    }

    /** {@code sqrt(a^2 + b^2)}, directly in the safe range, scaled otherwise (Math.hypot is slower). */
    static double hypot(double a, double b) {
        double x = Math.abs(a);
        double y = Math.abs(b);
        double max = Math.max(x, y);
        if (max < 0x1.0p500 && max > 0x1.0p-500) {
            return Math.sqrt(a * a + b * b);
        }
        if (max == 0) {
            return 0;
        }
        double r = Math.min(x, y) / max;
        return max * Math.sqrt(1 + r * r);
    }

    /** {@code y[yo ..] += alpha x[xo ..]} over len elements. */
    static void axpy(int len, double alpha, double[] x, int xo, double[] y, int yo) {
        DoubleVector av = DoubleVector.broadcast(SP, alpha);
        int j = 0;
        for (; j + L <= len; j += L) {
            DoubleVector.fromArray(SP, x, xo + j).fma(av, DoubleVector.fromArray(SP, y, yo + j)).intoArray(y, yo + j);
        }
        for (; j < len; j++) {
            y[yo + j] = Math.fma(x[xo + j], alpha, y[yo + j]);
        }
    }

    static void scale(int len, double alpha, double[] x, int off) {
        int j = 0;
        for (; j + L <= len; j += L) {
            DoubleVector.fromArray(SP, x, off + j).mul(alpha).intoArray(x, off + j);
        }
        for (; j < len; j++) {
            x[off + j] *= alpha;
        }
    }

    private static void divide(int len, double by, double[] x, int off) {
        for (int j = 0; j < len; j++) {
            x[off + j] /= by;
        }
    }

    /** Whether the first largest-magnitude entry of {@code q[off .. off+len)} is negative. */
    static boolean largestIsNegative(double[] q, int off, int len) {
        double best = 0;
        double val = 0;
        for (int i = 0; i < len; i++) {
            double x = Math.abs(q[off + i]);
            if (x > best) {
                best = x;
                val = q[off + i];
            }
        }
        return val < 0;
    }

    static void negateRow(double[] q, int cols, int row) {
        int o = row * cols;
        int j = 0;
        for (; j + L <= cols; j += L) {
            DoubleVector.fromArray(SP, q, o + j).neg().intoArray(q, o + j);
        }
        for (; j < cols; j++) {
            q[o + j] = -q[o + j];
        }
    }

    /** Rows {@code (r1, r2)} of q become {@code (cs r1 + sn r2, cs r2 - sn r1)}. */
    static void rotateRows(double[] q, int cols, int r1, int r2, double cs, double sn) {
        int o1 = r1 * cols;
        int o2 = r2 * cols;
        int j = 0;
        for (; j + L <= cols; j += L) {
            DoubleVector x = DoubleVector.fromArray(SP, q, o1 + j);
            DoubleVector y = DoubleVector.fromArray(SP, q, o2 + j);
            x.mul(cs).add(y.mul(sn)).intoArray(q, o1 + j);
            y.mul(cs).sub(x.mul(sn)).intoArray(q, o2 + j);
        }
        for (; j < cols; j++) {
            double x = q[o1 + j];
            double y = q[o2 + j];
            q[o1 + j] = cs * x + sn * y;
            q[o2 + j] = cs * y - sn * x;
        }
    }
}
