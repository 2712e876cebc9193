package io.isotropic.backend.vector;

import io.isotropic.spi.ActivationOutput;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The activation kernels reduce row i+1 in the pass that writes row i, with the summation order of the
 * stand-alone reduction; so the result of a row must not depend on whether it starts a block of rows, i.e. on the
 * thread split. Gains, activations and input gradients are compared bit for bit ({@code dL/do} is summed per block,
 * so it is compared with a tolerance).
 */
class IsoTanhSplitTest {
    private static final Backend ONE = new VectorBackend(1);
    private static final Backend TWO = new VectorBackend(2, 1, 1);
    private static final Backend THREE = new VectorBackend(3, 1, 1);

    @AfterAll
    static void close() {
        ONE.close();
        TWO.close();
        THREE.close();
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void resultsDoNotDependOnTheRowSplit(DType dt) {
        for (int[] sh : new int[][] {{1, 7}, {2, 33}, {37, 53}, {64, 512}, {5, 1}}) {
            Tensor z = Tensor.randomNormal(dt, 17L * sh[0] + sh[1], 0.4, sh[0], sh[1]);
            Tensor dh = Tensor.randomNormal(dt, 19L * sh[0] + sh[1], 1.0, sh[0], sh[1]);
            Tensor gg = Tensor.randomNormal(dt, 23L * sh[0] + sh[1], 1.0, sh[0]);
            ActivationOutput ref = ONE.isoTanhForward(z, 0.3, 1e-3);
            Tensor dzRef = Tensor.zeros(dt, sh[0], sh[1]);
            double dORef = ONE.isoTanhBackwardInto(z, ref.gains(), dh, gg, 0.3, 1e-3, dzRef);
            for (Backend be : new Backend[] {TWO, THREE}) {
                String what = dt + " " + sh[0] + "x" + sh[1] + " " + be;
                ActivationOutput out = be.isoTanhForward(z, 0.3, 1e-3);
                assertTrue(out.gains().contentEquals(ref.gains()) && out.h().contentEquals(ref.h()), what + " forward");
                Tensor dz = Tensor.zeros(dt, sh[0], sh[1]);
                double dO = be.isoTanhBackwardInto(z, ref.gains(), dh, gg, 0.3, 1e-3, dz);
                assertTrue(dz.contentEquals(dzRef), what + " backward");
                assertEquals(dORef, dO, 1e-12 * (1 + Math.abs(dORef)) * sh[0], what + " dL/do");
            }
        }
    }
}
