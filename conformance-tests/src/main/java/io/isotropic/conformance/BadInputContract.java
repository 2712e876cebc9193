package io.isotropic.conformance;

import io.isotropic.spi.AdamStep;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.NonFiniteValueException;
import io.isotropic.tensor.ShapeMismatchException;
import io.isotropic.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Contracts B01-B08: bad input gives the documented exception, with a message naming the operation and the
 * offending values, and leaves every output untouched.
 */
public interface BadInputContract extends BackendFixture {

    private static <T extends Throwable> void rejects(Class<T> type, String op, Executable call, String... mentions) {
        T e = assertThrows(type, call, op + " must throw " + type.getSimpleName());
        String msg = String.valueOf(e.getMessage());
        assertTrue(msg.contains(op), "message must name the operation '" + op + "': " + msg);
        for (String m : mentions) {
            assertTrue(msg.contains(m), "message must mention '" + m + "': " + msg);
        }
    }

    /** B01: incompatible matrix-product shapes raise ShapeMismatchException naming both shapes; C is unchanged. */
    @Test
    default void b01_gemmShapeMismatch() {
        Backend be = backend();
        for (DType dt : DType.values()) {
            Tensor a = Tensor.zeros(dt, 3, 4);
            Tensor b = Tensor.zeros(dt, 5, 2);
            Tensor c = Tensor.zeros(dt, 3, 2).fill(7);
            Tensor before = c.copy();
            rejects(ShapeMismatchException.class, "gemm", () -> be.gemm(1, a, false, b, false, 0, c), "[3, 4]", "[5, 2]");
            rejects(ShapeMismatchException.class, "gemm",
                    () -> be.gemm(1, a, false, Tensor.zeros(dt, 4, 2), false, 0, Tensor.zeros(dt, 2, 2)), "[2, 2]");
            rejects(ShapeMismatchException.class, "gemm",
                    () -> be.gemm(1, Tensor.zeros(dt, 12), false, b, false, 0, c), "[12]");
            assertTrue(c.contentEquals(before), "B01 " + dt + ": C changed by a rejected call");
        }
    }

    /** B02: affine-map shape errors (input width, output shape, bias length) are rejected; Y is unchanged. */
    @Test
    default void b02_affineShapeMismatch() {
        Backend be = backend();
        for (DType dt : DType.values()) {
            Tensor x = Tensor.zeros(dt, 4, 3);
            Tensor w = Tensor.zeros(dt, 5, 3);
            Tensor y = Tensor.zeros(dt, 4, 5).fill(1);
            Tensor before = y.copy();
            rejects(ShapeMismatchException.class, "affine", () -> be.affineInto(x, Tensor.zeros(dt, 5, 2), null, y));
            rejects(ShapeMismatchException.class, "affine", () -> be.affineInto(x, w, Tensor.zeros(dt, 4), y), "[4]");
            rejects(ShapeMismatchException.class, "affine", () -> be.affineInto(x, w, null, Tensor.zeros(dt, 4, 4)));
            rejects(ShapeMismatchException.class, "isoTanhForward",
                    () -> be.isoTanhForwardInto(x, 0, 1e-3, Tensor.zeros(dt, 3), Tensor.zeros(dt, 4, 3)), "[3]");
            rejects(ShapeMismatchException.class, "rowSquaredNorms",
                    () -> be.rowSquaredNormsInto(x, Tensor.zeros(dt, 3)));
            assertTrue(y.contentEquals(before), "B02 " + dt + ": Y changed by a rejected call");
        }
    }

    /** B03: NaN or infinity in an SVD input raises NonFiniteValueException naming the position and value. */
    @Test
    default void b03_svdRejectsNonFinite() {
        Backend be = backend();
        for (DType dt : DType.values()) {
            Tensor a = Tensor.zeros(dt, 3, 3);
            a.set(Double.NaN, 1, 2);
            rejects(NonFiniteValueException.class, "svd", () -> be.svd(a), "NaN", "[1, 2]");
            Tensor b = Tensor.zeros(dt, 2, 4);
            b.set(Double.NEGATIVE_INFINITY, 0, 3);
            rejects(NonFiniteValueException.class, "singularValues", () -> be.singularValues(b), "Infinity", "[0, 3]");
        }
    }

    /** B04: a null operand raises NullPointerException naming the operation and the operand. */
    @Test
    default void b04_nullOperands() {
        Backend be = backend();
        Tensor a = Tensor.zeros(DType.F64, 2, 2);
        rejects(NullPointerException.class, "gemm", () -> be.gemm(1, null, false, a, false, 0, a.copy()), "a");
        rejects(NullPointerException.class, "affine", () -> be.affineInto(a, null, null, a.copy()), "w");
        rejects(NullPointerException.class, "svd", () -> be.svd(null), "a");
        rejects(NullPointerException.class, "isoTanhBackward",
                () -> be.isoTanhBackwardInto(a, null, a, null, 0, 1e-3, a.copy()), "gains");
        rejects(NullPointerException.class, "adamStep",
                () -> be.adamStep(null, a, a.copy(), a.copy(), a.copy()), "step");
    }

    /** B05: mixing F32 and F64 operands raises IllegalArgumentException naming both dtypes. */
    @Test
    default void b05_mixedDtypes() {
        Backend be = backend();
        Tensor a = Tensor.zeros(DType.F64, 2, 2);
        Tensor b = Tensor.zeros(DType.F32, 2, 2);
        rejects(IllegalArgumentException.class, "gemm", () -> be.gemm(1, a, false, b, false, 0, a.copy()), "F32", "F64");
        rejects(IllegalArgumentException.class, "axpy", () -> be.axpy(1, a, b), "F32", "F64");
    }

    /** B06: an output sharing its array with an input is rejected (no silent garbage from aliasing). */
    @Test
    default void b06_forbiddenAliasing() {
        Backend be = backend();
        Tensor a = Tensor.randomNormal(DType.F64, 1, 1.0, 3, 3);
        Tensor before = a.copy();
        rejects(IllegalArgumentException.class, "gemm", () -> be.gemm(1, a, false, a.copy(), false, 0, a), "a");
        rejects(IllegalArgumentException.class, "affine", () -> be.affineInto(a, a.copy(), null, a), "x");
        Tensor v = Tensor.zeros(DType.F64, 3);
        rejects(IllegalArgumentException.class, "adamStep",
                () -> be.adamStep(new AdamStep(0.1, 0.9, 0.99, 1e-8, 0, true, 1), v, v, v.copy(), v.copy()), "param");
        assertTrue(a.contentEquals(before), "B06: input changed by a rejected call");
    }

    /** B07: non-finite scalars (alpha, beta, intrinsic length) and a non-positive small-ball radius are rejected. */
    @Test
    default void b07_invalidScalars() {
        Backend be = backend();
        Tensor a = Tensor.zeros(DType.F64, 2, 2);
        rejects(IllegalArgumentException.class, "gemm", () -> be.gemm(Double.NaN, a, false, a.copy(), false, 0,
                a.copy()), "alpha", "NaN");
        rejects(IllegalArgumentException.class, "gemm", () -> be.gemm(1, a, false, a.copy(), false,
                Double.POSITIVE_INFINITY, a.copy()), "beta");
        rejects(IllegalArgumentException.class, "isoTanhForward",
                () -> be.isoTanhForward(a, Double.NaN, 1e-3), "o", "NaN");
        rejects(IllegalArgumentException.class, "isoTanhForward", () -> be.isoTanhForward(a, 0, 0), "eps");
        rejects(IllegalArgumentException.class, "scale", () -> be.scale(Double.NaN, a), "alpha");
    }

    /** B08: optimiser hyper-parameters out of range are rejected when the step is described. */
    @Test
    default void b08_invalidOptimiserHyperParameters() {
        assertThrows(IllegalArgumentException.class, () -> new AdamStep(-1, 0.9, 0.999, 1e-8, 0, true, 1));
        assertThrows(IllegalArgumentException.class, () -> new AdamStep(0.1, 1.0, 0.999, 1e-8, 0, true, 1));
        assertThrows(IllegalArgumentException.class, () -> new AdamStep(0.1, 0.9, 0.999, 1e-8, 0, true, 0));
        assertThrows(IllegalArgumentException.class, () -> new io.isotropic.spi.SgdStep(0.1, 0, 0, true));
        Tensor p = Tensor.zeros(DType.F32, 3);
        rejects(NullPointerException.class, "sgdStep",
                () -> backend().sgdStep(new io.isotropic.spi.SgdStep(0.1, 0.9, 0, false), p, p.copy(), null),
                "momentumBuffer");
    }
}
