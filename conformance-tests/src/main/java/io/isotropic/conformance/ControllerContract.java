package io.isotropic.conformance;

import io.isotropic.oracle.Invariance;
import io.isotropic.oracle.Reference;
import io.isotropic.oracle.Tolerance;
import io.isotropic.adapt.Controller;
import io.isotropic.adapt.Growth;
import io.isotropic.adapt.WidthSchedule;
import io.isotropic.spi.Svd;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.nn.ParameterNames;
import io.isotropic.nn.LinearCorrectionMode;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Contracts R11-R14: the scaffold controller and the width schedule (method.md section 7; properties 23-25), in F32 and F64,
 * with the invariance tolerance of {@link Invariance}.
 */
public interface ControllerContract extends RestructuringFixture {

    /**
     * R11: on wide layers the controller leaves exactly K singular values <= tau, a second call changes nothing,
     * and when it only grew, the function is unchanged.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.isotropic.conformance.Cases#dtypes")
    default void r11_controllerKeepsKScaffolds(DType dt) {
        IsotropicMlp net = IsotropicMlp.builder(30, 20, 12, 5).dtype(dt).seed(1101).build(backend());
        Tensor x = Nets.inputs(dt, 1102, 8, 30);
        Tensor y = net.predict(x);
        Controller c = new Controller(3, 0.5, Growth.reference(1103));
        c.adapt(net, null);
        assertEquals(23, net.widths()[1]);
        assertEquals(15, net.widths()[2]);
        for (int l = 0; l <= 1; l++) {
            assertEquals(3, Controller.scaffoldCount(net, l, 0.5), "R11: K scaffolds in layer " + l);
        }
        RestructuringFixture.assertInvariant("R11 " + dt + " (only neurogenesis)", net, y, x);
        int[] widths = net.widths();
        c.adapt(net, null);
        assertArrayEquals(widths, net.widths(), "R11: a second call is a no-op");
    }

    /** R12: when c > K, exactly c - K neurons go and they are the smallest; the rest of the spectrum is kept. */
    @Test
    default void r12_controllerRemovesTheSmallest() {
        IsotropicMlp net = net(DType.F64, 1201, LinearCorrectionMode.TRAINABLE, 20, 14, 10, 5);
        Svd svd = backend().svd(net.weight(0));
        double[] sigma = svd.s().toDoubleArray();
        double[] small = {0.09, 0.07, 0.05, 0.03, 0.01};
        System.arraycopy(small, 0, sigma, sigma.length - 5, 5);
        Tensor w = Reference.withSingularValues(DType.F64, 1202, 14, 20, sigma);
        net.replaceParameters(Map.of(ParameterNames.weightName(0), w));
        assertEquals(5, Controller.scaffoldCount(net, 0, 0.1));
        Controller.adaptLayer(net, 0, 2, 0.1, Growth.reference(1), null);
        assertEquals(11, net.widths()[1], "R12: 5 - 2 = 3 neurons removed");
        double[] after = backend().singularValues(net.weight(0)).toDoubleArray();
        double[] expected = java.util.Arrays.copyOf(sigma, 11);
        for (int i = 0; i < 11; i++) {
            ContractAssertions.close("R12 kept sigma_" + i, after[i], expected[i], new Tolerance(1e-13, "Weyl bound in F64"));
        }
    }

    /** R13: tall layers: null directions count as scaffolds, so repeated controller calls keep the width bounded. */
    @Test
    default void r13_controllerOnTallLayers() {
        IsotropicMlp net = net(DType.F64, 1301, LinearCorrectionMode.TRAINABLE, 6, 5, 9, 4);
        net.psi(0).fill(0); // psi* = 0: removing a null direction is then exact (its bias goes into o and psi_1)
        Tensor x = Nets.inputs(DType.F64, 1302, 8, 6);
        Tensor y = net.predict(x);
        assertEquals(4, Controller.scaffoldCount(net, 1, 0.01), "R13: 9 x 5 has 4 null directions");
        Controller.adaptLayer(net, 1, 2, 0.01, Growth.reference(1), null);
        assertEquals(7, net.widths()[2], "R13: surplus null directions removed");
        RestructuringFixture.assertInvariant("R13 removing null directions is exact", net, y, x);
        for (int i = 0; i < 3; i++) {
            Controller.adaptLayer(net, 1, 2, 0.01, Growth.reference(1), null);
            assertEquals(7, net.widths()[2], "R13: width stays bounded on repeated calls");
        }
        Controller.adaptLayer(net, 1, 6, 0.01, Growth.reference(1), null);
        assertEquals(11, net.widths()[2], "R13: growing to K = 6 scaffolds adds 4");
        assertEquals(6, Controller.scaffoldCount(net, 1, 0.01));
    }

    /** R14: the width schedule has 76 entries, exact endpoints, numpy's rint(linspace) values, and drives the widths. */
    @Test
    default void r14_widthSchedule() {
        WidthSchedule down = WidthSchedule.reference(100, 7, Growth.reference(1));
        int[] s = down.sequence();
        assertEquals(76, s.length);
        // numpy.rint(numpy.linspace(100, 7, 76)), first and last twelve
        assertArrayEquals(new int[] {100, 99, 98, 96, 95, 94, 93, 91, 90, 89, 88, 86},
                java.util.Arrays.copyOf(s, 12), "R14 (100 -> 7) head");
        assertArrayEquals(new int[] {21, 19, 18, 17, 16, 14, 13, 12, 11, 9, 8, 7},
                java.util.Arrays.copyOfRange(s, 64, 76), "R14 (100 -> 7) tail");
        assertArrayEquals(new int[] {50, 50, 49, 49, 49, 48, 48, 48, 47, 47, 47, 46},
                java.util.Arrays.copyOf(WidthSchedule.reference(50, 25, Growth.reference(1)).sequence(), 12),
                "R14 (50 -> 25) head");
        assertEquals(100, down.target(0));
        assertEquals(100, down.target(14));
        assertEquals(99, down.target(15));
        assertEquals(7, down.target(89));
        assertEquals(7, down.target(99));
        IsotropicMlp net = net(DType.F64, 1401, LinearCorrectionMode.TRAINABLE, 8, 6, 6, 3);
        WidthSchedule small = new WidthSchedule(6, 3, 1, 3, Growth.reference(2));
        small.apply(net, small.target(2), null);
        assertArrayEquals(new int[] {8, 4, 4, 3}, net.widths(), "R14: apply sets every hidden layer");
    }
}
