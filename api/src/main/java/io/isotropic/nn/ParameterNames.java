package io.isotropic.nn;

import java.util.Objects;

/**
 * The stable names of an {@link IsotropicMlp}'s parameters (they key optimiser state and model files, and survive
 * restructuring): {@code layers.<l>.weight}, {@code layers.<l>.bias}, {@code psi.<l>}, and
 * {@code activations.<l>.log_intrinsic_length} (mode TRAINABLE) or {@code activations.<l>.intrinsic_length}.
 */
public final class ParameterNames {
    private ParameterNames() {
    }

    /**
     * Name of weight {@code l}.
     *
     * @param l the affine map
     * @return {@code layers.l.weight}
     */
    public static String weightName(int l) {
        return "layers." + l + ".weight";
    }

    /**
     * Name of bias {@code l}.
     *
     * @param l the affine map
     * @return {@code layers.l.bias}
     */
    public static String biasName(int l) {
        return "layers." + l + ".bias";
    }

    /**
     * Name of psi {@code l}.
     *
     * @param l the activation
     * @return {@code psi.l}
     */
    public static String psiName(int l) {
        return "psi." + l;
    }

    /**
     * Name of the intrinsic-length parameter of activation {@code l} in a given mode.
     *
     * @param l the activation
     * @param mode the intrinsic-length mode
     * @return {@code activations.l.log_intrinsic_length} (TRAINABLE, which stores {@code ln o}) or
     *         {@code activations.l.intrinsic_length}
     * @throws NullPointerException if mode is null
     */
    public static String lengthName(int l, IntrinsicLengthMode mode) {
        Objects.requireNonNull(mode, "lengthName: mode is null");
        return "activations." + l + (mode == IntrinsicLengthMode.TRAINABLE ? ".log_intrinsic_length"
                : ".intrinsic_length");
    }
}
