package io.isotropic.train;

import io.isotropic.tensor.Tensor;

/**
 * An objective evaluated on a batch: the loss the optimiser descends (without the psi penalty), its gradient with
 * respect to the logits, and per-group statistics (one group for a single-task objective).
 *
 * @param loss the objective (for several groups: their weighted mean loss)
 * @param gradient {@code dL/dlogits}, shape {@code [batch, n_L]}, the logits' dtype
 * @param groupLoss mean loss of each group over its rows (NaN for a group without rows)
 * @param groupCorrect rows of each group whose predicted class (arg-max over the group's logits) equals the label
 * @param groupRows rows of each group
 */
public record ObjectiveValue(double loss, Tensor gradient, double[] groupLoss, int[] groupCorrect, int[] groupRows) {

    /**
     * Correct predictions over all groups.
     *
     * @return the count
     */
    public int correct() {
        int c = 0;
        for (int g : groupCorrect) {
            c += g;
        }
        return c;
    }
}
