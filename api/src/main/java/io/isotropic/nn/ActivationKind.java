package io.isotropic.nn;

/** The hidden-layer non-linearity of an {@link IsotropicMlp}. */
public enum ActivationKind {
    /** Isotropic tanh {@code f(z) = G(|z|^2; o) z} on the whole layer vector (method.md 2.2). */
    ISOTROPIC_TANH,
    /** Standard element-wise tanh, the baseline of method.md experiment 6 (no intrinsic length, no psi). */
    ELEMENTWISE_TANH
}
