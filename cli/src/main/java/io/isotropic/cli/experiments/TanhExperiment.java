package io.isotropic.cli.experiments;

import io.isotropic.nn.ActivationKind;
import io.isotropic.nn.IntrinsicLengthMode;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.nn.LinearCorrectionMode;
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
 * Experiment 6 (method.md 11.6): isotropic tanh ({@code o = 0}, no psi) against element-wise tanh in a paired design:
 * identical orthogonal initial weights and identical data order for both models. Every (data, architecture, repeat,
 * model) is one run of {@link Runs}; the conclusions are computed by {@link #conclusions}.
 */
final class TanhExperiment {
    private TanhExperiment() {
    }

    /**
     * One trained model.
     *
     * @param data data set name
     * @param width hidden width
     * @param depth hidden layers
     * @param repeat repeat index (the pair shares it)
     * @param isotropic true for isotropic tanh
     * @param accuracy test accuracy per epoch, percent
     * @param seconds wall time
     */
    record RunRecord(String data, int width, int depth, int repeat, boolean isotropic, double[] accuracy,
                     double seconds) {
        double finalAccuracy() {
            return accuracy[accuracy.length - 1];
        }

        double bestAccuracy() {
            return Stats.max(accuracy);
        }
    }

    /** The experiment's scale. */
    record Scale(int[] widths, int[] depths, int digitsEpochs, int[] fashionWidths, int[] fashionDepths,
                 int fashionEpochs, int repeats) {
    }

    static Scale scale(ExperimentContext ctx) {
        return ctx.quick() ? new Scale(new int[] {32}, new int[] {2}, 3, new int[0], new int[0], 0, ctx.repeats(2))
                : new Scale(new int[] {500, 1000}, new int[] {2, 3, 4, 5}, 50, new int[] {500}, new int[] {2, 3, 4, 5}, 50,
                ctx.repeats(5));
    }

    /** One cell of the design: a data set and an architecture. */
    record Cell(String data, int width, int depth) {
    }

    static String run(ExperimentContext ctx) throws IOException {
        Scale sc = scale(ctx);
        Map<String, ExperimentContext.Data> sets = new LinkedHashMap<>();
        sets.put("digits", ctx.digits());
        if (!ctx.quick() && sc.fashionEpochs() > 0) {
            ExperimentContext.Data f = ctx.fashion();
            if (f != null) {
                sets.put(f.name(), f);
            }
        }
        List<Cell> cells = new ArrayList<>();
        for (String name : sets.keySet()) {
            boolean digits = name.equals("digits");
            for (int n : digits ? sc.widths() : sc.fashionWidths()) {
                for (int h : digits ? sc.depths() : sc.fashionDepths()) {
                    cells.add(new Cell(name, n, h));
                }
            }
        }
        List<Runs.Job<RunRecord>> jobs = new ArrayList<>();
        for (Cell c : cells) {
            int epochs = c.data().equals("digits") ? sc.digitsEpochs() : sc.fashionEpochs();
            for (int r = 0; r < sc.repeats(); r++) {
                for (boolean iso : new boolean[] {true, false}) {
                    int rr = r;
                    jobs.add(new Runs.Job<>(c.data() + "-w" + c.width() + "-h" + c.depth() + "-r" + r
                            + (iso ? "-isotropic" : "-elementwise"),
                            be -> train(be, ctx, sets.get(c.data()), c, epochs, rr, iso)));
                }
            }
        }
        Path dir = ctx.dir("tanh");
        long t0 = System.nanoTime();
        List<RunRecord> runs = Runs.execute(ctx, dir, RunRecord.class, jobs);
        Summary s = summarise(runs, cells);
        List<String> text = conclusions(s);
        charts(dir, s);
        Map<String, int[]> sizes = new LinkedHashMap<>();
        sets.forEach((k, v) -> sizes.put(k, new int[] {v.train().size(), v.test().size()}));
        Runs.writeResults(ctx, dir, "tanh", null, t0, runs, sc, s, text, Map.of("data_train_test", sizes));
        return markdown(s, text, sizes, sc);
    }

    private static RunRecord train(Backend be, ExperimentContext ctx, ExperimentContext.Data data, Cell c, int epochs,
                                   int r, boolean iso) {
        long t0 = System.nanoTime();
        int[] widths = new int[c.depth() + 2];
        widths[0] = data.train().featureCount();
        for (int i = 1; i <= c.depth(); i++) {
            widths[i] = c.width();
        }
        widths[c.depth() + 1] = data.train().classes();
        IsotropicMlp net = IsotropicMlp.builder(widths).dtype(ctx.dtype())
                .activation(iso ? ActivationKind.ISOTROPIC_TANH : ActivationKind.ELEMENTWISE_TANH)
                .intrinsicLength(IntrinsicLengthMode.NONE, 0)
                .linearCorrection(LinearCorrectionMode.NONE, 0).seed(600 + r).build(be);
        List<EpochMetrics> hist = Trainer.builder().epochs(epochs).batchSize(48).seed(700 + r).build()
                .fit(net, Adam.adamW(1e-3, 1e-3), data.train(), data.test());
        double[] acc = hist.stream().mapToDouble(e -> 100 * e.test().accuracy()).toArray();
        ctx.log().printf("  tanh: %s %dx%d repeat %d %s %.2f%%%n", c.data(), c.width(), c.depth(), r + 1,
                iso ? "isotropic" : "element-wise", acc[acc.length - 1]);
        ctx.log().flush();
        return new RunRecord(c.data(), c.width(), c.depth(), r, iso, acc, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The numbers the conclusions are computed from, per cell ({@code [cell][repeat]}, percent).
     *
     * @param cells the cells
     * @param isoFinal isotropic final accuracy
     * @param tanhFinal element-wise final accuracy
     * @param isoBest isotropic best-epoch accuracy
     * @param tanhBest element-wise best-epoch accuracy
     */
    record Summary(List<Cell> cells, double[][] isoFinal, double[][] tanhFinal, double[][] isoBest,
                   double[][] tanhBest) {
    }

    static Summary summarise(List<RunRecord> runs, List<Cell> cells) {
        int n = cells.size();
        double[][][] v = new double[4][n][];
        for (int i = 0; i < n; i++) {
            Cell c = cells.get(i);
            List<RunRecord> iso = pick(runs, c, true);
            List<RunRecord> el = pick(runs, c, false);
            v[0][i] = iso.stream().mapToDouble(RunRecord::finalAccuracy).toArray();
            v[1][i] = el.stream().mapToDouble(RunRecord::finalAccuracy).toArray();
            v[2][i] = iso.stream().mapToDouble(RunRecord::bestAccuracy).toArray();
            v[3][i] = el.stream().mapToDouble(RunRecord::bestAccuracy).toArray();
        }
        return new Summary(cells, v[0], v[1], v[2], v[3]);
    }

    private static List<RunRecord> pick(List<RunRecord> runs, Cell c, boolean iso) {
        return runs.stream().filter(r -> r.data().equals(c.data()) && r.width() == c.width() && r.depth() == c.depth()
                && r.isotropic() == iso).sorted(java.util.Comparator.comparingInt(RunRecord::repeat)).toList();
    }

    /** Every sentence of the conclusion, computed from the paired differences (two standard errors decide). */
    static List<String> conclusions(Summary s) {
        List<String> out = new ArrayList<>();
        for (String which : new String[] {"final", "best-epoch"}) {
            double[][] a = which.equals("final") ? s.isoFinal() : s.isoBest();
            double[][] b = which.equals("final") ? s.tanhFinal() : s.tanhBest();
            int better = 0;
            int worse = 0;
            List<String> w = new ArrayList<>();
            List<String> bt = new ArrayList<>();
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < s.cells().size(); i++) {
                double[] d = Stats.diff(a[i], b[i]);
                double m = Stats.mean(d);
                lo = Math.min(lo, m);
                hi = Math.max(hi, m);
                int sg = Stats.sign(d);
                Cell c = s.cells().get(i);
                String name = String.format(Locale.ROOT, "%s %d x %d (%s)", c.data(), c.width(), c.depth(),
                        Stats.format(d, "%+.2f"));
                if (sg > 0) {
                    better++;
                    bt.add(name);
                } else if (sg < 0) {
                    worse++;
                    w.add(name);
                }
            }
            int n = s.cells().size();
            out.add(String.format(Locale.ROOT, "In %s test accuracy isotropic tanh was better than element-wise tanh in "
                    + "%d, indistinguishable (two standard errors of the paired difference) in %d and worse in %d of %d "
                    + "cells; the mean paired differences range from %+.2f to %+.2f points%s%s.", which, better,
                    n - better - worse, worse, n, lo, hi, bt.isEmpty() ? "" : "; better: " + String.join(", ", bt),
                    w.isEmpty() ? "" : "; worse: " + String.join(", ", w)));
        }
        return out;
    }

    private static void charts(Path dir, Summary s) throws IOException {
        Map<String, double[]> series = new LinkedHashMap<>();
        List<String> cats = new ArrayList<>();
        int n = s.cells().size();
        double[] iso = new double[n];
        double[] el = new double[n];
        for (int i = 0; i < n; i++) {
            Cell c = s.cells().get(i);
            cats.add(c.data() + " " + c.width() + "x" + c.depth());
            iso[i] = Stats.mean(s.isoFinal()[i]);
            el[i] = Stats.mean(s.tanhFinal()[i]);
        }
        series.put("isotropic tanh", iso);
        series.put("element-wise tanh", el);
        Charts.bars(dir.resolve("accuracy.png"), "Final test accuracy", "accuracy (%)", cats, series);
    }

    private static String markdown(Summary s, List<String> text, Map<String, int[]> sizes, Scale sc) {
        StringBuilder md = new StringBuilder("## Experiment 6: isotropic tanh vs element-wise tanh\n\n");
        List<String> data = new ArrayList<>();
        sizes.forEach((k, v) -> data.add(String.format(Locale.ROOT, "%s (%d train, %d test)", k, v[0], v[1])));
        md.append(String.format(Locale.ROOT, "Data: %s. Paired design: for each repeat both models get the same "
                + "orthogonal initial weights and the same data order. Isotropic model: o = 0, no psi. AdamW lr 1e-3, wd "
                + "1e-3, batch 48; digits %d epochs, Fashion-MNIST %d epochs; %d repeat(s), mean ± standard error; the "
                + "difference is isotropic minus element-wise, paired per repeat.%n%n", String.join(", ", data),
                sc.digitsEpochs(), sc.fashionEpochs(), sc.repeats()));
        md.append("Conclusions (computed from the numbers below):\n\n");
        for (String t : text) {
            md.append("- ").append(t).append('\n');
        }
        md.append("\n| data | hidden | isotropic final | element-wise final | difference | isotropic best | "
                + "element-wise best | difference |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (int i = 0; i < s.cells().size(); i++) {
            Cell c = s.cells().get(i);
            md.append(String.format(Locale.ROOT, "| %s | %d x %d | %s | %s | %s | %s | %s | %s |%n", c.data(), c.width(),
                    c.depth(), Stats.format(s.isoFinal()[i], "%.2f"), Stats.format(s.tanhFinal()[i], "%.2f"),
                    Stats.format(Stats.diff(s.isoFinal()[i], s.tanhFinal()[i]), "%+.2f"),
                    Stats.format(s.isoBest()[i], "%.2f"), Stats.format(s.tanhBest()[i], "%.2f"),
                    Stats.format(Stats.diff(s.isoBest()[i], s.tanhBest()[i]), "%+.2f")));
        }
        md.append("\n![accuracy](tanh/accuracy.png)\n\n");
        return md.toString();
    }
}
