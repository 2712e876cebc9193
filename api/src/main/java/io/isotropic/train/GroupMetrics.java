package io.isotropic.train;

/**
 * What one epoch measured for one group of its objective (one task; the whole data set for single-task training).
 *
 * @param name the group's name (the task or data set)
 * @param trainLoss mean training loss of the group over the epoch's batches (NaN if it had no rows)
 * @param trainAccuracy training accuracy over the epoch's batches, measured before each batch's update (NaN if none)
 * @param trainSamples rows of the group the epoch trained on (0 for an inactive task)
 * @param test held-out evaluation after the epoch (and after any restructuring at its end), or null
 */
public record GroupMetrics(String name, double trainLoss, double trainAccuracy, long trainSamples, Evaluation test) {
}
