package io.isotropic.cli.experiments;

import io.isotropic.data.Dataset;
import io.isotropic.nn.ActivationKind;
import io.isotropic.nn.IntrinsicLengthMode;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.nn.LinearCorrectionMode;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Seeds;
import io.isotropic.tensor.Tensor;
import io.isotropic.train.Adam;
import io.isotropic.train.EpochMetrics;
import io.isotropic.train.Optimizer;
import io.isotropic.train.Trainer;
import io.isotropic.train.TrainingDivergedException;
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
 * Experiment 2 (method.md 11.2): how the singular values of every layer's weights evolve at a learning rate raised on
 * purpose, for the isotropic network (o TRAINABLE, psi TRAINABLE_DECAY) and an element-wise tanh network of the same
 * layout (same orthogonal initial weights from the same seed, zero biases, no psi, the same batch order). Every
 * epoch records each layer's singular values, bias norms, the test accuracy and loss. The reference used it to
 * choose the scaffold threshold tau and reported that the isotropic network is stable at this learning rate where
 * element-wise tanh is not; {@link #conclusions} tests both against the numbers (2 standard errors over the paired
 * repeats decide each claim) and says where they do not hold.
 */
final class SpectraExperiment {
    /** The models, in index order. */
    static final String[] MODELS = {"isotropic", "tanh"};
    /** The raised learning rate of the reference. */
    static final double LR = 5e-2;
    /** An epoch-to-epoch fall of test accuracy larger than this (points) counts as a drop. */
    static final double DROP_POINTS = 2.0;
    /** A layer's largest singular value peaking above this multiple of its initial value counts as a blow-up. */
    static final double BLOW_UP = 10.0;
    /** A final effective rank below this share of the initial one counts as a collapse. */
    static final double COLLAPSE = 0.5;
    /** Singular values below this share of the layer's largest count as near zero. */
    static final double NEAR_ZERO = 1e-2;
    /** The smallest ratio of neighbouring singular values that counts as a gap for tau. */
    static final double GAP = 2.0;
    /** Thresholds of the reference: experiment 3's tau and the controller's default. */
    static final double[] REFERENCE_TAUS = {0.95, 0.1};

    private SpectraExperiment() {
    }

    /**
     * What one run recorded (epochs 0-based; arrays end early, NaN-filled, if the run diverged).
     *
     * @param repeat the repeat (it fixes the initial weights and the batch order, shared by both models)
     * @param model "isotropic" or "tanh"
     * @param widths layer widths
     * @param lr learning rate
     * @param initialSigma {@code [layer][i]} singular values of {@code W_l} before training, descending
     * @param sigma {@code [epoch][layer][i]} singular values of {@code W_l} after the epoch, descending
     * @param biasNorm {@code [epoch][layer]} Euclidean norm of {@code b_l}
     * @param psiNorm {@code [epoch][hidden layer]} norm of {@code psi_l} (NaN without psi)
     * @param intrinsicLength {@code [epoch][hidden layer]} {@code o_l} (NaN without)
     * @param testAccuracy {@code [epoch]} test accuracy
     * @param testLoss {@code [epoch]} test loss
     * @param trainLoss {@code [epoch]} mean training loss over the epoch
     * @param divergedAt the epoch in which training diverged, or -1
     * @param divergence the divergence message, or ""
     * @param seconds wall time of the run
     */
    record RunRecord(int repeat, String model, int[] widths, double lr, double[][] initialSigma, double[][][] sigma,
                     double[][] biasNorm, double[][] psiNorm, double[][] intrinsicLength, double[] testAccuracy,
                     double[] testLoss, double[] trainLoss, int divergedAt, String divergence, double seconds) {
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
        int hidden = quick ? 32 : 100;
        int[] widths = {data.train().featureCount(), hidden, hidden, data.train().classes()};
        int epochs = quick ? 4 : 40;
        int repeats = ctx.repeats(quick ? 2 : 10);
        List<Runs.Job<RunRecord>> jobs = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            for (String m : MODELS) {
                int rr = r;
                jobs.add(new Runs.Job<>("r" + r + "-" + m,
                        be -> train(be, ctx, data.train(), data.test(), widths, epochs, rr, m)));
            }
        }
        Path dir = ctx.dir("spectra");
        long t0 = System.nanoTime();
        List<RunRecord> all = Runs.execute(ctx, dir, RunRecord.class, jobs);
        Summary sum = summarise(all);
        List<String> text = conclusions(sum);
        charts(dir, all, sum);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("data", data.name());
        json.put("train_size", data.train().size());
        json.put("test_size", data.test().size());
        json.put("widths", widths);
        json.put("epochs", epochs);
        json.put("repeats", repeats);
        json.put("learning_rate", LR);
        Runs.writeResults(ctx, dir, "spectra", null, t0, all, null, sum, text, json);
        return markdown(sum, text, data, widths, epochs, repeats);
    }

    /** Builds the model of the given kind: the same initial weights for both (same seed, same draws). */
    static IsotropicMlp build(Backend be, DType dtype, int[] widths, int repeat, String model) {
        boolean iso = model.equals("isotropic");
        return IsotropicMlp.builder(widths).dtype(dtype)
                .activation(iso ? ActivationKind.ISOTROPIC_TANH : ActivationKind.ELEMENTWISE_TANH)
                .intrinsicLength(iso ? IntrinsicLengthMode.TRAINABLE : IntrinsicLengthMode.NONE, 1e-6)
                .linearCorrection(iso ? LinearCorrectionMode.TRAINABLE_DECAY : LinearCorrectionMode.NONE, 0.1)
                .seed(Seeds.mix(2002, repeat)).build(be);
    }

    /** Trains one model and records its spectra every epoch. */
    static RunRecord train(Backend be, ExperimentContext ctx, Dataset train, Dataset test, int[] widths, int epochs,
                           int repeat, String model) {
        long t0 = System.nanoTime();
        IsotropicMlp net = build(be, ctx.dtype(), widths, repeat, model);
        int layers = widths.length - 1;
        double[][] init = new double[layers][];
        for (int l = 0; l < layers; l++) {
            init[l] = spectrum(net, l);
        }
        double[][][] sigma = new double[epochs][][];
        double[][] bias = new double[epochs][layers];
        double[][] psi = new double[epochs][layers - 1];
        double[][] len = new double[epochs][layers - 1];
        double[] acc = new double[epochs];
        double[] loss = new double[epochs];
        double[] trainLoss = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            sigma[e] = new double[layers][];
            for (int l = 0; l < layers; l++) {
                sigma[e][l] = new double[init[l].length];
                Arrays.fill(sigma[e][l], Double.NaN);
            }
            Arrays.fill(bias[e], Double.NaN);
            Arrays.fill(psi[e], Double.NaN);
            Arrays.fill(len[e], Double.NaN);
        }
        Arrays.fill(acc, Double.NaN);
        Arrays.fill(loss, Double.NaN);
        Arrays.fill(trainLoss, Double.NaN);
        int[] done = {0};
        TrainingListener rec = new TrainingListener() {
            @Override
            public void onEpochEnd(EpochMetrics m, IsotropicMlp n, Optimizer o) {
                int e = m.epoch();
                for (int l = 0; l < layers; l++) {
                    sigma[e][l] = spectrum(n, l);
                    bias[e][l] = n.bias(l).frobeniusNorm();
                }
                for (int l = 0; l < layers - 1; l++) {
                    Tensor p = n.psi(l);
                    psi[e][l] = p == null ? Double.NaN : p.frobeniusNorm();
                    len[e][l] = n.intrinsicLengthMode() == IntrinsicLengthMode.NONE ? Double.NaN : n.intrinsicLength(l);
                }
                acc[e] = m.test().accuracy();
                loss[e] = m.test().loss();
                trainLoss[e] = m.trainLoss();
                done[0] = e + 1;
                if ((e + 1) % Math.max(1, epochs / 4) == 0) {
                    synchronized (ctx.log()) {
                        ctx.log().printf(Locale.ROOT, "  spectra: r%d %s epoch %d/%d test %.2f %% sigma_max %s%n",
                                repeat, model, e + 1, epochs, 100 * acc[e], maxima(sigma[e]));
                        ctx.log().flush();
                    }
                }
            }
        };
        int diverged = -1;
        String why = "";
        try {
            Trainer.builder().epochs(epochs).batchSize(48).seed(Seeds.mix(2003, repeat)).listener(rec).build()
                    .fit(net, Adam.adamW(LR, 1e-3), train, test);
        } catch (TrainingDivergedException ex) {
            diverged = done[0];
            why = ex.getMessage();
            synchronized (ctx.log()) {
                ctx.log().printf("  spectra: r%d %s diverged in epoch %d: %s%n", repeat, model, diverged + 1, why);
                ctx.log().flush();
            }
        }
        return new RunRecord(repeat, model, widths.clone(), LR, init, sigma, bias, psi, len, acc, loss, trainLoss,
                diverged, why, (System.nanoTime() - t0) / 1e9);
    }

    /** Singular values of {@code W_l}, descending (min(m, n) of them). */
    private static double[] spectrum(IsotropicMlp net, int l) {
        return net.backend().singularValues(net.weight(l).to(DType.F64)).toDoubleArray();
    }

    private static String maxima(double[][] s) {
        StringBuilder sb = new StringBuilder("[");
        for (int l = 0; l < s.length; l++) {
            sb.append(l == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3g", s[l][0]));
        }
        return sb.append(']').toString();
    }

    /**
     * The numbers the conclusions are computed from; {@code [model]} is 0 isotropic, 1 tanh, {@code [r]} the repeat
     * (paired across models), accuracies in points.
     *
     * @param repeats paired repeats
     * @param epochs epochs per run
     * @param widths layer widths
     * @param diverged {@code [model]} runs that diverged (their accuracy counts as chance from then on)
     * @param finalAccuracy {@code [model][r]} test accuracy after the last epoch
     * @param bestAccuracy {@code [model][r]} best test accuracy over the epochs
     * @param drops {@code [model][r]} epochs whose accuracy fell by more than {@link #DROP_POINTS} from the previous
     * @param largestFall {@code [model][r]} largest epoch-to-epoch fall
     * @param drawdown {@code [model][r]} largest fall below the best accuracy so far
     * @param wobble {@code [model][r]} mean absolute epoch-to-epoch change over the second half of training
     * @param peakGrowth {@code [model][layer][r]} the largest singular value's peak over its initial value
     * @param finalGrowth {@code [model][layer][r]} the largest singular value's final over its initial value
     * @param rankRatio {@code [model][layer][r]} effective rank (exp of the entropy of sigma / sum sigma) at the end
     *        over its initial value
     * @param nearZero {@code [model][layer][r]} final singular values below {@link #NEAR_ZERO} of the largest
     * @param smallest {@code [model][layer][r]} the final smallest singular value
     * @param biasNorm {@code [model][layer][r]} final bias norm
     * @param gapLow {@code [layer][r]} isotropic hidden-output layers ({@code l <= L-2}): the singular value just below
     *        the largest ratio of neighbouring final singular values
     * @param gapHigh {@code [layer][r]} the singular value just above that gap
     * @param below {@code [tau][layer][r]} share of the isotropic hidden-output layers' final singular values below
     *        each of {@link #REFERENCE_TAUS}
     */
    record Summary(int repeats, int epochs, int[] widths, int[] diverged, double[][] finalAccuracy,
                   double[][] bestAccuracy, double[][] drops, double[][] largestFall, double[][] drawdown,
                   double[][] wobble, double[][][] peakGrowth, double[][][] finalGrowth, double[][][] rankRatio,
                   double[][][] nearZero, double[][][] smallest, double[][][] biasNorm, double[][] gapLow,
                   double[][] gapHigh, double[][][] below) {
    }

    /**
     * Summarises the runs, pairing the two models by repeat.
     *
     * @param runs every run, both models of every repeat
     * @return the summary
     */
    static Summary summarise(List<RunRecord> runs) {
        List<RunRecord> iso = runs.stream().filter(r -> r.model().equals(MODELS[0])).toList();
        List<RunRecord> tanh = runs.stream().filter(r -> r.model().equals(MODELS[1])).toList();
        int n = iso.size();
        int[] widths = iso.get(0).widths();
        int layers = widths.length - 1;
        int epochs = iso.get(0).testAccuracy().length;
        double chance = 100.0 / widths[layers];
        int[] diverged = new int[2];
        double[][] fin = new double[2][n];
        double[][] best = new double[2][n];
        double[][] drops = new double[2][n];
        double[][] fall = new double[2][n];
        double[][] dd = new double[2][n];
        double[][] wob = new double[2][n];
        double[][][] peak = new double[2][layers][n];
        double[][][] fg = new double[2][layers][n];
        double[][][] rank = new double[2][layers][n];
        double[][][] zero = new double[2][layers][n];
        double[][][] small = new double[2][layers][n];
        double[][][] bias = new double[2][layers][n];
        double[][] gapLow = new double[layers - 1][n];
        double[][] gapHigh = new double[layers - 1][n];
        double[][][] below = new double[REFERENCE_TAUS.length][layers - 1][n];
        for (int m = 0; m < 2; m++) {
            List<RunRecord> rs = m == 0 ? iso : tanh;
            for (int r = 0; r < n; r++) {
                RunRecord x = rs.get(r);
                if (x.divergedAt() >= 0) {
                    diverged[m]++;
                }
                double[] a = new double[epochs];
                for (int e = 0; e < epochs; e++) {
                    a[e] = Double.isNaN(x.testAccuracy()[e]) ? chance : 100 * x.testAccuracy()[e];
                }
                fin[m][r] = a[epochs - 1];
                double top = a[0];
                double b = a[0];
                double mx = 0;
                double draw = 0;
                int cnt = 0;
                double w = 0;
                int half = epochs / 2;
                for (int e = 1; e < epochs; e++) {
                    double d = a[e - 1] - a[e];
                    cnt += d > DROP_POINTS ? 1 : 0;
                    mx = Math.max(mx, d);
                    top = Math.max(top, a[e - 1]);
                    draw = Math.max(draw, top - a[e]);
                    b = Math.max(b, a[e]);
                    if (e >= half) {
                        w += Math.abs(d) / (epochs - half);
                    }
                }
                best[m][r] = b;
                drops[m][r] = cnt;
                fall[m][r] = mx;
                dd[m][r] = draw;
                wob[m][r] = w;
                int last = lastRecorded(x);
                for (int l = 0; l < layers; l++) {
                    double s0 = x.initialSigma()[l][0];
                    double p = s0;
                    for (int e = 0; e <= last; e++) {
                        p = Math.max(p, x.sigma()[e][l][0]);
                    }
                    double[] sf = last >= 0 ? x.sigma()[last][l] : x.initialSigma()[l];
                    peak[m][l][r] = p / s0;
                    fg[m][l][r] = sf[0] / s0;
                    rank[m][l][r] = effectiveRank(sf) / effectiveRank(x.initialSigma()[l]);
                    int z = 0;
                    for (double v : sf) {
                        z += v < NEAR_ZERO * sf[0] ? 1 : 0;
                    }
                    zero[m][l][r] = z;
                    small[m][l][r] = sf[sf.length - 1];
                    bias[m][l][r] = last >= 0 ? x.biasNorm()[last][l] : 0;
                    if (m == 0 && l < layers - 1) {
                        double[] g = largestGap(sf);
                        gapLow[l][r] = g[0];
                        gapHigh[l][r] = g[1];
                        for (int t = 0; t < REFERENCE_TAUS.length; t++) {
                            int c = 0;
                            for (double v : sf) {
                                c += v < REFERENCE_TAUS[t] ? 1 : 0;
                            }
                            below[t][l][r] = (double) c / sf.length;
                        }
                    }
                }
            }
        }
        return new Summary(n, epochs, widths, diverged, fin, best, drops, fall, dd, wob, peak, fg, rank, zero, small,
                bias, gapLow, gapHigh, below);
    }

    /** The last epoch whose spectrum was recorded, or -1. */
    private static int lastRecorded(RunRecord x) {
        int last = -1;
        for (int e = 0; e < x.sigma().length; e++) {
            if (!Double.isNaN(x.sigma()[e][0][0])) {
                last = e;
            }
        }
        return last;
    }

    /** Effective rank: {@code exp(-sum p_i ln p_i)} with {@code p = sigma / sum sigma} (Roy and Vetterli). */
    static double effectiveRank(double[] s) {
        double sum = 0;
        for (double v : s) {
            sum += v;
        }
        if (!(sum > 0)) {
            return 0;
        }
        double h = 0;
        for (double v : s) {
            double p = v / sum;
            h -= p > 0 ? p * Math.log(p) : 0;
        }
        return Math.exp(h);
    }

    /**
     * The largest ratio of neighbouring singular values (descending input): {@code {below, above}}, the values on
     * either side of the gap (below may be 0, an infinite ratio).
     */
    static double[] largestGap(double[] s) {
        double best = 0;
        double[] g = {s[s.length - 1], s[s.length - 1]};
        for (int i = 0; i + 1 < s.length; i++) {
            double ratio = s[i + 1] > 0 ? s[i] / s[i + 1] : Double.POSITIVE_INFINITY;
            if (ratio > best) {
                best = ratio;
                g = new double[] {s[i + 1], s[i]};
            }
        }
        return g;
    }

    private static double[] minus(double[] v, double c) {
        double[] o = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = v[i] - c;
        }
        return o;
    }

    private static double[] log(double[] v) {
        double[] o = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = Math.log(v[i]);
        }
        return o;
    }

    private static String layerName(int[] widths, int l) {
        return String.format(Locale.ROOT, "W_%d (%d x %d)", l, widths[l + 1], widths[l]);
    }

    /**
     * Every sentence of the conclusion, computed from the summary (2 standard errors over the paired repeats decide
     * each claim).
     *
     * @param s the summary
     * @return the sentences
     */
    static List<String> conclusions(Summary s) {
        List<String> out = new ArrayList<>();
        int half = s.epochs() / 2;
        String[] names = {"Isotropic", "Element-wise tanh"};
        for (int m = 0; m < 2; m++) {
            out.add(String.format(Locale.ROOT, "%s: final test accuracy %s %% (best %s %%); per run, %s of %d "
                            + "epoch-to-epoch changes fell by more than %.0f points, the largest fall %s points, the "
                            + "largest drawdown below the best so far %s points, the mean absolute change over the last "
                            + "%d epochs %s points%s.", names[m], Stats.format(s.finalAccuracy()[m], "%.2f"),
                    Stats.format(s.bestAccuracy()[m], "%.2f"), Stats.format(s.drops()[m], "%.1f"), s.epochs() - 1,
                    DROP_POINTS, Stats.format(s.largestFall()[m], "%.2f"), Stats.format(s.drawdown()[m], "%.2f"),
                    s.epochs() - half, Stats.format(s.wobble()[m], "%.2f"), s.diverged()[m] == 0 ? ""
                            : String.format(Locale.ROOT, "; %d of %d runs diverged (a non-finite loss; accuracy counted "
                            + "as chance from then on)", s.diverged()[m], s.repeats())));
        }
        double[] dDrops = Stats.diff(s.drops()[1], s.drops()[0]);
        double[] dDraw = Stats.diff(s.drawdown()[1], s.drawdown()[0]);
        double[] dWob = Stats.diff(s.wobble()[1], s.wobble()[0]);
        double[] dFin = Stats.diff(s.finalAccuracy()[0], s.finalAccuracy()[1]);
        int sDrops = Stats.sign(dDrops);
        int sDraw = Stats.sign(dDraw);
        int sWob = Stats.sign(dWob);
        int sFin = Stats.sign(dFin);
        out.add(String.format(Locale.ROOT, "Element-wise minus isotropic, paired by repeat: drops %s (%s), drawdown %s "
                        + "points (%s), mean absolute change over the last %d epochs %s points (%s); final accuracy, "
                        + "isotropic minus element-wise, %s points (%s).", Stats.format(dDrops, "%+.1f"),
                judge(sDrops, "more element-wise drops", "fewer element-wise drops"), Stats.format(dDraw, "%+.2f"),
                judge(sDraw, "deeper for element-wise", "shallower for element-wise"), s.epochs() - half,
                Stats.format(dWob, "%+.2f"), judge(sWob, "element-wise oscillates more", "element-wise oscillates less"),
                Stats.format(dFin, "%+.2f"), judge(sFin, "isotropic higher", "isotropic lower")));
        boolean tanhWorse = sDrops > 0 || sDraw > 0 || sWob > 0 || s.diverged()[1] > s.diverged()[0];
        boolean isoWorse = sDrops < 0 || sDraw < 0 || sWob < 0 || s.diverged()[0] > s.diverged()[1];
        if (tanhWorse && !isoWorse && sFin >= 0) {
            out.add("The reference's claim, that the isotropic network is stable at this raised learning rate where "
                    + "element-wise tanh is not, holds here: element-wise tanh is less stable on at least one measure "
                    + "above at two standard errors, on none more stable, and the isotropic network ends "
                    + (sFin > 0 ? "higher." : "no lower."));
        } else {
            List<String> why = new ArrayList<>();
            if (!tanhWorse) {
                why.add(String.format(Locale.ROOT, "element-wise tanh is not less stable on any measure at two standard "
                        + "errors (drops %s, drawdown %s, oscillation %s)", Stats.format(dDrops, "%+.1f"),
                        Stats.format(dDraw, "%+.2f"), Stats.format(dWob, "%+.2f")));
            }
            if (isoWorse) {
                why.add("the isotropic network is less stable on at least one measure");
            }
            if (sFin < 0) {
                why.add(String.format(Locale.ROOT, "the isotropic network ends lower (%s points)",
                        Stats.format(dFin, "%+.2f")));
            }
            out.add("The reference's claim, that the isotropic network is stable at this raised learning rate where "
                    + "element-wise tanh is not, does not hold here: " + String.join("; ", why) + ".");
        }
        double isoDropsMean = Stats.mean(s.drops()[0]);
        if (Stats.sign(s.drops()[0]) > 0) {
            out.add(String.format(Locale.ROOT, "The isotropic network itself is not free of drops: %s per run fell by "
                    + "more than %.0f points.", Stats.format(s.drops()[0], "%.1f"), DROP_POINTS));
        } else {
            out.add(String.format(Locale.ROOT, "The isotropic network's drops (%.1f per run) are not distinguishable "
                    + "from none at two standard errors.", isoDropsMean));
        }
        int layers = s.widths().length - 1;
        List<String> blow = new ArrayList<>();
        List<String> collapse = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            double[] dg = Stats.diff(log(s.peakGrowth()[1][l]), log(s.peakGrowth()[0][l]));
            double[] dr = Stats.diff(s.rankRatio()[1][l], s.rankRatio()[0][l]);
            out.add(String.format(Locale.ROOT, "%s: the largest singular value peaked at %s times its initial value "
                            + "(isotropic) and %s (element-wise), ending at %s and %s; the effective rank ended at %s "
                            + "and %s of the initial; singular values below %.0f %% of the largest: %s and %s; the "
                            + "smallest %s and %s; the bias norm %s and %s. Element-wise against isotropic: peak %s, "
                            + "effective rank %s.", layerName(s.widths(), l),
                    Stats.format(s.peakGrowth()[0][l], "%.3g"), Stats.format(s.peakGrowth()[1][l], "%.3g"),
                    Stats.format(s.finalGrowth()[0][l], "%.3g"), Stats.format(s.finalGrowth()[1][l], "%.3g"),
                    Stats.format(s.rankRatio()[0][l], "%.3f"), Stats.format(s.rankRatio()[1][l], "%.3f"),
                    100 * NEAR_ZERO, Stats.format(s.nearZero()[0][l], "%.1f"), Stats.format(s.nearZero()[1][l], "%.1f"),
                    Stats.format(s.smallest()[0][l], "%.3g"), Stats.format(s.smallest()[1][l], "%.3g"),
                    Stats.format(s.biasNorm()[0][l], "%.3g"), Stats.format(s.biasNorm()[1][l], "%.3g"),
                    judge(Stats.sign(dg), "higher", "lower"), judge(Stats.sign(dr), "higher", "lower")));
            for (int m = 0; m < 2; m++) {
                String who = MODELS[m] + " " + "W_" + l;
                if (Stats.sign(minus(s.peakGrowth()[m][l], BLOW_UP)) > 0) {
                    blow.add(who + " (" + Stats.format(s.peakGrowth()[m][l], "%.3g") + ")");
                }
                boolean rankFell = Stats.sign(minus(s.rankRatio()[m][l], COLLAPSE)) < 0;
                boolean zeros = Stats.sign(s.nearZero()[m][l]) > 0;
                if (rankFell || zeros) {
                    collapse.add(who + " (effective rank " + Stats.format(s.rankRatio()[m][l], "%.3f")
                            + " of the initial, " + Stats.format(s.nearZero()[m][l], "%.1f") + " near zero)");
                }
            }
        }
        out.add(String.format(Locale.ROOT, "Blow-up (the largest singular value peaking above %.0f times its initial "
                + "value at two standard errors): %s. Collapse (final effective rank below %.0f %% of the initial, or "
                + "singular values below %.0f %% of the largest, at two standard errors): %s.", BLOW_UP,
                blow.isEmpty() ? "none" : String.join("; ", blow), 100 * COLLAPSE, 100 * NEAR_ZERO,
                collapse.isEmpty() ? "none" : String.join("; ", collapse)));
        out.add(tau(s));
        return out;
    }

    private static String judge(int sign, String positive, String negative) {
        return sign > 0 ? positive + " at two standard errors" : sign < 0 ? negative + " at two standard errors"
                : "not distinguishable at two standard errors";
    }

    /**
     * The tau sentence: a threshold is suggested only if every isotropic hidden-output layer of every run has a gap
     * (neighbouring singular values at least {@link #GAP} apart) and one value lies inside all those gaps.
     */
    private static String tau(Summary s) {
        int hiddenOut = s.gapLow().length;
        double lo = 0;
        double hi = Double.POSITIVE_INFINITY;
        double weakest = Double.POSITIVE_INFINITY;
        double floor = Double.POSITIVE_INFINITY;
        List<String> perLayer = new ArrayList<>();
        for (int l = 0; l < hiddenOut; l++) {
            double w = Double.POSITIVE_INFINITY;
            double f = Double.POSITIVE_INFINITY;
            for (int r = 0; r < s.repeats(); r++) {
                double a = s.gapLow()[l][r];
                double b = s.gapHigh()[l][r];
                w = Math.min(w, a > 0 ? b / a : Double.POSITIVE_INFINITY);
                f = Math.min(f, s.smallest()[0][l][r]);
                lo = Math.max(lo, a);
                hi = Math.min(hi, b);
            }
            weakest = Math.min(weakest, w);
            floor = Math.min(floor, f);
            perLayer.add(String.format(Locale.ROOT, "W_%d %.2f (smallest value %.3g)", l, w, f));
        }
        StringBuilder below = new StringBuilder();
        for (int t = 0; t < REFERENCE_TAUS.length; t++) {
            double[] pooled = new double[hiddenOut * s.repeats()];
            for (int l = 0; l < hiddenOut; l++) {
                System.arraycopy(s.below()[t][l], 0, pooled, l * s.repeats(), s.repeats());
            }
            below.append(t == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %% below %s",
                    Stats.format(Stats.scale(pooled, 100), "%.1f"), REFERENCE_TAUS[t]));
        }
        String facts = "Of the isotropic hidden layers' final singular values (W_0 to W_" + (hiddenOut - 1) + "), "
                + below + ": a controller with that tau would count them as scaffold neurons.";
        String ratios = "the largest ratio of neighbouring final singular values in the weakest run, per hidden layer: "
                + String.join("; ", perLayer);
        if (weakest >= GAP && lo < hi) {
            double tau = lo > 0 ? Math.sqrt(lo * hi) : hi / 2;
            return String.format(Locale.ROOT, "Every isotropic hidden layer of every run ends with a gap of at least a "
                    + "factor %.0f between neighbouring singular values (%s), and the interval (%.3g, %.3g) lies inside "
                    + "all of them: a scaffold threshold tau = %.3g there separates the small singular values from the "
                    + "large in every run. %s", GAP, ratios, lo, hi, tau, facts);
        }
        return String.format(Locale.ROOT, "No gap-based scaffold threshold tau is suggested: %s (%s). What the spectra "
                        + "do bound: only a tau below %.3g, the smallest final singular value of any isotropic hidden "
                        + "layer in any run, leaves every singular direction of the trained networks above it, so that "
                        + "only new scaffold neurons (singular value 0) lie below. %s",
                weakest < GAP ? String.format(Locale.ROOT, "in some isotropic hidden layer the largest ratio of "
                        + "neighbouring final singular values is only %.2f (below %.0f), so the spectrum has no gap to "
                        + "put tau in", weakest, GAP)
                        : String.format(Locale.ROOT, "every layer has a gap, but no value lies inside all of them "
                        + "(the highest lower edge %.3g is above the lowest upper edge %.3g)", lo, hi), ratios, floor,
                facts);
    }

    private static String markdown(Summary s, List<String> text, ExperimentContext.Data data, int[] widths, int epochs,
                                   int repeats) {
        StringBuilder md = new StringBuilder("## Experiment 2: singular-value evolution at a raised learning rate\n\n");
        md.append(String.format(Locale.ROOT, "Network %s on %s (%d training, %d test images), AdamW lr %s (raised on "
                        + "purpose, as in the reference), weight decay 1e-3, batches of 48, %d epochs, %d paired "
                        + "repeats. Isotropic: o TRAINABLE (o_0 = 1e-6), psi TRAINABLE_DECAY (lambda 0.1). Element-wise "
                        + "tanh: the same layout, no o, no psi. Both models of a repeat get the same orthogonal initial "
                        + "weights (same seed), zero biases and the same batch order. After every epoch: the singular "
                        + "values of every W_l, the bias norms, test accuracy and loss. A drop is an epoch-to-epoch fall "
                        + "of test accuracy by more than %.0f points; the drawdown is the largest fall below the best "
                        + "accuracy so far; the effective rank is exp of the entropy of sigma / sum sigma (initially "
                        + "min(m, n), all singular values being 1). Mean ± standard error over the repeats.%n%n",
                Arrays.toString(widths), data.name(), data.train().size(), data.test().size(), LR, epochs, repeats,
                DROP_POINTS));
        md.append("### Conclusions (computed from the numbers below)\n\n");
        for (String t : text) {
            md.append("- ").append(t).append('\n');
        }
        md.append("\n### Accuracy\n\n| model | final (%) | best (%) | drops | largest fall | drawdown | last-half "
                + "mean change | diverged |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (int m = 0; m < 2; m++) {
            md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %d of %d |%n", MODELS[m],
                    Stats.format(s.finalAccuracy()[m], "%.2f"), Stats.format(s.bestAccuracy()[m], "%.2f"),
                    Stats.format(s.drops()[m], "%.1f"), Stats.format(s.largestFall()[m], "%.2f"),
                    Stats.format(s.drawdown()[m], "%.2f"), Stats.format(s.wobble()[m], "%.2f"), s.diverged()[m],
                    s.repeats()));
        }
        md.append("\n### Spectra at the end (the initial singular values are all 1, so the sigma columns are also "
                + "ratios to them)\n\n| layer | model | peak sigma_max | final "
                + "sigma_max | effective rank | near zero | smallest sigma | bias norm |\n| --- | --- | ---: | ---: | "
                + "---: | ---: | ---: | ---: |\n");
        for (int l = 0; l < widths.length - 1; l++) {
            for (int m = 0; m < 2; m++) {
                md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n",
                        layerName(widths, l), MODELS[m], Stats.format(s.peakGrowth()[m][l], "%.3g"),
                        Stats.format(s.finalGrowth()[m][l], "%.3g"), Stats.format(s.rankRatio()[m][l], "%.3f"),
                        Stats.format(s.nearZero()[m][l], "%.1f"), Stats.format(s.smallest()[m][l], "%.3g"),
                        Stats.format(s.biasNorm()[m][l], "%.3g")));
            }
        }
        md.append("\n![accuracy](spectra/accuracy.png)\n![loss](spectra/loss.png)\n"
                + "![W_2 isotropic](spectra/spectrum-W2-isotropic.png)\n![W_2 tanh](spectra/spectrum-W2-tanh.png)\n"
                + "![all layers](spectra/all-layers.png)\n\n");
        md.append("The heat maps show, after every epoch, how many of a layer's singular values fall in "
                + "each logarithmic bin, averaged over the repeats (before training all are 1; "
                + "`spectra/spectrum-W<l>-<model>.png` for every layer; "
                + "W_2, the reference's \"layer index 2\", shown above). `spectra/all-layers.png` has the largest and "
                + "smallest singular value of every layer over the epochs; `spectra/runs/*.json` hold every value.\n\n");
        return md.toString();
    }

    private static void charts(Path dir, List<RunRecord> runs, Summary s) throws IOException {
        int epochs = s.epochs();
        int layers = s.widths().length - 1;
        double[] x = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            x[e] = e + 1;
        }
        Map<String, double[]> acc = new LinkedHashMap<>();
        Map<String, double[]> loss = new LinkedHashMap<>();
        for (String m : MODELS) {
            List<RunRecord> rs = runs.stream().filter(r -> r.model().equals(m)).toList();
            acc.put(m + " (mean)", mean(rs, r -> Stats.scale(r.testAccuracy(), 100), epochs));
            loss.put(m + " (mean)", mean(rs, RunRecord::testLoss, epochs));
        }
        for (String m : MODELS) {
            RunRecord r0 = runs.stream().filter(r -> r.model().equals(m)).findFirst().orElseThrow();
            acc.put(m + " (repeat 0)", Stats.scale(r0.testAccuracy(), 100));
        }
        Charts.lines(dir.resolve("accuracy.png"), "Test accuracy at lr " + LR, "epoch", "accuracy (%)", x, acc, false);
        Charts.lines(dir.resolve("loss.png"), "Test loss at lr " + LR + ", mean over repeats", "epoch", "loss", x, loss,
                true);
        Map<String, double[]> range = new LinkedHashMap<>();
        for (int l = 0; l < layers; l++) {
            int ll = l;
            for (String m : MODELS) {
                List<RunRecord> rs = runs.stream().filter(r -> r.model().equals(m)).toList();
                range.put(m + " W_" + l + " max", mean(rs, r -> column(r, ll, true), epochs));
                range.put(m + " W_" + l + " min", mean(rs, r -> column(r, ll, false), epochs));
            }
        }
        Charts.lines(dir.resolve("all-layers.png"), "Largest and smallest singular value of every layer, mean over "
                + "repeats", "epoch", "singular value", x, range, true);
        for (int l = 0; l < layers; l++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = 0;
            for (RunRecord r : runs) {
                for (double[][] ep : r.sigma()) {
                    for (double v : ep[l]) {
                        if (v > 0 && Double.isFinite(v)) {
                            lo = Math.min(lo, v);
                            hi = Math.max(hi, v);
                        }
                    }
                }
            }
            lo = Math.max(lo, hi * 1e-6); // a decade floor keeps a lone tiny value from flattening the map
            int bins = 30;
            double a = Math.log10(lo);
            double b = Math.log10(hi) + 1e-9;
            List<String> yl = new ArrayList<>();
            for (int k = 0; k < bins; k++) {
                yl.add(String.format(Locale.ROOT, "%.2g", Math.pow(10, a + (k + 0.5) * (b - a) / bins)));
            }
            List<String> xl = new ArrayList<>();
            for (int e = 1; e <= epochs; e++) {
                xl.add(Integer.toString(e));
            }
            for (String m : MODELS) {
                List<RunRecord> rs = runs.stream().filter(r -> r.model().equals(m)).toList();
                double[][] heat = new double[epochs][bins]; // epoch 0, all values 1, would swamp the colour scale
                for (RunRecord r : rs) {
                    for (int e = 0; e < epochs; e++) {
                        double[] sv = r.sigma()[e][l];
                        for (double v : sv) {
                            if (Double.isNaN(v)) {
                                continue;
                            }
                            int k = (int) Math.floor((Math.log10(Math.max(v, lo)) - a) / (b - a) * bins);
                            heat[e][Math.max(0, Math.min(bins - 1, k))] += 1.0 / rs.size();
                        }
                    }
                }
                Charts.heatMap(dir.resolve("spectrum-W" + l + "-" + m + ".png"), String.format(Locale.ROOT,
                        "%s, %s: singular values per epoch (count per bin, mean over %d repeats)", m,
                        layerName(s.widths(), l), rs.size()), "epoch", "singular value (bin centre)", xl, yl, heat);
            }
        }
    }

    private static double[] column(RunRecord r, int l, boolean max) {
        double[] c = new double[r.sigma().length];
        for (int e = 0; e < c.length; e++) {
            double[] sv = r.sigma()[e][l];
            c[e] = max ? sv[0] : sv[sv.length - 1];
        }
        return c;
    }

    private static double[] mean(List<RunRecord> rs, java.util.function.Function<RunRecord, double[]> f, int n) {
        double[] m = new double[n];
        for (RunRecord r : rs) {
            double[] v = f.apply(r);
            for (int e = 0; e < n; e++) {
                m[e] += v[e] / rs.size();
            }
        }
        return m;
    }
}
