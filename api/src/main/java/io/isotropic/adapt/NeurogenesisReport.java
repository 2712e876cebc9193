package io.isotropic.adapt;

import io.isotropic.tensor.Tensor;

/**
 * What a neurogenesis did: hidden space {@code l+1} was rotated by {@code R^T} (the left singular vectors of the old
 * {@code W_l}) when the growth settings rotate, then {@code added} scaffold neurons were appended with zero incoming
 * weights, bias and psi entry and the given outgoing weights.
 *
 * @param layer the affine map {@code l}
 * @param added neurons appended
 * @param rotation {@code R} ({@code [n_{l+1}, n_{l+1}]} of the old width, F64) such that {@code W_l <- R^T W_l} and
 *                 {@code W_{l+1} <- W_{l+1} R} before appending, or null for unrotated growth
 * @param outgoing the new columns of {@code W_{l+1}}, {@code [n_{l+2}, added]}, F64
 */
public record NeurogenesisReport(int layer, int added, Tensor rotation, Tensor outgoing) {
}
