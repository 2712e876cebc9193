package io.isotropic.spi;

import io.isotropic.tensor.DType;

/**
 * The power-of-two scaling {@link AbstractBackend} applies around every raw SVD, so that no backend's kernel sees
 * entries near the overflow or underflow thresholds: the matrix is multiplied by {@code 2^-e}, with {@code e} the
 * exponent of its largest magnitude (so the scaled maximum lies in {@code [1, 2)}), and the singular values by
 * {@code 2^e} afterwards; the singular vectors do not change.
 *
 * <p>Multiplying by a power of two is exact whenever the result is a normal number, so the kernel decomposes exactly
 * {@code 2^-e A}, except that entries below {@code 2^-1022} of the maximum (F64; {@code 2^-126} for F32 storage) are
 * rounded to subnormal numbers or zero, an absolute change below {@code 2^-1074} (resp. {@code 2^-149}) of the
 * maximum, far below the backward error {@code u |A|_2} of any SVD. Scaling the singular values back is exact unless
 * they are subnormal (then correctly rounded) or beyond the dtype's range (then an {@link ArithmeticException}).
 */
final class SvdScaling {
    private SvdScaling() {
    }

    /**
     * The exponent {@code e} of the largest magnitude, {@code 2^e <= max |a_i| < 2^(e+1)}, also for subnormal maxima;
     * 0 for an all-zero array.
     *
     * @param a the entries
     * @return the exponent, in {@code [-1074, 1023]}
     */
    static int exponent(double[] a) {
        double max = 0;
        for (double x : a) {
            max = Math.max(max, Math.abs(x));
        }
        return exponentOf(max);
    }

    /**
     * {@link #exponent(double[])} of float entries.
     *
     * @param a the entries
     * @return the exponent, in {@code [-149, 127]}
     */
    static int exponent(float[] a) {
        float max = 0;
        for (float x : a) {
            max = Math.max(max, Math.abs(x));
        }
        return exponentOf(max);
    }

    private static int exponentOf(double max) {
        if (max == 0) {
            return 0;
        }
        return max >= Double.MIN_NORMAL ? Math.getExponent(max) : Math.getExponent(max * 0x1.0p54) - 54;
    }

    /**
     * A new array {@code 2^-e a}.
     *
     * @param a the entries (not modified)
     * @param e the exponent from {@link #exponent(double[])}
     * @return the scaled copy
     */
    static double[] scaledCopy(double[] a, int e) {
        double[] c = a.clone();
        if (e == 0) {
            return c;
        }
        if (-e <= Double.MAX_EXPONENT) {
            // 2^-e is representable (for e = 1023 as the subnormal 2^-1023, still exact)
            double f = Math.scalb(1.0, -e);
            for (int i = 0; i < c.length; i++) {
                c[i] *= f;
            }
        } else {
            // a subnormal maximum: 2^-e > 2^1023, applied in two exact steps
            double f1 = 0x1.0p600;
            double f2 = Math.scalb(1.0, -e - 600);
            for (int i = 0; i < c.length; i++) {
                c[i] = c[i] * f1 * f2;
            }
        }
        return c;
    }

    /**
     * {@code 2^-e a} in float storage: {@code a} itself when {@code e == 0}, else a new array.
     *
     * @param a the entries (not modified)
     * @param e the exponent from {@link #exponent(float[])}
     * @return the scaled entries
     */
    static float[] scaled(float[] a, int e) {
        if (e == 0) {
            return a;
        }
        double f = Math.scalb(1.0, -e);
        float[] c = new float[a.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) (a[i] * f);
        }
        return c;
    }

    /**
     * Scales singular values back by {@code 2^e} in place and checks they fit the result's dtype; non-finite or
     * negative values (a broken kernel) are left as they are, for {@link io.isotropic.spi.SvdNormaliser} to
     * reject.
     *
     * @param op the operation, for the message
     * @param s the singular values of the scaled matrix (modified)
     * @param e the exponent
     * @param dtype the dtype of the result
     * @param m rows of the matrix
     * @param n columns of the matrix
     * @return {@code s}
     * @throws ArithmeticException if a singular value exceeds the dtype's largest finite value
     */
    static double[] unscale(String op, double[] s, int e, DType dtype, int m, int n) {
        for (int i = 0; i < s.length; i++) {
            double x = s[i];
            if (!(x >= 0) || x == Double.POSITIVE_INFINITY) {
                continue;
            }
            double y = Math.scalb(x, e);
            double limit = dtype == DType.F64 ? Double.MAX_VALUE : Float.MAX_VALUE;
            if (y > limit && (dtype == DType.F64 || Float.isInfinite((float) y))) {
                throw new ArithmeticException(op + ": singular value " + i + " of this " + m + " x " + n + " "
                        + dtype + " matrix is " + x + " x 2^" + e + ", beyond the largest finite " + dtype + " value "
                        + limit + "; scale the matrix down");
            }
            s[i] = y;
        }
        return s;
    }
}
