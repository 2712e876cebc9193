package io.isotropic.train;

/**
 * What one training step measured, before its update: the objective and the psi penalty.
 *
 * @param value the objective on the batch (loss without the penalty, per-group statistics)
 * @param penalty the psi penalty {@code lambda sum |psi_l|^2} (0 unless mode TRAINABLE_DECAY)
 * @param step the optimiser's step count after the update (1-based)
 */
public record StepResult(ObjectiveValue value, double penalty, long step) {
    /**
     * The loss the optimiser descended: the objective plus the penalty.
     *
     * @return the total loss
     */
    public double total() {
        return value.loss() + penalty;
    }
}
