package io.isotropic.adapt;

/** How a neurodegeneration found the directions it removed (all give the same result to rounding). */
public enum NeurodegenerationMethod {
    /** Block inverse iteration on the LQ factor of a wide layer (a few neurons; see {@code SmallestSingularDirections}). */
    INVERSE_ITERATION,
    /** The null space of a tall layer's weights from a Householder factorisation (exact zero singular values). */
    NULL_SPACE,
    /** A full SVD of the layer's weights (the reference method, and the fallback of the other two). */
    SVD
}
