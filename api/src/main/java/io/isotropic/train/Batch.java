package io.isotropic.train;

import io.isotropic.tensor.ShapeMismatchException;
import io.isotropic.tensor.Tensor;

import java.util.Objects;

/**
 * One mini-batch: inputs, one label per row and, for objectives over several groups of rows (the tasks of a
 * multi-task objective), the group of each row.
 *
 * @param x inputs {@code [n, n_0]}
 * @param labels one class index per row
 * @param groups the group of each row ({@code >= 0}), or null when all rows belong to one group
 */
public record Batch(Tensor x, int[] labels, int[] groups) {
    /**
     * Validates the shapes.
     *
     * @throws NullPointerException if x or labels is null
     * @throws ShapeMismatchException if x is not a matrix, or labels or groups do not have one entry per row
     * @throws IllegalArgumentException if a group is negative
     */
    public Batch {
        Objects.requireNonNull(x, "Batch: x is null");
        Objects.requireNonNull(labels, "Batch: labels is null");
        if (x.rank() != 2 || x.rows() != labels.length || (groups != null && groups.length != labels.length)) {
            throw new ShapeMismatchException("Batch: x is " + x.shape() + " with " + labels.length + " labels and "
                    + (groups == null ? "no" : String.valueOf(groups.length)) + " groups; need [n, features], n labels "
                    + "and n groups (or none)");
        }
        if (groups != null) {
            for (int i = 0; i < groups.length; i++) {
                if (groups[i] < 0) {
                    throw new IllegalArgumentException("Batch: group of row " + i + " is " + groups[i] + "; must be >= 0");
                }
            }
        }
    }

    /**
     * Number of rows.
     *
     * @return {@code n}
     */
    public int size() {
        return labels.length;
    }
}
