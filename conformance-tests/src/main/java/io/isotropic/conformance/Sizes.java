package io.isotropic.conformance;

import java.util.stream.IntStream;

/** Awkward problem sizes that straddle every common SIMD width (2, 4, 8, 16 lanes) and block boundary. */
public final class Sizes {
    private Sizes() {
    }

    /** The sizes of issue 2: 0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 127, 257. */
    private static final int[] AWKWARD = {0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 127, 257};

    /**
     * The awkward sizes.
     *
     * @return a stream of them
     */
    public static IntStream awkward() {
        return IntStream.of(AWKWARD);
    }

    /**
     * The awkward sizes as an array.
     *
     * @return a copy
     */
    public static int[] awkwardArray() {
        return AWKWARD.clone();
    }
}
