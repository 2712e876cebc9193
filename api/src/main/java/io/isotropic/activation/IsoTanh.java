package io.isotropic.activation;

/**
 * Scalar mathematics of isotropic tanh with intrinsic length {@code o} (method.md section 2.2), shared by
 * every backend so that the per-row gain is computed by one piece of code.
 *
 * <p>For a pre-activation row {@code z} with squared norm {@code r = |z|^2}, let {@code rho = sqrt(|r + o|)}.
 * The gain is {@code G = tanh(rho)/rho} when {@code rho > eps} and the small-ball constant {@code c(o)}
 * otherwise, where {@code c(o) = tanh(sqrt|o|)/sqrt|o|} if {@code |o| > 0.01} and 1 otherwise. The activation is
 * {@code f(z) = G z}.
 */
public final class IsoTanh {
    /** Default small-ball radius {@code eps = 1e-3} used in every experiment of the reference method. */
    public static final double DEFAULT_EPSILON = 1e-3;

    /**
     * Below this value of {@code u = |r + o|} the slope is summed as its Taylor series; above it the closed form
     * loses at most a factor 4 to cancellation (at {@code rho = 0.71}: {@code rho sech^2 rho = 0.44} against
     * {@code tanh rho = 0.61}). (A limit of 1e-3 with four terms, as before, erred by up to 3e-13 relative on both
     * sides of it: the truncated series below, the cancelling closed form above.)
     */
    private static final double SERIES_LIMIT = 0.5;

    /**
     * Taylor coefficients of {@code dG/du} in {@code u}: 26 terms, whose truncation at {@code u = 0.5} is below
     * {@code (0.5 / (pi^2 / 4))^26 < 1e-17} relative (the series converges for {@code u < pi^2 / 4}).
     */
    private static final double[] SLOPE_SERIES = slopeSeries(26);

    private IsoTanh() {
    }

    /**
     * The small-ball factor {@code c(o)}: {@code tanh(sqrt|o|)/sqrt|o|} if {@code |o| > 0.01}, else exactly 1.
     *
     * @param o the intrinsic length
     * @return the gain used inside the small ball
     */
    public static double smallBallFactor(double o) {
        double a = Math.abs(o);
        if (a > 0.01) {
            double s = Math.sqrt(a);
            return Math.tanh(s) / s;
        }
        return 1.0;
    }

    /**
     * The gain {@code G(r; o)} for one row.
     *
     * @param r the squared norm of the row, {@code >= 0}
     * @param o the intrinsic length
     * @param eps the small-ball radius, {@code > 0}
     * @return the gain, in {@code (0, 1]} for {@code o >= 0}
     */
    public static double gain(double r, double o, double eps) {
        double rho = Math.sqrt(Math.abs(r + o));
        if (rho > eps) {
            return Math.tanh(rho) / rho;
        }
        return smallBallFactor(o);
    }

    /**
     * Derivative of the gain with respect to {@code r} (equal to its derivative with respect to {@code o}),
     * zero inside the small ball where the gain is constant.
     *
     * <p>With {@code u = |r + o|} and {@code g(u) = tanh(sqrt u)/sqrt u}, this is {@code sign(r + o) g'(u)},
     * where {@code g'(u) = (rho sech^2 rho - tanh rho)/(2 rho^3)}; for {@code u < 0.5} its Taylor series
     * {@code -1/3 + 4u/15 - 17u^2/105 + 248u^3/2835 - ...} (26 terms) avoids the cancellation of the closed form,
     * so the slope is accurate to a few ulp for every {@code u}.
     *
     * @param r the squared norm of the row
     * @param o the intrinsic length
     * @param eps the small-ball radius
     * @return {@code dG/dr}
     */
    public static double gainSlope(double r, double o, double eps) {
        double s = r + o;
        double u = Math.abs(s);
        double rho = Math.sqrt(u);
        if (!(rho > eps)) {
            return 0.0;
        }
        double slope;
        if (u < SERIES_LIMIT) {
            slope = 0;
            for (int k = SLOPE_SERIES.length - 1; k >= 0; k--) {
                slope = slope * u + SLOPE_SERIES[k];
            }
        } else {
            double t = Math.tanh(rho);
            double sech2 = 1 - t * t;
            slope = (rho * sech2 - t) / (2 * u * rho);
        }
        return s < 0 ? -slope : slope;
    }

    /**
     * The first {@code terms} Taylor coefficients of {@code g'(u)}, {@code g(u) = tanh(sqrt u)/sqrt u}: with
     * {@code tanh x = sum_k t_k x^(2k+1)}, {@code T' = 1 - T^2} gives {@code t_0 = 1} and {@code (2k+1) t_k =
     * -sum_(i+j=k-1) t_i t_j}; then {@code g(u) = sum_k t_k u^k} and {@code g'(u) = sum_(k>=1) k t_k u^(k-1)}.
     */
    private static double[] slopeSeries(int terms) {
        double[] t = new double[terms + 1];
        t[0] = 1;
        for (int k = 1; k <= terms; k++) {
            double s = 0;
            for (int i = 0; i < k; i++) {
                s += t[i] * t[k - 1 - i];
            }
            t[k] = -s / (2 * k + 1);
        }
        double[] d = new double[terms];
        for (int k = 1; k <= terms; k++) {
            d[k - 1] = k * t[k];
        }
        return d;
    }
}
