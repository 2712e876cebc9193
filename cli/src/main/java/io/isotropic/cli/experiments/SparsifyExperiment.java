package io.isotropic.cli.experiments;

import io.isotropic.adapt.CompactMlp;
import io.isotropic.adapt.Metrics;
import io.isotropic.adapt.Sparsify;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.oracle.Invariance;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.Tensor;
import io.isotropic.train.Adam;
import io.isotropic.train.Evaluation;
import io.isotropic.train.Loss;
import io.isotropic.train.Trainer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Experiment 5 (method.md 11.5): train deep MLPs, sparsify them by alternating full diagonalisation, and measure the
 * parameters removed (against the count method.md section 9 predicts), whether the function is unchanged (against the
 * invariance bound of the contracts), the change of accuracy and the compact representation's stored size. Every
 * repeat of every architecture is one run of {@link Runs}; the conclusions are computed by {@link #conclusions}.
 */
final class SparsifyExperiment {
    private SparsifyExperiment() {
    }

    /**
     * One run.
     *
     * @param width hidden width
     * @param depth hidden layers
     * @param repeat repeat index
     * @param parameters all parameters
     * @param nonZeroBefore parameters with {@code |theta| > 1e-4} before
     * @param nonZeroAfter the same after
     * @param predictedZeros the zeros method.md section 9 predicts
     * @param compactStored values the compact representation stores
     * @param accuracyBefore test accuracy before, percent
     * @param accuracyAfter test accuracy after, percent
     * @param eps epsilon_scaled of the logits, percent
     * @param kl D_KL of the outputs, nats
     * @param maxAbs largest logit change
     * @param tolerance the invariance bound for this network
     * @param seconds wall time
     */
    record RunRecord(int width, int depth, int repeat, long parameters, long nonZeroBefore, long nonZeroAfter,
                     long predictedZeros, long compactStored, double accuracyBefore, double accuracyAfter, double eps,
                     double kl, double maxAbs, double tolerance, double seconds) {
        /** Share of all parameters removed (non-zero before minus after, over all), percent. */
        double removedShare() {
            return 100.0 * (nonZeroBefore - nonZeroAfter) / parameters;
        }

        /** The predicted share, percent. */
        double predictedShare() {
            return 100.0 * predictedZeros / parameters;
        }
    }

    /** The experiment's scale. */
    record Scale(int[] widths, int[] depths, int epochs, int repeats) {
    }

    static Scale scale(ExperimentContext ctx) {
        return ctx.quick() ? new Scale(new int[] {32}, new int[] {2, 4}, 1, ctx.repeats(1))
                : new Scale(new int[] {500}, new int[] {2, 3, 4, 5, 6}, 25, ctx.repeats(5));
    }

    static String run(ExperimentContext ctx) throws IOException {
        ExperimentContext.Data data = ctx.primary();
        Scale sc = scale(ctx);
        List<Runs.Job<RunRecord>> jobs = new ArrayList<>();
        for (int n : sc.widths()) {
            for (int h : sc.depths()) {
                for (int r = 0; r < sc.repeats(); r++) {
                    int rr = r;
                    jobs.add(new Runs.Job<>("w" + n + "-h" + h + "-r" + r, be -> train(be, ctx, data, sc, n, h, rr)));
                }
            }
        }
        Path dir = ctx.dir("sparsify");
        long t0 = System.nanoTime();
        List<RunRecord> runs = Runs.execute(ctx, dir, RunRecord.class, jobs);
        Summary s = summarise(runs, sc);
        List<String> text = conclusions(s);
        charts(dir, s);
        Runs.writeResults(ctx, dir, "sparsify", data, t0, runs, sc, s, text, Map.of());
        return markdown(s, text, data, sc);
    }

    private static RunRecord train(Backend be, ExperimentContext ctx, ExperimentContext.Data data, Scale sc, int n, int h,
                                   int r) {
        long t0 = System.nanoTime();
        int[] widths = new int[h + 2];
        widths[0] = data.train().featureCount();
        for (int i = 1; i <= h; i++) {
            widths[i] = n;
        }
        widths[h + 1] = data.train().classes();
        IsotropicMlp net = IsotropicMlp.builder(widths).dtype(ctx.dtype()).seed(123450 + 100L * h + r).build(be);
        Trainer.builder().epochs(sc.epochs()).batchSize(48).seed(9000 + 100L * h + r).build()
                .fit(net, Adam.adamW(1e-3, 1e-3), data.train(), null);
        Tensor pre = net.predict(data.test().features());
        double accBefore = 100 * Evaluation.of(net, data.test(), 1000, Loss.CROSS_ENTROPY).accuracy();
        long total = net.parameterCount();
        long before = Metrics.nonZeroCount(net, 1e-4);
        Sparsify.alternating(net, null);
        Tensor post = net.predict(data.test().features());
        long after = Metrics.nonZeroCount(net, 1e-4);
        double accAfter = 100 * Evaluation.of(net, data.test(), 1000, Loss.CROSS_ENTROPY).accuracy();
        RunRecord rec = new RunRecord(n, h, r, total, before, after, Sparsify.expectedZeros(widths),
                CompactMlp.of(net).storedParameters(), accBefore, accAfter, Metrics.epsilonScaled(pre, post),
                Metrics.klDivergence(pre, post), Invariance.maxDiff(pre, post), Invariance.of(net, pre).value(),
                (System.nanoTime() - t0) / 1e9);
        ctx.log().printf("  sparsify: %dx%d repeat %d removed %.1f%% (predicted %.1f%%)%n", n, h, r + 1,
                rec.removedShare(), rec.predictedShare());
        ctx.log().flush();
        return rec;
    }

    /**
     * The numbers the conclusions are computed from, per architecture ({@code [width][depth][repeat]}).
     *
     * @param widths hidden widths
     * @param depths hidden-layer counts
     * @param removed share of parameters removed, percent
     * @param predicted predicted share, percent
     * @param compact compact stored values over all parameters, percent
     * @param accuracyChange after minus before, points
     * @param eps epsilon_scaled, percent
     * @param withinTolerance per architecture, repeats within the invariance bound
     * @param worstRatio per architecture, largest {@code max |dz| / bound}
     */
    record Summary(int[] widths, int[] depths, double[][][] removed, double[][][] predicted, double[][][] compact,
                   double[][][] accuracyChange, double[][][] eps, int[][] withinTolerance, double[][] worstRatio) {
    }

    static Summary summarise(List<RunRecord> runs, Scale sc) {
        int nw = sc.widths().length;
        int nd = sc.depths().length;
        double[][][] rem = new double[nw][nd][];
        double[][][] pred = new double[nw][nd][];
        double[][][] comp = new double[nw][nd][];
        double[][][] dacc = new double[nw][nd][];
        double[][][] eps = new double[nw][nd][];
        int[][] within = new int[nw][nd];
        double[][] worst = new double[nw][nd];
        for (int i = 0; i < nw; i++) {
            for (int j = 0; j < nd; j++) {
                int n = sc.widths()[i];
                int h = sc.depths()[j];
                List<RunRecord> c = runs.stream().filter(r -> r.width() == n && r.depth() == h).toList();
                rem[i][j] = c.stream().mapToDouble(RunRecord::removedShare).toArray();
                pred[i][j] = c.stream().mapToDouble(RunRecord::predictedShare).toArray();
                comp[i][j] = c.stream().mapToDouble(r -> 100.0 * r.compactStored() / r.parameters()).toArray();
                dacc[i][j] = c.stream().mapToDouble(r -> r.accuracyAfter() - r.accuracyBefore()).toArray();
                eps[i][j] = c.stream().mapToDouble(RunRecord::eps).toArray();
                within[i][j] = (int) c.stream().filter(r -> r.maxAbs() <= r.tolerance()).count();
                worst[i][j] = c.stream().mapToDouble(r -> r.maxAbs() / r.tolerance()).max().orElse(0);
            }
        }
        return new Summary(sc.widths(), sc.depths(), rem, pred, comp, dacc, eps, within, worst);
    }

    /** Every sentence of the conclusion, computed from the summary. */
    static List<String> conclusions(Summary s) {
        List<String> out = new ArrayList<>();
        int cases = 0;
        int within = 0;
        double worst = 0;
        double accWorst = 0;
        double gap = 0;
        for (int i = 0; i < s.widths().length; i++) {
            for (int j = 0; j < s.depths().length; j++) {
                cases += s.removed()[i][j].length;
                within += s.withinTolerance()[i][j];
                worst = Math.max(worst, s.worstRatio()[i][j]);
                for (int r = 0; r < s.removed()[i][j].length; r++) {
                    accWorst = Math.max(accWorst, Math.abs(s.accuracyChange()[i][j][r]));
                    gap = Math.max(gap, Math.abs(s.removed()[i][j][r] - s.predicted()[i][j][r]));
                }
            }
        }
        if (within == cases) {
            out.add(String.format(Locale.ROOT, "The function is unchanged by the sparsification: the logits stayed within "
                    + "the invariance bound in %s networks (largest change %.2g of the bound), the test accuracy "
                    + "changed by at most %.2f points.", Stats.count(within, cases), worst, accWorst));
        } else {
            out.add(String.format(Locale.ROOT, "The sparsification did NOT leave the function unchanged in %d of %d "
                    + "networks (largest logit change %.2f times the invariance bound; accuracy changed by up to %.2f "
                    + "points).", cases - within, cases, worst, accWorst));
        }
        out.add(String.format(Locale.ROOT, "The parameters removed %s the count of method.md section 9 (largest "
                + "difference %.2f points of the parameter count).", gap <= 0.5 ? "match" : "do NOT match", gap));
        // only every other hidden-to-hidden matrix can be diagonal, so the share alternates with the parity of the
        // depth; the claim is that it rises towards 50% along depths of one parity
        for (int i = 0; i < s.widths().length; i++) {
            boolean rising = true;
            boolean below = true;
            List<String> parts = new ArrayList<>();
            for (int parity = 0; parity < 2; parity++) {
                List<String> vals = new ArrayList<>();
                double prev = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < s.depths().length; j++) {
                    if (s.depths()[j] % 2 != parity) {
                        continue;
                    }
                    double m = Stats.mean(s.removed()[i][j]);
                    rising &= m > prev;
                    below &= m < 50;
                    prev = m;
                    vals.add(String.format(Locale.ROOT, "%.1f%% at %d", m, s.depths()[j]));
                }
                if (!vals.isEmpty()) {
                    parts.add((parity == 0 ? "even depths " : "odd depths ") + String.join(", ", vals));
                }
            }
            String trend = rising && below ? "removes a share that rises with depth towards 50%"
                    : rising ? "removes a share that rises with depth but passes 50%"
                    : "removes a share that does NOT rise with depth";
            out.add(String.format(Locale.ROOT, "At width %d the sparsification %s, among depths of the same parity "
                    + "(only every other hidden-to-hidden matrix can be diagonal): %s hidden layers.", s.widths()[i],
                    trend, String.join("; ", parts)));
        }
        return out;
    }

    private static void charts(Path dir, Summary s) throws IOException {
        Map<String, double[]> series = new LinkedHashMap<>();
        List<String> cats = new ArrayList<>();
        for (int h : s.depths()) {
            cats.add(h + " hidden");
        }
        for (int i = 0; i < s.widths().length; i++) {
            double[] y = new double[s.depths().length];
            double[] p = new double[s.depths().length];
            for (int j = 0; j < y.length; j++) {
                y[j] = Stats.mean(s.removed()[i][j]);
                p[j] = Stats.mean(s.predicted()[i][j]);
            }
            series.put("width " + s.widths()[i] + " measured", y);
            series.put("width " + s.widths()[i] + " predicted", p);
        }
        Charts.bars(dir.resolve("removed.png"), "Share of parameters removed", "removed (% of all parameters)", cats,
                series);
    }

    private static String markdown(Summary s, List<String> text, ExperimentContext.Data data, Scale sc) {
        StringBuilder md = new StringBuilder("## Experiment 5: sparsification by alternating full diagonalisation\n\n");
        md.append(String.format(Locale.ROOT, "Data: %s (%d train, %d test). Networks %d-n x H-%d trained %d epochs (AdamW "
                        + "lr 1e-3, wd 1e-3, batch 48, o trainable, psi trainable+decay), then layers 1, 3, 5, ... fully "
                        + "diagonalised; %d repeat(s), mean ± standard error. Non-zero counts use |theta| > 1e-4 (as the "
                        + "reference notebooks); 'removed' and 'predicted' (method.md section 9) are shares of all "
                        + "parameters; 'compact' is what CompactMlp stores, as a share of all parameters.%n%n",
                data.name(), data.train().size(), data.test().size(), data.train().featureCount(),
                data.train().classes(), sc.epochs(), sc.repeats()));
        md.append("Conclusions (computed from the numbers below):\n\n");
        for (String t : text) {
            md.append("- ").append(t).append('\n');
        }
        md.append("\n| hidden | removed (%) | predicted (%) | compact (%) | accuracy change (points) | epsilon_scaled (%) "
                + "| within bound (largest / bound) |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (int i = 0; i < s.widths().length; i++) {
            for (int j = 0; j < s.depths().length; j++) {
                md.append(String.format(Locale.ROOT, "| %d x %d | %s | %s | %s | %s | %s | %d/%d (%.2g) |%n",
                        s.widths()[i], s.depths()[j], Stats.format(s.removed()[i][j], "%.2f"),
                        Stats.format(s.predicted()[i][j], "%.2f"), Stats.format(s.compact()[i][j], "%.2f"),
                        Stats.format(s.accuracyChange()[i][j], "%+.3f"), Stats.format(s.eps()[i][j], "%.2e"),
                        s.withinTolerance()[i][j], s.removed()[i][j].length, s.worstRatio()[i][j]));
            }
        }
        md.append("\n![removed](sparsify/removed.png)\n\n");
        return md.toString();
    }
}
