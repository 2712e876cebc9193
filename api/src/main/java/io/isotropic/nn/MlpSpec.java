package io.isotropic.nn;

import io.isotropic.tensor.DType;

import java.util.Objects;

/**
 * Everything that defines an {@link IsotropicMlp} apart from its widths and parameter values: element type,
 * activation, intrinsic-length and linear-correction modes, psi penalty and small-ball radius (method.md sections
 * 2-3). Widths always follow from the parameter shapes.
 *
 * @param dtype element type of every parameter
 * @param activation the hidden non-linearity
 * @param intrinsicLengthMode how {@code o} is stored and trained
 * @param linearCorrectionMode the psi variant
 * @param psiDecay lambda of the psi penalty of mode TRAINABLE_DECAY, finite and {@code >= 0}
 * @param epsilon small-ball radius of the isotropic activation, finite and {@code > 0}
 */
public record MlpSpec(DType dtype, ActivationKind activation, IntrinsicLengthMode intrinsicLengthMode,
                      LinearCorrectionMode linearCorrectionMode, double psiDecay, double epsilon) {

    /**
     * Validates the combination.
     *
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException for element-wise tanh with an intrinsic length or psi, a negative or
     *         non-finite psi decay, or a non-positive or non-finite epsilon
     */
    public MlpSpec {
        Objects.requireNonNull(dtype, "MlpSpec: dtype is null");
        Objects.requireNonNull(activation, "MlpSpec: activation is null");
        Objects.requireNonNull(intrinsicLengthMode, "MlpSpec: intrinsic length mode is null");
        Objects.requireNonNull(linearCorrectionMode, "MlpSpec: linear correction mode is null");
        if (activation == ActivationKind.ELEMENTWISE_TANH && (intrinsicLengthMode != IntrinsicLengthMode.NONE
                || linearCorrectionMode != LinearCorrectionMode.NONE)) {
            throw new IllegalArgumentException("IsotropicMlp: element-wise tanh has no intrinsic length or psi; use "
                    + "IntrinsicLengthMode.NONE and LinearCorrectionMode.NONE (got " + intrinsicLengthMode + ", "
                    + linearCorrectionMode + ")");
        }
        if (!(psiDecay >= 0) || Double.isInfinite(psiDecay)) {
            throw new IllegalArgumentException("IsotropicMlp: psi decay must be finite and >= 0, got " + psiDecay);
        }
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("IsotropicMlp: epsilon must be finite and > 0, got " + epsilon);
        }
    }

    /**
     * The same specification with another element type.
     *
     * @param other the dtype
     * @return the new specification
     */
    public MlpSpec withDtype(DType other) {
        return new MlpSpec(other, activation, intrinsicLengthMode, linearCorrectionMode, psiDecay, epsilon);
    }
}
