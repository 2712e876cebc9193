package io.isotropic.cli.experiments;

import io.isotropic.adapt.Growth;
import io.isotropic.adapt.Metrics;
import io.isotropic.adapt.Restructure;
import io.isotropic.nn.IntrinsicLengthMode;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.nn.LinearCorrectionMode;
import io.isotropic.tensor.Tensor;
import io.isotropic.train.Adam;
import io.isotropic.train.Evaluation;
import io.isotropic.train.Loss;
import io.isotropic.train.Trainer;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Experiment 1 (method.md 11.1), scaled down: train with each of the seven (o, psi) combinations, then from a copy
 * fully diagonalise layer 1 and grow or prune hidden layer 2 by k neurons without retraining, and measure the
 * change of accuracy, epsilon_scaled, D_KL and of the layer's singular-value sum on the test set.
 */
final class InvarianceExperiment {
    private InvarianceExperiment() {
    }

    static final Object[][] COMBINATIONS = {
        {IntrinsicLengthMode.NONE, LinearCorrectionMode.TRAINABLE_DECAY},
        {IntrinsicLengthMode.CONSTANT, LinearCorrectionMode.TRAINABLE_DECAY},
        {IntrinsicLengthMode.TRAINABLE, LinearCorrectionMode.TRAINABLE_DECAY},
        {IntrinsicLengthMode.TRAINABLE, LinearCorrectionMode.NONE},
        {IntrinsicLengthMode.TRAINABLE, LinearCorrectionMode.CONSTANT},
        {IntrinsicLengthMode.TRAINABLE, LinearCorrectionMode.TRAINABLE},
        {IntrinsicLengthMode.TRAINABLE, LinearCorrectionMode.EXPECTATION},
    };

    static String label(Object[] c) {
        return "o " + c[0].toString().toLowerCase(Locale.ROOT) + ", psi "
                + c[1].toString().toLowerCase(Locale.ROOT).replace("trainable_decay", "trainable+decay");
    }

    static String run(ExperimentContext ctx) throws Exception {
        ExperimentContext.Data data = ctx.primary();
        int width = ctx.quick() ? 32 : 100;
        int[] ks = ctx.quick() ? new int[] {16, 8, 1, 0, -1, -8, -16} : new int[] {75, 50, 25, 5, 1, 0, -1, -5, -25, -50, -75};
        int repeats = ctx.quick() ? 1 : 3;
        int epochs = ctx.quick() ? 2 : 5;
        int n0 = data.train().featureCount();
        Path dir = ctx.dir("invariance");
        int combos = COMBINATIONS.length;
        double[][][] eps = new double[combos][ks.length][repeats];
        double[][][] kl = new double[combos][ks.length][repeats];
        double[][][] dacc = new double[combos][ks.length][repeats];
        double[][][] dsig = new double[combos][ks.length][repeats];
        double[][] baseAcc = new double[combos][repeats];
        for (int c = 0; c < combos; c++) {
            for (int r = 0; r < repeats; r++) {
                IsotropicMlp net = IsotropicMlp.builder(n0, width, width, 10).dtype(ctx.dtype())
                        .intrinsicLength((IntrinsicLengthMode) COMBINATIONS[c][0], 1e-6)
                        .linearCorrection((LinearCorrectionMode) COMBINATIONS[c][1], 0.1).seed(1000 + r)
                        .build(ctx.backend());
                Trainer.builder().epochs(epochs).batchSize(48).seed(2000 + r).build()
                        .fit(net, Adam.adamW(1e-3, 1e-3), data.train(), null);
                Tensor pre = net.predict(data.test().features()); // also stores EXPECTATION gains (whole test set)
                double a0 = Evaluation.of(net, data.test(), data.test().size(), Loss.CROSS_ENTROPY).accuracy();
                baseAcc[c][r] = a0;
                double sigma0 = sum(ctx.backend().singularValues(net.weight(1).to(io.isotropic.tensor.DType.F64)));
                for (int ki = 0; ki < ks.length; ki++) {
                    IsotropicMlp copy = net.copy();
                    Restructure.fullDiagonalise(copy, 1, null);
                    int k = ks[ki];
                    if (k > 0) {
                        Restructure.neurogenesis(copy, 1, k, Growth.reference(3000 + r), null);
                    } else if (k < 0) {
                        Restructure.neurodegeneration(copy, 1, -k, null, null);
                    }
                    Tensor post = copy.predict(data.test().features());
                    eps[c][ki][r] = Metrics.epsilonScaled(pre, post);
                    kl[c][ki][r] = Metrics.klDivergence(pre, post);
                    dacc[c][ki][r] = 100 * (Evaluation.of(copy, data.test(), data.test().size(), Loss.CROSS_ENTROPY)
                            .accuracy() - a0);
                    dsig[c][ki][r] = sigma0 - sum(ctx.backend().singularValues(
                            copy.weight(1).to(io.isotropic.tensor.DType.F64)));
                }
                ctx.log().printf("  invariance: %s repeat %d done (accuracy %.2f%%)%n", label(COMBINATIONS[c]), r + 1,
                        100 * a0);
                ctx.log().flush();
            }
        }
        StringBuilder md = new StringBuilder();
        md.append("## Experiment 1: neuroadaptive invariance\n\n");
        md.append(String.format(Locale.ROOT, "Data: %s (%d train, %d test). Network %d-%d-%d-10, AdamW lr 1e-3, wd 1e-3, "
                        + "batch 48, %d epochs, %d repeat(s) per combination (mean ± standard error). After training, a "
                        + "copy is fully diagonalised at layer 1 and hidden layer 2 is resized by k (neurogenesis k > 0, "
                        + "neurodegeneration k < 0, no retraining); the change is measured on the whole test set. "
                        + "EXPECTATION uses the mean gain of the test pass.%n%n", data.name(), data.train().size(),
                data.test().size(), n0, width, width, epochs, repeats));
        md.append("Baseline test accuracy: ");
        for (int c = 0; c < combos; c++) {
            md.append(c == 0 ? "" : "; ").append(label(COMBINATIONS[c])).append(' ')
                    .append(Stats.format(Stats.scale(baseAcc[c], 100), "%.2f")).append('%');
        }
        md.append("\n\n");
        md.append(table("epsilon_scaled (%) of the logits", ks, eps, "%.2e"));
        md.append(table("D_KL (nats) between softmax outputs", ks, kl, "%.2e"));
        md.append(table("change of test accuracy (points)", ks, dacc, "%.2f"));
        md.append(table("Sigma sigma before - after (layer 1)", ks, dsig, "%.3g"));
        Map<String, double[]> series = new LinkedHashMap<>();
        double[] x = new double[ks.length];
        for (int i = 0; i < ks.length; i++) {
            x[i] = ks[i];
        }
        for (int c = 0; c < combos; c++) {
            double[] y = new double[ks.length];
            for (int i = 0; i < ks.length; i++) {
                y[i] = Stats.mean(eps[c][i]);
            }
            series.put(label(COMBINATIONS[c]), y);
        }
        Charts.lines(dir.resolve("epsilon-scaled.png"), "epsilon_scaled after resizing hidden layer 2 by k",
                "k (neurons added; negative: removed)", "epsilon_scaled (%)", x, series, true);
        md.append("![epsilon_scaled](invariance/epsilon-scaled.png)\n\n");
        md.append("Neurogenesis (k >= 0) changes nothing beyond rounding in every mode. Neurodegeneration is exact only "
                + "for removed directions with zero singular value and zero incoming psi; here the removed singular "
                + "values are those of trained layers, so the change grows with k and is smallest where o and psi "
                + "absorb the removed neurons' biases.\n\n");
        return md.toString();
    }

    private static double sum(Tensor t) {
        double s = 0;
        for (int i = 0; i < t.size(); i++) {
            s += t.getFlat(i);
        }
        return s;
    }

    private static String table(String title, int[] ks, double[][][] v, String fmt) {
        StringBuilder sb = new StringBuilder("### ").append(title).append("\n\n| k |");
        for (Object[] c : COMBINATIONS) {
            sb.append(' ').append(label(c)).append(" |");
        }
        sb.append("\n| ---: |");
        sb.append(" ---: |".repeat(COMBINATIONS.length));
        sb.append('\n');
        for (int i = 0; i < ks.length; i++) {
            sb.append("| ").append(ks[i] > 0 ? "+" + ks[i] : Integer.toString(ks[i])).append(" |");
            for (int c = 0; c < COMBINATIONS.length; c++) {
                sb.append(' ').append(Stats.format(v[c][i], fmt)).append(" |");
            }
            sb.append('\n');
        }
        return sb.append('\n').toString();
    }
}
