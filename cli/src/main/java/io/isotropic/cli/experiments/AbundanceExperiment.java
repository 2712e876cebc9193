package io.isotropic.cli.experiments;

import io.isotropic.adapt.Growth;
import io.isotropic.adapt.Metrics;
import io.isotropic.adapt.WidthSchedule;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.train.Adam;
import io.isotropic.train.EpochMetrics;
import io.isotropic.train.Trainer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Experiment 4 (method.md 11.4), scaled down: networks {@code [n_0, w, w, 10]} start at one width and are driven to
 * a target width by the width schedule (warm-up, linear adaptation, settling), for every (start, target) pair;
 * the question is whether starting over-abundant and pruning is at least as good as starting narrow.
 */
final class AbundanceExperiment {
    private AbundanceExperiment() {
    }

    static String run(ExperimentContext ctx) throws Exception {
        ExperimentContext.Data data = ctx.primary();
        int[] widths = ctx.quick() ? new int[] {8, 24} : new int[] {8, 16, 32, 64, 128};
        int warm = ctx.quick() ? 1 : 2;
        int adapt = ctx.quick() ? 2 : 8;
        int settle = ctx.quick() ? 1 : 2;
        int epochs = warm + adapt + settle;
        int repeats = ctx.quick() ? 1 : 2;
        int n0 = data.train().featureCount();
        int w = widths.length;
        double[][][] acc = new double[w][w][repeats];
        double[][][] best = new double[w][w][repeats];
        long[][] nonZero = new long[w][w];
        for (int si = 0; si < w; si++) {
            for (int ti = 0; ti < w; ti++) {
                for (int r = 0; r < repeats; r++) {
                    long seed = 170000 + 10000L * (si * w + ti) + r;
                    IsotropicMlp net = IsotropicMlp.builder(n0, widths[si], widths[si], 10).dtype(ctx.dtype())
                            .seed(seed).build(ctx.backend());
                    WidthSchedule schedule = new WidthSchedule(widths[si], widths[ti], warm, adapt, Growth.reference(seed));
                    List<EpochMetrics> h = Trainer.builder().epochs(epochs).batchSize(48).seed(seed).listener(schedule)
                            .build().fit(net, Adam.adamW(1e-3, 1e-3), data.train(), data.test());
                    acc[si][ti][r] = 100 * h.get(h.size() - 1).test().accuracy();
                    best[si][ti][r] = 100 * h.stream().mapToDouble(m -> m.test().accuracy()).max().orElse(0);
                    nonZero[si][ti] = Metrics.nonZeroCount(net, 1e-8);
                }
                ctx.log().printf("  abundance: %d -> %d: %.2f%%%n", widths[si], widths[ti], Stats.mean(acc[si][ti]));
                ctx.log().flush();
            }
        }
        Path dir = ctx.dir("abundance");
        Map<String, double[]> series = new LinkedHashMap<>();
        List<String> cats = new ArrayList<>();
        for (int t : widths) {
            cats.add("target " + t);
        }
        for (int si = 0; si < w; si++) {
            double[] y = new double[w];
            for (int ti = 0; ti < w; ti++) {
                y[ti] = Stats.mean(acc[si][ti]);
            }
            series.put("start " + widths[si], y);
        }
        Charts.bars(dir.resolve("accuracy.png"), "Final test accuracy by start and target width", "accuracy (%)", cats,
                series);
        StringBuilder md = new StringBuilder("## Experiment 4: neuroabundance\n\n");
        md.append(String.format(Locale.ROOT, "Data: %s. Networks %d-w-w-10 start at width S and are driven to T by the "
                        + "width schedule (%d warm-up, %d adaptation, %d settling epochs; every hidden layer, deepest "
                        + "first, with the optimiser state transformed). AdamW lr 1e-3, wd 1e-3, batch 48, o trainable, "
                        + "psi trainable+decay, %d repeat(s) (mean ± standard error). Final test accuracy in %%; the best "
                        + "start for each target in bold.%n%n", data.name(), n0, warm, adapt, settle, repeats));
        md.append("| start \\ target |");
        for (int t : widths) {
            md.append(' ').append(t).append(" |");
        }
        md.append("\n| ---: |").append(" ---: |".repeat(w)).append('\n');
        for (int si = 0; si < w; si++) {
            md.append("| ").append(widths[si]).append(" |");
            for (int ti = 0; ti < w; ti++) {
                boolean isBest = true;
                for (int o = 0; o < w; o++) {
                    isBest &= Stats.mean(acc[o][ti]) <= Stats.mean(acc[si][ti]);
                }
                String cell = Stats.format(acc[si][ti], "%.2f");
                md.append(' ').append(isBest ? "**" + cell + "**" : cell).append(" |");
            }
            md.append('\n');
        }
        int over = 0;
        int pairs = 0;
        for (int ti = 0; ti < w; ti++) {
            for (int si = ti + 1; si < w; si++) {
                pairs++;
                over += Stats.mean(acc[si][ti]) >= Stats.mean(acc[ti][ti]) ? 1 : 0;
            }
        }
        md.append(String.format(Locale.ROOT, "%nStarting wider than the target and pruning matched or beat training at the "
                + "target width from the start in %d of %d (start > target) pairs.%n%n", over, pairs));
        md.append("![accuracy](abundance/accuracy.png)\n\n");
        return md.toString();
    }
}
