package io.isotropic.train;

import io.isotropic.nn.IsotropicMlp;
import io.isotropic.nn.Parameter;
import io.isotropic.spi.SgdStep;
import io.isotropic.tensor.Tensor;

/** Stochastic gradient descent with optional (Nesterov) momentum and L2 weight decay (PyTorch semantics). */
public final class Sgd extends Optimizer {
    private final double momentum;
    private final double weightDecay;
    private final boolean nesterov;

    /**
     * Creates SGD.
     *
     * @param schedule learning-rate schedule
     * @param momentum momentum in [0, 1)
     * @param weightDecay L2 weight decay, {@code >= 0}
     * @param nesterov Nesterov momentum (needs momentum {@code > 0})
     * @throws IllegalArgumentException if a hyper-parameter is out of range
     */
    public Sgd(LearningRateSchedule schedule, double momentum, double weightDecay, boolean nesterov) {
        super(schedule);
        new SgdStep(0, momentum, weightDecay, nesterov); // validates
        this.momentum = momentum;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
    }

    @Override
    protected ParameterState newState(Tensor param) {
        return new ParameterState(momentum == 0 ? null : Tensor.zeros(param.dtype(), param.shape()), null, 0);
    }

    @Override
    protected void update(IsotropicMlp net, Parameter param, Tensor grad, ParameterState state, double lr) {
        net.backend().sgdStep(new SgdStep(lr, momentum, weightDecay, nesterov), param.value(), grad, state.first());
    }

    @Override
    public String describe() {
        return "sgd(lr=" + currentLearningRate() + ", momentum=" + momentum + ", wd=" + weightDecay
                + (nesterov ? ", nesterov" : "") + ")";
    }
}
