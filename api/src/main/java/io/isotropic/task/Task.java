package io.isotropic.task;

import io.isotropic.data.Dataset;
import io.isotropic.train.Loss;

import java.util.Objects;

/**
 * A classification task: its training and held-out data, the loss of its output head and its weight in the
 * multi-task objective. Where its features enter the network and which logits are its head is decided when it is
 * bound to a network ({@link Tasks}).
 *
 * @param name a unique, non-blank name
 * @param train training data ({@code features} inputs and {@code classes} outputs of the task)
 * @param test held-out data with the same features and classes, or null
 * @param loss the loss of the task's head
 * @param weight the task's weight in the mean over active tasks, finite and {@code > 0}
 */
public record Task(String name, Dataset train, Dataset test, Loss loss, double weight) {
    /**
     * Validates the task.
     *
     * @throws NullPointerException if name, train or loss is null
     * @throws IllegalArgumentException if the name is blank, the training set is empty, the test set does not match
     *         the training set's features, classes or dtype, or the weight is not finite and positive
     */
    public Task {
        Objects.requireNonNull(name, "Task: name is null");
        Objects.requireNonNull(train, "Task " + name + ": train is null");
        Objects.requireNonNull(loss, "Task " + name + ": loss is null");
        if (name.isBlank()) {
            throw new IllegalArgumentException("Task: the name is blank");
        }
        if (train.size() == 0) {
            throw new IllegalArgumentException("Task " + name + ": the training set is empty");
        }
        if (test != null && (test.featureCount() != train.featureCount() || test.classes() != train.classes()
                || test.dtype() != train.dtype())) {
            throw new IllegalArgumentException("Task " + name + ": test data have " + test.featureCount() + " features, "
                    + test.classes() + " classes, " + test.dtype() + "; training data have " + train.featureCount()
                    + ", " + train.classes() + ", " + train.dtype());
        }
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("Task " + name + ": weight must be finite and > 0, got " + weight);
        }
    }

    /**
     * A cross-entropy task of weight 1.
     *
     * @param name the name
     * @param train training data
     * @param test held-out data, or null
     * @return the task
     * @throws IllegalArgumentException as the canonical constructor
     */
    public static Task of(String name, Dataset train, Dataset test) {
        return new Task(name, train, test, Loss.CROSS_ENTROPY, 1.0);
    }

    /**
     * Number of input features of the task.
     *
     * @return the width of its input block
     */
    public int features() {
        return train.featureCount();
    }

    /**
     * Number of classes of the task.
     *
     * @return the width of its output head
     */
    public int classes() {
        return train.classes();
    }
}
