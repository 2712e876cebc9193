package io.isotropic.train;

import io.isotropic.nn.IsotropicMlp;

/**
 * Hooks called by the {@link Trainer}; the neuroadaptation controller uses them to restructure the network between
 * steps or before an epoch's evaluation (the trainer re-reads the parameters after every call).
 */
public interface TrainingListener {
    /**
     * Called after every optimiser step.
     *
     * @param epoch the epoch (0-based)
     * @param step optimiser steps taken so far (1-based after the first step)
     * @param loss the batch's training loss including the psi penalty
     * @param net the network
     * @param optimizer the optimiser (whose state a restructuring must transform)
     */
    default void onStep(int epoch, long step, double loss, IsotropicMlp net, Optimizer optimizer) {
    }

    /**
     * Called after every epoch's last step and before its evaluation: the place to restructure the network (the
     * controller, a width schedule), so that the epoch's evaluation, widths and checkpoint describe one network.
     *
     * @param epoch the epoch (0-based)
     * @param net the network
     * @param optimizer the optimiser (whose state a restructuring must transform)
     */
    default void beforeEvaluation(int epoch, IsotropicMlp net, Optimizer optimizer) {
    }

    /**
     * Called at the end of every epoch, after evaluation (for logging and checkpoints; restructure in
     * {@link #beforeEvaluation}).
     *
     * @param metrics what the epoch measured
     * @param net the network
     * @param optimizer the optimiser
     */
    default void onEpochEnd(EpochMetrics metrics, IsotropicMlp net, Optimizer optimizer) {
    }
}
