package io.isotropic.train;

import io.isotropic.tensor.Tensor;

/**
 * A loss evaluated on a batch.
 *
 * @param loss the mean loss over the batch
 * @param gradient {@code dL/dlogits}, shape {@code [batch, classes]}
 * @param correct number of samples whose arg-max logit equals the label
 */
public record LossValue(double loss, Tensor gradient, int correct) {
}
