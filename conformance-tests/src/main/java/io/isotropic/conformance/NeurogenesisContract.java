package io.isotropic.conformance;

import io.isotropic.oracle.Invariance;
import io.isotropic.adapt.Growth;
import io.isotropic.adapt.Restructure;
import io.isotropic.nn.ForwardPass;
import io.isotropic.nn.Gradients;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.nn.ParameterNames;
import io.isotropic.nn.LinearCorrectionMode;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import io.isotropic.train.Loss;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Contracts R04-R05: neurogenesis preserves the function and breaks the saddle-point symmetry (method.md 6.1; properties 13-16), in F32 and F64,
 * with the invariance tolerance of {@link Invariance}.
 */
public interface NeurogenesisContract extends RestructuringFixture {

    private static long countZeros(Tensor s) {
        double tol = 64 * DType.F64.epsilon() * Math.max(s.maxAbs(), 1);
        long c = 0;
        for (int i = 0; i < s.size(); i++) {
            if (s.getFlat(i) <= tol) {
                c++;
            }
        }
        return c;
    }

    /**
     * R04: neurogenesis adds exactly k neurons with zero incoming row, bias and psi entry, preserves the function for
     * any outgoing weights (repeated 1, 5 and 30 times, past the point where the layer turns tall), rotated or not;
     * for a wide layer each new neuron adds a zero singular value.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.isotropic.conformance.Cases#dtypes")
    default void r04_neurogenesisPreservesFunction(DType dt) {
        for (boolean rotate : new boolean[] {true, false}) {
            IsotropicMlp net = net(dt, 401, LinearCorrectionMode.TRAINABLE, 12, 10, 9, 8, 5);
            Tensor x = Nets.inputs(dt, 402, 12, 12);
            Tensor y = net.predict(x);
            Growth big = new Growth(rotate, 3.0, 403);
            int added = 0;
            for (int repeats : new int[] {1, 5, 30}) {
                for (int r = 0; r < repeats; r++) {
                    int width = net.widths()[2];
                    long zerosBefore = countZeros(backend().singularValues(net.weight(1).to(DType.F64)));
                    Restructure.neurogenesis(net, 1, 1, big, null);
                    added++;
                    assertEquals(width + 1, net.widths()[2], "R04: width +1");
                    int k = width; // index of the new neuron
                    for (int j = 0; j < net.widths()[1]; j++) {
                        assertEquals(0.0, net.weight(1).get(k, j), "R04: new incoming row is zero");
                    }
                    assertEquals(0.0, net.bias(1).getFlat(k), "R04: new bias is zero");
                    assertEquals(0.0, net.psi(0).getFlat(k), "R04: new psi entry is zero");
                    assertEquals(net.widths()[2], net.weight(2).cols(), "R04: W_2 gained a column");
                    if (width + 1 <= net.widths()[1]) {
                        assertEquals(zerosBefore + 1, countZeros(backend().singularValues(net.weight(1).to(DType.F64))),
                                "R04: a wide layer gains one zero singular value");
                    }
                }
                RestructuringFixture.assertInvariant("R04 " + dt + " rotate=" + rotate + " after " + added + " neurogeneses", net, y, x);
            }
            assertTrue(net.widths()[2] > net.widths()[1], "R04: the layer turned tall");
        }
    }

    /** R05: with a zero outgoing column the new neuron's incoming gradient is exactly 0; with a random one it is not. */
    @Test
    default void r05_symmetryBreaking() {
        for (double std : new double[] {0.0, 0.01}) {
            IsotropicMlp net = net(DType.F64, 501, LinearCorrectionMode.TRAINABLE, 6, 5, 4, 3);
            Restructure.neurogenesis(net, 0, 1, new Growth(true, std, 502), null);
            Tensor x = Nets.inputs(DType.F64, 503, 8, 6);
            ForwardPass fp = net.forward(x);
            Gradients g = net.backward(fp, Loss.CROSS_ENTROPY.evaluate(fp.logits(), new int[] {0, 1, 2, 0, 1, 2, 0, 1})
                    .gradient());
            Tensor gw = g.get(ParameterNames.weightName(0));
            double rowNorm = 0;
            for (int j = 0; j < 6; j++) {
                rowNorm += Math.abs(gw.get(5, j));
            }
            if (std == 0) {
                assertEquals(0.0, rowNorm, "R05: zero outgoing column leaves the new row at a saddle");
            } else {
                assertTrue(rowNorm > 1e-6, "R05: random outgoing column gives the new row a gradient, got " + rowNorm);
            }
        }
    }
}
