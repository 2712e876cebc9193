package io.isotropic.train;

import java.util.List;

/**
 * What one training epoch measured. Restructuring listeners run before the evaluation
 * ({@link TrainingListener#beforeEvaluation}), so the evaluations and the widths describe the same network: the one
 * the next epoch starts from (and the one a checkpoint written in {@link TrainingListener#onEpochEnd} saves).
 *
 * @param epoch the epoch index (0-based)
 * @param trainLoss mean training objective over the epoch's batches (data term only)
 * @param trainAccuracy training accuracy over the epoch's rows (measured before each batch's update)
 * @param psiPenalty the psi penalty at the end of the epoch (0 unless mode TRAINABLE_DECAY)
 * @param test held-out evaluation of a single-group curriculum, or null (no test data, or several groups: see
 *             {@code groups})
 * @param groups per-group metrics in the curriculum's group order (one entry for single-task training)
 * @param widths layer widths at the end of the epoch, after its restructuring
 * @param learningRate the learning rate of the epoch's last step
 * @param millis wall time of the epoch's training, restructuring and evaluation in milliseconds
 */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double psiPenalty, Evaluation test,
                           List<GroupMetrics> groups, int[] widths, double learningRate, long millis) {
}
