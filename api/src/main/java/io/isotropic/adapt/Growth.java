package io.isotropic.adapt;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * How neurogenesis initialises scaffold neurons (method.md 6.1): whether the hidden space is first rotated into
 * its singular basis (the reference behaviour; not needed for invariance, and the unrotated path needs no SVD),
 * and the outgoing column {@code c}: {@code c_i = std N(0, 1)} (default {@code std = 0.01}, which breaks the
 * saddle-point symmetry of a zero row and column) or zero.
 *
 * @param rotate whether to left-diagonalise before appending
 * @param outgoingStd standard deviation of the new outgoing weights ({@code 0} gives a zero column), finite, {@code >= 0}
 * @param rng the random source of the outgoing weights (advanced by each use)
 */
public record Growth(boolean rotate, double outgoingStd, RandomGenerator rng) {
    /**
     * Validates the settings.
     *
     * @throws IllegalArgumentException if the standard deviation is negative or not finite, or rng is null
     */
    public Growth {
        if (!(outgoingStd >= 0) || Double.isInfinite(outgoingStd) || rng == null) {
            throw new IllegalArgumentException("Growth: need a finite outgoing std >= 0 and a generator, got "
                    + outgoingStd + ", " + rng);
        }
    }

    /**
     * The reference behaviour: rotate, outgoing weights {@code 0.01 N(0, 1)}.
     *
     * @param seed seed of the outgoing weights
     * @return the settings
     */
    public static Growth reference(long seed) {
        return new Growth(true, 0.01, new SplittableRandom(seed));
    }

    /**
     * Neurogenesis without the basis rotation (no SVD), outgoing weights {@code 0.01 N(0, 1)}.
     *
     * @param seed seed of the outgoing weights
     * @return the settings
     */
    public static Growth unrotated(long seed) {
        return new Growth(false, 0.01, new SplittableRandom(seed));
    }

    /**
     * The same settings with zero outgoing weights (a scaffold neuron that cannot train until something else moves).
     *
     * @return the settings
     */
    public Growth withZeroOutgoing() {
        return new Growth(rotate, 0.0, rng);
    }
}
