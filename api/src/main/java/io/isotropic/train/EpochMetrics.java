package io.isotropic.train;

/**
 * What one training epoch measured.
 *
 * @param epoch the epoch index (0-based)
 * @param trainLoss mean training loss over the epoch's batches (data term only)
 * @param trainAccuracy training accuracy over the epoch's batches (measured before each batch's update)
 * @param psiPenalty the psi penalty at the end of the epoch (0 unless mode TRAINABLE_DECAY)
 * @param test evaluation on the held-out set, or null if none was given
 * @param widths layer widths at the end of the epoch (before epoch-end listeners restructure)
 * @param learningRate the learning rate of the epoch's last step
 * @param millis wall time of the epoch's training and evaluation in milliseconds
 */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double psiPenalty, Evaluation test,
                           int[] widths, double learningRate, long millis) {
}
