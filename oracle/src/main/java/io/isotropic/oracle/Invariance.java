package io.isotropic.oracle;

import io.isotropic.nn.IsotropicMlp;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;

/**
 * The tolerance for "the function is unchanged" after an exact restructuring, and the measured change.
 *
 * <p>Sources of difference: the SVD and rotations are computed in double precision, with backward error at most
 * {@code 30 max(m, n) eps_64 = 60 n u_64} relative to the weights (LAPACK's bound); the rotated parameters are
 * rounded to the network's dtype ({@code u} per entry); and the two forward passes compared each err by at most
 * about {@code gamma_n} per layer. So {@code |y' - y|_inf <= (4 L n u + 60 n u_64) (1 + |y|_inf)} with {@code n}
 * the largest width and {@code L} the depth (c = 4: two passes, a factor 2 of amplification by the layers).
 */
public final class Invariance {
    private Invariance() {
    }

    /**
     * The tolerance for comparing logits of a network before and after an exact restructuring.
     *
     * @param net the network (widths after the operation)
     * @param reference the logits before
     * @return the tolerance
     */
    public static Tolerance of(IsotropicMlp net, Tensor reference) {
        int n = 0;
        for (int w : net.widths()) {
            n = Math.max(n, w);
        }
        double u = net.dtype().unitRoundoff();
        double value = (4.0 * net.depth() * n * u + 60.0 * n * DType.F64.unitRoundoff()) * (1 + reference.maxAbs());
        return new Tolerance(value, "(4 L n u + 60 n u_64)(1 + |y|_inf), L = " + net.depth() + ", n = " + n);
    }

    /**
     * Largest absolute difference.
     *
     * @param a first
     * @param b second, same size
     * @return {@code max |a - b|}
     * @throws IllegalArgumentException if the sizes differ
     */
    public static double maxDiff(Tensor a, Tensor b) {
        if (a.size() != b.size()) {
            throw new IllegalArgumentException("Invariance.maxDiff: sizes differ: " + a.shape() + " and " + b.shape());
        }
        double d = 0;
        for (int i = 0; i < a.size(); i++) {
            d = Math.max(d, Math.abs(a.getFlat(i) - b.getFlat(i)));
        }
        return d;
    }

    /**
     * Relative max-abs difference {@code |a - b|_inf / |a|_inf}.
     *
     * @param a reference
     * @param b other, same size
     * @return the relative difference
     * @throws IllegalArgumentException if the sizes differ
     */
    public static double relDiff(Tensor a, Tensor b) {
        return maxDiff(a, b) / Math.max(a.maxAbs(), Double.MIN_NORMAL);
    }
}
