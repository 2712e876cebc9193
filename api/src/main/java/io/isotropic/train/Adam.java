package io.isotropic.train;

import io.isotropic.nn.IsotropicMlp;
import io.isotropic.nn.Parameter;
import io.isotropic.spi.AdamStep;
import io.isotropic.tensor.Tensor;

/**
 * Adam, or AdamW with decoupled weight decay (PyTorch semantics, see {@link AdamStep}). Weight decay applies to
 * every trainable parameter, biases, psi and intrinsic lengths included, as in the reference experiments
 * (method.md open question 6).
 */
public final class Adam extends Optimizer {
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final boolean decoupled;

    /**
     * Creates Adam/AdamW.
     *
     * @param schedule learning-rate schedule
     * @param beta1 first-moment decay in [0, 1)
     * @param beta2 second-moment decay in [0, 1)
     * @param epsilon denominator guard, {@code > 0}
     * @param weightDecay weight decay, {@code >= 0}
     * @param decoupled true for AdamW
     * @throws IllegalArgumentException if a hyper-parameter is out of range
     */
    public Adam(LearningRateSchedule schedule, double beta1, double beta2, double epsilon, double weightDecay,
                boolean decoupled) {
        super(schedule);
        new AdamStep(0, beta1, beta2, epsilon, weightDecay, decoupled, 1); // validates
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
    }

    /**
     * AdamW with PyTorch's defaults for betas and epsilon.
     *
     * @param lr learning rate
     * @param weightDecay decoupled weight decay
     * @return the optimiser
     * @throws IllegalArgumentException if a value is out of range
     */
    public static Adam adamW(double lr, double weightDecay) {
        return new Adam(LearningRateSchedule.constant(lr), 0.9, 0.999, 1e-8, weightDecay, true);
    }

    /**
     * Adam (L2 decay added to the gradient) with PyTorch's defaults for betas and epsilon.
     *
     * @param lr learning rate
     * @param weightDecay L2 weight decay
     * @return the optimiser
     * @throws IllegalArgumentException if a value is out of range
     */
    public static Adam adam(double lr, double weightDecay) {
        return new Adam(LearningRateSchedule.constant(lr), 0.9, 0.999, 1e-8, weightDecay, false);
    }

    @Override
    protected ParameterState newState(Tensor param) {
        return new ParameterState(Tensor.zeros(param.dtype(), param.shape()), Tensor.zeros(param.dtype(),
                param.shape()), 0);
    }

    @Override
    protected void update(IsotropicMlp net, Parameter param, Tensor grad, ParameterState state, double lr) {
        net.backend().adamStep(new AdamStep(lr, beta1, beta2, epsilon, weightDecay, decoupled, state.step()),
                param.value(), grad, state.first(), state.second());
    }

    @Override
    public String describe() {
        return (decoupled ? "adamw" : "adam") + "(lr=" + currentLearningRate() + ", betas=(" + beta1 + ", " + beta2
                + "), eps=" + epsilon + ", wd=" + weightDecay + ")";
    }
}
