package io.isotropic.spi;

/**
 * Hyper-parameters of one SGD update with momentum (PyTorch semantics, dampening 0) for {@link Backend#sgdStep}.
 *
 * <p>{@code g' = g + weightDecay * p}; {@code buf = momentum * buf + g'} (a zero buffer on the first step gives
 * PyTorch's {@code buf = g'}); the update direction is {@code g' + momentum * buf} if nesterov, else {@code buf};
 * {@code p -= lr * direction}. With momentum 0 the buffer is not read or written and may be null.
 *
 * @param lr learning rate, finite and {@code >= 0}
 * @param momentum momentum factor, in {@code [0, 1)}
 * @param weightDecay L2 weight decay, finite and {@code >= 0}
 * @param nesterov whether to use Nesterov momentum (requires momentum {@code > 0})
 */
public record SgdStep(double lr, double momentum, double weightDecay, boolean nesterov) {
    /**
     * Validates the hyper-parameters.
     *
     * @throws IllegalArgumentException if any value is out of range
     */
    public SgdStep {
        if (!(lr >= 0) || Double.isInfinite(lr) || !(momentum >= 0 && momentum < 1) || !(weightDecay >= 0)
                || Double.isInfinite(weightDecay) || (nesterov && momentum == 0)) {
            throw new IllegalArgumentException("SgdStep: invalid hyper-parameters lr=" + lr + ", momentum=" + momentum
                    + ", weightDecay=" + weightDecay + ", nesterov=" + nesterov
                    + "; need lr >= 0, 0 <= momentum < 1, weightDecay >= 0, nesterov only with momentum > 0");
        }
    }
}
