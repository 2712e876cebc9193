package io.isotropic.task;

import io.isotropic.tensor.ShapeMismatchException;
import io.isotropic.tensor.Tensor;
import io.isotropic.train.Batch;
import io.isotropic.train.LossValue;
import io.isotropic.train.Objective;
import io.isotropic.train.ObjectiveValue;

import java.util.Arrays;
import java.util.List;

/**
 * The multi-task block objective (method.md 11.3): rows of group {@code g} (task {@code g} of the binding) are scored
 * by that task's loss on its own block of logits; the objective is {@code sum_g w_g L_g / sum_g w_g} over the groups
 * present in the batch, with {@code w_g} the task's weight, or 0 for an inactive task.
 */
final class TaskObjective implements Objective {
    private final List<Tasks.Placement> placements;
    private final double[] weights;

    TaskObjective(List<Tasks.Placement> placements, double[] weights) {
        this.placements = List.copyOf(placements);
        this.weights = weights.clone();
    }

    @Override
    public int groups() {
        return placements.size();
    }

    @Override
    public ObjectiveValue evaluate(Tensor logits, Batch batch) {
        int n = batch.size();
        int g = placements.size();
        int[] groups = batch.groups();
        if (groups == null || logits.rank() != 2 || logits.rows() != n) {
            throw new ShapeMismatchException("TaskObjective: logits " + logits.shape() + " for a batch of " + n
                    + " rows" + (groups == null ? " without groups (a multi-task batch names each row's task)" : ""));
        }
        int[] count = new int[g];
        for (int i = 0; i < n; i++) {
            if (groups[i] >= g) {
                throw new IllegalArgumentException("TaskObjective: row " + i + " belongs to group " + groups[i]
                        + " but there are " + g + " tasks");
            }
            count[groups[i]]++;
        }
        double weightSum = 0;
        for (int t = 0; t < g; t++) {
            weightSum += count[t] > 0 ? weights[t] : 0;
        }
        Tensor grad = Tensor.zeros(logits.dtype(), n, logits.cols());
        double[] groupLoss = new double[g];
        int[] groupCorrect = new int[g];
        Arrays.fill(groupLoss, Double.NaN);
        double total = 0;
        int cols = logits.cols();
        for (int t = 0; t < g; t++) {
            if (count[t] == 0) {
                continue;
            }
            Tasks.Placement p = placements.get(t);
            int k = p.task().classes();
            int[] rows = new int[count[t]];
            int[] labels = new int[count[t]];
            for (int i = 0, r = 0; i < n; i++) {
                if (groups[i] == t) {
                    rows[r] = i;
                    labels[r++] = batch.labels()[i];
                }
            }
            Tensor block = Tensor.zeros(logits.dtype(), rows.length, k);
            for (int r = 0; r < rows.length; r++) {
                for (int c = 0; c < k; c++) {
                    block.setFlat(r * k + c, logits.getFlat(rows[r] * cols + p.outputOffset() + c));
                }
            }
            LossValue v = p.task().loss().evaluate(block, labels);
            groupLoss[t] = v.loss();
            groupCorrect[t] = v.correct();
            if (weightSum > 0 && weights[t] > 0) {
                double scale = weights[t] / weightSum;
                total += scale * v.loss();
                for (int r = 0; r < rows.length; r++) {
                    for (int c = 0; c < k; c++) {
                        grad.setFlat(rows[r] * cols + p.outputOffset() + c, scale * v.gradient().getFlat(r * k + c));
                    }
                }
            }
        }
        return new ObjectiveValue(total, grad, groupLoss, groupCorrect, count);
    }
}
