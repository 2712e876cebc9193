package io.isotropic.spi;

import io.isotropic.tensor.DType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SvdNormaliserTest {

    @Test
    void sortsDescendingAndPermutesColumnsConsistently() {
        // A = diag(1, 3) as U = I, s = (1, 3), V = I, unsorted
        double[] u = {1, 0, 0, 1};
        double[] s = {1, 3};
        double[] v = {1, 0, 0, 1};
        Svd svd = SvdNormaliser.normalise(2, 2, u, s, v, DType.F64);
        assertArrayEquals(new double[] {3, 1}, svd.s().f64());
        // column 0 of U and V is now e_1
        assertArrayEquals(new double[] {0, 1, 1, 0}, svd.u().f64());
        assertArrayEquals(new double[] {0, 1, 1, 0}, svd.v().f64());
    }

    @Test
    void signConventionFlipsPairsAndKeepsTheProduct() {
        // 1 x 2 matrix [-2, 0]: U = [-1], s = 2, V = I (first column (1, 0))
        double[] u = {-1};
        double[] s = {2};
        double[] v = {1, 0, 0, -1};
        Svd svd = SvdNormaliser.normalise(1, 2, u, s, v, DType.F32);
        assertEquals(DType.F32, svd.u().dtype());
        assertEquals(1.0, svd.u().getFlat(0));
        assertEquals(-1.0, svd.v().get(0, 0)); // flipped with its U column: U s V^T unchanged
        assertEquals(1.0, svd.v().get(1, 1)); // null-space column signed on its own
    }

    @Test
    void rejectsInconsistentOrNegativeFactors() {
        assertThrows(IllegalArgumentException.class,
                () -> SvdNormaliser.normalise(2, 2, new double[4], new double[] {1, -1}, new double[4], DType.F64));
        assertThrows(IllegalArgumentException.class,
                () -> SvdNormaliser.normalise(2, 2, new double[3], new double[2], new double[4], DType.F64));
    }
}
