package io.isotropic.spi;

import io.isotropic.tensor.Tensor;

/**
 * Result of the fused isotropic-tanh forward pass over a batch.
 *
 * @param gains the per-row scalar gains {@code G}, shape {@code [rows]}
 * @param h the activations {@code h = G z} row by row, shape {@code [rows, n]}
 */
public record ActivationOutput(Tensor gains, Tensor h) {
}
