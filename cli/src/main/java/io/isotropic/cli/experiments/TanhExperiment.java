package io.isotropic.cli.experiments;

import io.isotropic.nn.ActivationKind;
import io.isotropic.nn.IntrinsicLengthMode;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.nn.LinearCorrectionMode;
import io.isotropic.train.Adam;
import io.isotropic.train.EpochMetrics;
import io.isotropic.train.Trainer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Experiment 6 (method.md 11.6), scaled down: isotropic tanh ({@code o = 0}, no psi) against element-wise tanh in a
 * paired design: identical orthogonal initial weights and identical data order for both models.
 */
final class TanhExperiment {
    private TanhExperiment() {
    }

    static String run(ExperimentContext ctx) throws Exception {
        List<ExperimentContext.Data> sets = new ArrayList<>();
        sets.add(ctx.digits());
        if (!ctx.quick()) {
            ExperimentContext.Data f = ctx.fashion();
            if (f != null) {
                sets.add(f);
            }
        }
        int[] sizes = ctx.quick() ? new int[] {32} : new int[] {64, 256};
        int[] depths = ctx.quick() ? new int[] {2} : new int[] {2, 3};
        int repeats = ctx.quick() ? 1 : 3;
        StringBuilder md = new StringBuilder("## Experiment 6: isotropic tanh vs element-wise tanh\n\n");
        md.append(String.format(Locale.ROOT, "Paired design: for each repeat both models get the same orthogonal initial "
                + "weights and the same data order. Isotropic model: o = 0, no psi. AdamW lr 1e-3, wd 1e-3, batch 48; "
                + "digits %d epochs, Fashion-MNIST %d epochs; %d repeat(s), mean ± standard error; the difference is "
                + "isotropic minus element-wise, paired per repeat.%n%n", ctx.quick() ? 3 : 30, ctx.quick() ? 1 : 8,
                repeats));
        md.append("| data | hidden | isotropic final | element-wise final | difference | isotropic best | element-wise best |\n");
        md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
        Map<String, double[]> series = new LinkedHashMap<>();
        List<String> cats = new ArrayList<>();
        double[] isoMeans = new double[sets.size() * sizes.length * depths.length];
        double[] tanhMeans = new double[isoMeans.length];
        int cell = 0;
        for (ExperimentContext.Data data : sets) {
            int epochs = data.name().equals("digits") ? (ctx.quick() ? 3 : 30) : 8;
            for (int n : sizes) {
                for (int h : depths) {
                    double[][] fin = new double[2][repeats];
                    double[][] best = new double[2][repeats];
                    double[] diff = new double[repeats];
                    for (int r = 0; r < repeats; r++) {
                        int[] widths = new int[h + 2];
                        widths[0] = data.train().featureCount();
                        for (int i = 1; i <= h; i++) {
                            widths[i] = n;
                        }
                        widths[h + 1] = data.train().classes();
                        for (int m = 0; m < 2; m++) {
                            IsotropicMlp net = IsotropicMlp.builder(widths).dtype(ctx.dtype())
                                    .activation(m == 0 ? ActivationKind.ISOTROPIC_TANH : ActivationKind.ELEMENTWISE_TANH)
                                    .intrinsicLength(IntrinsicLengthMode.NONE, 0)
                                    .linearCorrection(LinearCorrectionMode.NONE, 0).seed(600 + r).build(ctx.backend());
                            List<EpochMetrics> hist = Trainer.builder().epochs(epochs).batchSize(48).seed(700 + r).build()
                                    .fit(net, Adam.adamW(1e-3, 1e-3), data.train(), data.test());
                            fin[m][r] = 100 * hist.get(hist.size() - 1).test().accuracy();
                            best[m][r] = 100 * hist.stream().mapToDouble(e -> e.test().accuracy()).max().orElse(0);
                        }
                        diff[r] = fin[0][r] - fin[1][r];
                    }
                    String hidden = n + " x " + h;
                    md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", data.name(), hidden,
                            Stats.format(fin[0], "%.2f"), Stats.format(fin[1], "%.2f"), Stats.format(diff, "%+.2f"),
                            Stats.format(best[0], "%.2f"), Stats.format(best[1], "%.2f")));
                    isoMeans[cell] = Stats.mean(fin[0]);
                    tanhMeans[cell] = Stats.mean(fin[1]);
                    cats.add(data.name() + " " + hidden);
                    cell++;
                    ctx.log().printf("  tanh: %s %s isotropic %.2f%% element-wise %.2f%%%n", data.name(), hidden,
                            Stats.mean(fin[0]), Stats.mean(fin[1]));
                    ctx.log().flush();
                }
            }
        }
        series.put("isotropic tanh", isoMeans);
        series.put("element-wise tanh", tanhMeans);
        Charts.bars(ctx.dir("tanh").resolve("accuracy.png"), "Final test accuracy", "accuracy (%)", cats, series);
        md.append("\n![accuracy](tanh/accuracy.png)\n\n");
        return md.toString();
    }
}
