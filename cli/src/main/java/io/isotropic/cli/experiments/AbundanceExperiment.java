package io.isotropic.cli.experiments;

import io.isotropic.adapt.Controller;
import io.isotropic.adapt.Growth;
import io.isotropic.adapt.Metrics;
import io.isotropic.adapt.WidthSchedule;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.spi.Backend;
import io.isotropic.train.Adam;
import io.isotropic.train.EpochMetrics;
import io.isotropic.train.Trainer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Experiment 4 (method.md 11.4): networks {@code [n_0, w, w, 10]} start at one width and are driven to a target
 * width by the width schedule (warm-up, linear adaptation, settling), for every (start, target) pair; the question is
 * whether starting over-abundant and pruning is at least as good as starting at the target width. Every repeat of
 * every pair is one run of {@link Runs}; the conclusions are computed by {@link #conclusions}.
 */
final class AbundanceExperiment {
    private AbundanceExperiment() {
    }

    /**
     * One run.
     *
     * @param start starting width
     * @param target target width
     * @param repeat repeat index
     * @param finalAccuracy test accuracy after the last epoch, percent
     * @param bestAccuracy best test accuracy over the epochs, percent
     * @param accuracy test accuracy per epoch, percent
     * @param finalWidths hidden widths at the end
     * @param nonZero parameters with {@code |theta| > 1e-8} at the end
     * @param parameters all parameters at the end
     * @param neuroOps neurons added or removed over the run
     * @param seconds wall time
     */
    record RunRecord(int start, int target, int repeat, double finalAccuracy, double bestAccuracy, double[] accuracy,
                     int[] finalWidths, long nonZero, long parameters, int neuroOps, double seconds) {
    }

    /** The experiment's scale: widths, the schedule's three phases, repeats. */
    record Scale(int[] widths, int warm, int adapt, int settle, int repeats) {
        int epochs() {
            return warm + adapt + settle;
        }
    }

    static Scale scale(ExperimentContext ctx) {
        return ctx.quick() ? new Scale(new int[] {8, 24}, 1, 2, 1, ctx.repeats(1))
                : new Scale(new int[] {7, 10, 25, 50, 75, 100}, 15, 75, 10, ctx.repeats(5));
    }

    static String run(ExperimentContext ctx) throws IOException {
        ExperimentContext.Data data = ctx.primary();
        Scale sc = scale(ctx);
        int[] widths = sc.widths();
        List<Runs.Job<RunRecord>> jobs = new ArrayList<>();
        for (int si = 0; si < widths.length; si++) {
            for (int ti = 0; ti < widths.length; ti++) {
                for (int r = 0; r < sc.repeats(); r++) {
                    long seed = 170000 + 10000L * (si * widths.length + ti) + r;
                    int s = widths[si];
                    int t = widths[ti];
                    int rr = r;
                    jobs.add(new Runs.Job<>("s" + s + "-t" + t + "-r" + r, be -> train(be, ctx, data, sc, s, t, rr, seed)));
                }
            }
        }
        Path dir = ctx.dir("abundance");
        long t0 = System.nanoTime();
        List<RunRecord> runs = Runs.execute(ctx, dir, RunRecord.class, jobs);
        Summary s = summarise(runs, widths);
        List<String> text = conclusions(s);
        charts(dir, s);
        Runs.writeResults(ctx, dir, "abundance", data, t0, runs, sc, s, text, Map.of());
        return markdown(s, text, data, sc);
    }

    private static RunRecord train(Backend be, ExperimentContext ctx, ExperimentContext.Data data, Scale sc, int start,
                                   int target, int r, long seed) {
        long t0 = System.nanoTime();
        int n0 = data.train().featureCount();
        IsotropicMlp net = IsotropicMlp.builder(n0, start, start, data.train().classes()).dtype(ctx.dtype()).seed(seed)
                .build(be);
        WidthSchedule schedule = new WidthSchedule(start, target, sc.warm(), sc.adapt(), Growth.reference(seed));
        List<EpochMetrics> h = Trainer.builder().epochs(sc.epochs()).batchSize(48).seed(seed).listener(schedule).build()
                .fit(net, Adam.adamW(1e-3, 1e-3), data.train(), data.test());
        double[] acc = h.stream().mapToDouble(m -> 100 * m.test().accuracy()).toArray();
        int ops = 0;
        for (Controller.Change c : schedule.history()) {
            ops += Math.abs(c.after() - c.before());
        }
        ctx.log().printf("  abundance: %d -> %d repeat %d: %.2f%%%n", start, target, r + 1, acc[acc.length - 1]);
        ctx.log().flush();
        return new RunRecord(start, target, r, acc[acc.length - 1], Stats.max(acc), acc,
                new int[] {net.widths()[1], net.widths()[2]}, Metrics.nonZeroCount(net, 1e-8), net.parameterCount(), ops,
                (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The numbers the conclusions are computed from.
     *
     * @param widths the widths (start and target)
     * @param finalAccuracy [start][target][repeat] percent
     * @param bestAccuracy [start][target][repeat] percent
     * @param nonZeroShare [start][target][repeat] non-zero parameters over all parameters
     * @param neuroOps [start][target][repeat]
     * @param reachedTarget [start][target] runs whose final widths equal the target
     */
    record Summary(int[] widths, double[][][] finalAccuracy, double[][][] bestAccuracy, double[][][] nonZeroShare,
                   double[][][] neuroOps, int[][] reachedTarget) {
    }

    static Summary summarise(List<RunRecord> runs, int[] widths) {
        int w = widths.length;
        List<List<RunRecord>> cells = new ArrayList<>();
        for (int i = 0; i < w * w; i++) {
            cells.add(new ArrayList<>());
        }
        for (RunRecord r : runs) {
            cells.get(index(widths, r.start()) * w + index(widths, r.target())).add(r);
        }
        double[][][] fin = new double[w][w][];
        double[][][] best = new double[w][w][];
        double[][][] nz = new double[w][w][];
        double[][][] ops = new double[w][w][];
        int[][] reached = new int[w][w];
        for (int si = 0; si < w; si++) {
            for (int ti = 0; ti < w; ti++) {
                List<RunRecord> c = cells.get(si * w + ti);
                fin[si][ti] = c.stream().mapToDouble(RunRecord::finalAccuracy).toArray();
                best[si][ti] = c.stream().mapToDouble(RunRecord::bestAccuracy).toArray();
                nz[si][ti] = c.stream().mapToDouble(r -> (double) r.nonZero() / r.parameters()).toArray();
                ops[si][ti] = c.stream().mapToDouble(RunRecord::neuroOps).toArray();
                int t = widths[ti];
                reached[si][ti] = (int) c.stream().filter(r -> r.finalWidths()[0] == t && r.finalWidths()[1] == t).count();
            }
        }
        return new Summary(widths, fin, best, nz, ops, reached);
    }

    private static int index(int[] widths, int w) {
        for (int i = 0; i < widths.length; i++) {
            if (widths[i] == w) {
                return i;
            }
        }
        throw new IllegalArgumentException("AbundanceExperiment: width " + w + " is not in the grid");
    }

    /** Every sentence of the conclusion, computed from the summary (two standard errors decide each comparison). */
    static List<String> conclusions(Summary s) {
        List<String> out = new ArrayList<>();
        int[] widths = s.widths();
        int w = widths.length;
        int runs = 0;
        int reached = 0;
        for (int si = 0; si < w; si++) {
            for (int ti = 0; ti < w; ti++) {
                runs += s.finalAccuracy()[si][ti].length;
                reached += s.reachedTarget()[si][ti];
            }
        }
        out.add(String.format(Locale.ROOT, "The schedule brought both hidden layers to the target width in %s runs.",
                Stats.count(reached, runs)));
        // the hypothesis: starting wider and pruning is at least as good as starting at the target
        int[] down = new int[3]; // worse, indistinguishable, better than the diagonal
        int[] up = new int[3];
        List<String> worse = new ArrayList<>();
        for (int ti = 0; ti < w; ti++) {
            for (int si = 0; si < w; si++) {
                if (si == ti) {
                    continue;
                }
                int c = Stats.compare(s.finalAccuracy()[si][ti], s.finalAccuracy()[ti][ti]);
                (si > ti ? down : up)[c + 1]++;
                if (si > ti && c < 0) {
                    worse.add(String.format(Locale.ROOT, "%d -> %d: %s%% against %s%%", widths[si], widths[ti],
                            Stats.format(s.finalAccuracy()[si][ti], "%.2f"), Stats.format(s.finalAccuracy()[ti][ti], "%.2f")));
                }
            }
        }
        int pairs = down[0] + down[1] + down[2];
        if (pairs > 0) {
            out.add(String.format(Locale.ROOT, "Starting wider than the target and pruning was better than starting at the "
                    + "target in %d, indistinguishable (two standard errors) in %d and worse in %d of %d pairs: the "
                    + "hypothesis that over-abundance is at least as good %s%s.", down[2], down[1], down[0], pairs,
                    down[0] == 0 ? "holds at this scale" : "does NOT hold for every pair",
                    worse.isEmpty() ? "" : " (worse: " + String.join("; ", worse) + ")"));
            out.add(String.format(Locale.ROOT, "Starting narrower and growing was better in %d, indistinguishable in %d "
                    + "and worse in %d of %d pairs.", up[2], up[1], up[0], up[0] + up[1] + up[2]));
        }
        int overBest = 0;
        for (int ti = 0; ti < w; ti++) {
            int b = 0;
            for (int si = 1; si < w; si++) {
                if (Stats.mean(s.finalAccuracy()[si][ti]) > Stats.mean(s.finalAccuracy()[b][ti])) {
                    b = si;
                }
            }
            overBest += b > ti ? 1 : 0;
        }
        out.add(String.format(Locale.ROOT, "For %s target widths the best mean final accuracy came from a wider start.",
                overBest == 0 ? "none of the " + w : Stats.count(overBest, w)));
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int si = 0; si < w; si++) {
            for (int ti = 0; ti < w; ti++) {
                if (s.nonZeroShare()[si][ti].length > 0) {
                    double m = Stats.mean(s.nonZeroShare()[si][ti]);
                    lo = Math.min(lo, m);
                    hi = Math.max(hi, m);
                }
            }
        }
        out.add(String.format(Locale.ROOT, "At the end %.1f%% to %.1f%% of the parameters are non-zero (|theta| > "
                + "1e-8): the resized networks are dense at their target width%s.", 100 * lo, 100 * hi,
                lo > 0.99 ? "" : " except for the parameters that are zero by construction (zero biases and psi)"));
        return out;
    }

    private static void charts(Path dir, Summary s) throws IOException {
        int[] widths = s.widths();
        Map<String, double[]> series = new LinkedHashMap<>();
        List<String> cats = new ArrayList<>();
        for (int t : widths) {
            cats.add("target " + t);
        }
        for (int si = 0; si < widths.length; si++) {
            double[] y = new double[widths.length];
            for (int ti = 0; ti < widths.length; ti++) {
                y[ti] = Stats.mean(s.finalAccuracy()[si][ti]);
            }
            series.put("start " + widths[si], y);
        }
        Charts.bars(dir.resolve("accuracy.png"), "Final test accuracy by start and target width", "accuracy (%)", cats,
                series);
    }

    private static String markdown(Summary s, List<String> text, ExperimentContext.Data data, Scale sc) {
        int[] widths = s.widths();
        int w = widths.length;
        StringBuilder md = new StringBuilder("## Experiment 4: neuroabundance\n\n");
        md.append(String.format(Locale.ROOT, "Data: %s (%d train, %d test). Networks %d-w-w-%d start at width S and are "
                        + "driven to T by the width schedule (%d warm-up, %d adaptation, %d settling epochs; hidden layer 2 "
                        + "first, then hidden layer 1, with the optimiser state transformed). AdamW lr 1e-3, wd 1e-3, "
                        + "batch 48, o trainable, psi trainable+decay, %d repeat(s) (mean ± standard error). Final test "
                        + "accuracy in %%; the best start for each target in bold.%n%n", data.name(), data.train().size(),
                data.test().size(), data.train().featureCount(), data.train().classes(), sc.warm(), sc.adapt(),
                sc.settle(), sc.repeats()));
        md.append("Conclusions (computed from the numbers below):\n\n");
        for (String t : text) {
            md.append("- ").append(t).append('\n');
        }
        md.append('\n');
        md.append(grid(s, s.finalAccuracy(), "%.2f", true));
        md.append("\nBest-epoch test accuracy (%):\n\n").append(grid(s, s.bestAccuracy(), "%.2f", false));
        md.append("\nNeurons added or removed per run:\n\n").append(grid(s, s.neuroOps(), "%.0f", false));
        md.append("\n![accuracy](abundance/accuracy.png)\n\n");
        return md.toString();
    }

    private static String grid(Summary s, double[][][] v, String fmt, boolean bold) {
        int[] widths = s.widths();
        int w = widths.length;
        StringBuilder md = new StringBuilder("| start \\ target |");
        for (int t : widths) {
            md.append(' ').append(t).append(" |");
        }
        md.append("\n| ---: |").append(" ---: |".repeat(w)).append('\n');
        for (int si = 0; si < w; si++) {
            md.append("| ").append(widths[si]).append(" |");
            for (int ti = 0; ti < w; ti++) {
                boolean isBest = bold;
                for (int o = 0; o < w && bold; o++) {
                    isBest &= Stats.mean(v[o][ti]) <= Stats.mean(v[si][ti]);
                }
                String cell = Stats.format(v[si][ti], fmt);
                md.append(' ').append(isBest ? "**" + cell + "**" : cell).append(" |");
            }
            md.append('\n');
        }
        return md.toString();
    }
}
