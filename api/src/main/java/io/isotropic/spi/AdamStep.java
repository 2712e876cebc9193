package io.isotropic.spi;

/**
 * Hyper-parameters of one Adam or AdamW update (PyTorch semantics) for {@link Backend#adamStep}.
 *
 * <p>With {@code g} the gradient: if not decoupled, {@code g += weightDecay * p}; if decoupled (AdamW),
 * {@code p -= lr * weightDecay * p} first. Then {@code m = beta1 m + (1 - beta1) g},
 * {@code v = beta2 v + (1 - beta2) g^2}, and
 * {@code p -= (lr / (1 - beta1^step)) * m / (sqrt(v) / sqrt(1 - beta2^step) + epsilon)}.
 *
 * @param lr learning rate, finite and {@code >= 0}
 * @param beta1 first-moment decay, in {@code [0, 1)}
 * @param beta2 second-moment decay, in {@code [0, 1)}
 * @param epsilon denominator guard, finite and {@code > 0}
 * @param weightDecay weight decay, finite and {@code >= 0}
 * @param decoupled true for AdamW (decoupled decay), false for Adam with L2 added to the gradient
 * @param step the 1-based step number used for bias correction, {@code >= 1}
 */
public record AdamStep(double lr, double beta1, double beta2, double epsilon, double weightDecay,
                       boolean decoupled, long step) {
    /**
     * Validates the hyper-parameters.
     *
     * @throws IllegalArgumentException if any value is out of range
     */
    public AdamStep {
        if (!(lr >= 0) || Double.isInfinite(lr) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)
                || !(epsilon > 0) || Double.isInfinite(epsilon) || !(weightDecay >= 0) || Double.isInfinite(weightDecay)
                || step < 1) {
            throw new IllegalArgumentException("AdamStep: invalid hyper-parameters lr=" + lr + ", beta1=" + beta1
                    + ", beta2=" + beta2 + ", epsilon=" + epsilon + ", weightDecay=" + weightDecay + ", step=" + step
                    + "; need lr >= 0, 0 <= beta < 1, epsilon > 0, weightDecay >= 0, step >= 1");
        }
    }

    /**
     * Bias correction of the first moment.
     *
     * @return {@code 1 - beta1^step}
     */
    public double biasCorrection1() {
        return 1 - Math.pow(beta1, step);
    }

    /**
     * Bias correction of the second moment.
     *
     * @return {@code 1 - beta2^step}
     */
    public double biasCorrection2() {
        return 1 - Math.pow(beta2, step);
    }
}
