package io.isotropic.nn;

import io.isotropic.tensor.Tensor;

/**
 * One named parameter tensor of a network, as seen by optimisers and model files.
 *
 * <p>Names are stable across restructuring: {@code layers.l.weight}, {@code layers.l.bias},
 * {@code activations.l.log_intrinsic_length} (TRAINABLE: theta = ln o) or {@code activations.l.intrinsic_length}
 * (CONSTANT, TRAINABLE_SIGNED: o itself), and {@code psi.l}.
 *
 * @param name the stable name
 * @param role what the tensor is
 * @param index the layer index {@code l} in method.md's indexing
 * @param value the live tensor (restructuring replaces it with a new object)
 * @param trainable whether optimisers update it
 */
public record Parameter(String name, ParameterRole role, int index, Tensor value, boolean trainable) {
}
