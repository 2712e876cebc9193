package io.isotropic.train;

import io.isotropic.tensor.Tensor;

import java.util.Objects;

/**
 * What a training step minimises: a loss of the logits of a batch, with its gradient. {@link #of(Loss)} is the
 * single-task objective over all logits; multi-task objectives (a block of logits per task, see
 * {@code io.isotropic.task.Tasks}) average the losses of their groups of rows.
 */
public interface Objective {
    /**
     * Evaluates the objective on a batch.
     *
     * @param logits the network's outputs {@code [batch, n_L]}, finite
     * @param batch the batch (labels, and groups where the objective uses them)
     * @return loss, gradient with respect to the logits and per-group statistics
     * @throws io.isotropic.tensor.ShapeMismatchException if the logits do not fit the batch or the objective
     * @throws IllegalArgumentException if a label or group is out of range
     */
    ObjectiveValue evaluate(Tensor logits, Batch batch);

    /**
     * Number of groups of rows this objective reports on.
     *
     * @return 1 for a single-task objective
     */
    default int groups() {
        return 1;
    }

    /**
     * The single-task objective: a loss over all logits, every row in group 0.
     *
     * @param loss cross-entropy or mean squared error
     * @return the objective
     * @throws NullPointerException if loss is null
     */
    static Objective of(Loss loss) {
        Objects.requireNonNull(loss, "Objective.of: loss is null");
        return (logits, batch) -> {
            LossValue v = loss.evaluate(logits, batch.labels());
            return new ObjectiveValue(v.loss(), v.gradient(), new double[] {v.loss()}, new int[] {v.correct()},
                    new int[] {batch.size()});
        };
    }
}
