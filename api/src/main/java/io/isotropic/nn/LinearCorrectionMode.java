package io.isotropic.nn;

/**
 * The linear-correction ("psi") variant (method.md 3.2): a vector {@code psi_l} in the output space of affine map
 * {@code l+1}, scaled by the gain {@code s_l} of activation {@code l}, that absorbs removed neurons' outputs.
 */
public enum LinearCorrectionMode {
    /** No psi vectors; a removed neuron's constant output is dropped (approximation). */
    NONE,
    /** Psi present, zero-initialised and frozen (never trained), updated only by neurodegeneration. */
    CONSTANT,
    /** Psi present and trained. */
    TRAINABLE,
    /** Psi present and trained with the penalty {@code lambda sum_l |psi_l|^2} added to the loss. */
    TRAINABLE_DECAY,
    /** No psi; the per-sample gains of the last forward pass are kept so that degeneration can use their mean. */
    EXPECTATION;

    /**
     * Whether psi vectors exist and enter the forward pass.
     *
     * @return true for CONSTANT, TRAINABLE and TRAINABLE_DECAY
     */
    public boolean psiPresent() {
        return this == CONSTANT || this == TRAINABLE || this == TRAINABLE_DECAY;
    }

    /**
     * Whether psi vectors are trained.
     *
     * @return true for TRAINABLE and TRAINABLE_DECAY
     */
    public boolean psiTrainable() {
        return this == TRAINABLE || this == TRAINABLE_DECAY;
    }
}
