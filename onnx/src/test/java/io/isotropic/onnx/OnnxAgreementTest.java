package io.isotropic.onnx;

import io.isotropic.Backends;
import io.isotropic.activation.IsoTanh;
import io.isotropic.adapt.Growth;
import io.isotropic.adapt.Restructure;
import io.isotropic.adapt.Sparsify;
import io.isotropic.data.Standardiser;
import io.isotropic.nn.ActivationKind;
import io.isotropic.nn.ForwardPass;
import io.isotropic.nn.IntrinsicLengthMode;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.nn.LinearCorrectionMode;
import io.isotropic.nn.MlpSpec;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The exported ONNX model, run by ONNX Runtime's CPU provider with default options, computes the same logits as
 * {@link IsotropicMlp#predict} (after the standardiser): every mode, both dtypes, element-wise tanh, inputs in the
 * small ball, and after neurogenesis, neurodegeneration and sparsification.
 *
 * <p>Agreement is measured per row: {@code max_i (max_j |y_ij - y'_ij| / max_j |y_ij|)} over the batch, where
 * {@code y} are the Java logits; it must be at most {@value #TOL_F32} (F32) or {@value #TOL_F64} (F64). The
 * per-batch figure {@code max |y - y'| / max |y|} is recorded too. Small-ball rows are checked separately: the
 * Java gain of every reached layer is the small-ball constant {@code c(o)}, and ONNX Runtime's gain (an extra
 * output of the test model) is the same number exactly.
 */
class OnnxAgreementTest {
    static final double TOL_F32 = 1e-5;
    static final double TOL_F64 = 1e-12;

    private static final Backend BE = Backends.get();
    private static final Map<String, double[]> RESULTS = new TreeMap<>();
    private static final int[] WIDTHS = {7, 9, 6, 5, 4};

    static Stream<Arguments> modes() {
        List<Arguments> a = new ArrayList<>();
        for (DType d : DType.values()) {
            for (IntrinsicLengthMode lm : IntrinsicLengthMode.values()) {
                for (LinearCorrectionMode pm : LinearCorrectionMode.values()) {
                    a.add(Arguments.of(d, lm, pm));
                }
            }
        }
        return a.stream();
    }

    /** o with which the small ball of every layer is reachable, per mode (negative only where o may be). */
    private static double smallO(IntrinsicLengthMode lm) {
        return switch (lm) {
            case NONE -> 0;
            case CONSTANT, TRAINABLE -> 1e-7;
            case TRAINABLE_SIGNED -> -0.05; // |o| > 0.01: c(o) = tanh(sqrt|o|)/sqrt|o| != 1, small ball on |z|^2 = 0.05
        };
    }

    @ParameterizedTest(name = "{0} o {1} psi {2}")
    @MethodSource("modes")
    void everyModeAgreesIncludingTheSmallBall(DType d, IntrinsicLengthMode lm, LinearCorrectionMode pm) throws Exception {
        MlpSpec spec = TestNets.spec(d, ActivationKind.ISOTROPIC_TANH, lm, pm);
        long seed = 31L * lm.ordinal() + pm.ordinal();
        IsotropicMlp net = TestNets.random(spec, WIDTHS, smallO(lm), seed, BE);
        Standardiser std = pm.ordinal() % 2 == 0 ? TestNets.standardiser(WIDTHS[0], seed) : null;
        check("modes/" + d + "/o=" + lm + "/psi=" + pm + (std != null ? "/std" : ""), net, std, seed, true);
    }

    @ParameterizedTest(name = "{0} o {1} psi {2} moderate o")
    @MethodSource("modes")
    void everyModeAgreesWithAModerateIntrinsicLength(DType d, IntrinsicLengthMode lm, LinearCorrectionMode pm)
            throws Exception {
        MlpSpec spec = TestNets.spec(d, ActivationKind.ISOTROPIC_TANH, lm, pm);
        long seed = 1000 + 31L * lm.ordinal() + pm.ordinal();
        IsotropicMlp net = TestNets.random(spec, new int[] {20, 16, 12, 10}, 0.3, seed, BE);
        check("moderate-o/" + d + "/o=" + lm + "/psi=" + pm, net, TestNets.standardiser(20, seed), seed, false);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    void freshlyInitialisedNetworksAgree(DType d) throws Exception {
        // the builder's defaults: o = 1e-6 (rho = sqrt(o) ~ eps on a zero pre-activation), psi and biases 0
        IsotropicMlp net = IsotropicMlp.builder(WIDTHS).dtype(d).seed(3).build(BE);
        check("fresh/" + d, net, null, 3, false);
        assertEquals(0.0, net.bias(0).maxAbs());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dtypes")
    void elementwiseTanhAgrees(DType d) throws Exception {
        MlpSpec spec = TestNets.spec(d, ActivationKind.ELEMENTWISE_TANH, IntrinsicLengthMode.NONE,
                LinearCorrectionMode.NONE);
        IsotropicMlp net = TestNets.random(spec, new int[] {20, 16, 12, 10}, 0, 77, BE);
        check("tanh/" + d, net, TestNets.standardiser(20, 77), 77, false);
        IsotropicMlp wide = TestNets.random(spec, new int[] {64, 48, 32, 10}, 0, 78, BE);
        check("tanh-wide/" + d, wide, null, 78, false);
    }

    static Stream<Arguments> restructuring() {
        List<Arguments> a = new ArrayList<>();
        for (DType d : DType.values()) {
            for (LinearCorrectionMode pm : LinearCorrectionMode.values()) {
                for (String op : List.of("neurogenesis", "neurodegeneration", "sparsify", "all")) {
                    a.add(Arguments.of(d, pm, op));
                }
            }
        }
        return a.stream();
    }

    @ParameterizedTest(name = "{0} psi {1} {2}")
    @MethodSource("restructuring")
    void restructuredNetworksAgree(DType d, LinearCorrectionMode pm, String op) throws Exception {
        IntrinsicLengthMode lm = IntrinsicLengthMode.values()[(pm.ordinal() + op.length()) % 4];
        MlpSpec spec = TestNets.spec(d, ActivationKind.ISOTROPIC_TANH, lm, pm);
        long seed = 500 + 7L * pm.ordinal() + op.length();
        int[] widths = {12, 10, 9, 8, 3};
        IsotropicMlp net = TestNets.random(spec, widths, smallO(lm), seed, BE);
        Standardiser std = TestNets.standardiser(widths[0], seed);
        Tensor sample = TestNets.tensor(d, TestNets.randomRows(32, widths[0], std, seed + 1));
        net.forward(std.apply(sample)); // EXPECTATION needs stored gains
        switch (op) {
            case "neurogenesis" -> {
                Restructure.neurogenesis(net, 0, 3, Growth.reference(seed), null);
                Restructure.neurogenesis(net, 2, 2, Growth.unrotated(seed), null);
            }
            case "neurodegeneration" -> {
                Restructure.neurodegeneration(net, 1, 3, null, std.apply(sample));
                Restructure.neurodegeneration(net, 0, 2, null, null);
            }
            case "sparsify" -> Sparsify.alternating(net, null);
            default -> {
                Restructure.neurogenesis(net, 1, 4, Growth.reference(seed), null);
                Restructure.neurodegeneration(net, 2, 2, null, null);
                Sparsify.alternating(net, null);
            }
        }
        check("restructured/" + d + "/psi=" + pm + "/o=" + lm + "/" + op, net, std, seed, true);
    }

    static Stream<DType> dtypes() {
        return Stream.of(DType.values());
    }

    @Test
    void aWideNetworkAgrees() throws Exception {
        for (DType d : DType.values()) {
            MlpSpec spec = TestNets.spec(d, ActivationKind.ISOTROPIC_TANH, IntrinsicLengthMode.TRAINABLE,
                    LinearCorrectionMode.TRAINABLE_DECAY);
            IsotropicMlp net = TestNets.random(spec, new int[] {64, 128, 96, 10}, 1e-7, 91, BE);
            check("wide/" + d, net, TestNets.standardiser(64, 91), 91, true);
        }
    }

    /**
     * Exports net, runs it with ONNX Runtime on random rows, the zero row, and (if design) rows in the small ball,
     * and asserts agreement with the Java forward pass.
     */
    private static void check(String name, IsotropicMlp net, Standardiser std, long seed, boolean design)
            throws Exception {
        int n0 = net.widths()[0];
        int activations = net.depth() - 1;
        boolean iso = net.activation() == ActivationKind.ISOTROPIC_TANH;
        double[][] random = TestNets.randomRows(40, n0, std, seed + 17);
        double[][] zero = {std == null ? new double[n0] : std.mean().clone()};
        double[][] ball = new double[0][];
        boolean[] reached = new boolean[activations];
        if (design && iso) {
            double[] xStar = TestNets.randomRows(1, n0, std, seed + 23)[0];
            reached = TestNets.designSmallBall(net, xStar, std, seed + 29);
            ball = new double[3][];
            ball[0] = xStar;
            for (int k = 1; k < 3; k++) {
                ball[k] = xStar.clone();
                ball[k][k % n0] += 1e-9 * k * (std == null ? 1 : 1 / std.invStd()[k % n0]);
            }
        }
        double[][] rows = TestNets.concat(ball, zero, random);
        Tensor x = TestNets.tensor(net.dtype(), rows);
        ForwardPass pass = net.forward(std == null ? x : std.apply(x));
        Tensor expected = pass.logits();

        byte[] model = iso ? Ort.withGainOutputs(OnnxExporter.build(net, std), net.dtype(), activations)
                : OnnxExporter.toBytes(net, std);
        List<String> outputs = new ArrayList<>(List.of(OnnxExporter.OUTPUT));
        if (iso) {
            outputs.addAll(Ort.gainNames(activations));
        }
        Map<String, Tensor> got = Ort.run(model, x, outputs);
        Tensor actual = got.get(OnnxExporter.OUTPUT);
        assertEquals(expected.shape(), actual.shape(), name + ": logits shape");

        double[] m = relativeDifference(expected, actual);
        double perRow = m[0];
        double perBatch = m[1];
        int reachedCount = 0;
        for (boolean r : reached) {
            reachedCount += r ? 1 : 0;
        }
        double tol = net.dtype() == DType.F64 ? TOL_F64 : TOL_F32;
        synchronized (RESULTS) {
            RESULTS.put(name, new double[] {perRow, perBatch, reachedCount, activations});
        }
        assertTrue(perRow <= tol, name + ": max relative logit difference per row " + perRow + " > " + tol);

        if (iso) {
            int ballRows = ball.length;
            for (int l = 0; l < activations; l++) {
                Tensor gj = pass.gain(l);
                Tensor go = got.get(Ort.gainName(l));
                double c = IsoTanh.smallBallFactor(net.intrinsicLength(l));
                double cd = net.dtype() == DType.F64 ? c : (float) c;
                double gtol = net.dtype() == DType.F64 ? 1e-14 : 1e-6;
                for (int i = 0; i < gj.size(); i++) {
                    if (i < ballRows && reached[l]) {
                        // inside the small ball both sides return the constant c(o), bit for bit
                        assertEquals(cd, gj.getFlat(i), 0.0, name + ": Java gain of small-ball row " + i + " layer " + l);
                        assertEquals(cd, go.getFlat(i), 0.0, name + ": ONNX gain of small-ball row " + i + " layer " + l);
                    } else {
                        assertEquals(gj.getFlat(i), go.getFlat(i), gtol * gj.getFlat(i), name + ": gain row " + i
                                + " layer " + l);
                    }
                }
            }
        }
    }

    /**
     * Max relative difference of logits: {@code [per row, per batch]}, per row being
     * {@code max_i max_j |e_ij - a_ij| / max_j |e_ij|} and per batch {@code max |e - a| / max |e|}.
     */
    static double[] relativeDifference(Tensor expected, Tensor actual) {
        double perRow = 0;
        double maxDiff = 0;
        double maxRef = 0;
        int cols = expected.cols();
        for (int i = 0; i < expected.rows(); i++) {
            double d = 0;
            double ref = 0;
            for (int j = 0; j < cols; j++) {
                d = Math.max(d, Math.abs(expected.get(i, j) - actual.get(i, j)));
                ref = Math.max(ref, Math.abs(expected.get(i, j)));
            }
            perRow = Math.max(perRow, ref == 0 ? (d == 0 ? 0 : Double.POSITIVE_INFINITY) : d / ref);
            maxDiff = Math.max(maxDiff, d);
            maxRef = Math.max(maxRef, ref);
        }
        return new double[] {perRow, maxRef == 0 ? (maxDiff == 0 ? 0 : Double.POSITIVE_INFINITY) : maxDiff / maxRef};
    }

    @Test
    void theComparisonSeesAChangeOfOneUlpScale() throws Exception {
        // guards against comparing a result with itself: a bias changed by 1e-6 relative after export is detected
        for (DType d : DType.values()) {
            MlpSpec spec = TestNets.spec(d, ActivationKind.ISOTROPIC_TANH, IntrinsicLengthMode.TRAINABLE,
                    LinearCorrectionMode.TRAINABLE);
            IsotropicMlp net = TestNets.random(spec, WIDTHS, 0.3, 5, BE);
            byte[] model = OnnxExporter.toBytes(net, null);
            Tensor x = TestNets.tensor(d, TestNets.randomRows(10, WIDTHS[0], null, 6));
            Tensor b = net.bias(3).copy();
            b.setFlat(0, b.getFlat(0) * (1 + 1e-5));
            net.replaceParameters(Map.of("layers.3.bias", b));
            double[] m = relativeDifference(net.predict(x), Ort.logits(model, x));
            assertTrue(m[0] > 1e-7, d + ": a changed bias was not seen: " + m[0]);
        }
    }

    @AfterAll
    static void report() throws IOException {
        StringBuilder sb = new StringBuilder("case\tmax relative difference per row\tper batch\tsmall-ball layers\n");
        double[] worst = new double[4];
        RESULTS.forEach((k, v) -> {
            sb.append(k).append('\t').append(String.format("%.3e", v[0])).append('\t')
                    .append(String.format("%.3e", v[1])).append('\t').append((int) v[2]).append('/')
                    .append((int) v[3]).append('\n');
            int o = k.contains("F64") ? 2 : 0;
            worst[o] = Math.max(worst[o], v[0]);
            worst[o + 1] = Math.max(worst[o + 1], v[1]);
        });
        sb.append(String.format("worst F32: per row %.3e, per batch %.3e; worst F64: per row %.3e, per batch %.3e (%d cases)%n",
                worst[0], worst[1], worst[2], worst[3], RESULTS.size()));
        Path out = Path.of("target", "onnx-agreement.tsv");
        Files.createDirectories(out.getParent());
        Files.writeString(out, sb);
        System.out.print(sb.substring(sb.lastIndexOf("worst")));
    }
}
