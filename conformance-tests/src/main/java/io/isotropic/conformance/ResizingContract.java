package io.isotropic.conformance;

import io.isotropic.oracle.Invariance;
import io.isotropic.adapt.Controller;
import io.isotropic.adapt.Growth;
import io.isotropic.adapt.Metrics;
import io.isotropic.adapt.Restructure;
import io.isotropic.nn.ActivationKind;
import io.isotropic.nn.IntrinsicLengthMode;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.nn.ParameterNames;
import io.isotropic.nn.LinearCorrectionMode;
import io.isotropic.nn.Parameter;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import io.isotropic.train.Adam;
import io.isotropic.train.Loss;
import io.isotropic.train.Batch;
import io.isotropic.train.Objective;
import io.isotropic.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Contracts R17, R19, R20: metrics, rejection of bad input with nothing changed, and input/output resizing (method.md 6.3, 11; property 30), in F32 and F64,
 * with the invariance tolerance of {@link Invariance}.
 */
public interface ResizingContract extends RestructuringFixture {

    /** R17: metrics match hand-computed values; epsilon_scaled rejects an all-zero reference row. */
    @Test
    default void r17_metrics() {
        Tensor pre = Tensor.of(new double[] {3, 4, 0, 1}, 2, 2);
        Tensor post = Tensor.of(new double[] {3, 5, 0, 1}, 2, 2);
        assertEquals(100 * (1.0 / 5 + 0) / 2, Metrics.epsilonScaled(pre, post), 1e-12);
        // KL(softmax(3,4) || softmax(3,5)) for sample 0, 0 for sample 1
        double p0 = 1 / (1 + Math.exp(1));
        double q0 = 1 / (1 + Math.exp(2));
        double kl = p0 * Math.log(p0 / q0) + (1 - p0) * Math.log((1 - p0) / (1 - q0));
        assertEquals(kl / 2, Metrics.klDivergence(pre, post), 1e-15);
        assertThrows(IllegalArgumentException.class,
                () -> Metrics.epsilonScaled(Tensor.zeros(DType.F64, 1, 2), post.reshape(2, 2)));
        IsotropicMlp net = IsotropicMlp.builder(3, 2, 2).dtype(DType.F64).build(backend());
        net.weight(0).fill(0);
        net.weight(0).set(0.5, 0, 0);
        // W_0 one entry, W_1 orthogonal 2 x 2 (4), biases and psi zero, theta_0 = ln 1e-6 (1)
        assertEquals(6, Metrics.nonZeroCount(net, 0), "R17: non-zero count");
        assertEquals(1.0, Metrics.maxRowChange(pre, post), 1e-15);
    }

    /** R19: bad arguments raise clear errors and leave network and optimiser unchanged. */
    @Test
    default void r19_badInputLeavesEverythingUnchanged() {
        IsotropicMlp net = net(DType.F64, 1901, LinearCorrectionMode.TRAINABLE, 6, 5, 4, 3);
        Adam opt = Adam.adamW(1e-2, 0);
        Trainer.step(net, opt, Objective.of(Loss.CROSS_ENTROPY), new Batch(Nets.inputs(DType.F64, 1902, 3, 6),
                new int[] {0, 1, 2}, null));
        IsotropicMlp snapshot = net.copy();
        Tensor m0 = opt.states().get(ParameterNames.weightName(0)).first().copy();
        assertThrows(IndexOutOfBoundsException.class, () -> Restructure.neurogenesis(net, 2, 1, Growth.reference(1), opt));
        assertThrows(IndexOutOfBoundsException.class, () -> Restructure.neurodegeneration(net, -1, 1, opt, null));
        assertThrows(IllegalArgumentException.class, () -> Restructure.neurodegeneration(net, 0, 5, opt, null), "removing all 5");
        assertThrows(IllegalArgumentException.class, () -> Restructure.neurogenesis(net, 0, 0, Growth.reference(1), opt));
        assertThrows(IllegalArgumentException.class, () -> new Controller(-1, 0.1, Growth.reference(1)));
        assertThrows(IllegalArgumentException.class, () -> new Controller(2, 0, Growth.reference(1)));
        assertThrows(IllegalArgumentException.class, () -> Controller.adaptLayer(net, 0, 2, Double.NaN,
                Growth.reference(1), opt));
        assertThrows(IllegalArgumentException.class, () -> Restructure.removeOutputs(net, 0, 3, opt));
        IsotropicMlp tanh = IsotropicMlp.builder(6, 5, 3).activation(ActivationKind.ELEMENTWISE_TANH)
                .intrinsicLength(IntrinsicLengthMode.NONE, 0).linearCorrection(LinearCorrectionMode.NONE, 0)
                .build(backend());
        assertThrows(IllegalArgumentException.class, () -> Restructure.leftDiagonalise(tanh, 0, null));
        net.weight(1).setFlat(3, Double.NaN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Restructure.neurodegeneration(net, 0, 1, opt, null));
        assertTrue(e.getMessage().contains("layers.1.weight"), e.getMessage());
        net.weight(1).setFlat(3, snapshot.weight(1).getFlat(3));
        for (Parameter p : net.parameters()) {
            Tensor before = snapshot.parameters().stream().filter(q -> q.name().equals(p.name())).findFirst()
                    .orElseThrow().value();
            assertTrue(p.value().contentEquals(before), "R19: " + p.name() + " changed by a rejected call");
        }
        assertTrue(opt.states().get(ParameterNames.weightName(0)).first().contentEquals(m0), "R19: optimiser changed");
        IsotropicMlp expect = net(DType.F64, 1903, LinearCorrectionMode.EXPECTATION, 6, 5, 4, 3);
        assertThrows(IllegalStateException.class, () -> Restructure.neurodegeneration(expect, 0, 1, null, null),
                "EXPECTATION before any forward pass");
    }

    /** R20: appending inputs and outputs keeps the old function; removing outputs keeps the remaining logits. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.isotropic.conformance.Cases#dtypes")
    default void r20_taskAppendingAndRemoval(DType dt) {
        IsotropicMlp net = net(dt, 2001, LinearCorrectionMode.TRAINABLE, 6, 5, 4, 3);
        Tensor x = Nets.inputs(dt, 2002, 5, 6);
        Tensor y = net.predict(x);
        Restructure.addInputs(net, 2, null);
        Tensor x2 = Tensor.zeros(dt, 5, 8);
        Tensor extra = Nets.inputs(dt, 2003, 5, 2);
        for (int r = 0; r < 5; r++) {
            for (int j = 0; j < 8; j++) {
                x2.set(j < 6 ? x.get(r, j) : extra.get(r, j - 6), r, j);
            }
        }
        assertTrue(net.predict(x2).contentEquals(y), "R20: new zero input columns ignore the new features");
        Restructure.addOutputs(net, 2, null);
        Tensor y5 = net.predict(x2);
        assertEquals(5, y5.cols());
        for (int r = 0; r < 5; r++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(y.get(r, j), y5.get(r, j), "R20: old logits unchanged");
            }
            assertEquals(0.0, y5.get(r, 3), "R20: new logits start at 0");
        }
        Restructure.removeOutputs(net, 3, 2, null);
        assertTrue(net.predict(x2).contentEquals(y), "R20: removing the new outputs restores the old logits");
    }
}
