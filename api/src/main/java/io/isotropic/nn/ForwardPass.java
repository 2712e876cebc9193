package io.isotropic.nn;

import io.isotropic.tensor.Tensor;

/**
 * Result of {@link IsotropicMlp#forward}: the logits and everything the backward pass needs.
 *
 * <p>Indexing follows method.md: {@code h(0)} is the input, {@code z(l)} the pre-activation of affine map
 * {@code l} (psi term included), {@code gain(l)} the per-sample gain {@code s_l} of activation {@code l}, and
 * {@code h(l+1)} its output. Tensors are owned by this object; do not modify them before calling backward.
 */
public final class ForwardPass {
    private final Tensor[] h;
    private final Tensor[] z;
    private final Tensor[] gains;
    private final Tensor logits;
    private final int[] widths;

    ForwardPass(Tensor[] h, Tensor[] z, Tensor[] gains, Tensor logits, int[] widths) {
        this.h = h;
        this.z = z;
        this.gains = gains;
        this.logits = logits;
        this.widths = widths;
    }

    /**
     * The network output (logits), shape {@code [batch, n_L]}.
     *
     * @return the logits
     */
    public Tensor logits() {
        return logits;
    }

    /**
     * Input of affine map {@code l}: {@code h(0)} is the batch, {@code h(l)} for {@code l >= 1} a hidden activation.
     *
     * @param l the layer, {@code 0 <= l < L}
     * @return shape {@code [batch, n_l]}
     * @throws IndexOutOfBoundsException if l is out of range
     */
    public Tensor h(int l) {
        return h[java.util.Objects.checkIndex(l, h.length)];
    }

    /**
     * Pre-activation of affine map {@code l} for a hidden layer.
     *
     * @param l the layer, {@code 0 <= l < L - 1}
     * @return shape {@code [batch, n_{l+1}]}
     * @throws IndexOutOfBoundsException if l is out of range
     */
    public Tensor z(int l) {
        return z[java.util.Objects.checkIndex(l, z.length)];
    }

    /**
     * Per-sample gains {@code s_l} of isotropic activation {@code l}; null for element-wise tanh.
     *
     * @param l the activation, {@code 0 <= l < L - 1}
     * @return shape {@code [batch]} or null
     * @throws IndexOutOfBoundsException if l is out of range
     */
    public Tensor gain(int l) {
        return gains[java.util.Objects.checkIndex(l, gains.length)];
    }

    /**
     * The layer widths at the time of the forward pass.
     *
     * @return {@code [n_0, ..., n_L]} (a copy)
     */
    public int[] widths() {
        return widths.clone();
    }

    /**
     * Number of samples.
     *
     * @return the batch size
     */
    public int batchSize() {
        return logits.rows();
    }
}
