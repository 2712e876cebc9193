package io.isotropic.oracle;

import io.isotropic.tensor.DType;

/**
 * A tolerance with the reason it has that size (derived from the dtype's unit roundoff and the problem size,
 * never from what happens to pass).
 *
 * <p>The named factories are the tolerances that the conformance suite and the benchmarks' checks share; each
 * states its derivation in its reason. Relative ones ({@link #product}, {@link #affine}, {@link #isoTanhForward},
 * {@link #isoTanhBackward}) are factors to multiply by the magnitude that {@link Reference} returns beside each
 * value ({@link #bounds}).
 *
 * @param value the bound (absolute, or a factor for the relative tolerances)
 * @param reason how it was derived
 */
public record Tolerance(double value, String reason) {

    /**
     * LAPACK's pass threshold for its SVD test ratios ({@code |A - U S V^T| / (max(m, n) |A| ulp) < 30}, and the
     * same for orthogonality), used here for every backend's SVD.
     */
    public static final double LAPACK_THRESHOLD = 30;

    /**
     * Validates the fields.
     *
     * @throws IllegalArgumentException if the value is NaN or negative, or the reason is blank
     */
    public Tolerance {
        if (!(value >= 0) || reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("Tolerance: value must be >= 0 and the reason non-blank, got " + value
                    + ", '" + reason + "'");
        }
    }

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
     * The relative tolerance of {@code alpha op(A) op(B) + beta C} with inner size {@code k}: an inner product of
     * {@code k} terms in any order errs by at most {@code gamma_k} times the sum of the magnitudes of its terms
     * (Higham, Thm 3.5); the F64 reference errs by as much again, and the +2 covers the roundings of alpha and beta.
     *
     * @param k the inner size
     * @param dtype the dtype of the operands
     * @return the factor {@code 2 gamma_(k+2)} for the magnitude {@code |alpha||A||B| + |beta||C|}
     */
    public static Tolerance product(int k, DType dtype) {
        return new Tolerance(2 * gamma(k + 2, dtype.unitRoundoff()), "2 gamma_(k+2) |alpha||A||B| + |beta||C|");
    }

    /**
     * The relative tolerance of the affine map {@code X W^T + b} with {@code in} inputs: an inner product of
     * {@code in} terms plus the bias, doubled for the reference.
     *
     * @param in the input width
     * @param dtype the dtype of the operands
     * @return the factor {@code 2 gamma_(in+1)} for the magnitude {@code |X||W^T| + |b|}
     */
    public static Tolerance affine(int in, DType dtype) {
        return new Tolerance(2 * gamma(in + 1, dtype.unitRoundoff()), "2 gamma_(in+1) (|X||W^T| + |b|)");
    }

    /**
     * The relative tolerance of the isotropic-tanh forward pass on rows of length {@code n}: the squared norm has
     * relative error at most {@code gamma_n}, the gain {@code G = tanh(rho)/rho} has {@code |d ln G / d ln r| <=
     * 1/2} and so inherits at most half of it, plus at most 8 roundings (tanh within 2.5 ulp, a square root, a
     * division, rounding to the dtype, the product {@code G z}); backend and reference each err so much.
     *
     * @param n the row length
     * @param dtype the dtype of the operands
     * @return the factor {@code gamma_n + 16u} for {@code G} and {@code |h|}
     */
    public static Tolerance isoTanhForward(int n, DType dtype) {
        double u = dtype.unitRoundoff();
        return new Tolerance(gamma(n, u) + 16 * u, "(gamma_n + 16u) relative: gamma_n from |z|^2, 8 roundings, "
                + "backend and reference");
    }

    /**
     * The relative tolerance of the isotropic-tanh backward pass on rows of length {@code n}: the forward
     * tolerance for each of its two terms {@code G dh} and {@code 2 (z . dh + g) G' z}.
     *
     * @param n the row length
     * @param dtype the dtype of the operands
     * @return the factor {@code 2 (gamma_n + 16u)} for the magnitude {@code |G dh| + 2 |z . dh + g| |G' z|}
     */
    public static Tolerance isoTanhBackward(int n, DType dtype) {
        double u = dtype.unitRoundoff();
        return new Tolerance(2 * (gamma(n, u) + 16 * u), "2 (gamma_n + 16u) (|G dh| + 2 |z.dh + g| |G' z|)");
    }

    /**
     * LAPACK's bound on the residual of an SVD of an {@code m x n} matrix: {@code |A - U S V^T|_F <= 30 max(m, n)
     * eps |A|_F}, with {@code eps = 2u} the dtype's machine epsilon.
     *
     * @param m rows
     * @param n columns
     * @param dtype the dtype of the decomposition
     * @param normA {@code |A|_F}
     * @return the absolute bound
     */
    public static Tolerance svdResidual(int m, int n, DType dtype, double normA) {
        return new Tolerance(LAPACK_THRESHOLD * Math.max(m, n) * dtype.epsilon() * normA,
                "LAPACK: 30 max(m, n) eps |A|_F");
    }

    /**
     * LAPACK's bound on the loss of orthogonality of an {@code n x n} factor: {@code |Q^T Q - I|_max <= 30 n eps}.
     *
     * @param n the order of Q
     * @param dtype the dtype of Q
     * @return the absolute bound
     */
    public static Tolerance orthogonality(int n, DType dtype) {
        return new Tolerance(LAPACK_THRESHOLD * Math.max(1, n) * dtype.epsilon(), "LAPACK: 30 n eps");
    }

    /**
     * The bound on each singular value of an {@code m x n} matrix: an SVD within {@link #svdResidual} is the exact
     * SVD of {@code A + E} with {@code |E|_2 <= |E|_F <= 30 max(m, n) eps |A|_F}, so by Weyl's theorem every
     * singular value lies within that of the exact one (which also covers rounding {@code A} to the dtype).
     *
     * @param m rows
     * @param n columns
     * @param dtype the dtype of the decomposition
     * @param normA {@code |A|_F}
     * @return the absolute bound on {@code |s_i - sigma_i|}
     */
    public static Tolerance singularValue(int m, int n, DType dtype, double normA) {
        return new Tolerance(LAPACK_THRESHOLD * Math.max(m, n) * dtype.epsilon() * normA,
                "Weyl: |s_i - sigma_i| <= |E|_2 <= 30 max(m, n) eps |A|_F");
    }

    /**
     * An absolute tolerance from a relative one: the value multiplied by a magnitude, the reason saying which.
     *
     * @param magnitude the magnitude the relative tolerance applies to, {@code >= 0}
     * @param name what the magnitude is, e.g. {@code "G"} or {@code "|A|_F"}
     * @return the tolerance {@code value * magnitude}
     * @throws IllegalArgumentException if the magnitude is negative or NaN
     */
    public Tolerance times(double magnitude, String name) {
        if (!(magnitude >= 0)) {
            throw new IllegalArgumentException("Tolerance.times: magnitude " + name + " must be >= 0, got " + magnitude);
        }
        return new Tolerance(magnitude * value, reason + ", times " + name);
    }

    /**
     * Per-element bounds of a relative tolerance: {@code value * magnitude[i]}.
     *
     * @param magnitudes the magnitudes of the terms of each element (as {@link Reference} returns them)
     * @return a new array of absolute bounds
     */
    public double[] bounds(double[] magnitudes) {
        double[] out = new double[magnitudes.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = value * magnitudes[i];
        }
        return out;
    }

    @Override
    public String toString() {
        return value + " (" + reason + ")";
    }
}
