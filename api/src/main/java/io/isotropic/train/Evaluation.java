package io.isotropic.train;

import io.isotropic.data.Dataset;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.tensor.Tensor;

import java.util.Objects;

/**
 * Loss and accuracy of a network on a data set.
 *
 * @param loss mean loss per sample (without the psi penalty)
 * @param accuracy fraction of samples classified correctly, in [0, 1]
 * @param samples number of samples evaluated
 */
public record Evaluation(double loss, double accuracy, int samples) {

    /**
     * Evaluates a network on a data set in batches (a forward pass only; in mode EXPECTATION this refreshes the
     * stored gains with the last batch, as the reference code does).
     *
     * @param net the network
     * @param data the data set (its dtype must match the network's)
     * @param batchSize batch size, {@code >= 1}
     * @param loss the loss function
     * @return the evaluation
     * @throws IllegalArgumentException if the data set is empty, the batch size is below 1 or the dtypes differ
     * @throws io.isotropic.tensor.ShapeMismatchException if the feature or class counts do not match the network
     */
    public static Evaluation of(IsotropicMlp net, Dataset data, int batchSize, Loss loss) {
        Objects.requireNonNull(net, "Evaluation: net is null");
        Objects.requireNonNull(data, "Evaluation: data is null");
        Objects.requireNonNull(loss, "Evaluation: loss is null");
        if (batchSize < 1 || data.size() == 0) {
            throw new IllegalArgumentException("Evaluation: need batch size >= 1 and a non-empty data set, got "
                    + batchSize + " and " + data.size() + " samples");
        }
        Trainer.checkCompatible("Evaluation", net, data);
        double total = 0;
        int correct = 0;
        for (int start = 0; start < data.size(); start += batchSize) {
            int n = Math.min(batchSize, data.size() - start);
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = start + i;
            }
            Tensor x = Tensor.zeros(data.dtype(), n, data.featureCount());
            int[] y = new int[n];
            data.gather(idx, x, y);
            LossValue lv = loss.evaluate(net.predict(x), y);
            total += lv.loss() * n;
            correct += lv.correct();
        }
        return new Evaluation(total / data.size(), (double) correct / data.size(), data.size());
    }
}
