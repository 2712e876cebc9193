package io.isotropic.nn;

/** What a parameter tensor of an {@link IsotropicMlp} is. */
public enum ParameterRole {
    /** Weight matrix {@code W_l}, shape {@code [n_{l+1}, n_l]}. */
    WEIGHT,
    /** Bias {@code b_l}, shape {@code [n_{l+1}]}. */
    BIAS,
    /** Intrinsic-length parameter of activation {@code l} (theta = ln o, or o itself), shape {@code [1]}. */
    INTRINSIC_LENGTH,
    /** Linear-correction vector {@code psi_l}, shape {@code [n_{l+2}]}. */
    PSI
}
