package io.isotropic.nn;

/** How weight matrices are initialised; biases and psi vectors always start at zero. */
public enum Initialiser {
    /** Haar-random (semi-)orthogonal weights: every singular value is 1 (all experiments of the reference method). */
    ORTHOGONAL,
    /** Xavier/Glorot normal: {@code N(0, 2 / (fan_in + fan_out))} (the method's default). */
    XAVIER_NORMAL,
    /** Xavier/Glorot uniform: {@code U(-a, a)} with {@code a = sqrt(6 / (fan_in + fan_out))}. */
    XAVIER_UNIFORM
}
