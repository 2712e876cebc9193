package io.isotropic.train;

import io.isotropic.tensor.ShapeMismatchException;
import io.isotropic.tensor.Tensor;

import java.util.Objects;

/** Classification losses on logits, computed in double precision whatever the logits' dtype. */
public enum Loss {
    /**
     * Softmax cross-entropy, mean over the batch: {@code -log softmax(y)_label}, evaluated as
     * {@code log sum exp(y - max) - (y_label - max)} (no overflow and no cancellation for any finite logits).
     */
    CROSS_ENTROPY,
    /** Mean squared error against one-hot targets, mean over all {@code batch x classes} entries (PyTorch's MSELoss). */
    MSE;

    /**
     * Evaluates the loss and its gradient on a batch.
     *
     * @param logits network outputs {@code [batch, classes]}, finite
     * @param labels one class index per row, each in {@code [0, classes)}
     * @return mean loss, gradient with respect to the logits (logits' dtype), and the number correct
     * @throws ShapeMismatchException if logits is not a matrix or the label count differs from the batch
     * @throws IllegalArgumentException if a label is out of range or the batch is empty
     */
    public LossValue evaluate(Tensor logits, int[] labels) {
        Objects.requireNonNull(logits, "loss: logits is null");
        Objects.requireNonNull(labels, "loss: labels is null");
        if (logits.rank() != 2 || logits.rows() != labels.length) {
            throw new ShapeMismatchException("loss " + this + ": logits are " + logits.shape() + " but there are "
                    + labels.length + " labels; need [labels, classes]");
        }
        int batch = logits.rows();
        int classes = logits.cols();
        if (batch == 0 || classes == 0) {
            throw new IllegalArgumentException("loss " + this + ": empty batch " + logits.shape());
        }
        Tensor grad = Tensor.zeros(logits.dtype(), batch, classes);
        double total = 0;
        int correct = 0;
        double[] row = new double[classes];
        for (int i = 0; i < batch; i++) {
            int y = labels[i];
            if (y < 0 || y >= classes) {
                throw new IllegalArgumentException("loss " + this + ": label " + y + " of sample " + i
                        + " out of range 0.." + (classes - 1));
            }
            int best = 0;
            for (int j = 0; j < classes; j++) {
                row[j] = logits.getFlat(i * classes + j);
                if (row[j] > row[best]) {
                    best = j;
                }
            }
            if (best == y) {
                correct++;
            }
            if (this == CROSS_ENTROPY) {
                double max = row[best];
                double sum = 0;
                for (int j = 0; j < classes; j++) {
                    sum += Math.exp(row[j] - max);
                }
                // log(sum) - (y_label - max): both terms are small, so large logits lose no precision
                total += Math.log(sum) - (row[y] - max);
                for (int j = 0; j < classes; j++) {
                    double p = Math.exp(row[j] - max) / sum;
                    grad.setFlat(i * classes + j, (p - (j == y ? 1 : 0)) / batch);
                }
            } else {
                double scale = 2.0 / ((double) batch * classes);
                for (int j = 0; j < classes; j++) {
                    double d = row[j] - (j == y ? 1 : 0);
                    total += d * d / classes;
                    grad.setFlat(i * classes + j, scale * d);
                }
            }
        }
        return new LossValue(total / batch, grad, correct);
    }
}
