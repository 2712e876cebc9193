package io.isotropic.adapt;

/**
 * How neurogenesis initialises scaffold neurons (method.md 6.1): whether the hidden space is first rotated into
 * its singular basis (the reference behaviour; not needed for invariance, and the unrotated path needs no SVD),
 * and the outgoing column {@code c}: {@code c_i = std N(0, 1)} (default {@code std = 0.01}, which breaks the
 * saddle-point symmetry of a zero row and column) or zero. The random stream of each call is derived from the seed,
 * the layer and its current width, so results depend only on the network's state (and a resumed run repeats an
 * uninterrupted one exactly).
 *
 * @param rotate whether to left-diagonalise before appending
 * @param outgoingStd standard deviation of the new outgoing weights ({@code 0} gives a zero column), finite, {@code >= 0}
 * @param seed the base seed of the outgoing weights
 */
public record Growth(boolean rotate, double outgoingStd, long seed) {
    /**
     * Validates the settings.
     *
     * @throws IllegalArgumentException if the standard deviation is negative or not finite
     */
    public Growth {
        if (!(outgoingStd >= 0) || Double.isInfinite(outgoingStd)) {
            throw new IllegalArgumentException("Growth: the outgoing std must be finite and >= 0, got " + outgoingStd);
        }
    }

    /**
     * The reference behaviour: rotate, outgoing weights {@code 0.01 N(0, 1)}.
     *
     * @param seed seed of the outgoing weights
     * @return the settings
     */
    public static Growth reference(long seed) {
        return new Growth(true, 0.01, seed);
    }

    /**
     * Neurogenesis without the basis rotation (no SVD), outgoing weights {@code 0.01 N(0, 1)}.
     *
     * @param seed seed of the outgoing weights
     * @return the settings
     */
    public static Growth unrotated(long seed) {
        return new Growth(false, 0.01, seed);
    }

    /**
     * The same settings with zero outgoing weights (a scaffold neuron that stays at a saddle point).
     *
     * @return the settings
     */
    public Growth withZeroOutgoing() {
        return new Growth(rotate, 0.0, seed);
    }
}
