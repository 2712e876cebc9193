package io.isotropic.oracle;

/**
 * A tolerance with the reason it has that size (derived from the dtype's unit roundoff and the problem size,
 * never from what happens to pass).
 *
 * @param value the bound
 * @param reason how it was derived
 */
public record Tolerance(double value, String reason) {

    /**
     * Standard constant of floating-point error analysis: {@code gamma_k = k u / (1 - k u)} bounds the relative
     * error of a sum or inner product of {@code k} terms (Higham, Accuracy and Stability, section 3.1).
     *
     * @param k number of terms
     * @param u unit roundoff
     * @return gamma_k, or +infinity if {@code k u >= 1}
     */
    public static double gamma(int k, double u) {
        double ku = k * u;
        return ku >= 1 ? Double.POSITIVE_INFINITY : ku / (1 - ku);
    }

    /**
     * LAPACK's pass threshold for its SVD test ratios ({@code |A - U S V^T| / (max(m, n) |A| ulp) < 30}, and the
     * same for orthogonality), used here for every backend's SVD.
     */
    public static final double LAPACK_THRESHOLD = 30;

    @Override
    public String toString() {
        return value + " (" + reason + ")";
    }
}
