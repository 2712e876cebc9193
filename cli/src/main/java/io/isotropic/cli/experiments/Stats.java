package io.isotropic.cli.experiments;

import java.util.Locale;

/** Mean and standard error (sample standard deviation with ddof 1 over sqrt(n)), as the reference notebooks report. */
final class Stats {
    private Stats() {
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    static double standardError(double[] v) {
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

    /** {@code v} times {@code f}, element by element, in a new array. */
    static double[] scale(double[] v, double f) {
        double[] o = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = v[i] * f;
        }
        return o;
    }

    /** "mean ± se" with the given format for both, or just the mean when n = 1. */
    static String format(double[] v, String fmt) {
        String m = String.format(Locale.ROOT, fmt, mean(v));
        if (v.length < 2) {
            return m;
        }
        return m + " ± " + String.format(Locale.ROOT, fmt.replace("+", ""), standardError(v));
    }
}
