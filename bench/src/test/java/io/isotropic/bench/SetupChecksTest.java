package io.isotropic.bench;

import io.isotropic.Backends;
import io.isotropic.oracle.Reference;
import io.isotropic.spi.Svd;
import io.isotropic.spi.Backend;
import io.isotropic.spi.BackendOptions;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmarks' correctness checks accept right results and reject results that are wrong by a little. */
class SetupChecksTest {
    private static final Backend BE = Backends.create("ejml", BackendOptions.withThreads(1));

    @Test
    void productCheckRejectsOneWrongElement() {
        for (DType dt : DType.values()) {
            Tensor a = Tensor.randomNormal(dt, 1, 1.0, 33, 17);
            Tensor b = Tensor.randomNormal(dt, 2, 1.0, 17, 9);
            Tensor c = BE.matmul(a, b);
            assertDoesNotThrow(() -> SetupChecks.product("test", a, b, c));
            c.set(c.get(32, 8) * (1 + 1e-3), 32, 8); // the last element: a dropped vector tail would show here
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> SetupChecks.product("test", a, b, c));
            assertTrue(e.getMessage().contains("[32, 8]"), e.getMessage());
        }
    }

    @Test
    void affineCheckRejectsAMissingBias() {
        Tensor x = Tensor.randomNormal(DType.F32, 3, 1.0, 8, 20);
        Tensor w = Tensor.randomNormal(DType.F32, 4, 1.0, 5, 20);
        Tensor bias = Tensor.randomNormal(DType.F32, 5, 1.0, 5);
        Tensor y = BE.affine(x, w, bias);
        assertDoesNotThrow(() -> SetupChecks.affine(x, w, bias, y));
        Tensor noBias = BE.affine(x, w, null);
        assertThrows(IllegalStateException.class, () -> SetupChecks.affine(x, w, bias, noBias));
    }

    @Test
    void activationChecksRejectAWrongGradient() {
        Tensor z = Tensor.randomNormal(DType.F64, 6, 0.2, 7, 25);
        Tensor dh = Tensor.randomNormal(DType.F64, 7, 1.0, 7, 25);
        var fwd = BE.isoTanhForward(z, 0.0, 1e-3);
        assertDoesNotThrow(() -> SetupChecks.isoTanhForward(z, 0.0, 1e-3, fwd.gains(), fwd.h()));
        Tensor dz = Tensor.zeros(DType.F64, 7, 25);
        BE.isoTanhBackwardInto(z, fwd.gains(), dh, null, 0.0, 1e-3, dz);
        assertDoesNotThrow(() -> SetupChecks.isoTanhBackward(z, dh, 0.0, 1e-3, dz));
        // G dh alone (the radial term dropped) is the classic wrong gradient
        Tensor wrong = dh.copy();
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 25; j++) {
                wrong.set(fwd.gains().getFlat(i) * dh.get(i, j), i, j);
            }
        }
        assertThrows(IllegalStateException.class, () -> SetupChecks.isoTanhBackward(z, dh, 0.0, 1e-3, wrong));
        assertThrows(IllegalStateException.class, () -> SetupChecks.isoTanhForward(z, 0.5, 1e-3, fwd.gains(), fwd.h()));
    }

    @Test
    void svdChecksRejectUnsortedValuesAndBrokenFactors() {
        Tensor a = Tensor.randomNormal(DType.F64, 8, 1.0, 12, 12);
        Svd svd = BE.svd(a);
        assertDoesNotThrow(() -> SetupChecks.svd(a, svd));
        double[] reference = Reference.singularValues(a);
        assertDoesNotThrow(() -> SetupChecks.values("test", a, BE.singularValues(a), reference));
        Tensor unsorted = svd.s().copy();
        double first = unsorted.getFlat(0);
        unsorted.set(unsorted.getFlat(1), 0);
        unsorted.set(first, 1);
        assertThrows(IllegalStateException.class, () -> SetupChecks.values("test", a, unsorted, reference));
        Tensor u = svd.u().copy();
        u.set(u.get(0, 0) + 1e-6, 0, 0);
        assertThrows(IllegalStateException.class, () -> SetupChecks.svd(a, new Svd(u, svd.s(), svd.v())));
        // sigma_5 up and sigma_6 down by 1e-6 relative, keeping the order and the sum of squares: the former check
        // (ordering and sum of squares) passed this, the value-by-value comparison with the oracle does not
        Tensor off = svd.s().copy();
        double s5 = off.getFlat(5);
        double s6 = off.getFlat(6);
        double up = s5 * (1 + 1e-6);
        off.set(up, 5);
        off.set(Math.sqrt(s6 * s6 - (up * up - s5 * s5)), 6);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SetupChecks.values("test", a, off, reference));
        assertTrue(e.getMessage().contains("sigma_5"), e.getMessage());
    }
}
