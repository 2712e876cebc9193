package io.isotropic.conformance;

import io.isotropic.tensor.DType;
import org.junit.jupiter.params.provider.Arguments;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Argument sources of the parameterised contracts (referenced by fully qualified name from the interfaces). */
public final class Cases {
    private Cases() {
    }

    /**
     * Matrix-product cases: every awkward size in each of m, n, k, both dtypes, all four transpose combinations.
     *
     * @return (dtype, transA, transB, m, n, k)
     */
    public static Stream<Arguments> gemm() {
        List<Arguments> out = new ArrayList<>();
        for (DType dt : DType.values()) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0;
                boolean tb = (t & 2) != 0;
                for (int s : Sizes.awkwardArray()) {
                    out.add(Arguments.of(dt, ta, tb, s, s, s));
                    if (s <= 127) {
                        out.add(Arguments.of(dt, ta, tb, s, 17, 3));
                        out.add(Arguments.of(dt, ta, tb, 9, s, 33));
                        out.add(Arguments.of(dt, ta, tb, 31, 2, s));
                    }
                }
            }
        }
        return out.stream();
    }

    /**
     * Row-wise kernel cases: each dtype with every awkward row length and a few row counts.
     *
     * @return (dtype, rows, cols)
     */
    public static Stream<Arguments> rows() {
        List<Arguments> out = new ArrayList<>();
        for (DType dt : DType.values()) {
            for (int s : Sizes.awkwardArray()) {
                out.add(Arguments.of(dt, 5, s));
                out.add(Arguments.of(dt, s, 3));
            }
        }
        return out.stream();
    }

    /**
     * Element-wise kernel cases: each dtype with every awkward length.
     *
     * @return (dtype, length)
     */
    public static Stream<Arguments> lengths() {
        List<Arguments> out = new ArrayList<>();
        for (DType dt : DType.values()) {
            for (int s : Sizes.awkwardArray()) {
                out.add(Arguments.of(dt, s));
            }
        }
        return out.stream();
    }

    /**
     * SVD shapes: square, wide, tall, 1 x n, n x 1, with both dtypes.
     *
     * @return (dtype, m, n)
     */
    public static Stream<Arguments> svdShapes() {
        int[][] shapes = {
            {1, 1}, {2, 2}, {3, 3}, {7, 7}, {8, 8}, {9, 9}, {16, 16}, {17, 17}, {33, 33}, {64, 64},
            {3, 7}, {8, 17}, {16, 33}, {31, 64}, {2, 9},
            {7, 3}, {17, 8}, {33, 16}, {64, 31}, {9, 2},
            {1, 7}, {1, 33}, {7, 1}, {33, 1}, {127, 65}, {65, 127},
        };
        List<Arguments> out = new ArrayList<>();
        for (DType dt : DType.values()) {
            for (int[] s : shapes) {
                out.add(Arguments.of(dt, s[0], s[1]));
            }
        }
        return out.stream();
    }

    /**
     * Each dtype.
     *
     * @return (dtype)
     */
    public static Stream<Arguments> dtypes() {
        return Stream.of(DType.values()).map(Arguments::of);
    }
}
