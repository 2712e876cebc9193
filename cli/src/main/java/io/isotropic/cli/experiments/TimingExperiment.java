package io.isotropic.cli.experiments;

import io.isotropic.adapt.Growth;
import io.isotropic.adapt.NeurodegenerationReport;
import io.isotropic.adapt.NeurodegenerationSettings;
import io.isotropic.adapt.Restructure;
import io.isotropic.data.Dataset;
import io.isotropic.nn.IntrinsicLengthMode;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.nn.LinearCorrectionMode;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Seeds;
import io.isotropic.train.Adam;
import io.isotropic.train.EpochMetrics;
import io.isotropic.train.Optimizer;
import io.isotropic.train.Trainer;
import io.isotropic.train.TrainingListener;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Experiment 0 (method.md 11.0, the reference's timing notebook): what one neuro-operation per epoch costs against
 * plain training. Four networks start from the same initial state and the same batch order: a baseline, one with a
 * neurodegeneration of hidden layer 2 ({@code Restructure} layer 1) after every epoch (the project's default path),
 * one with the same neurodegeneration forced through a full SVD (the reference's method), and one with a
 * neurogenesis of the same layer after every epoch; all with the optimiser state transformed. Their epochs are
 * interleaved (epoch {@code e} of every case before epoch {@code e + 1} of any, the order rotated each epoch) on one
 * thread of execution, so drifts of the machine fall on all cases alike. The training pass, the test evaluation and
 * the neuro-operation are timed separately; an SVD of the layer's weights is timed beside the operation (outside its
 * interval) to split its cost. Warm-up epochs are excluded. Every sentence of the conclusion is computed by
 * {@link #conclusions} from the numbers.
 */
final class TimingExperiment {
    /** The cases, in their fixed index order (the baseline first). */
    static final String[] CASES = {"baseline", "neurodegeneration", "neurodegeneration-svd", "neurogenesis"};
    /** What each case does after every epoch. */
    static final String[] LABELS = {"baseline (no neuro-operation)", "one neurodegeneration per epoch",
        "one neurodegeneration per epoch, full SVD", "one neurogenesis per epoch"};
    /** The affine map the neuro-operations act on: {@code W_1}, so hidden space 2 (the reference's "layer 1"). */
    static final int LAYER = 1;
    /** The reference's numbers (method.md 12.1 of the original notes, GPU, CIFAR-10 3072-500-500-10), seconds. */
    static final double PAPER_TRAIN = 17.523;
    static final double PAPER_TEST = 1.738;
    static final double PAPER_DEGENERATION = 0.037;
    static final double PAPER_GENESIS = 0.030;

    private TimingExperiment() {
    }

    /**
     * What the interleaved run measured, per case and epoch (all epochs, warm-up included; seconds).
     *
     * @param cases the case ids ({@link #CASES})
     * @param widths initial layer widths
     * @param warmup leading epochs excluded from the summary
     * @param epochs all epochs
     * @param threads backend threads of the run
     * @param backend the backend's name
     * @param trainSize training samples
     * @param testSize test samples
     * @param train {@code [case][epoch]} wall time of the training pass (every batch's step)
     * @param test {@code [case][epoch]} wall time of the test evaluation
     * @param op {@code [case][epoch]} wall time of the neuro-operation (0 for the baseline)
     * @param svd {@code [case][epoch]} wall time of one {@code svdLeft} of {@code W_1} in F64, timed beside the
     *        operation (outside the other intervals) in every case
     * @param width {@code [case][epoch]} width of hidden layer 2 after the epoch
     * @param accuracy {@code [case][epoch]} test accuracy after the epoch
     * @param method {@code [case][epoch]} how the neurodegeneration found its direction, or "" where none ran
     * @param trainCpu {@code [case][epoch]} CPU seconds of the whole process (every thread) during the training pass,
     *        NaN where the JVM does not tell
     * @param load {@code [epoch]} the machine's 1-minute load average after the epoch of every case, NaN where unknown
     * @param cores processors the JVM saw
     * @param seconds wall time of the whole run
     */
    record RunRecord(List<String> cases, int[] widths, int warmup, int epochs, int threads, String backend,
                     int trainSize, int testSize, double[][] train, double[][] test, double[][] op, double[][] svd,
                     int[][] width, double[][] accuracy, String[][] method, double[][] trainCpu, double[] load,
                     int cores, double seconds) {
    }

    /**
     * Runs the experiment and returns its Markdown section.
     *
     * @param ctx the experiment's context
     * @return the section
     * @throws IOException if results cannot be written
     */
    static String run(ExperimentContext ctx) throws IOException {
        ExperimentContext.Data data = ctx.primary();
        boolean quick = ctx.quick();
        int hidden = quick ? 32 : 500;
        int[] widths = {data.train().featureCount(), hidden, hidden, data.train().classes()};
        int warmup = quick ? 1 : 5;
        int timed = quick ? 3 : 25;
        Path dir = ctx.dir("timing");
        long t0 = System.nanoTime();
        // one job: the cases are interleaved on one thread of execution, never run in parallel with each other
        List<RunRecord> all = Runs.execute(ctx, dir, RunRecord.class, List.of(new Runs.Job<>("interleaved",
                be -> measure(be, ctx, data.train(), data.test(), widths, warmup, warmup + timed))));
        RunRecord rec = all.get(0);
        Summary sum = summarise(rec);
        List<String> text = conclusions(sum);
        charts(dir, rec, sum);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("data", data.name());
        json.put("widths", widths);
        json.put("warmup_epochs", warmup);
        json.put("timed_epochs", timed);
        json.put("threads_of_the_timed_run", rec.threads());
        Runs.writeResults(ctx, dir, "timing", null, t0, all, null, sum, text, json);
        return markdown(sum, rec, text, data.name());
    }

    /** Trains the four cases interleaved, epoch by epoch, timing each part. */
    static RunRecord measure(Backend be, ExperimentContext ctx, Dataset train, Dataset test, int[] widths, int warmup,
                             int epochs) {
        long start = System.nanoTime();
        int n = CASES.length;
        IsotropicMlp init = IsotropicMlp.builder(widths).dtype(ctx.dtype())
                .intrinsicLength(IntrinsicLengthMode.TRAINABLE, 1e-6)
                .linearCorrection(LinearCorrectionMode.TRAINABLE_DECAY, 0.1).seed(1000).build(be);
        IsotropicMlp[] nets = new IsotropicMlp[n];
        Optimizer[] opts = new Optimizer[n];
        for (int c = 0; c < n; c++) {
            nets[c] = init.copy();
            opts[c] = Adam.adamW(1e-3, 1e-3);
        }
        double[][] tr = new double[n][epochs];
        double[][] te = new double[n][epochs];
        double[][] op = new double[n][epochs];
        double[][] svd = new double[n][epochs];
        int[][] width = new int[n][epochs];
        double[][] acc = new double[n][epochs];
        String[][] method = new String[n][epochs];
        double[][] cpu = new double[n][epochs];
        double[] load = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            for (int i = 0; i < n; i++) {
                int c = (i + e) % n; // rotated: no case always runs first (after the others' garbage, say)
                int ee = e;
                long[] mark = new long[4]; // train end, op start, op end, evaluation end
                double[] cpuEnd = new double[1];
                TrainingListener timer = new TrainingListener() {
                    @Override
                    public void beforeEvaluation(int epoch, IsotropicMlp net, Optimizer opt) {
                        mark[0] = System.nanoTime();
                        cpuEnd[0] = processCpuSeconds();
                        long s0 = System.nanoTime();
                        net.backend().svdLeft(net.weight(LAYER).to(DType.F64));
                        svd[c][ee] = (System.nanoTime() - s0) / 1e9;
                        mark[1] = System.nanoTime();
                        method[c][ee] = operate(c, net, opt, ee);
                        mark[2] = System.nanoTime();
                    }

                    @Override
                    public void onEpochEnd(EpochMetrics m, IsotropicMlp net, Optimizer opt) {
                        mark[3] = System.nanoTime();
                        acc[c][ee] = m.test().accuracy();
                        width[c][ee] = m.widths()[LAYER + 1];
                    }
                };
                Trainer trainer = Trainer.builder().startEpoch(e).epochs(e + 1).batchSize(48).seed(2000)
                        .listener(timer).build();
                double cpuBegin = processCpuSeconds();
                long begin = System.nanoTime();
                trainer.fit(nets[c], opts[c], train, test);
                tr[c][e] = (mark[0] - begin) / 1e9;
                cpu[c][e] = cpuEnd[0] - cpuBegin;
                op[c][e] = (mark[2] - mark[1]) / 1e9;
                te[c][e] = (mark[3] - mark[2]) / 1e9;
            }
            load[e] = loadAverage();
            synchronized (ctx.log()) {
                ctx.log().printf(Locale.ROOT, "  timing: epoch %d/%d%s train %s s, op %s ms, widths %s, load %.2f%n",
                        e + 1, epochs, e < warmup ? " (warm-up)" : "", fmt(column(tr, e), "%.2f"),
                        fmt(Stats.scale(column(op, e), 1e3), "%.1f"), Arrays.toString(column(width, e)), load[e]);
                ctx.log().flush();
            }
        }
        return new RunRecord(List.of(CASES), widths.clone(), warmup, epochs, be.threads(), be.name(), train.size(),
                test.size(), tr, te, op, svd, width, acc, method, cpu, load, Runtime.getRuntime().availableProcessors(),
                (System.nanoTime() - start) / 1e9);
    }

    /** CPU seconds used so far by every thread of this process, or NaN if the JVM does not tell. */
    private static double processCpuSeconds() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            long t = os.getProcessCpuTime();
            return t < 0 ? Double.NaN : t / 1e9;
        }
        return Double.NaN;
    }

    /** The machine's 1-minute load average, or NaN where unknown. */
    private static double loadAverage() {
        double l = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return l < 0 ? Double.NaN : l;
    }

    /** The case's neuro-operation on hidden layer 2; returns the neurodegeneration's method, or "". */
    private static String operate(int c, IsotropicMlp net, Optimizer opt, int epoch) {
        return switch (CASES[c]) {
            case "neurodegeneration" -> {
                NeurodegenerationReport r = Restructure.neurodegeneration(net, LAYER, 1, opt, null);
                yield r.method().name();
            }
            case "neurodegeneration-svd" -> {
                NeurodegenerationReport r = Restructure.neurodegeneration(net, LAYER, 1, opt, null,
                        NeurodegenerationSettings.SVD_ONLY);
                yield r.method().name();
            }
            case "neurogenesis" -> {
                Restructure.neurogenesis(net, LAYER, 1, Growth.reference(Seeds.mix(3000, epoch)), opt);
                yield "";
            }
            default -> "";
        };
    }

    /**
     * The numbers the conclusions are computed from: per case, the timed epochs only (warm-up excluded).
     *
     * @param cases the case ids
     * @param labels what each case does
     * @param layerWidth initial width of hidden layer 2
     * @param timed timed epochs
     * @param warmup warm-up epochs (excluded)
     * @param threads backend threads
     * @param testSize test samples evaluated per epoch
     * @param train {@code [case][timed epoch]} training-pass seconds
     * @param test {@code [case][timed epoch]} test-evaluation seconds
     * @param op {@code [case][timed epoch]} neuro-operation seconds
     * @param svd {@code [case][timed epoch]} seconds of one SVD of {@code W_1}
     * @param share {@code [case][timed epoch]} neuro-operation over the baseline's training pass of the same epoch
     * @param trainDiff {@code [case][timed epoch]} training pass minus the baseline's of the same epoch
     * @param totalDiff {@code [case][timed epoch]} train + test + operation minus the baseline's
     * @param svdShare {@code [case][timed epoch]} the SVD's seconds over the operation's (NaN for the baseline)
     * @param testShare {@code [timed epoch]} the baseline's test evaluation over its training pass
     * @param finalWidth {@code [case]} width of hidden layer 2 after the last epoch
     * @param finalAccuracy {@code [case]} test accuracy after the last epoch
     * @param methods {@code [case]} how often each neurodegeneration method was used in the timed epochs, "" for none
     * @param load {@code [timed epoch]} the machine's 1-minute load average after the epoch
     * @param cpuRate {@code [case][timed epoch]} the process's CPU seconds per wall second during the training pass
     * @param cores processors of the machine
     */
    record Summary(List<String> cases, List<String> labels, int layerWidth, int timed, int warmup, int threads,
                   int testSize, double[][] train, double[][] test, double[][] op, double[][] svd, double[][] share,
                   double[][] trainDiff, double[][] totalDiff, double[][] svdShare, double[] testShare,
                   int[] finalWidth, double[] finalAccuracy, String[] methods, double[] load, double[][] cpuRate,
                   int cores) {
    }

    /**
     * Summarises a run: drops the warm-up epochs and pairs every case with the baseline epoch by epoch.
     *
     * @param r the run
     * @return the summary
     */
    static Summary summarise(RunRecord r) {
        int n = r.cases().size();
        int w = r.warmup();
        int t = r.epochs() - w;
        double[][] train = new double[n][];
        double[][] test = new double[n][];
        double[][] op = new double[n][];
        double[][] svd = new double[n][];
        double[][] share = new double[n][t];
        double[][] trainDiff = new double[n][t];
        double[][] totalDiff = new double[n][t];
        double[][] svdShare = new double[n][t];
        double[] testShare = new double[t];
        int[] finalWidth = new int[n];
        double[] finalAcc = new double[n];
        String[] methods = new String[n];
        for (int c = 0; c < n; c++) {
            train[c] = Arrays.copyOfRange(r.train()[c], w, r.epochs());
            test[c] = Arrays.copyOfRange(r.test()[c], w, r.epochs());
            op[c] = Arrays.copyOfRange(r.op()[c], w, r.epochs());
            svd[c] = Arrays.copyOfRange(r.svd()[c], w, r.epochs());
            finalWidth[c] = r.width()[c][r.epochs() - 1];
            finalAcc[c] = r.accuracy()[c][r.epochs() - 1];
            Map<String, Integer> count = new LinkedHashMap<>();
            for (int e = w; e < r.epochs(); e++) {
                String m = r.method()[c][e];
                if (m != null && !m.isEmpty()) {
                    count.merge(m, 1, Integer::sum);
                }
            }
            List<String> parts = new ArrayList<>();
            count.forEach((m, k) -> parts.add(m + " in " + k));
            methods[c] = parts.isEmpty() ? "" : String.join(", ", parts) + " of " + t + " timed epochs";
        }
        for (int c = 0; c < n; c++) {
            for (int e = 0; e < t; e++) {
                share[c][e] = op[c][e] / train[0][e];
                trainDiff[c][e] = train[c][e] - train[0][e];
                totalDiff[c][e] = train[c][e] + test[c][e] + op[c][e] - train[0][e] - test[0][e] - op[0][e];
                svdShare[c][e] = c == 0 ? Double.NaN : svd[c][e] / op[c][e];
            }
        }
        double[][] cpuRate = new double[n][t];
        for (int e = 0; e < t; e++) {
            testShare[e] = test[0][e] / train[0][e];
            for (int c = 0; c < n; c++) {
                cpuRate[c][e] = r.trainCpu()[c][w + e] / train[c][e];
            }
        }
        List<String> labels = new ArrayList<>();
        for (String id : r.cases()) {
            labels.add(LABELS[Arrays.asList(CASES).indexOf(id)]);
        }
        return new Summary(r.cases(), labels, r.widths()[LAYER + 1], t, w, r.threads(), r.testSize(), train, test, op,
                svd, share, trainDiff, totalDiff, svdShare, testShare, finalWidth, finalAcc, methods,
                Arrays.copyOfRange(r.load(), w, r.epochs()), cpuRate, r.cores());
    }

    /** {@code v - c}, element by element. */
    private static double[] minus(double[] v, double c) {
        double[] o = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = v[i] - c;
        }
        return o;
    }

    /**
     * Every sentence of the conclusion, computed from the summary (2 standard errors over the timed epochs decide
     * each claim).
     *
     * @param s the summary
     * @return the sentences
     */
    static List<String> conclusions(Summary s) {
        List<String> out = new ArrayList<>();
        int base = s.cases().indexOf("baseline");
        String epochs = s.timed() + " timed epochs";
        out.add(String.format(Locale.ROOT, "A baseline training epoch took %s s and its test evaluation (%d images) "
                        + "%s s, %s %% of a training epoch (the reference's GPU run: %.1f s and %.2f s, %.1f %%).",
                Stats.format(s.train()[base], "%.3f"), s.testSize(), Stats.format(s.test()[base], "%.3f"),
                Stats.format(Stats.scale(s.testShare(), 100), "%.1f"), PAPER_TRAIN, PAPER_TEST,
                100 * PAPER_TEST / PAPER_TRAIN));
        for (int c = 0; c < s.cases().size(); c++) {
            String id = s.cases().get(c);
            if (c == base) {
                continue;
            }
            boolean genesis = id.equals("neurogenesis");
            double paper = genesis ? PAPER_GENESIS : PAPER_DEGENERATION;
            String what = genesis ? "One neurogenesis" : id.equals("neurodegeneration-svd")
                    ? "One neurodegeneration forced through a full SVD (the reference's method)"
                    : "One neurodegeneration (the project's default path: " + s.methods()[c] + ")";
            double[] pct = Stats.scale(s.share()[c], 100);
            int below = Stats.sign(minus(pct, 1.0));
            String verdict = below < 0 ? "below 1 % of an epoch at two standard errors"
                    : below > 0 ? "above 1 % of an epoch at two standard errors"
                    : "not distinguishable from 1 % of an epoch at two standard errors";
            out.add(String.format(Locale.ROOT, "%s of hidden layer 2 (width %d at the start) took %s ms, %s %% of a "
                            + "baseline training epoch (mean ± SE over %s), %s; the reference: %.0f ms of %.1f s, "
                            + "%.2f %%.", what, s.layerWidth(), Stats.format(Stats.scale(s.op()[c], 1e3), "%.1f"),
                    Stats.format(pct, "%.2f"), epochs, verdict, 1e3 * paper, PAPER_TRAIN, 100 * paper / PAPER_TRAIN));
            int d = Stats.sign(s.trainDiff()[c]);
            double[] rel = new double[s.timed()];
            for (int e = 0; e < rel.length; e++) {
                rel[e] = 100 * s.trainDiff()[c][e] / s.train()[base][e];
            }
            int dt = Stats.sign(s.totalDiff()[c]);
            out.add(String.format(Locale.ROOT, "With %s, the training epochs were %s: %s s (%s %%) against the "
                            + "baseline, paired by epoch; the whole epoch (train + test + operation) %s (%s s).",
                    LABELS[Arrays.asList(CASES).indexOf(id)],
                    d > 0 ? "longer at two standard errors" : d < 0 ? "shorter at two standard errors"
                            : "not different beyond two standard errors",
                    Stats.format(s.trainDiff()[c], "%+.3f"), Stats.format(rel, "%+.2f"),
                    dt > 0 ? "longer" : dt < 0 ? "shorter" : "not different beyond two standard errors",
                    Stats.format(s.totalDiff()[c], "%+.3f")));
        }
        int g = s.cases().indexOf("neurogenesis");
        if (g >= 0) {
            double[] pct = Stats.scale(s.svdShare()[g], 100);
            int half = Stats.sign(minus(pct, 50));
            out.add(String.format(Locale.ROOT, "An SVD of W_1 (the left factor, as neurogenesis computes it) took %s ms "
                            + "alone, %s %% of the neurogenesis time: the SVD is %s of the operation.",
                    Stats.format(Stats.scale(s.svd()[g], 1e3), "%.1f"), Stats.format(pct, "%.0f"),
                    half > 0 ? "most" : half < 0 ? "less than half" : "about half (not distinguishable from 50 % at two "
                            + "standard errors)"));
        }
        int fast = s.cases().indexOf("neurodegeneration");
        int full = s.cases().indexOf("neurodegeneration-svd");
        if (fast >= 0 && full >= 0) {
            double[] diff = new double[s.timed()];
            double[] ratio = new double[s.timed()];
            for (int e = 0; e < diff.length; e++) {
                diff[e] = s.op()[fast][e] - s.op()[full][e];
                ratio[e] = s.op()[fast][e] / s.op()[full][e];
            }
            int sd = Stats.sign(diff);
            out.add(String.format(Locale.ROOT, "The default neurodegeneration (%s) took %s times as long as the "
                            + "full-SVD one (difference %s ms): %s.", s.methods()[fast], Stats.format(ratio, "%.2f"),
                    Stats.format(Stats.scale(diff, 1e3), "%+.1f"), sd < 0 ? "faster at two standard errors"
                            : sd > 0 ? "slower at two standard errors" : "not different beyond two standard errors"));
        }
        StringBuilder w = new StringBuilder();
        for (int c = 0; c < s.cases().size(); c++) {
            w.append(c == 0 ? "" : "; ").append(String.format(Locale.ROOT, "%s: width %d, test accuracy %.2f %%",
                    s.cases().get(c), s.finalWidth()[c], 100 * s.finalAccuracy()[c]));
        }
        out.add("After the last epoch (one run each, not a comparison of accuracy): " + w + ".");
        if (!Double.isNaN(s.load()[0]) && !Double.isNaN(s.cpuRate()[base][0])) {
            int busy = Stats.sign(minus(s.load(), s.cores()));
            out.add(String.format(Locale.ROOT, "The machine's 1-minute load average over the timed epochs was %s on %d "
                            + "cores: %s; during the baseline's training passes the process used %s CPU seconds per "
                            + "second with %d backend thread(s).", Stats.format(s.load(), "%.2f"), s.cores(),
                    busy > 0 ? "more runnable work than cores at two standard errors, so the times include waiting "
                            + "for other processes and are longer than on an idle machine"
                            : busy < 0 ? "fewer runnable tasks than cores at two standard errors"
                            : "about as much runnable work as cores (not distinguishable at two standard errors)",
                    Stats.format(s.cpuRate()[base], "%.2f"), s.threads()));
        }
        return out;
    }

    private static String markdown(Summary s, RunRecord r, List<String> text, String data) {
        StringBuilder md = new StringBuilder("## Experiment 0: timing of neuro-operations\n\n");
        md.append(String.format(Locale.ROOT, "Network %s on %s (%d training, %d test images), o TRAINABLE (o_0 = 1e-6), "
                        + "psi TRAINABLE_DECAY (lambda 0.1), AdamW lr 1e-3, weight decay 1e-3, batches of 48, inputs standardised with training statistics. Four "
                        + "cases from the same initial weights and batch order: %s. Each neuro-operation acts on hidden "
                        + "layer 2 (Restructure layer 1, the reference's \"layer 1\") once after every epoch, before "
                        + "the evaluation, with the optimiser state transformed. The cases' epochs are interleaved "
                        + "(epoch e of every case before epoch e + 1 of any, the order rotated each epoch) on one thread "
                        + "of execution with backend %s, %d thread(s); nothing else of the experiment runs meanwhile. "
                        + "Timed separately: the training pass (every batch's step), the test evaluation, the "
                        + "neuro-operation; an SVD of W_1 is timed beside the operation, outside those intervals. %d "
                        + "warm-up epochs excluded, %d timed (the reference: 5 and 25); mean ± standard error over the "
                        + "timed epochs.%n%n", Arrays.toString(r.widths()), data, r.trainSize(), r.testSize(),
                String.join("; ", s.labels()),
                r.backend(), s.threads(), s.warmup(), s.timed()));
        md.append("### Conclusions (computed from the numbers below)\n\n");
        for (String t : text) {
            md.append("- ").append(t).append('\n');
        }
        md.append("\n### Times per epoch\n\n");
        md.append("| case | train (s) | test (s) | neuro-op (ms) | SVD of W_1 (ms) | total (s) | op / baseline train (%) "
                + "| CPU s per s in training | width after |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (int c = 0; c < s.cases().size(); c++) {
            double[] total = new double[s.timed()];
            for (int e = 0; e < total.length; e++) {
                total[e] = s.train()[c][e] + s.test()[c][e] + s.op()[c][e];
            }
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %d |%n", s.cases().get(c),
                    Stats.format(s.train()[c], "%.3f"), Stats.format(s.test()[c], "%.3f"),
                    c == 0 ? "-" : Stats.format(Stats.scale(s.op()[c], 1e3), "%.1f"),
                    Stats.format(Stats.scale(s.svd()[c], 1e3), "%.1f"), Stats.format(total, "%.3f"),
                    c == 0 ? "-" : Stats.format(Stats.scale(s.share()[c], 100), "%.3f"),
                    Stats.format(s.cpuRate()[c], "%.2f"), s.finalWidth()[c]));
        }
        md.append(String.format(Locale.ROOT, "%nThe reference (GPU, CIFAR-10 3072-500-500-10, 25 timed epochs): baseline "
                + "train %.3f s, test %.3f s; neurodegeneration %.0f ms, neurogenesis %.0f ms (%.2f %% and %.2f %% of an "
                + "epoch).%n%n", PAPER_TRAIN, PAPER_TEST, 1e3 * PAPER_DEGENERATION, 1e3 * PAPER_GENESIS,
                100 * PAPER_DEGENERATION / PAPER_TRAIN, 100 * PAPER_GENESIS / PAPER_TRAIN));
        md.append("![epoch times](timing/epochs.png)\n![neuro-operations](timing/operations.png)\n\n");
        return md.toString();
    }

    private static void charts(Path dir, RunRecord r, Summary s) throws IOException {
        double[] x = new double[r.epochs()];
        for (int e = 0; e < x.length; e++) {
            x[e] = e + 1;
        }
        Map<String, double[]> tr = new LinkedHashMap<>();
        for (int c = 0; c < r.cases().size(); c++) {
            tr.put(r.cases().get(c), r.train()[c]);
        }
        Charts.lines(dir.resolve("epochs.png"), "Training-pass time per epoch (epochs 1-" + r.warmup() + " warm-up)",
                "epoch", "seconds", x, tr, false);
        Map<String, double[]> ops = new LinkedHashMap<>();
        List<String> cats = new ArrayList<>();
        double[] opMs = new double[r.cases().size() - 1];
        double[] svdMs = new double[opMs.length];
        int k = 0;
        for (int c = 0; c < r.cases().size(); c++) {
            if (r.cases().get(c).equals("baseline")) {
                continue;
            }
            cats.add(r.cases().get(c));
            opMs[k] = 1e3 * Stats.mean(s.op()[c]);
            svdMs[k] = 1e3 * Stats.mean(s.svd()[c]);
            k++;
        }
        ops.put("neuro-operation", opMs);
        ops.put("one SVD of W_1 alone", svdMs);
        Charts.bars(dir.resolve("operations.png"), "Neuro-operation time, mean over " + s.timed() + " timed epochs",
                "milliseconds", cats, ops);
    }

    private static double[] column(double[][] a, int e) {
        double[] c = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i][e];
        }
        return c;
    }

    private static int[] column(int[][] a, int e) {
        int[] c = new int[a.length];
        for (int i = 0; i < a.length; i++) {
            c[i] = a[i][e];
        }
        return c;
    }

    private static String fmt(double[] v, String f) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, f, v[i]));
        }
        return sb.append(']').toString();
    }
}
