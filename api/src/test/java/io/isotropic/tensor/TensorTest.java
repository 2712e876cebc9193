package io.isotropic.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TensorTest {

    @Test
    void ofCopiesAndWrapShares() {
        double[] data = {1, 2, 3, 4, 5, 6};
        Tensor copy = Tensor.of(data, 2, 3);
        Tensor wrapped = Tensor.wrap(data, 2, 3);
        data[0] = 9;
        assertEquals(1, copy.get(0, 0));
        assertEquals(9, wrapped.get(0, 0));
        assertSame(data, wrapped.f64());
        assertEquals(6, wrapped.get(1, 2));
    }

    @Test
    void checkedAccessorsNameIndexAndShape() {
        Tensor t = Tensor.zeros(DType.F32, 2, 3);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> t.get(2, 0));
        assertTrue(e.getMessage().contains("[2, 0]") && e.getMessage().contains("[2, 3]"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> t.get(0, 0, 0));
        assertThrows(IllegalStateException.class, t::f64);
        assertThrows(IllegalStateException.class, () -> Tensor.zeros(DType.F64, 3).rows());
    }

    @Test
    void shapeValidation() {
        assertThrows(IllegalArgumentException.class, () -> Tensor.zeros(DType.F64, 2, -1));
        assertThrows(IllegalArgumentException.class, () -> Tensor.wrap(new double[5], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> Shape.of(1 << 16, 1 << 16));
        assertEquals(0, Tensor.zeros(DType.F64, 0, 7).size());
        assertEquals(1, Tensor.zeros(DType.F64).size());
    }

    @Test
    void dtypeConversionRoundsToNearestFloat() {
        Tensor d = Tensor.of(new double[] {0.1, 1e40, -2.5}, 3);
        Tensor f = d.to(DType.F32);
        assertEquals(DType.F32, f.dtype());
        assertEquals((float) 0.1, f.f32()[0]);
        assertEquals(Float.POSITIVE_INFINITY, f.f32()[1]);
        assertArrayEquals(new double[] {(float) 0.1, Double.POSITIVE_INFINITY, -2.5}, f.to(DType.F64).f64());
        assertNotSame(d.f64(), d.to(DType.F64).f64());
    }

    @Test
    void randomIsDeterministicForASeed() {
        Tensor a = Tensor.randomNormal(DType.F64, 42, 1.0, 4, 5);
        Tensor b = Tensor.randomNormal(DType.F64, 42, 1.0, 4, 5);
        Tensor c = Tensor.randomNormal(DType.F64, 43, 1.0, 4, 5);
        assertTrue(a.contentEquals(b));
        assertFalse(a.contentEquals(c));
        assertThrows(IllegalArgumentException.class, () -> Tensor.randomNormal(DType.F64, 1, Double.NaN, 2));
        assertThrows(IllegalArgumentException.class,
                () -> Tensor.randomUniform(DType.F64, new java.util.SplittableRandom(1), 1, 1, 2));
    }

    @Test
    void requireFiniteNamesPositionAndValue() {
        Tensor t = Tensor.zeros(DType.F64, 2, 2);
        t.set(Double.NaN, 1, 0);
        NonFiniteValueException e = assertThrows(NonFiniteValueException.class, () -> t.requireFinite("op", "w"));
        assertTrue(e.getMessage().contains("op: w [2, 2] has non-finite value NaN at [1, 0]"), e.getMessage());
        assertEquals(2, t.firstNonFinite());
    }

    /**
     * The screened scan finds the first NaN or infinity of either sign at every position relative to its chunks, in
     * both dtypes, and takes the largest finite values, subnormals and signed zeros for finite.
     */
    @Test
    void firstNonFiniteFindsTheFirstBadElementAtChunkBoundaries() {
        double[] bad = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.longBitsToDouble(0xFFF8000000000001L)}; // the last a NaN with its sign bit set
        for (DType dt : DType.values()) {
            for (int n : new int[] {0, 1, 7, 1023, 1024, 1025, 2048, 3001}) {
                Tensor t = Tensor.zeros(dt, n);
                for (int i = 0; i < n; i++) { // finite extremes everywhere: none may count as non-finite
                    double v = switch (i % 4) {
                        case 0 -> dt == DType.F64 ? Double.MAX_VALUE : Float.MAX_VALUE;
                        case 1 -> dt == DType.F64 ? -Double.MIN_VALUE : -Float.MIN_VALUE;
                        case 2 -> -0.0;
                        default -> 1.5;
                    };
                    t.setFlat(i, v);
                }
                assertEquals(-1, t.firstNonFinite(), dt + " n = " + n + " all finite");
                for (int at : new int[] {0, 1, 1022, 1023, 1024, 1025, 2047, 2048, n - 1}) {
                    if (at < 0 || at >= n) {
                        continue;
                    }
                    for (double b : bad) {
                        Tensor u = t.copy();
                        u.setFlat(at, b);
                        if (at + 1 < n) {
                            u.setFlat(n - 1, Double.NaN); // a later bad element must not be reported
                        }
                        assertEquals(at, u.firstNonFinite(), dt + " n = " + n + ", " + b + " at " + at);
                    }
                }
            }
        }
    }

    @Test
    void reshapeSharesAndAssignConverts() {
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor r = t.reshape(4);
        r.setFlat(3, 8);
        assertEquals(8, t.get(1, 1));
        Tensor d = Tensor.zeros(DType.F64, 2, 2).assign(t);
        assertEquals(8.0, d.get(1, 1));
        assertThrows(ShapeMismatchException.class, () -> d.assign(r));
        assertEquals(Tensor.identity(DType.F64, 3).get(2, 2), 1.0);
    }

    @Test
    void dtypeParsingAndConstants() {
        assertEquals(DType.F32, DType.parse("float32"));
        assertEquals(DType.F64, DType.parse(" F64 "));
        assertThrows(IllegalArgumentException.class, () -> DType.parse("f16"));
        assertEquals(0x1.0p-53, DType.F64.unitRoundoff());
        assertEquals(0x1.0p-23, DType.F32.epsilon());
    }
}
