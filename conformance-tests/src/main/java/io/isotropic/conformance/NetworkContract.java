package io.isotropic.conformance;

import io.isotropic.data.Dataset;
import io.isotropic.data.Datasets;
import io.isotropic.nn.ActivationKind;
import io.isotropic.nn.ForwardPass;
import io.isotropic.nn.Gradients;
import io.isotropic.nn.IntrinsicLengthMode;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.nn.ParameterNames;
import io.isotropic.nn.LinearCorrectionMode;
import io.isotropic.nn.Parameter;
import io.isotropic.oracle.Reference;
import io.isotropic.oracle.Tolerance;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.ShapeMismatchException;
import io.isotropic.tensor.Tensor;
import io.isotropic.train.Adam;
import io.isotropic.train.EpochMetrics;
import io.isotropic.train.LearningRateSchedule;
import io.isotropic.train.Loss;
import io.isotropic.train.LossValue;
import io.isotropic.train.Optimizer;
import io.isotropic.train.Sgd;
import io.isotropic.train.Trainer;
import io.isotropic.train.TrainingDivergedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Contracts N01-N10: isotropic networks and training (method.md sections 2-4 and 8; issue "networks and
 * training"): exact gradients against finite differences, psi modes, the psi penalty, optimiser steps, rotation
 * covariance, training determinism and accuracy on the shipped digits.
 */
public interface NetworkContract extends BackendFixture {

    /**
     * Mode combinations of the reference experiments plus the non-positive parameterisation and the baseline.
     *
     * @return (activation, o mode, psi mode)
     */
    static Stream<Arguments> modes() {
        return Stream.of(
                Arguments.of(ActivationKind.ISOTROPIC_TANH, IntrinsicLengthMode.TRAINABLE, LinearCorrectionMode.TRAINABLE),
                Arguments.of(ActivationKind.ISOTROPIC_TANH, IntrinsicLengthMode.TRAINABLE,
                        LinearCorrectionMode.TRAINABLE_DECAY),
                Arguments.of(ActivationKind.ISOTROPIC_TANH, IntrinsicLengthMode.TRAINABLE_SIGNED,
                        LinearCorrectionMode.CONSTANT),
                Arguments.of(ActivationKind.ISOTROPIC_TANH, IntrinsicLengthMode.CONSTANT, LinearCorrectionMode.NONE),
                Arguments.of(ActivationKind.ISOTROPIC_TANH, IntrinsicLengthMode.NONE, LinearCorrectionMode.EXPECTATION),
                Arguments.of(ActivationKind.ELEMENTWISE_TANH, IntrinsicLengthMode.NONE, LinearCorrectionMode.NONE));
    }

    private static double totalLoss(IsotropicMlp net, Tensor x, int[] y) {
        return Loss.CROSS_ENTROPY.evaluate(net.predict(x), y).loss() + net.psiPenalty();
    }

    /**
     * N01: every gradient (weights, biases, psi, intrinsic lengths; loss = cross-entropy + psi penalty) equals
     * central finite differences in F64, relative error below 1e-6.
     *
     * @param act activation
     * @param oMode intrinsic-length mode
     * @param psiMode psi mode
     */
    @ParameterizedTest(name = "{0} o={1} psi={2}")
    @MethodSource("io.isotropic.conformance.NetworkContract#modes")
    default void n01_gradientsMatchFiniteDifferences(ActivationKind act, IntrinsicLengthMode oMode,
                                                     LinearCorrectionMode psiMode) {
        IsotropicMlp net = Nets.random(backend(), DType.F64, 11, act, oMode, psiMode, 5, 7, 6, 4, 3);
        Tensor x = Nets.inputs(DType.F64, 12, 6, 5);
        int[] y = {0, 2, 1, 1, 0, 2};
        ForwardPass fp = net.forward(x);
        LossValue lv = Loss.CROSS_ENTROPY.evaluate(fp.logits(), y);
        Gradients g = net.backward(fp, lv.gradient());
        net.addPsiPenaltyGradient(g);
        double gmax = 0;
        for (Tensor t : g.asMap().values()) {
            gmax = Math.max(gmax, t.maxAbs());
        }
        double delta = 1e-6;
        for (Parameter p : net.parameters()) {
            Tensor grad = g.get(p.name());
            if (!p.trainable()) {
                assertEquals(null, grad, "N01: frozen parameter " + p.name() + " must get no gradient");
                continue;
            }
            // central differences: error ~ delta^2 |L'''| + u |L| / delta ~ 1e-10; relative floor 1e-3 of the largest
            double scale = Math.max(grad.maxAbs(), 1e-3 * gmax);
            for (int i = 0; i < p.value().size(); i++) {
                double old = p.value().getFlat(i);
                p.value().setFlat(i, old + delta);
                double lp = totalLoss(net, x, y);
                p.value().setFlat(i, old - delta);
                double lm = totalLoss(net, x, y);
                p.value().setFlat(i, old);
                double fd = (lp - lm) / (2 * delta);
                ContractAssertions.close("N01 " + act + " o=" + oMode + " psi=" + psiMode + " d/d" + p.name() + "[" + i + "]",
                        grad.getFlat(i), fd, new Tolerance(1e-6 * scale, "relative error 1e-6 of the tensor's largest"
                                + " gradient; central differences err ~1e-10"));
            }
        }
    }

    /** N02: psi modes with all psi = 0 give bit-identical outputs to mode NONE (method.md 13.2 item 6). */
    @Test
    default void n02_zeroPsiEqualsNone() {
        for (DType dt : DType.values()) {
            Tensor x = Nets.inputs(dt, 21, 9, 6);
            Tensor ref = IsotropicMlp.builder(6, 8, 7, 4).dtype(dt).linearCorrection(LinearCorrectionMode.NONE, 0)
                    .seed(3).build(backend()).predict(x);
            for (LinearCorrectionMode m : new LinearCorrectionMode[] {LinearCorrectionMode.CONSTANT,
                    LinearCorrectionMode.TRAINABLE, LinearCorrectionMode.TRAINABLE_DECAY,
                    LinearCorrectionMode.EXPECTATION}) {
                Tensor out = IsotropicMlp.builder(6, 8, 7, 4).dtype(dt).linearCorrection(m, 0.1).seed(3)
                        .build(backend()).predict(x);
                assertTrue(out.contentEquals(ref), "N02 " + dt + " " + m + " with psi = 0 differs from NONE");
            }
        }
    }

    /** N03: the TRAINABLE_DECAY penalty is {@code lambda sum |psi|^2} and its gradient {@code 2 lambda psi}. */
    @Test
    default void n03_psiDecayPenalty() {
        IsotropicMlp net = Nets.random(backend(), DType.F64, 31, ActivationKind.ISOTROPIC_TANH,
                IntrinsicLengthMode.TRAINABLE, LinearCorrectionMode.TRAINABLE_DECAY, 4, 5, 6, 3);
        double sum = 0;
        for (int l = 0; l < net.depth() - 1; l++) {
            for (int i = 0; i < net.psi(l).size(); i++) {
                sum += net.psi(l).getFlat(i) * net.psi(l).getFlat(i);
            }
        }
        ContractAssertions.close("N03 penalty", net.psiPenalty(), 0.1 * sum, new Tolerance(1e-15 * sum, "a few roundings"));
        Gradients g = new Gradients();
        for (int l = 0; l < net.depth() - 1; l++) {
            g.put(ParameterNames.psiName(l), Tensor.zeros(DType.F64, net.psi(l).size()));
        }
        net.addPsiPenaltyGradient(g);
        for (int l = 0; l < net.depth() - 1; l++) {
            for (int i = 0; i < net.psi(l).size(); i++) {
                assertEquals(0.2 * net.psi(l).getFlat(i), g.get(ParameterNames.psiName(l)).getFlat(i), 1e-16,
                        "N03 gradient of psi." + l + "[" + i + "]");
            }
        }
        IsotropicMlp plain = Nets.random(backend(), DType.F64, 31, ActivationKind.ISOTROPIC_TANH,
                IntrinsicLengthMode.TRAINABLE, LinearCorrectionMode.TRAINABLE, 4, 5, 6, 3);
        assertEquals(0.0, plain.psiPenalty(), "N03: no penalty outside TRAINABLE_DECAY");
    }

    /**
     * N04: optimiser steps on a network equal hand-computed values: SGD with momentum (two steps), Adam and AdamW
     * (one step), for a gradient of 0.5 everywhere.
     */
    @Test
    default void n04_optimiserStepsMatchHandComputation() {
        for (DType dt : DType.values()) {
            double u = dt.unitRoundoff();
            record Case(String name, Optimizer opt, int steps, double from1) { }
            List<Case> cases = List.of(
                    // buf = 0.5, p = 1 - 0.05 = 0.95; buf = 0.9 * 0.5 + 0.5 = 0.95, p = 0.95 - 0.095 = 0.855
                    new Case("sgd momentum", new Sgd(LearningRateSchedule.constant(0.1), 0.9, 0, false), 2, 0.855),
                    // m_hat = 0.5, sqrt(v_hat) = 0.5: p = 1 - 0.1 * 0.5 / (0.5 + 1e-8)
                    new Case("adam", Adam.adam(0.1, 0), 1, 1 - 0.1 * 0.5 / (0.5 + 1e-8)),
                    // decoupled decay first: p = 1 * (1 - 0.1 * 0.01) - 0.1 * 0.5 / (0.5 + 1e-8)
                    new Case("adamw", Adam.adamW(0.1, 0.01), 1, 0.999 - 0.1 * 0.5 / (0.5 + 1e-8)));
            for (Case c : cases) {
                IsotropicMlp net = IsotropicMlp.builder(2, 3, 2).dtype(dt)
                        .intrinsicLength(IntrinsicLengthMode.TRAINABLE_SIGNED, 1.0)
                        .linearCorrection(LinearCorrectionMode.TRAINABLE, 0).build(backend());
                for (Parameter p : net.parameters()) {
                    p.value().fill(1.0);
                }
                for (int s = 0; s < c.steps(); s++) {
                    Gradients g = new Gradients();
                    for (Parameter p : net.parameters()) {
                        g.put(p.name(), Tensor.zeros(dt, p.value().shape()).fill(0.5));
                    }
                    c.opt().step(net, g);
                }
                for (Parameter p : net.parameters()) {
                    for (int i = 0; i < p.value().size(); i++) {
                        ContractAssertions.close("N04 " + dt + " " + c.name() + " " + p.name(), p.value().getFlat(i), c.from1(),
                                new Tolerance(32 * u, "about 10 roundings on values of order 1, plus beta's conditioning"));
                    }
                }
                assertEquals(c.steps(), c.opt().steps(), "N04 step count");
                assertEquals(c.steps(), c.opt().states().get(ParameterNames.weightName(0)).step(), "N04 per-parameter step");
            }
        }
    }

    /**
     * N05: rotating a hidden space by an orthogonal O (method.md section 4) leaves the logits unchanged and rotates
     * the gradients covariantly; untouched parameters keep their gradients.
     */
    @Test
    default void n05_rotationCovariance() {
        Backend be = backend();
        for (int space = 1; space <= 2; space++) {
            IsotropicMlp net = Nets.random(be, DType.F64, 51, ActivationKind.ISOTROPIC_TANH,
                    IntrinsicLengthMode.TRAINABLE, LinearCorrectionMode.TRAINABLE, 5, 6, 7, 4);
            Tensor x = Nets.inputs(DType.F64, 52, 8, 5);
            int[] y = {0, 1, 2, 3, 3, 2, 1, 0};
            int n = net.widths()[space];
            Tensor o = Tensor.wrap(Reference.randomOrthogonal(n, new SplittableRandom(53 + space)), n, n);
            IsotropicMlp rot = net.copy();
            Map<String, Tensor> repl = new HashMap<>();
            int j = space;
            repl.put(ParameterNames.weightName(j - 1), be.matmul(o, net.weight(j - 1)));
            repl.put(ParameterNames.biasName(j - 1), be.matmul(o, net.bias(j - 1).reshape(n, 1)).reshape(n));
            if (j >= 2) {
                repl.put(ParameterNames.psiName(j - 2), be.matmul(o, net.psi(j - 2).reshape(n, 1)).reshape(n));
            }
            repl.put(ParameterNames.weightName(j), be.matmul(net.weight(j), false, o, true));
            rot.replaceParameters(repl);
            ForwardPass f0 = net.forward(x);
            ForwardPass f1 = rot.forward(x);
            double scale = 1 + f0.logits().maxAbs();
            double tol = 8 * 7 * DType.F64.unitRoundoff() * scale * 4;
            for (int i = 0; i < f0.logits().size(); i++) {
                ContractAssertions.close("N05 space " + j + " logits[" + i + "]", f1.logits().getFlat(i), f0.logits().getFlat(i),
                        new Tolerance(tol, "c n u (1 + |y|), c = 32: four products with O per path"));
            }
            Gradients g0 = net.backward(f0, Loss.CROSS_ENTROPY.evaluate(f0.logits(), y).gradient());
            Gradients g1 = rot.backward(f1, Loss.CROSS_ENTROPY.evaluate(f1.logits(), y).gradient());
            Map<String, Tensor> expected = new HashMap<>(g0.asMap());
            expected.put(ParameterNames.weightName(j - 1), be.matmul(o, g0.get(ParameterNames.weightName(j - 1))));
            expected.put(ParameterNames.biasName(j - 1),
                    be.matmul(o, g0.get(ParameterNames.biasName(j - 1)).reshape(n, 1)).reshape(n));
            if (j >= 2) {
                expected.put(ParameterNames.psiName(j - 2),
                        be.matmul(o, g0.get(ParameterNames.psiName(j - 2)).reshape(n, 1)).reshape(n));
            }
            expected.put(ParameterNames.weightName(j), be.matmul(g0.get(ParameterNames.weightName(j)), false, o, true));
            for (Map.Entry<String, Tensor> e : expected.entrySet()) {
                Tensor got = g1.get(e.getKey());
                double gs = 1 + e.getValue().maxAbs();
                for (int i = 0; i < got.size(); i++) {
                    ContractAssertions.close("N05 space " + j + " gradient " + e.getKey() + "[" + i + "]", got.getFlat(i),
                            e.getValue().getFlat(i), new Tolerance(64 * 7 * DType.F64.unitRoundoff() * gs,
                                    "c n u (1 + |g|), c = 64: the backward pass adds four more products"));
                }
            }
        }
    }

    /** N06: mode EXPECTATION stores the gains of the last forward pass; their mean is reported. */
    @Test
    default void n06_expectationStoresGains() {
        IsotropicMlp net = Nets.random(backend(), DType.F64, 61, ActivationKind.ISOTROPIC_TANH,
                IntrinsicLengthMode.NONE, LinearCorrectionMode.EXPECTATION, 4, 5, 3);
        assertThrows(IllegalStateException.class, () -> net.meanStoredGain(0), "N06: no forward pass yet");
        ForwardPass fp = net.forward(Nets.inputs(DType.F64, 62, 7, 4));
        double mean = 0;
        for (int i = 0; i < 7; i++) {
            mean += fp.gain(0).getFlat(i) / 7;
        }
        assertEquals(mean, net.meanStoredGain(0), 1e-15, "N06 mean stored gain");
    }

    /** N07: training is deterministic for a fixed seed (bit-identical parameters after two runs). */
    @Test
    default void n07_trainingIsDeterministic() {
        Dataset data = Datasets.digits(DType.F32).head(300);
        data = data.standardise(data.fitStandardiser());
        Tensor[] finals = new Tensor[2];
        for (int run = 0; run < 2; run++) {
            IsotropicMlp net = IsotropicMlp.builder(64, 16, 12, 10).seed(7).build(backend());
            Trainer.builder().epochs(2).batchSize(32).seed(9).build().fit(net, Adam.adamW(1e-2, 1e-3), data, null);
            finals[run] = net.weight(1);
        }
        assertTrue(finals[0].contentEquals(finals[1]), "N07: two identical runs gave different weights");
    }

    /**
     * N08: the isotropic MLP 64-64-64-10 trained on the shipped digits (80/20 split, standardised on the training
     * part, AdamW with a cosine schedule from 5e-3, 30 epochs, fixed seeds) reaches at least 95% test accuracy
     * (measured 95.8% for four shuffling seeds on EJML).
     */
    @Test
    default void n08_digitsReachNinetyFivePercent() {
        Dataset.Split split = Datasets.digits(DType.F32).split(0.2, 2026);
        var std = split.train().fitStandardiser();
        Dataset train = split.train().standardise(std);
        Dataset test = split.test().standardise(std);
        IsotropicMlp net = IsotropicMlp.builder(64, 64, 64, 10).seed(1).build(backend());
        long steps = 30L * ((train.size() + 47) / 48);
        Optimizer opt = new Adam(LearningRateSchedule.cosine(5e-3, steps, 0), 0.9, 0.999, 1e-8, 1e-3, true);
        List<EpochMetrics> h = Trainer.builder().epochs(30).batchSize(48).seed(2).build().fit(net, opt, train, test);
        double acc = h.get(h.size() - 1).test().accuracy();
        assertTrue(acc >= 0.95, "N08: test accuracy " + acc + " < 0.95 on digits");
    }

    /** N09: bad input to networks and training is rejected with clear errors and leaves the network unchanged. */
    @Test
    default void n09_badInput() {
        Backend be = backend();
        IsotropicMlp net = IsotropicMlp.builder(4, 5, 3).dtype(DType.F64).build(be);
        Tensor w0 = net.weight(0).copy();
        assertThrows(ShapeMismatchException.class, () -> net.forward(Tensor.zeros(DType.F64, 2, 5)));
        assertThrows(IllegalArgumentException.class, () -> net.forward(Tensor.zeros(DType.F32, 2, 4)));
        Tensor nan = Tensor.zeros(DType.F64, 1, 4);
        nan.setFlat(2, Double.NaN);
        assertThrows(io.isotropic.tensor.NonFiniteValueException.class, () -> net.forward(nan));
        assertThrows(IllegalArgumentException.class, () -> IsotropicMlp.builder(4, 3));
        assertThrows(IllegalArgumentException.class, () -> IsotropicMlp.builder(4, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> IsotropicMlp.builder(4, 5, 3)
                .activation(ActivationKind.ELEMENTWISE_TANH).build(be));
        assertThrows(IllegalArgumentException.class, () -> IsotropicMlp.builder(4, 5, 3)
                .intrinsicLength(IntrinsicLengthMode.TRAINABLE, 0).build(be));
        // an inconsistent replacement (W_0 with 6 rows, b_0 still 5) changes nothing
        Map<String, Tensor> bad = Map.of(ParameterNames.weightName(0), Tensor.zeros(DType.F64, 6, 4));
        assertThrows(ShapeMismatchException.class, () -> net.replaceParameters(bad));
        assertThrows(IllegalArgumentException.class,
                () -> net.replaceParameters(Map.of("layers.9.weight", Tensor.zeros(DType.F64, 1, 1))));
        assertTrue(net.weight(0).contentEquals(w0), "N09: a rejected replacement changed the network");
        assertThrows(IndexOutOfBoundsException.class, () -> net.psi(1));
        Dataset d = Datasets.digits(DType.F64).head(10);
        assertThrows(ShapeMismatchException.class,
                () -> Trainer.builder().build().fit(net, Adam.adamW(1e-3, 0), d, null));
    }

    /** N10: a diverging run stops with an error naming the step and the first non-finite parameter. */
    @Test
    default void n10_divergenceIsReported() {
        Dataset d = Datasets.digits(DType.F64).head(64);
        IsotropicMlp net = IsotropicMlp.builder(64, 8, 10).dtype(DType.F64).build(backend());
        TrainingDivergedException e = assertThrows(TrainingDivergedException.class,
                () -> Trainer.builder().epochs(3).batchSize(16).build()
                        .fit(net, new Sgd(LearningRateSchedule.constant(1e300), 0, 0, false), d, null));
        assertTrue(e.getMessage().contains("step 1") && e.getMessage().contains("first non-finite parameter: "),
                e.getMessage());
    }

    /**
     * N11: orthogonal initialisation through the backend's products (CholeskyQR2) gives orthonormal rows or columns,
     * and it is the Q factor with a positive-diagonal R of the Gaussian draw (the Haar recipe), which is unique:
     * {@code R = Q^T A} is upper triangular with a positive diagonal. Tolerances: CholeskyQR2 is backward stable with
     * orthogonality error of order {@code n u} for condition numbers below {@code u^{-1/2}} (a Gaussian matrix's is of
     * order its size), so {@code |Q^T Q - I|_max <= 64 n u} and the strictly lower part of R is at most
     * {@code 64 n u |A|_max sqrt(m)}.
     */
    @Test
    default void n11_orthogonalInitialisation() {
        double u = DType.F64.unitRoundoff();
        for (int[] sh : new int[][] {{1, 1}, {1, 5}, {5, 1}, {5, 5}, {3, 8}, {8, 3}, {64, 100}, {130, 70}, {257, 257}}) {
            int rows = sh[0];
            int cols = sh[1];
            Tensor q = io.isotropic.linalg.Orthogonal.random(rows, cols, new SplittableRandom(rows * 1000L + cols),
                    backend());
            SplittableRandom again = new SplittableRandom(rows * 1000L + cols);
            Tensor a = Tensor.zeros(DType.F64, rows, cols);
            for (int i = 0; i < a.size(); i++) {
                a.setFlat(i, again.nextGaussian());
            }
            boolean wide = rows < cols;
            Tensor qt = wide ? q.transpose() : q; // tall m x n
            Tensor at = wide ? a.transpose() : a;
            int m = qt.rows();
            int n = qt.cols();
            Tensor gram = backend().matmul(qt, true, qt, false);
            Tensor r = backend().matmul(qt, true, at, false);
            double orth = 0;
            double lower = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    orth = Math.max(orth, Math.abs(gram.get(i, j) - (i == j ? 1 : 0)));
                    if (i > j) {
                        lower = Math.max(lower, Math.abs(r.get(i, j)));
                    }
                }
                assertTrue(r.get(i, i) > 0, "N11 " + rows + "x" + cols + ": R_" + i + i + " = " + r.get(i, i)
                        + " must be positive (Haar sign convention)");
            }
            ContractAssertions.atMost("N11 " + rows + "x" + cols + " |Q^T Q - I|_max", orth,
                    new Tolerance(64 * m * u, "CholeskyQR2 orthogonality, 64 n u"));
            ContractAssertions.atMost("N11 " + rows + "x" + cols + " strictly lower part of Q^T A", lower,
                    new Tolerance(64 * m * u * a.maxAbs() * Math.sqrt(m), "backward error 64 n u |A| sqrt(m)"));
        }
    }
}
