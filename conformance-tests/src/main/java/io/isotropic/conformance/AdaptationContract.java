package io.isotropic.conformance;

import io.isotropic.adapt.CompactMlp;
import io.isotropic.adapt.Controller;
import io.isotropic.adapt.Growth;
import io.isotropic.adapt.Metrics;
import io.isotropic.adapt.NeurodegenerationReport;
import io.isotropic.adapt.Restructure;
import io.isotropic.adapt.Sparsify;
import io.isotropic.adapt.UnrolledMlp;
import io.isotropic.adapt.WidthSchedule;
import io.isotropic.spi.Svd;
import io.isotropic.nn.ActivationKind;
import io.isotropic.nn.ForwardPass;
import io.isotropic.nn.Gradients;
import io.isotropic.nn.IntrinsicLengthMode;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.nn.ParameterNames;
import io.isotropic.nn.LinearCorrectionMode;
import io.isotropic.nn.Parameter;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import io.isotropic.train.Adam;
import io.isotropic.train.LearningRateSchedule;
import io.isotropic.train.Loss;
import io.isotropic.train.Optimizer;
import io.isotropic.train.ParameterState;
import io.isotropic.train.Sgd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Contracts R01-R20: adaptive topology (method.md sections 4-10, properties 9-30 of section 13), in F32 and F64,
 * with the invariance tolerance of {@link Invariance}.
 */
public interface AdaptationContract extends BackendFixture {

    private IsotropicMlp net(DType dt, long seed, LinearCorrectionMode psi, int... widths) {
        return Nets.random(backend(), dt, seed, ActivationKind.ISOTROPIC_TANH, IntrinsicLengthMode.TRAINABLE, psi,
                widths);
    }

    private static void assertInvariant(String what, IsotropicMlp after, Tensor before, Tensor x) {
        Tensor y = after.predict(x);
        ContractAssertions.atMost(what + ": |y' - y|_inf", Invariance.maxDiff(before, y), Invariance.of(after, before));
    }

    private static Tensor col(Tensor m, int j) {
        Tensor c = Tensor.zeros(DType.F64, m.rows());
        for (int i = 0; i < m.rows(); i++) {
            c.setFlat(i, m.get(i, j));
        }
        return c;
    }

    /** R01: left-partial diagonalisation preserves the function; rows of W_l become orthogonal with norms sigma. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.isotropic.conformance.Cases#dtypes")
    default void r01_leftDiagonalisation(DType dt) {
        for (int layer = 0; layer <= 2; layer++) {
            IsotropicMlp net = net(dt, 101 + layer, LinearCorrectionMode.TRAINABLE, 12, 10, 13, 8, 5);
            Tensor x = Nets.inputs(dt, 102, 16, 12);
            Tensor y = net.predict(x);
            double[][] spectraBefore = Metrics.spectra(net);
            Svd svd = Restructure.leftDiagonalise(net, layer, null);
            assertInvariant("R01 " + dt + " layer " + layer, net, y, x);
            Tensor w = net.weight(layer).to(DType.F64);
            Tensor gram = backend().matmul(w, false, w, true);
            double scale = svd.s().getFlat(0) * svd.s().getFlat(0);
            double tol = 60 * w.cols() * DType.F64.unitRoundoff() * scale + 4 * w.cols() * dt.unitRoundoff() * scale;
            for (int i = 0; i < gram.rows(); i++) {
                for (int j = 0; j < gram.cols(); j++) {
                    double want = i != j ? 0 : (i < svd.s().size() ? svd.s().getFlat(i) * svd.s().getFlat(i) : 0);
                    ContractAssertions.close("R01 " + dt + " W W^T[" + i + "," + j + "]", gram.get(i, j), want,
                            new Tolerance(tol, "SVD backward error 60 n u_64 sigma_1^2 plus rounding to the dtype"));
                }
            }
            double[][] spectraAfter = Metrics.spectra(net);
            for (int l = 0; l < net.depth(); l++) {
                for (int i = 0; i < spectraAfter[l].length; i++) {
                    ContractAssertions.close("R01 " + dt + " sigma of layer " + l, spectraAfter[l][i], spectraBefore[l][i],
                            new Tolerance(Tolerance.LAPACK_THRESHOLD * 13 * dt.epsilon() * spectraBefore[l][0] * 2,
                                    "twice the Weyl bound"));
                }
            }
        }
    }

    /** R02: full diagonalisation preserves the function and makes W_l exactly diagonal; l = 0 and L-1 are rejected. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.isotropic.conformance.Cases#dtypes")
    default void r02_fullDiagonalisation(DType dt) {
        for (int layer = 1; layer <= 2; layer++) {
            IsotropicMlp net = net(dt, 201 + layer, LinearCorrectionMode.TRAINABLE_DECAY, 12, 10, 13, 8, 5);
            Tensor x = Nets.inputs(dt, 202, 16, 12);
            Tensor y = net.predict(x);
            Svd svd = Restructure.fullDiagonalise(net, layer, null);
            assertInvariant("R02 " + dt + " layer " + layer, net, y, x);
            Tensor w = net.weight(layer);
            for (int i = 0; i < w.rows(); i++) {
                for (int j = 0; j < w.cols(); j++) {
                    if (i != j) {
                        assertEquals(0.0, w.get(i, j), "R02: off-diagonal entry (" + i + "," + j + ") must be exactly 0");
                    } else {
                        assertEquals(dt == DType.F32 ? (float) svd.s().getFlat(i) : svd.s().getFlat(i), w.get(i, i),
                                "R02: diagonal entry " + i + " must be sigma_" + i);
                    }
                }
            }
        }
        IsotropicMlp net = net(dt, 203, LinearCorrectionMode.NONE, 6, 5, 4, 3);
        assertThrows(IndexOutOfBoundsException.class, () -> Restructure.fullDiagonalise(net, 0, null));
        assertThrows(IndexOutOfBoundsException.class, () -> Restructure.fullDiagonalise(net, 2, null));
    }

    /**
     * R03: alternating full diagonalisation makes every odd hidden-to-hidden matrix diagonal at once, preserves the
     * function, zeroes exactly the number of entries of method.md section 9, and the compact form runs the same
     * function with that many fewer stored numbers.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.isotropic.conformance.Cases#dtypes")
    default void r03_sparsification(DType dt) {
        IsotropicMlp net = net(dt, 301, LinearCorrectionMode.TRAINABLE_DECAY, 20, 12, 12, 12, 12, 12, 12, 7);
        Tensor x = Nets.inputs(dt, 302, 10, 20);
        Tensor y = net.predict(x);
        long before = Metrics.nonZeroCount(net, 0);
        List<Integer> layers = Sparsify.alternating(net, null);
        assertEquals(List.of(1, 3, 5), layers, "R03: diagonalised layers");
        assertInvariant("R03 " + dt, net, y, x);
        long zeros = Sparsify.expectedZeros(net.widths());
        assertEquals(3L * (12 * 12 - 12), zeros, "R03: formula for 20-12x6-7");
        assertEquals(before - zeros, Metrics.nonZeroCount(net, 0), "R03: exact zero count");
        CompactMlp compact = CompactMlp.of(net);
        for (int l : layers) {
            assertTrue(compact.isDiagonal(l), "R03: layer " + l + " stored as a diagonal");
        }
        assertEquals(net.parameterCount() - zeros, compact.storedParameters(), "R03: stored numbers");
        Tensor yc = compact.forward(x);
        ContractAssertions.atMost("R03 " + dt + " compact vs dense", Invariance.maxDiff(net.predict(x), yc),
                Invariance.of(net, y));
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
                assertInvariant("R04 " + dt + " rotate=" + rotate + " after " + added + " neurogeneses", net, y, x);
            }
            assertTrue(net.widths()[2] > net.widths()[1], "R04: the layer turned tall");
        }
    }

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

    /** Builds the exact-degeneration scenario of method.md 13.5 item 18: a scaffold neuron with bias beta. */
    private IsotropicMlp scaffoldWithBias(DType dt, long seed, IntrinsicLengthMode om, LinearCorrectionMode pm,
                                         double beta) {
        IsotropicMlp net = Nets.random(backend(), dt, seed, ActivationKind.ISOTROPIC_TANH, om, pm, 12, 10, 9, 8, 5);
        Restructure.neurogenesis(net, 1, 1, new Growth(true, 0.5, seed + 1), null);
        net.bias(1).setFlat(9, beta);
        return net;
    }

    /**
     * R06: removing a scaffold neuron whose bias is beta restores the function exactly, o grows by beta^2 and psi_l
     * by beta W* (the removed direction is the null direction, sigma = 0).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.isotropic.conformance.Cases#dtypes")
    default void r06_exactNeurodegeneration(DType dt) {
        double beta = 0.7;
        IsotropicMlp net = scaffoldWithBias(dt, 601, IntrinsicLengthMode.TRAINABLE, LinearCorrectionMode.TRAINABLE, beta);
        Tensor x = Nets.inputs(dt, 602, 16, 12);
        Tensor y = net.predict(x);
        double o = net.intrinsicLength(1);
        Tensor psi = net.psi(1).to(DType.F64);
        Tensor wOut = col(net.weight(2).to(DType.F64), 9);
        NeurodegenerationReport rep = Restructure.neurodegeneration(net, 1, 1, null, x);
        assertEquals(9, net.widths()[2], "R06: width back to 9");
        ContractAssertions.atMost("R06 removed singular value", rep.singularValues()[0],
                new Tolerance(60 * 10 * DType.F64.unitRoundoff() * 3, "zero, up to the SVD's backward error"));
        assertInvariant("R06 " + dt, net, y, x);
        ContractAssertions.close("R06 " + dt + " o += beta^2", net.intrinsicLength(1), o + beta * beta, new Tolerance(
                16 * dt.unitRoundoff() * (o + beta * beta) * 15, "ln o stored in the dtype: |ln o| u relative"));
        for (int j = 0; j < psi.size(); j++) {
            ContractAssertions.close("R06 " + dt + " psi_1[" + j + "] += beta W*", net.psi(1).getFlat(j),
                    psi.getFlat(j) + beta * wOut.getFlat(j), new Tolerance(64 * dt.unitRoundoff() + 1e-14,
                            "rounding of the rotated values"));
        }
        ContractAssertions.atMost("R06 bound vs measured", rep.zChange(), new Tolerance(rep.zChangeBound() + Invariance.of(net, y)
                .value(), "the reported bound plus rounding"));
    }

    /** R07: negative controls: without the o update or without psi the exact scenario changes the function by >= 1e-3. */
    @Test
    default void r07_negativeControls() {
        double beta = 0.7;
        for (Object[] modes : new Object[][] {{IntrinsicLengthMode.NONE, LinearCorrectionMode.TRAINABLE},
                {IntrinsicLengthMode.TRAINABLE, LinearCorrectionMode.NONE}}) {
            IsotropicMlp net = scaffoldWithBias(DType.F64, 701, (IntrinsicLengthMode) modes[0],
                    (LinearCorrectionMode) modes[1], beta);
            Tensor x = Nets.inputs(DType.F64, 702, 16, 12);
            Tensor y = net.predict(x);
            Restructure.neurodegeneration(net, 1, 1, null, null);
            double rel = Invariance.relDiff(y, net.predict(x));
            assertTrue(rel >= 1e-3, "R07 o=" + modes[0] + " psi=" + modes[1] + ": relative change " + rel
                    + " should be clearly above tolerance");
        }
    }

    /**
     * R08: with psi* = 0 (layer 0 has no incoming psi) the error of removing a neuron grows linearly with its
     * singular value: successive decades give error ratios 10 +- 10%, and the reported bound holds.
     */
    @Test
    default void r08_errorScalesLinearlyWithSingularValue() {
        double[] errors = new double[6];
        for (int e = 0; e < 6; e++) {
            double sigma = Math.pow(10, -1 - e);
            IsotropicMlp net = net(DType.F64, 801, LinearCorrectionMode.TRAINABLE, 12, 10, 9, 5);
            Svd svd = backend().svd(net.weight(0));
            Tensor s = svd.s().copy();
            s.setFlat(s.size() - 1, sigma);
            Tensor us = svd.u().copy();
            for (int i = 0; i < us.rows(); i++) {
                for (int j = 0; j < us.cols(); j++) {
                    us.set(us.get(i, j) * (j < s.size() ? s.getFlat(j) : 0), i, j);
                }
            }
            Tensor w = backend().matmul(us, false, topRows(svd.v(), 10), true);
            net.replaceParameters(Map.of(ParameterNames.weightName(0), w));
            Tensor x = Nets.inputs(DType.F64, 802, 32, 12);
            Tensor y = net.predict(x);
            NeurodegenerationReport rep = Restructure.neurodegeneration(net, 0, 1, null, x);
            ContractAssertions.close("R08 removed sigma", rep.singularValues()[0], sigma, new Tolerance(1e-13, "SVD accuracy"));
            errors[e] = Invariance.maxDiff(y, net.predict(x));
            assertTrue(rep.zChange() <= rep.zChangeBound() * (1 + 1e-9) + 1e-13, "R08: measured " + rep.zChange()
                    + " exceeds the bound " + rep.zChangeBound());
        }
        for (int e = 0; e + 1 < 6; e++) {
            double ratio = errors[e] / errors[e + 1];
            assertTrue(ratio > 9 && ratio < 11, "R08: error ratio for sigma 1e-" + (e + 1) + " / 1e-" + (e + 2) + " is "
                    + ratio + " (errors " + java.util.Arrays.toString(errors) + ")");
        }
    }

    private static Tensor topRows(Tensor v, int k) {
        // first k columns of V as a [n, k] matrix
        Tensor out = Tensor.zeros(DType.F64, v.rows(), k);
        for (int i = 0; i < v.rows(); i++) {
            for (int j = 0; j < k; j++) {
                out.set(v.get(i, j), i, j);
            }
        }
        return out;
    }

    /** R09: EXPECTATION absorbs exactly when the stored gains come from the evaluated sample, not otherwise. */
    @Test
    default void r09_expectationVariant() {
        for (boolean sameSample : new boolean[] {true, false}) {
            IsotropicMlp net = scaffoldWithBias(DType.F64, 901, IntrinsicLengthMode.TRAINABLE,
                    LinearCorrectionMode.EXPECTATION, 0.7);
            Tensor x = Nets.inputs(DType.F64, 902, 1, 12);
            Tensor y = net.predict(x); // the reference, and the stored gains are those of x
            if (!sameSample) {
                net.predict(Nets.inputs(DType.F64, 903, 5, 12)); // now the stored gains come from another batch
            }
            Restructure.neurodegeneration(net, 1, 1, null, null);
            double d = Invariance.maxDiff(y, net.predict(x));
            if (sameSample) {
                ContractAssertions.atMost("R09 same sample", d, Invariance.of(net, y));
            } else {
                assertTrue(d > 1e-6, "R09: mean gains of another batch should leave an error, got " + d);
            }
        }
    }

    /** R10: exact removals in two consecutive layers give the same function in both orders; the controller goes deepest first. */
    @Test
    default void r10_orderingOfLayers() {
        Tensor x = Nets.inputs(DType.F64, 1002, 8, 12);
        Tensor[] results = new Tensor[2];
        Tensor y = null;
        for (int order = 0; order < 2; order++) {
            IsotropicMlp net = Nets.random(backend(), DType.F64, 1001, ActivationKind.ISOTROPIC_TANH,
                    IntrinsicLengthMode.TRAINABLE, LinearCorrectionMode.TRAINABLE, 12, 10, 9, 8, 5);
            Restructure.neurogenesis(net, 1, 1, Growth.reference(1), null);
            Restructure.neurogenesis(net, 2, 1, Growth.reference(2), null);
            net.bias(1).setFlat(9, 0.4);
            net.bias(2).setFlat(8, -0.6);
            y = net.predict(x);
            if (order == 0) {
                Restructure.neurodegeneration(net, 2, 1, null, null);
                Restructure.neurodegeneration(net, 1, 1, null, null);
            } else {
                Restructure.neurodegeneration(net, 1, 1, null, null);
                Restructure.neurodegeneration(net, 2, 1, null, null);
            }
            results[order] = net.predict(x);
            ContractAssertions.atMost("R10 order " + order, Invariance.maxDiff(y, results[order]), Invariance.of(net, y));
        }
        IsotropicMlp net = net(DType.F64, 1003, LinearCorrectionMode.TRAINABLE, 12, 10, 9, 8, 5);
        Controller c = new Controller(1, 0.5, Growth.reference(3));
        List<Controller.Change> changes = c.adapt(net, null);
        assertEquals(List.of(2, 1, 0), changes.stream().map(Controller.Change::layer).toList(),
                "R10: controller visits layers deepest first");
    }

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
        assertInvariant("R11 " + dt + " (only neurogenesis)", net, y, x);
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
        assertInvariant("R13 removing null directions is exact", net, y, x);
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

    /**
     * R15: after every operation the optimiser state has the parameters' new shapes, step counts are kept, appended
     * entries are zero, and the second-moment transform keeps v >= 0, column sums and constants.
     */
    @Test
    default void r15_optimiserStateFollowsShapes() {
        IsotropicMlp net = net(DType.F64, 1501, LinearCorrectionMode.TRAINABLE_DECAY, 10, 8, 7, 4);
        Adam opt = Adam.adamW(1e-2, 1e-3);
        Tensor x = Nets.inputs(DType.F64, 1502, 6, 10);
        int[] y = {0, 1, 2, 3, 0, 1};
        for (int i = 0; i < 3; i++) {
            ForwardPass fp = net.forward(x);
            Gradients g = net.backward(fp, Loss.CROSS_ENTROPY.evaluate(fp.logits(), y).gradient());
            opt.step(net, g);
        }
        // constant second moment of W_1 is preserved by the rotation, sums of columns too
        ParameterState s1 = opt.states().get(ParameterNames.weightName(1));
        s1.second().fill(0.25);
        double sumV0 = sum(opt.states().get(ParameterNames.weightName(0)).second());
        List<Consumer<IsotropicMlp>> ops = List.of(
                n -> Restructure.leftDiagonalise(n, 0, opt),
                n -> Restructure.fullDiagonalise(n, 1, opt),
                n -> Restructure.neurogenesis(n, 0, 2, Growth.reference(1), opt),
                n -> Restructure.neurodegeneration(n, 1, 2, opt, null),
                n -> Restructure.addInputs(n, 3, opt),
                n -> Restructure.addOutputs(n, 2, opt),
                n -> Restructure.removeOutputs(n, 1, opt),
                n -> Restructure.removeInputs(n, 2, opt));
        for (int i = 0; i < ops.size(); i++) {
            ops.get(i).accept(net);
            for (Parameter p : net.parameters()) {
                ParameterState st = opt.states().get(p.name());
                assertEquals(p.value().shape(), st.first().shape(), "R15 op " + i + ": m shape of " + p.name());
                assertEquals(p.value().shape(), st.second().shape(), "R15 op " + i + ": v shape of " + p.name());
                assertEquals(3, st.step(), "R15 op " + i + ": step kept for " + p.name());
                for (int j = 0; j < st.second().size(); j++) {
                    assertTrue(st.second().getFlat(j) >= 0, "R15 op " + i + ": v >= 0 for " + p.name());
                }
            }
            if (i == 0) {
                Tensor v1 = opt.states().get(ParameterNames.weightName(1)).second();
                for (int j = 0; j < v1.size(); j++) {
                    assertEquals(0.25, v1.getFlat(j), 1e-15, "R15: a constant v stays constant");
                }
                ContractAssertions.close("R15: sum of v preserved", sum(opt.states().get(ParameterNames.weightName(0)).second()),
                        sumV0, new Tolerance(1e-14 * Math.max(1, sumV0), "rows of R.R sum to 1"));
            }
            if (i == 2) {
                Tensor m0 = opt.states().get(ParameterNames.weightName(0)).first();
                for (int j = 0; j < m0.cols(); j++) {
                    assertEquals(0.0, m0.get(m0.rows() - 1, j), "R15: appended rows of m are zero");
                }
            }
        }
        ForwardPass fp = net.forward(Nets.inputs(DType.F64, 1503, 4, net.widths()[0]));
        Gradients g = net.backward(fp, Loss.CROSS_ENTROPY.evaluate(fp.logits(), new int[] {0, 1, 2, 4}).gradient());
        opt.step(net, g); // training continues without shape errors
    }

    private static double sum(Tensor t) {
        double s = 0;
        for (int i = 0; i < t.size(); i++) {
            s += t.getFlat(i);
        }
        return s;
    }

    /**
     * R16: SGD with momentum is rotation-equivariant: 5 steps, a full diagonalisation with the momentum transform,
     * 5 more steps give the same function as 10 steps without it (F64).
     */
    @Test
    default void r16_sgdMomentumEquivariance() {
        Tensor[] outs = new Tensor[2];
        Tensor probe = Nets.inputs(DType.F64, 1602, 9, 10);
        for (int run = 0; run < 2; run++) {
            IsotropicMlp net = net(DType.F64, 1601, LinearCorrectionMode.TRAINABLE_DECAY, 10, 9, 8, 7, 4);
            Optimizer opt = new Sgd(LearningRateSchedule.constant(0.05), 0.9, 1e-3, false);
            for (int step = 0; step < 10; step++) {
                if (run == 1 && step == 5) {
                    Restructure.fullDiagonalise(net, 1, opt);
                    Restructure.leftDiagonalise(net, 2, opt);
                }
                Tensor x = Nets.inputs(DType.F64, 1700 + step, 6, 10);
                ForwardPass fp = net.forward(x);
                Gradients g = net.backward(fp, Loss.CROSS_ENTROPY.evaluate(fp.logits(), new int[] {0, 1, 2, 3, 0, 1})
                        .gradient());
                net.addPsiPenaltyGradient(g);
                opt.step(net, g);
            }
            outs[run] = net.predict(probe);
        }
        ContractAssertions.atMost("R16 |y_rotated - y_plain|", Invariance.maxDiff(outs[0], outs[1]),
                new Tolerance(1e-10 * (1 + outs[0].maxAbs()), "rotation error ~1e-13 amplified by 5 steps; 1e-10"));
    }

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

    /** R18: the unrolled (generalised isotropic perceptron) forward pass equals the sequential one. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.isotropic.conformance.Cases#dtypes")
    default void r18_unrolledForwardEqualsSequential(DType dt) {
        for (LinearCorrectionMode pm : new LinearCorrectionMode[] {LinearCorrectionMode.TRAINABLE,
                LinearCorrectionMode.NONE}) {
            IsotropicMlp net = net(dt, 1801, pm, 12, 10, 9, 8, 5);
            Tensor x = Nets.inputs(dt, 1802, 7, 12);
            Tensor y = net.predict(x);
            ContractAssertions.atMost("R18 " + dt + " " + pm, Invariance.maxDiff(y, UnrolledMlp.of(net).forward(x)),
                    Invariance.of(net, y));
        }
    }

    /** R19: bad arguments raise clear errors and leave network and optimiser unchanged. */
    @Test
    default void r19_badInputLeavesEverythingUnchanged() {
        IsotropicMlp net = net(DType.F64, 1901, LinearCorrectionMode.TRAINABLE, 6, 5, 4, 3);
        Adam opt = Adam.adamW(1e-2, 0);
        ForwardPass fp = net.forward(Nets.inputs(DType.F64, 1902, 3, 6));
        opt.step(net, net.backward(fp, Loss.CROSS_ENTROPY.evaluate(fp.logits(), new int[] {0, 1, 2}).gradient()));
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
        assertThrows(IllegalArgumentException.class, () -> Restructure.removeOutputs(net, 3, opt));
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
        Restructure.removeOutputs(net, 2, null);
        assertTrue(net.predict(x2).contentEquals(y), "R20: removing the new outputs restores the old logits");
    }

    /**
     * R21: on wide layers (width >= 96) a few neurons are removed through inverse iteration instead of a full SVD;
     * the removed singular values must be the k smallest and the kept spectrum unchanged (Weyl bound), for a
     * separated and for a smooth random spectrum, in both dtypes.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.isotropic.conformance.Cases#dtypes")
    default void r21_fewRemovalsOnWideLayersRemoveTheSmallest(DType dt) {
        for (int variant = 0; variant < 2; variant++) {
            for (int k : new int[] {1, 4}) {
                IsotropicMlp net = net(dt, 2101 + variant, LinearCorrectionMode.TRAINABLE, 200, 120, 40, 10);
                if (variant == 0) {
                    double[] sigma = new double[120];
                    for (int i = 0; i < 120; i++) {
                        sigma[i] = i < 116 ? 2.0 - i * 0.015 : 1e-3 * (120 - i); // 4 small values, well separated
                    }
                    net.replaceParameters(Map.of(ParameterNames.weightName(0),
                            Reference.withSingularValues(dt, 2103, 120, 200, sigma)));
                }
                double[] before = backend().singularValues(net.weight(0).to(DType.F64)).toDoubleArray();
                NeurodegenerationReport rep = Restructure.neurodegeneration(net, 0, k, null, null);
                if (variant == 0) {
                    assertTrue(rep.iterative(), "R21: a separated spectrum must take the iterative path");
                }
                double[] after = backend().singularValues(net.weight(0).to(DType.F64)).toDoubleArray();
                double norm = before[0];
                double tol = (Tolerance.LAPACK_THRESHOLD * 200 * DType.F64.epsilon() + 4 * Math.sqrt(200) * dt.unitRoundoff())
                        * norm * 4;
                String what = "R21 " + dt + (variant == 0 ? " separated" : " random") + " k=" + k;
                assertEquals(120 - k, after.length, what + ": width");
                for (int i = 0; i < after.length; i++) {
                    ContractAssertions.close(what + " kept sigma_" + i, after[i], before[i], new Tolerance(tol,
                            "Weyl: SVD backward errors of both decompositions and rounding W to the dtype"));
                }
                for (int r = 0; r < k; r++) {
                    ContractAssertions.close(what + " removed sigma " + r, rep.singularValues()[r], before[120 - k + r],
                            new Tolerance(tol, "the same bound"));
                }
            }
        }
    }

    /** R22: removing a biased scaffold neuron from a wide layer (width >= 96) restores the function exactly. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.isotropic.conformance.Cases#dtypes")
    default void r22_exactRemovalOnWideLayers(DType dt) {
        IsotropicMlp net = Nets.random(backend(), dt, 2201, ActivationKind.ISOTROPIC_TANH, IntrinsicLengthMode.TRAINABLE,
                LinearCorrectionMode.TRAINABLE, 160, 127, 100, 10);
        Restructure.neurogenesis(net, 0, 1, new Growth(false, 0.5, 2202), null); // unrotated: the new neuron is row 127
        net.bias(0).setFlat(127, -0.8);
        Tensor x = Nets.inputs(dt, 2203, 12, 160);
        Tensor y = net.predict(x);
        double o = net.intrinsicLength(0);
        NeurodegenerationReport rep = Restructure.neurodegeneration(net, 0, 1, null, x);
        assertTrue(rep.iterative(), "R22: one removal from a 128-wide layer takes the iterative path");
        assertEquals(127, net.widths()[1], "R22: width back to 127");
        ContractAssertions.atMost("R22 removed singular value", rep.singularValues()[0],
                new Tolerance(64 * 160 * DType.F64.unitRoundoff() * 10, "a null direction, to rounding"));
        assertInvariant("R22 " + dt, net, y, x);
        ContractAssertions.close("R22 " + dt + " o += beta^2", net.intrinsicLength(0), o + 0.64, new Tolerance(
                16 * dt.unitRoundoff() * (o + 0.64) * 15, "ln o stored in the dtype"));
    }
}
