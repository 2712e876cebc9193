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

    /** -1, 0 or +1: the mean below zero, indistinguishable from zero, or above zero, judged at two standard errors. */
    static int sign(double[] v) {
        if (v.length < 2) {
            return 0;
        }
        double m = mean(v);
        double se = standardError(v);
        if (m - 2 * se > 0) {
            return 1;
        }
        if (m + 2 * se < 0) {
            return -1;
        }
        return 0;
    }

    /**
     * -1, 0 or +1: the mean of {@code a} below, indistinguishable from, or above the mean of {@code b} (independent
     * samples), judged at two standard errors of the difference, {@code 2 sqrt(se_a^2 + se_b^2)}.
     */
    static int compare(double[] a, double[] b) {
        if (a.length < 2 || b.length < 2) {
            return 0;
        }
        double d = mean(a) - mean(b);
        double se = Math.hypot(standardError(a), standardError(b));
        if (d - 2 * se > 0) {
            return 1;
        }
        if (d + 2 * se < 0) {
            return -1;
        }
        return 0;
    }

    /** Element-wise {@code a - b} (paired differences), in a new array. */
    static double[] diff(double[] a, double[] b) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    /** Largest element ({@code -Infinity} for an empty array). */
    static double max(double[] v) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            m = Math.max(m, x);
        }
        return m;
    }

    /** Spearman's rank correlation of two equally long samples (average ranks for ties); NaN below 3 pairs. */
    static double spearman(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("Stats.spearman: lengths differ: " + x.length + " and " + y.length);
        }
        if (x.length < 3) {
            return Double.NaN;
        }
        double[] rx = ranks(x);
        double[] ry = ranks(y);
        double mx = mean(rx);
        double my = mean(ry);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }
        return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
    }

    private static double[] ranks(double[] v) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> Double.compare(v[a], v[b]));
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; ) {
            int j = i;
            while (j + 1 < v.length && v[idx[j + 1]] == v[idx[i]]) {
                j++;
            }
            for (int k = i; k <= j; k++) {
                r[idx[k]] = (i + j) / 2.0 + 1;
            }
            i = j + 1;
        }
        return r;
    }

    /** "a of b" with the words for the quantifiers: "all 7", "none of the 7", "3 of 7". */
    static String count(int a, int b) {
        if (a == b) {
            return b == 1 ? "the one" : b == 2 ? "both" : "all " + b;
        }
        return a == 0 ? "none of the " + b : a + " of " + b;
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
