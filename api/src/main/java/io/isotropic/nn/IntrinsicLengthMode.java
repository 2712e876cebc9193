package io.isotropic.nn;

/**
 * How the intrinsic length {@code o} of each isotropic activation is stored and trained (method.md 2.3).
 * One scalar per hidden layer.
 */
public enum IntrinsicLengthMode {
    /** {@code o = 0} exactly; no parameter; neurodegeneration cannot absorb a removed bias into it. */
    NONE,
    /** {@code o} is a stored constant (initially {@code init}); not trained, but updated by neurodegeneration. */
    CONSTANT,
    /** {@code o = exp(theta)} with trainable {@code theta}, so {@code o > 0} always (the reference default). */
    TRAINABLE,
    /** {@code o = theta} trained directly and allowed to become negative (the non-positive parameterisation). */
    TRAINABLE_SIGNED;

    /**
     * Whether a parameter tensor exists for this mode.
     *
     * @return false only for NONE
     */
    public boolean hasParameter() {
        return this != NONE;
    }

    /**
     * Whether the optimiser updates the parameter.
     *
     * @return true for TRAINABLE and TRAINABLE_SIGNED
     */
    public boolean trainable() {
        return this == TRAINABLE || this == TRAINABLE_SIGNED;
    }
}
