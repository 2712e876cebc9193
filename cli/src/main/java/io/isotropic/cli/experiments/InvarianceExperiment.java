package io.isotropic.cli.experiments;

import io.isotropic.adapt.Growth;
import io.isotropic.adapt.Metrics;
import io.isotropic.adapt.NeurodegenerationReport;
import io.isotropic.adapt.Restructure;
import io.isotropic.nn.IntrinsicLengthMode;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.nn.LinearCorrectionMode;
import io.isotropic.oracle.Invariance;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
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
 * Experiment 1 (method.md 11.1): train with each of the seven (o, psi) combinations, then from a copy fully
 * diagonalise layer 1 and grow or shrink hidden layer 2 by k neurons without retraining, and measure the change of
 * the logits (against the invariance bound the contracts use), epsilon_scaled, D_KL, the test accuracy and the layer's
 * singular-value sum. Every repeat of every combination is one run of {@link Runs}; every sentence of the conclusion
 * is computed by {@link #conclusions} from the numbers.
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

    /** Index in {@link #COMBINATIONS} of the default (o trainable, psi trainable+decay). */
    static final int DEFAULT = 2;
    /** Index of (o trainable, psi none): nothing absorbs the removed biases but o. */
    static final int NO_PSI = 3;
    /** Index of (o none, psi trainable+decay): nothing absorbs them but psi. */
    static final int NO_O = 0;

    static String label(int c) {
        Object[] m = COMBINATIONS[c];
        return "o " + m[0].toString().toLowerCase(Locale.ROOT) + ", psi "
                + m[1].toString().toLowerCase(Locale.ROOT).replace("trainable_decay", "trainable+decay");
    }

    /**
     * One trained network and its resized copies: per k (in the order of {@code ks}) the measured changes.
     *
     * @param combo index in {@link #COMBINATIONS}
     * @param repeat repeat index (seeds 1000 + r, 2000 + r, 3000 + r)
     * @param baseAccuracy test accuracy before resizing, in [0, 1]
     * @param sigma0 sum of layer 1's singular values before
     * @param ks the resizings (k > 0 neurogenesis, k < 0 neurodegeneration)
     * @param maxAbs per k, {@code max |z_post - z_pre|} over the test logits
     * @param tolerance per k, the invariance bound {@code (4 L n u + 60 n u_64)(1 + |z|_inf)} for that network
     * @param eps per k, epsilon_scaled in percent
     * @param kl per k, D_KL in nats
     * @param dacc per k, change of test accuracy in points
     * @param dsig per k, {@code sum sigma before - after} of layer 1
     * @param removedSigma per k, the sum of the removed singular values (0 for k >= 0)
     * @param seconds wall time of the run
     */
    record RunRecord(int combo, int repeat, double baseAccuracy, double sigma0, int[] ks, double[] maxAbs,
                     double[] tolerance, double[] eps, double[] kl, double[] dacc, double[] dsig, double[] removedSigma,
                     double seconds) {
    }

    /** The experiment's scale. */
    record Scale(int width, int[] ks, int epochs, int repeats) {
    }

    static Scale scale(ExperimentContext ctx) {
        return ctx.quick() ? new Scale(32, new int[] {16, 8, 1, 0, -1, -8, -16}, 2, ctx.repeats(2))
                : new Scale(100, new int[] {75, 50, 25, 5, 1, 0, -1, -5, -25, -50, -75}, 50, ctx.repeats(5));
    }

    static String run(ExperimentContext ctx) throws IOException {
        ExperimentContext.Data data = ctx.primary();
        Scale sc = scale(ctx);
        Path dir = ctx.dir("invariance");
        List<Runs.Job<RunRecord>> jobs = new ArrayList<>();
        for (int c = 0; c < COMBINATIONS.length; c++) {
            for (int r = 0; r < sc.repeats(); r++) {
                int cc = c;
                int rr = r;
                jobs.add(new Runs.Job<>("c" + c + "-r" + r, be -> train(be, ctx, data, sc, cc, rr)));
            }
        }
        long t0 = System.nanoTime();
        List<RunRecord> runs = Runs.execute(ctx, dir, RunRecord.class, jobs);
        Summary s = summarise(runs, sc.ks());
        List<String> text = conclusions(s);
        charts(dir, s);
        Runs.writeResults(ctx, dir, "invariance", data, t0, runs, sc, s, text, Map.of("combinations", java.util.stream.IntStream.range(0, COMBINATIONS.length)
                .mapToObj(InvarianceExperiment::label).toList()));
        return markdown(s, text, data, sc);
    }

    private static RunRecord train(Backend be, ExperimentContext ctx, ExperimentContext.Data data, Scale sc, int c,
                                   int r) {
        long t0 = System.nanoTime();
        int n0 = data.train().featureCount();
        IsotropicMlp net = IsotropicMlp.builder(n0, sc.width(), sc.width(), data.train().classes()).dtype(ctx.dtype())
                .intrinsicLength((IntrinsicLengthMode) COMBINATIONS[c][0], 1e-6)
                .linearCorrection((LinearCorrectionMode) COMBINATIONS[c][1], 0.1).seed(1000 + r).build(be);
        Trainer.builder().epochs(sc.epochs()).batchSize(48).seed(2000 + r).build()
                .fit(net, Adam.adamW(1e-3, 1e-3), data.train(), null);
        Tensor pre = net.predict(data.test().features()); // also stores EXPECTATION gains (whole test set)
        double a0 = Evaluation.of(net, data.test(), data.test().size(), Loss.CROSS_ENTROPY).accuracy();
        double sigma0 = sum(be.singularValues(net.weight(1).to(DType.F64)));
        int[] ks = sc.ks();
        int n = ks.length;
        double[] maxAbs = new double[n];
        double[] tol = new double[n];
        double[] eps = new double[n];
        double[] kl = new double[n];
        double[] dacc = new double[n];
        double[] dsig = new double[n];
        double[] removed = new double[n];
        IsotropicMlp diagonal = net.copy(); // diagonalised once; every resize starts from a copy of it
        Restructure.fullDiagonalise(diagonal, 1, null);
        for (int i = 0; i < n; i++) {
            IsotropicMlp copy = diagonal.copy();
            int k = ks[i];
            if (k > 0) {
                Restructure.neurogenesis(copy, 1, k, Growth.reference(3000 + r), null);
            } else if (k < 0) {
                NeurodegenerationReport rep = Restructure.neurodegeneration(copy, 1, -k, null, null);
                for (double v : rep.singularValues()) {
                    removed[i] += v;
                }
            }
            Tensor post = copy.predict(data.test().features());
            maxAbs[i] = Invariance.maxDiff(pre, post);
            tol[i] = Invariance.of(copy, pre).value();
            eps[i] = Metrics.epsilonScaled(pre, post);
            kl[i] = Metrics.klDivergence(pre, post);
            dacc[i] = 100 * (Evaluation.of(copy, data.test(), data.test().size(), Loss.CROSS_ENTROPY).accuracy() - a0);
            dsig[i] = sigma0 - sum(be.singularValues(copy.weight(1).to(DType.F64)));
        }
        ctx.log().printf("  invariance: %s repeat %d done (accuracy %.2f%%)%n", label(c), r + 1, 100 * a0);
        ctx.log().flush();
        return new RunRecord(c, r, a0, sigma0, ks, maxAbs, tol, eps, kl, dacc, dsig, removed,
                (System.nanoTime() - t0) / 1e9);
    }

    private static double sum(Tensor t) {
        double s = 0;
        for (int i = 0; i < t.size(); i++) {
            s += t.getFlat(i);
        }
        return s;
    }

    /**
     * The numbers the conclusions are computed from: per combination, per k, the values over repeats.
     *
     * @param ks the resizings
     * @param baseAccuracy [combo][repeat] in percent
     * @param eps [combo][k][repeat] epsilon_scaled in percent
     * @param kl [combo][k][repeat] D_KL
     * @param dacc [combo][k][repeat] accuracy change in points
     * @param dsig [combo][k][repeat] singular-value sum change
     * @param withinTolerance [combo][k] repeats whose max-abs logit change is within the invariance bound
     * @param worstRatio [combo][k] largest {@code max|dz| / bound} over repeats
     * @param removedSigma [combo][k][repeat] sum of removed singular values
     */
    record Summary(int[] ks, double[][] baseAccuracy, double[][][] eps, double[][][] kl, double[][][] dacc,
                   double[][][] dsig, int[][] withinTolerance, double[][] worstRatio, double[][][] removedSigma) {
    }

    static Summary summarise(List<RunRecord> runs, int[] ks) {
        int combos = COMBINATIONS.length;
        int[] reps = new int[combos];
        for (RunRecord r : runs) {
            reps[r.combo()]++;
        }
        double[][] base = new double[combos][];
        double[][][] eps = new double[combos][ks.length][];
        double[][][] kl = new double[combos][ks.length][];
        double[][][] dacc = new double[combos][ks.length][];
        double[][][] dsig = new double[combos][ks.length][];
        double[][][] rem = new double[combos][ks.length][];
        int[][] within = new int[combos][ks.length];
        double[][] worst = new double[combos][ks.length];
        for (int c = 0; c < combos; c++) {
            base[c] = new double[reps[c]];
            for (int i = 0; i < ks.length; i++) {
                eps[c][i] = new double[reps[c]];
                kl[c][i] = new double[reps[c]];
                dacc[c][i] = new double[reps[c]];
                dsig[c][i] = new double[reps[c]];
                rem[c][i] = new double[reps[c]];
            }
        }
        int[] seen = new int[combos];
        for (RunRecord r : runs) {
            int c = r.combo();
            int j = seen[c]++;
            base[c][j] = 100 * r.baseAccuracy();
            for (int i = 0; i < ks.length; i++) {
                eps[c][i][j] = r.eps()[i];
                kl[c][i][j] = r.kl()[i];
                dacc[c][i][j] = r.dacc()[i];
                dsig[c][i][j] = r.dsig()[i];
                rem[c][i][j] = r.removedSigma()[i];
                double ratio = r.maxAbs()[i] / r.tolerance()[i];
                within[c][i] += ratio <= 1 ? 1 : 0;
                worst[c][i] = Math.max(worst[c][i], ratio);
            }
        }
        return new Summary(ks, base, eps, kl, dacc, dsig, within, worst, rem);
    }

    /** Every sentence of the conclusion, computed from the summary (two standard errors decide each comparison). */
    static List<String> conclusions(Summary s) {
        List<String> out = new ArrayList<>();
        int[] ks = s.ks();
        int combos = s.eps().length;
        // 1. neurogenesis and the full diagonalisation (k >= 0): within the invariance bound?
        int cases = 0;
        int within = 0;
        double worst = 0;
        double accWorst = 0;
        for (int c = 0; c < combos; c++) {
            for (int i = 0; i < ks.length; i++) {
                if (ks[i] >= 0) {
                    cases += s.eps()[c][i].length;
                    within += s.withinTolerance()[c][i];
                    worst = Math.max(worst, s.worstRatio()[c][i]);
                    for (double d : s.dacc()[c][i]) {
                        accWorst = Math.max(accWorst, Math.abs(d));
                    }
                }
            }
        }
        if (within == cases) {
            out.add(String.format(Locale.ROOT, "Neurogenesis and the full diagonalisation (k >= 0) left the logits within "
                    + "the invariance bound in %s cases (largest change %.2g of the bound): the function is unchanged "
                    + "up to rounding; the test accuracy changed by at most %.2f points.", Stats.count(within, cases),
                    worst, accWorst));
        } else {
            out.add(String.format(Locale.ROOT, "Neurogenesis and the full diagonalisation (k >= 0) did NOT stay within the "
                    + "invariance bound: %d of %d cases exceed it (largest change %.2f times the bound); the test "
                    + "accuracy changed by up to %.2f points.", cases - within, cases, worst, accWorst));
        }
        // 2. neurodegeneration: does the change grow with the number removed?
        List<Integer> removals = new ArrayList<>();
        for (int i = 0; i < ks.length; i++) {
            if (ks[i] < 0) {
                removals.add(i);
            }
        }
        removals.sort((a, b) -> Integer.compare(-ks[a], -ks[b])); // |k| ascending
        if (removals.size() >= 2) {
            int monotone = 0;
            for (int c = 0; c < combos; c++) {
                boolean up = true;
                for (int j = 1; j < removals.size(); j++) {
                    up &= Stats.mean(s.eps()[c][removals.get(j)]) >= Stats.mean(s.eps()[c][removals.get(j - 1)]);
                }
                monotone += up ? 1 : 0;
            }
            out.add(String.format(Locale.ROOT, "Neurodegeneration changes the function: the mean epsilon_scaled %s with "
                    + "the number of neurons removed in %s combinations.", monotone == combos ? "grows" : "does not "
                    + "always grow", Stats.count(monotone, combos)));
            // 3. with the removed singular values
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int c = 0; c < combos; c++) {
                for (int i : removals) {
                    for (int j = 0; j < s.eps()[c][i].length; j++) {
                        xs.add(s.removedSigma()[c][i][j]);
                        ys.add(s.eps()[c][i][j]);
                    }
                }
            }
            double rho = Stats.spearman(xs.stream().mapToDouble(Double::doubleValue).toArray(),
                    ys.stream().mapToDouble(Double::doubleValue).toArray());
            String how = Double.isNaN(rho) ? "cannot be related (too few cases)"
                    : rho > 0.5 ? "rises with" : rho > 0 ? "rises only weakly with" : "does not rise with";
            out.add(String.format(Locale.ROOT, "Over all %d removals epsilon_scaled %s the sum of the removed singular "
                    + "values (Spearman rank correlation %.2f).", xs.size(), how, rho));
            // 4. who absorbs the removed biases best, at the largest removal
            int last = removals.get(removals.size() - 1);
            int best = 0;
            int worstC = 0;
            for (int c = 1; c < combos; c++) {
                if (Stats.mean(s.eps()[c][last]) < Stats.mean(s.eps()[best][last])) {
                    best = c;
                }
                if (Stats.mean(s.eps()[c][last]) > Stats.mean(s.eps()[worstC][last])) {
                    worstC = c;
                }
            }
            out.add(String.format(Locale.ROOT, "At k = %d the smallest change is with %s (epsilon_scaled %s%%), the "
                    + "largest with %s (%s%%).", ks[last], label(best), Stats.format(s.eps()[best][last], "%.3g"),
                    label(worstC), Stats.format(s.eps()[worstC][last], "%.3g")));
            if (combos > NO_PSI) {
                out.add(absorption(s, last, NO_PSI, "psi", "psi none"));
                out.add(absorption(s, last, NO_O, "o", "o none"));
            }
            // 5. accuracy after small removals
            List<Integer> small = removals.stream().filter(i -> ks[i] >= -5).toList();
            if (!small.isEmpty()) {
                double big = 0;
                int bc = 0;
                int bi = small.get(0);
                int significant = 0;
                for (int c = 0; c < combos; c++) {
                    for (int i : small) {
                        double m = Math.abs(Stats.mean(s.dacc()[c][i]));
                        if (m >= big) {
                            big = m;
                            bc = c;
                            bi = i;
                        }
                        significant += Stats.sign(s.dacc()[c][i]) != 0 ? 1 : 0;
                    }
                }
                out.add(String.format(Locale.ROOT, "Removing up to %d neurons changed the mean test accuracy by at most "
                        + "%.2f points (%s at k = %d: %s); %s of the %d (combination, k) cells differ from zero by more "
                        + "than two standard errors.", -ks[small.get(small.size() - 1)], big, label(bc), ks[bi],
                        Stats.format(s.dacc()[bc][bi], "%+.2f"), significant == 0 ? "none" : Integer.toString(significant),
                        small.size() * combos));
            }
        }
        return out;
    }

    /** Whether the combination {@code other} (one absorber missing) changes more than the default at removal i. */
    private static String absorption(Summary s, int i, int other, String what, String otherLabel) {
        int cmp = Stats.compare(s.eps()[other][i], s.eps()[DEFAULT][i]);
        String verdict = switch (cmp) {
            case 1 -> "larger than";
            case -1 -> "smaller than";
            default -> "indistinguishable (two standard errors) from";
        };
        return String.format(Locale.ROOT, "Without %s to absorb the removed biases (%s) the change at k = %d is %s "
                + "%s (%s%% against %s%%)%s.", what, otherLabel, s.ks()[i], verdict, label(DEFAULT),
                Stats.format(s.eps()[other][i], "%.3g"), Stats.format(s.eps()[DEFAULT][i], "%.3g"),
                cmp == 1 ? ": " + what + " absorbs part of the removed neurons' bias" : "");
    }

    private static void charts(Path dir, Summary s) throws IOException {
        int[] ks = s.ks();
        double[] x = new double[ks.length];
        for (int i = 0; i < ks.length; i++) {
            x[i] = ks[i];
        }
        Map<String, double[]> eps = new LinkedHashMap<>();
        Map<String, double[]> acc = new LinkedHashMap<>();
        for (int c = 0; c < s.eps().length; c++) {
            double[] y = new double[ks.length];
            double[] a = new double[ks.length];
            for (int i = 0; i < ks.length; i++) {
                y[i] = Math.max(Stats.mean(s.eps()[c][i]), 1e-12); // log axis: exact zeros drawn at 1e-12
                a[i] = Stats.mean(s.dacc()[c][i]);
            }
            eps.put(label(c), y);
            acc.put(label(c), a);
        }
        Charts.lines(dir.resolve("epsilon-scaled.png"), "epsilon_scaled after resizing hidden layer 2 by k",
                "k (neurons added; negative: removed)", "epsilon_scaled (%)", x, eps, true);
        Charts.lines(dir.resolve("accuracy-change.png"), "Change of test accuracy after resizing hidden layer 2 by k",
                "k (neurons added; negative: removed)", "accuracy change (points)", x, acc, false);
    }

    private static String markdown(Summary s, List<String> text, ExperimentContext.Data data, Scale sc) {
        int n0 = data.train().featureCount();
        StringBuilder md = new StringBuilder();
        md.append("## Experiment 1: neuroadaptive invariance\n\n");
        md.append(String.format(Locale.ROOT, "Data: %s (%d train, %d test). Network %d-%d-%d-%d, AdamW lr 1e-3, wd 1e-3, "
                        + "batch 48, %d epochs, %d repeat(s) per combination (mean ± standard error). After training, a "
                        + "copy is fully diagonalised at layer 1 and hidden layer 2 is resized by k (neurogenesis k > 0, "
                        + "neurodegeneration k < 0, no retraining); the change is measured on the whole test set. "
                        + "EXPECTATION uses the mean gain of the test pass. 'Within bound' counts the repeats whose "
                        + "largest logit change is at most the invariance bound (4 L n u + 60 n u_64)(1 + |z|_inf) of "
                        + "the conformance contracts.%n%n", data.name(), data.train().size(), data.test().size(), n0,
                sc.width(), sc.width(), data.train().classes(), sc.epochs(), sc.repeats()));
        md.append("Conclusions (computed from the numbers below):\n\n");
        for (String t : text) {
            md.append("- ").append(t).append('\n');
        }
        md.append("\nBaseline test accuracy: ");
        for (int c = 0; c < s.baseAccuracy().length; c++) {
            md.append(c == 0 ? "" : "; ").append(label(c)).append(' ')
                    .append(Stats.format(s.baseAccuracy()[c], "%.2f")).append('%');
        }
        md.append("\n\n");
        md.append(table("epsilon_scaled (%) of the logits", s, s.eps(), "%.2e"));
        md.append(table("D_KL (nats) between softmax outputs", s, s.kl(), "%.2e"));
        md.append(table("change of test accuracy (points)", s, s.dacc(), "%.2f"));
        md.append(table("Sigma sigma before - after (layer 1)", s, s.dsig(), "%.3g"));
        md.append("### repeats within the invariance bound (largest change / bound)\n\n| k |");
        for (int c = 0; c < s.eps().length; c++) {
            md.append(' ').append(label(c)).append(" |");
        }
        md.append("\n| ---: |").append(" ---: |".repeat(s.eps().length)).append('\n');
        for (int i = 0; i < s.ks().length; i++) {
            md.append("| ").append(kLabel(s.ks()[i])).append(" |");
            for (int c = 0; c < s.eps().length; c++) {
                md.append(String.format(Locale.ROOT, " %d/%d (%.2g) |", s.withinTolerance()[c][i],
                        s.eps()[c][i].length, s.worstRatio()[c][i]));
            }
            md.append('\n');
        }
        md.append("\n![epsilon_scaled](invariance/epsilon-scaled.png)\n![accuracy change](invariance/accuracy-change.png)"
                + "\n\n");
        return md.toString();
    }

    private static String kLabel(int k) {
        return k > 0 ? "+" + k : Integer.toString(k);
    }

    private static String table(String title, Summary s, double[][][] v, String fmt) {
        StringBuilder sb = new StringBuilder("### ").append(title).append("\n\n| k |");
        for (int c = 0; c < v.length; c++) {
            sb.append(' ').append(label(c)).append(" |");
        }
        sb.append("\n| ---: |");
        sb.append(" ---: |".repeat(v.length));
        sb.append('\n');
        for (int i = 0; i < s.ks().length; i++) {
            sb.append("| ").append(kLabel(s.ks()[i])).append(" |");
            for (int c = 0; c < v.length; c++) {
                sb.append(' ').append(Stats.format(v[c][i], fmt)).append(" |");
            }
            sb.append('\n');
        }
        return sb.append('\n').toString();
    }
}
