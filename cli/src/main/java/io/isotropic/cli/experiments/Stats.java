package io.isotropic.cli.experiments;

import java.util.Locale;

/** Mean and standard error (sample standard deviation with ddof 1 over sqrt(n)), as the reference notebooks report. */
public final class Stats {
    private Stats() {
    }

    /**
     * The mean.
     *
     * @param v the values {@code [n]}, {@code n >= 1}
     * @return their mean (NaN for no values)
     */
    public static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /**
     * The standard error of the mean: the sample standard deviation (ddof 1) over {@code sqrt(n)}.
     *
     * @param v the values {@code [n]}
     * @return the standard error, NaN for fewer than two values
     */
    public static double standardError(double[] v) {
        if (v.length < 2) {
            return Double.NaN;
        }
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / (v.length - 1)) / Math.sqrt(v.length);
    }

    /**
     * {@code v} times {@code f}, element by element, in a new array.
     *
     * @param v the values {@code [n]}
     * @param f the factor
     * @return the products {@code [n]}
     */
    public static double[] scale(double[] v, double f) {
        double[] o = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = v[i] * f;
        }
        return o;
    }

    /**
     * "mean ± se" with the given format for both, or just the mean when n = 1.
     *
     * @param v the values {@code [n]}, {@code n >= 1}
     * @param fmt a format for one double, e.g. {@code %.2f} ({@code +} flags apply to the mean only)
     * @return the text
     */
    public static String format(double[] v, String fmt) {
        String m = String.format(Locale.ROOT, fmt, mean(v));
        if (v.length < 2) {
            return m;
        }
        return m + " ± " + String.format(Locale.ROOT, fmt.replace("+", ""), standardError(v));
    }
}
