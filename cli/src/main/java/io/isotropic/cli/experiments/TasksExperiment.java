package io.isotropic.cli.experiments;

import io.isotropic.adapt.Controller;
import io.isotropic.adapt.Growth;
import io.isotropic.data.Dataset;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.spi.Backend;
import io.isotropic.task.Task;
import io.isotropic.task.TaskSchedule;
import io.isotropic.task.Tasks;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Seeds;
import io.isotropic.tensor.Tensor;
import io.isotropic.train.Adam;
import io.isotropic.train.EpochMetrics;
import io.isotropic.train.GroupMetrics;
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
import java.util.SplittableRandom;

/**
 * Experiment 3 (method.md 11.3) at the scale that fits here: three tasks built from Fashion-MNIST (the images, and
 * the images under two fixed pixel permutations, each a task that needs features of its own) come and go on one
 * network through {@link Tasks} and a {@link TaskSchedule}, in four phases as in the paper: task A; A + B; A + B + C;
 * B only (A and C deactivated, their blocks kept). The adaptive network runs the scaffold controller before every
 * epoch's evaluation; the control starts from the same weights at fixed widths. A second part varies one setting at a
 * time (tau, K, learning rate, weight decay, the new neurons' outgoing column, the initial widths) on shorter phases
 * to find which settings make the widths follow the tasks. Every run is a {@link Runs} job; every sentence of the
 * conclusion is computed by {@link #conclusions} from the numbers.
 */
final class TasksExperiment {
    /** Smallest singular values recorded per layer and epoch (K + 3 for the default K = 5). */
    static final int SMALLEST = 8;
    static final String[] TASKS = {"fashion", "fashion-perm-a", "fashion-perm-b"};

    private TasksExperiment() {
    }

    /**
     * One configuration of the controller and the optimiser.
     *
     * @param id file-name identifier
     * @param label what differs from the baseline
     * @param tau scaffold threshold
     * @param k scaffold buffer
     * @param lr AdamW learning rate
     * @param wd AdamW decoupled weight decay
     * @param outgoingStd standard deviation of a new neuron's outgoing column (0: zero column)
     * @param lo smallest initial hidden width
     * @param hi largest initial hidden width
     */
    record Setting(String id, String label, double tau, int k, double lr, double wd, double outgoingStd, int lo,
                   int hi) {
    }

    /**
     * What one run recorded, epoch by epoch (epochs 0-based).
     *
     * @param setting the setting's id
     * @param repeat the repeat (it fixes the initial widths, weights and batch order)
     * @param adaptive true for the controlled network, false for the fixed-width control
     * @param perPhase epochs per phase
     * @param initialWidths the three initial hidden widths
     * @param widths {@code [epoch][layer]} hidden widths after the epoch (after the controller)
     * @param accuracy {@code [epoch][task]} test accuracy after the epoch (NaN before the task is appended)
     * @param smallest {@code [epoch][layer][j]} the smallest singular values of {@code W_l}, ascending, before the
     *        epoch's controller call (implicit zeros of a tall layer included)
     * @param above {@code [epoch][layer]} how many singular values of {@code W_l} exceed tau before the controller
     * @param parameters parameter count after the last epoch
     * @param seconds wall time of the run
     */
    record RunRecord(String setting, int repeat, boolean adaptive, int perPhase, int[] initialWidths, int[][] widths,
                     double[][] accuracy, double[][][] smallest, int[][] above, long parameters, double seconds) {
    }

    /** The baseline of the paper's Exp. 3 (K = 5, tau = 0.95) with AdamW lr 1e-3, wd 1e-3. */
    static Setting baseline(boolean quick) {
        return quick ? new Setting("baseline", "baseline", 0.95, 5, 1e-3, 1e-3, 0.01, 8, 16)
                : new Setting("baseline", "baseline", 0.95, 5, 1e-3, 1e-3, 0.01, 100, 200);
    }

    /** The settings varied one at a time from the baseline. */
    static List<Setting> settings(boolean quick) {
        Setting b = baseline(quick);
        List<Setting> s = new ArrayList<>();
        s.add(b);
        s.add(new Setting("tau-0.5", "tau 0.5", 0.5, b.k(), b.lr(), b.wd(), b.outgoingStd(), b.lo(), b.hi()));
        if (quick) {
            return s;
        }
        s.add(new Setting("k-1", "K 1", b.tau(), 1, b.lr(), b.wd(), b.outgoingStd(), b.lo(), b.hi()));
        s.add(new Setting("lr-3e-3", "lr 3e-3", b.tau(), b.k(), 3e-3, b.wd(), b.outgoingStd(), b.lo(), b.hi()));
        s.add(new Setting("wd-0", "weight decay 0", b.tau(), b.k(), b.lr(), 0, b.outgoingStd(), b.lo(), b.hi()));
        s.add(new Setting("zero-column", "outgoing column 0", b.tau(), b.k(), b.lr(), b.wd(), 0, b.lo(), b.hi()));
        s.add(new Setting("narrow-start", "initial widths 20-30", b.tau(), b.k(), b.lr(), b.wd(), b.outgoingStd(), 20, 30));
        return s;
    }

    static String run(ExperimentContext ctx) throws IOException {
        ExperimentContext.Data fashion = ctx.fashion();
        if (fashion == null) {
            return "## Experiment 3: scheduled tasks\n\nSkipped: Fashion-MNIST is not installed "
                    + "(apt-get install dataset-fashion-mnist).\n\n";
        }
        boolean quick = ctx.quick();
        Dataset train = quick ? fashion.train().head(480) : fashion.train();
        Dataset test = quick ? fashion.test().head(200) : fashion.test();
        Task[] tasks = {
            Task.of(TASKS[0], train, test),
            Task.of(TASKS[1], permute(train, 77), permute(test, 77)),
            Task.of(TASKS[2], permute(train, 78), permute(test, 78)),
        };
        // the settings part trains 6 x 7 x 2 more networks: on the first 10,000 / 2,000 images per task it fits the
        // time budget, and its question (does the width follow the tasks?) is about the controller, not the data size
        int settingTrain = Math.min(train.size(), 10_000);
        int settingTest = Math.min(test.size(), 2_000);
        Task[] small = settingTrain == train.size() && settingTest == test.size() ? tasks : new Task[] {
            Task.of(TASKS[0], train.head(settingTrain), test.head(settingTest)),
            Task.of(TASKS[1], permute(train.head(settingTrain), 77), permute(test.head(settingTest), 77)),
            Task.of(TASKS[2], permute(train.head(settingTrain), 78), permute(test.head(settingTest), 78)),
        };
        int perPhase = quick ? 1 : 50;
        int repeats = ctx.repeats(quick ? 2 : 3); // --repeats sets the main comparison's; the settings keep theirs
        int shortPhase = quick ? 1 : 15;
        int settingRepeats = quick ? 1 : 2;
        Setting base = baseline(quick);
        List<Setting> settings = settings(quick);
        List<Runs.Job<RunRecord>> jobs = new ArrayList<>();
        for (int r = 0; r < repeats; r++) {
            for (boolean adaptive : new boolean[] {true, false}) {
                int rr = r;
                jobs.add(new Runs.Job<>("main-r" + r + (adaptive ? "-adaptive" : "-control"),
                        be -> train(be, ctx.dtype(), tasks, perPhase, base, rr, adaptive, ctx)));
            }
        }
        for (Setting s : settings) {
            for (int r = 0; r < settingRepeats; r++) {
                int rr = r;
                jobs.add(new Runs.Job<>("setting-" + s.id() + "-r" + r,
                        be -> train(be, ctx.dtype(), small, shortPhase, s, rr, true, ctx)));
            }
        }
        Path dir = ctx.dir("tasks");
        long t0 = System.nanoTime();
        List<RunRecord> all = Runs.execute(ctx, dir, RunRecord.class, jobs);
        List<RunRecord> main = all.subList(0, 2 * repeats);
        List<RunRecord> varied = all.subList(2 * repeats, all.size());
        Summary sum = summarise(main, varied, settings, base);
        List<String> text = conclusions(sum);
        charts(dir, sum, main, varied, settings);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("train_per_task", train.size());
        json.put("test_per_task", test.size());
        json.put("epochs_per_phase", perPhase);
        json.put("repeats", repeats);
        json.put("setting_train_per_task", settingTrain);
        json.put("setting_test_per_task", settingTest);
        json.put("setting_epochs_per_phase", shortPhase);
        json.put("setting_repeats", settingRepeats);
        json.put("settings", settings);
        Runs.writeResults(ctx, dir, "tasks", null, t0, all, null, sum, text, json);
        return markdown(sum, text, train.size(), test.size(), perPhase, repeats, shortPhase, settingRepeats, settings,
                base, settingTrain, settingTest);
    }

    /** The four phases: A; A + B; A + B + C; B only. */
    static TaskSchedule schedule(int perPhase) {
        return new TaskSchedule(List.of(TaskSchedule.Phase.of(0, TASKS[0]),
                TaskSchedule.Phase.of(perPhase, TASKS[0], TASKS[1]),
                TaskSchedule.Phase.of(2 * perPhase, TASKS[0], TASKS[1], TASKS[2]),
                TaskSchedule.Phase.of(3 * perPhase, TASKS[1])));
    }

    static final String[] PHASE_NAMES = {"A", "A + B", "A + B + C", "B only"};

    /** Trains one network through the four phases and records it. */
    static RunRecord train(Backend be, DType dtype, Task[] tasks, int perPhase, Setting s, int repeat,
                           boolean adaptive, ExperimentContext ctx) {
        long t0 = System.nanoTime();
        SplittableRandom wr = new SplittableRandom(Seeds.mix(12342397856578L, repeat, s.lo(), s.hi()));
        int[] hidden = new int[3];
        for (int h = 0; h < 3; h++) {
            hidden[h] = s.lo() + wr.nextInt(s.hi() - s.lo() + 1);
        }
        IsotropicMlp net = IsotropicMlp.builder(784, hidden[0], hidden[1], hidden[2], 10).dtype(dtype)
                .seed(Seeds.mix(31, repeat)).build(be);
        Tasks bound = Tasks.start(net, tasks[0]);
        bound.follow(schedule(perPhase), tasks[1], tasks[2]);
        Optimizer opt = Adam.adamW(s.lr(), s.wd());
        int epochs = 4 * perPhase;
        int[][] widths = new int[epochs][];
        double[][] acc = new double[epochs][tasks.length];
        double[][][] smallest = new double[epochs][3][];
        int[][] above = new int[epochs][3];
        Trainer.Builder tb = Trainer.builder().epochs(epochs).batchSize(48).seed(Seeds.mix(9, repeat));
        tb.listener(new TrainingListener() {
            @Override
            public void beforeEvaluation(int epoch, IsotropicMlp n, Optimizer o) {
                for (int l = 0; l < 3; l++) {
                    double[] sv = spectrum(n, l);
                    smallest[epoch][l] = Arrays.copyOf(sv, Math.min(SMALLEST, sv.length));
                    int c = 0;
                    for (double v : sv) {
                        c += v > s.tau() ? 1 : 0;
                    }
                    above[epoch][l] = c;
                }
            }
        });
        if (adaptive) { // registered after the recorder: the recorded spectrum is the one the controller acts on
            tb.listener(new Controller(s.k(), s.tau(), new Growth(true, s.outgoingStd(), Seeds.mix(5, repeat))));
        }
        tb.listener(new TrainingListener() {
            @Override
            public void onEpochEnd(EpochMetrics em, IsotropicMlp n, Optimizer o) {
                int e = em.epoch();
                widths[e] = Arrays.copyOfRange(n.widths(), 1, 4);
                Arrays.fill(acc[e], Double.NaN);
                for (GroupMetrics g : em.groups()) {
                    for (int t = 0; t < tasks.length; t++) {
                        if (tasks[t].name().equals(g.name()) && g.test() != null) {
                            acc[e][t] = g.test().accuracy();
                        }
                    }
                }
                if ((e + 1) % Math.min(perPhase, 10) == 0) {
                    synchronized (ctx.log()) {
                        ctx.log().printf("  tasks: %s r%d %s epoch %d/%d (%.1f s) widths %s accuracies %s%n", s.id(),
                                repeat, adaptive ? "adaptive" : "control", e + 1, epochs, em.millis() / 1e3,
                                Arrays.toString(widths[e]), pct(acc[e]));
                        ctx.log().flush();
                    }
                }
            }
        });
        tb.build().fit(net, opt, bound);
        return new RunRecord(s.id(), repeat, adaptive, perPhase, hidden, widths, acc, smallest, above,
                net.parameterCount(), (System.nanoTime() - t0) / 1e9);
    }

    /** Singular values of {@code W_l}, ascending, with a tall layer's implicit zeros. */
    private static double[] spectrum(IsotropicMlp net, int l) {
        double[] s = net.backend().singularValues(net.weight(l).to(DType.F64)).toDoubleArray();
        int[] w = net.widths();
        double[] all = new double[s.length + Math.max(0, w[l + 1] - w[l])];
        System.arraycopy(s, 0, all, 0, s.length);
        Arrays.sort(all);
        return all;
    }

    /**
     * The numbers the conclusions are computed from.
     *
     * @param phaseWidths {@code [phase][layer][repeat]} adaptive hidden widths at each phase's last epoch
     * @param initial {@code [layer][repeat]} initial widths (the control's widths throughout)
     * @param appendGrowth {@code [phase 1..3][repeat]} change of the total hidden width over the phase (phase 1: task B
     *        appended; 2: task C appended; 3: down to task B)
     * @param accuracy {@code [phase][task][mode][repeat]} test accuracy at each phase's last epoch, mode 0 adaptive,
     *        1 control (NaN where the task was not yet appended)
     * @param recruited {@code [boundary 1..3][repeat]} scaffold neurons (summed over layers) whose singular value rose
     *        above tau during the first epoch of the new phase
     * @param parameters {@code [mode][repeat]} final parameter counts
     * @param settingGrowth {@code [setting][append 0..1][repeat]} total-width change over the two appended phases in the
     *        settings part
     * @param settingWidths {@code [setting][phase][repeat]} total hidden width at each phase end in the settings part
     * @param settingAccuracy {@code [setting][repeat]} mean test accuracy over the three tasks at the end of the third
     *        phase in the settings part
     * @param labels the settings' labels
     * @param k the baseline's K
     * @param tau the baseline's tau
     */
    record Summary(double[][][] phaseWidths, double[][] initial, double[][] appendGrowth, double[][][][] accuracy,
                   double[][] recruited, double[][] parameters, double[][][] settingGrowth, double[][][] settingWidths,
                   double[][] settingAccuracy, List<String> labels, int k, double tau) {
    }

    static Summary summarise(List<RunRecord> main, List<RunRecord> varied, List<Setting> settings, Setting base) {
        List<RunRecord> ad = main.stream().filter(RunRecord::adaptive).toList();
        List<RunRecord> co = main.stream().filter(r -> !r.adaptive()).toList();
        int n = ad.size();
        int p = ad.get(0).perPhase();
        double[][][] pw = new double[4][3][n];
        double[][] init = new double[3][n];
        double[][] growth = new double[4][n];
        double[][][][] acc = new double[4][TASKS.length][2][n];
        double[][] recruited = new double[4][n];
        double[][] params = new double[2][n];
        for (int r = 0; r < n; r++) {
            RunRecord a = ad.get(r);
            RunRecord c = co.get(r);
            for (int l = 0; l < 3; l++) {
                init[l][r] = a.initialWidths()[l];
            }
            for (int ph = 0; ph < 4; ph++) {
                int e = (ph + 1) * p - 1;
                for (int l = 0; l < 3; l++) {
                    pw[ph][l][r] = a.widths()[e][l];
                }
                for (int t = 0; t < TASKS.length; t++) {
                    acc[ph][t][0][r] = a.accuracy()[e][t];
                    acc[ph][t][1][r] = c.accuracy()[e][t];
                }
                if (ph > 0) {
                    growth[ph][r] = total(a.widths()[e]) - total(a.widths()[ph * p - 1]);
                    recruited[ph][r] = recruited(a, ph * p, base.k());
                }
            }
            params[0][r] = a.parameters();
            params[1][r] = c.parameters();
        }
        int ns = settings.size();
        double[][][] sg = new double[ns][2][];
        double[][][] sw = new double[ns][4][];
        double[][] sa = new double[ns][];
        for (int i = 0; i < ns; i++) {
            String id = settings.get(i).id();
            List<RunRecord> rs = varied.stream().filter(r -> r.setting().equals(id)).toList();
            for (int j = 0; j < 2; j++) {
                sg[i][j] = new double[rs.size()];
            }
            for (int ph = 0; ph < 4; ph++) {
                sw[i][ph] = new double[rs.size()];
            }
            sa[i] = new double[rs.size()];
            for (int r = 0; r < rs.size(); r++) {
                RunRecord x = rs.get(r);
                int q = x.perPhase();
                for (int ph = 0; ph < 4; ph++) {
                    sw[i][ph][r] = total(x.widths()[(ph + 1) * q - 1]);
                }
                sg[i][0][r] = sw[i][1][r] - sw[i][0][r];
                sg[i][1][r] = sw[i][2][r] - sw[i][1][r];
                double m = 0;
                for (int t = 0; t < TASKS.length; t++) {
                    m += x.accuracy()[3 * q - 1][t] / TASKS.length;
                }
                sa[i][r] = m;
            }
        }
        return new Summary(pw, init, growth, acc, recruited, params, sg, sw, sa,
                settings.stream().map(Setting::label).toList(), base.k(), base.tau());
    }

    private static double total(int[] w) {
        return w[0] + w[1] + w[2];
    }

    /**
     * Scaffold neurons recruited in the first epoch of a phase: singular values above tau before the controller at
     * epoch {@code b}, minus the trained neurons the controller left at epoch {@code b - 1} (width minus K, the
     * neurons above tau then), summed over the layers.
     */
    private static double recruited(RunRecord a, int b, int k) {
        double s = 0;
        for (int l = 0; l < 3; l++) {
            s += a.above()[b][l] - Math.max(0, a.widths()[b - 1][l] - k);
        }
        return s;
    }

    private static double[] sumLayers(double[][] byLayer) {
        double[] s = new double[byLayer[0].length];
        for (double[] l : byLayer) {
            for (int r = 0; r < s.length; r++) {
                s[r] += l[r];
            }
        }
        return s;
    }

    /** Every sentence of the conclusion, computed from the summary (2 standard errors decide each claim). */
    static List<String> conclusions(Summary s) {
        List<String> out = new ArrayList<>();
        String[] events = {null, "appending task B (" + TASKS[1] + ")", "appending task C (" + TASKS[2] + ")",
            "going down to task B alone"};
        for (int ph = 1; ph < 4; ph++) {
            double[] before = sumLayers(s.phaseWidths()[ph - 1]);
            double[] after = sumLayers(s.phaseWidths()[ph]);
            double[] g = s.appendGrowth()[ph];
            int sg = Stats.sign(g);
            String verdict = sg > 0 ? "the network grew" : sg < 0 ? "the network shrank"
                    : "the width did not change beyond two standard errors";
            out.add(String.format(Locale.ROOT, "After %s, %s: total hidden width %s at the end of phase %d, %s at the "
                            + "end of phase %d (change %s).", events[ph], verdict, Stats.format(before, "%.1f"), ph,
                    Stats.format(after, "%.1f"), ph + 1, Stats.format(g, "%+.1f")));
            if (ph < 3) {
                double[] rec = s.recruited()[ph];
                out.add(String.format(Locale.ROOT, "In the first epoch after %s, %s scaffold neurons (all layers) rose "
                        + "above tau = %s; %s.", events[ph], Stats.format(rec, "%.1f"), s.tau(), Stats.sign(rec) > 0
                        ? "the controller then restored the buffer by neurogenesis"
                        : "none can be said to have been recruited at two standard errors"));
            }
        }
        double[] init = sumLayers(s.initial());
        double[] fin = sumLayers(s.phaseWidths()[3]);
        double[] ratio = new double[init.length];
        for (int r = 0; r < ratio.length; r++) {
            ratio[r] = s.parameters()[0][r] / s.parameters()[1][r];
        }
        out.add(String.format(Locale.ROOT, "The adaptive network ends with total hidden width %s against the control's "
                        + "fixed %s, %s of its parameters.", Stats.format(fin, "%.1f"), Stats.format(init, "%.1f"),
                Stats.format(Stats.scale(ratio, 100), "%.1f") + " %"));
        int lower = 0;
        int higher = 0;
        int same = 0;
        List<String> lowerCells = new ArrayList<>();
        List<String> higherCells = new ArrayList<>();
        for (int ph = 0; ph < 4; ph++) {
            for (int t = 0; t < TASKS.length; t++) {
                double[] a = s.accuracy()[ph][t][0];
                if (Double.isNaN(a[0])) {
                    continue;
                }
                double[] d = Stats.scale(Stats.diff(a, s.accuracy()[ph][t][1]), 100);
                int sd = Stats.sign(d);
                String cell = String.format(Locale.ROOT, "%s after phase %d (%s points)", TASKS[t], ph + 1,
                        Stats.format(d, "%+.2f"));
                if (sd < 0) {
                    lower++;
                    lowerCells.add(cell);
                } else if (sd > 0) {
                    higher++;
                    higherCells.add(cell);
                } else {
                    same++;
                }
            }
        }
        out.add(String.format(Locale.ROOT, "Test accuracy, adaptive minus control, paired by initial weights, over %d "
                        + "(phase, task) cells: %d within two standard errors of zero, %d lower%s, %d higher%s.",
                lower + higher + same, same, lower, lowerCells.isEmpty() ? "" : " (" + String.join("; ", lowerCells) + ")",
                higher, higherCells.isEmpty() ? "" : " (" + String.join("; ", higherCells) + ")"));
        List<String> follow = new ArrayList<>();
        List<String> notFollow = new ArrayList<>();
        for (int i = 0; i < s.labels().size(); i++) {
            boolean both = Stats.sign(s.settingGrowth()[i][0]) > 0 && Stats.sign(s.settingGrowth()[i][1]) > 0;
            String cell = String.format(Locale.ROOT, "%s (%s, %s)", s.labels().get(i), Stats.format(s.settingGrowth()[i][0], "%+.1f"),
                    Stats.format(s.settingGrowth()[i][1], "%+.1f"));
            (both ? follow : notFollow).add(cell);
        }
        out.add("Settings under which the total width grew over both appended phases (changes over phases 2 and 3): "
                + (follow.isEmpty() ? "none" : String.join("; ", follow)) + ". Not both: "
                + (notFollow.isEmpty() ? "none" : String.join("; ", notFollow)) + ".");
        return out;
    }

    private static String markdown(Summary s, List<String> text, int nTrain, int nTest, int perPhase, int repeats,
                                   int shortPhase, int settingRepeats, List<Setting> settings, Setting base,
                                   int settingTrain, int settingTest) {
        StringBuilder md = new StringBuilder("## Experiment 3: scheduled tasks appended and removed\n\n");
        md.append(String.format(Locale.ROOT, "Three tasks built from Fashion-MNIST: A = the images, B and C = the images "
                        + "under two fixed pixel permutations (seeds 77 and 78), each with its own 784-wide input block and "
                        + "10-logit head (Tasks.append grows the input and output layers, the function on existing tasks "
                        + "unchanged). %d training and %d test images per task. Four phases of %d epochs, as in the paper: "
                        + "A; A + B; A + B + C; B only (A and C deactivated, blocks kept). Each step takes one batch of 48 "
                        + "from every active task; cross-entropy on each task's own block, averaged over active tasks. "
                        + "Three hidden layers, initial widths drawn per repeat from [%d, %d]; AdamW lr %s, weight decay %s. "
                        + "Adaptive: controller K = %d, tau = %s before every epoch's evaluation, deepest layer first, new "
                        + "neurons rotated in with outgoing column %s N(0, 1), optimiser state transformed. Control: the same "
                        + "initial weights and batches at fixed widths. %d repeats (mean ± standard error).%n%n", nTrain,
                nTest, perPhase, base.lo(), base.hi(), base.lr(), base.wd(), base.k(), base.tau(), base.outgoingStd(),
                repeats));
        md.append("### Conclusions (computed from the numbers below)\n\n");
        for (String t : text) {
            md.append("- ").append(t).append('\n');
        }
        md.append("\n### Widths at the end of each phase (adaptive; the control keeps its initial widths)\n\n");
        md.append("| after epoch | active tasks | layer 1 | layer 2 | layer 3 | total |\n| ---: | --- | ---: | ---: | ---: | ---: |\n");
        md.append(String.format(Locale.ROOT, "| 0 | (initial) | %s | %s | %s | %s |%n", Stats.format(s.initial()[0], "%.1f"),
                Stats.format(s.initial()[1], "%.1f"), Stats.format(s.initial()[2], "%.1f"), Stats.format(sumLayers(s.initial()), "%.1f")));
        for (int ph = 0; ph < 4; ph++) {
            double[][] w = s.phaseWidths()[ph];
            md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s |%n", (ph + 1) * perPhase,
                    PHASE_NAMES[ph], Stats.format(w[0], "%.1f"), Stats.format(w[1], "%.1f"), Stats.format(w[2], "%.1f"), Stats.format(sumLayers(w), "%.1f")));
        }
        md.append("\n### Test accuracy (%) at the end of each phase: adaptive / control / paired difference\n\n| after epoch |");
        for (String t : TASKS) {
            md.append(' ').append(t).append(" |");
        }
        md.append("\n| ---: |").append(" --- |".repeat(TASKS.length)).append('\n');
        for (int ph = 0; ph < 4; ph++) {
            md.append("| ").append((ph + 1) * perPhase).append(" |");
            for (int t = 0; t < TASKS.length; t++) {
                double[] a = s.accuracy()[ph][t][0];
                double[] c = s.accuracy()[ph][t][1];
                if (Double.isNaN(a[0])) {
                    md.append(" not yet appended |");
                } else {
                    md.append(' ').append(Stats.format(Stats.scale(a, 100), "%.2f")).append(" / ").append(Stats.format(Stats.scale(c, 100), "%.2f"))
                            .append(" / ").append(Stats.format(Stats.scale(Stats.diff(a, c), 100), "%+.2f")).append(" |");
                }
            }
            md.append('\n');
        }
        md.append(String.format(Locale.ROOT, "%nA task is evaluated in every epoch after it is appended, active or not "
                + "(phase 4 shows what A and C keep while only B trains).%n"));
        md.append(String.format(Locale.ROOT, "%n### Settings that make the topology follow the tasks%n%nOne setting "
                        + "changed at a time from the baseline, adaptive networks only, phases of %d epochs, %d repeat(s), "
                        + "%d training and %d test images per task (a shorter, smaller run than above, to fit the time). "
                        + "Total hidden width at the end of each phase; accuracy = mean over the three tasks after phase 3.%n%n",
                shortPhase, settingRepeats, settingTrain, settingTest));
        md.append("| setting | phase 1 | phase 2 | phase 3 | phase 4 | change over phase 2 | change over phase 3 | accuracy (%) |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (int i = 0; i < settings.size(); i++) {
            md.append("| ").append(settings.get(i).label()).append(" |");
            for (int ph = 0; ph < 4; ph++) {
                md.append(' ').append(Stats.format(s.settingWidths()[i][ph], "%.1f")).append(" |");
            }
            md.append(' ').append(Stats.format(s.settingGrowth()[i][0], "%+.1f")).append(" | ")
                    .append(Stats.format(s.settingGrowth()[i][1], "%+.1f")).append(" | ")
                    .append(Stats.format(Stats.scale(s.settingAccuracy()[i], 100), "%.2f")).append(" |\n");
        }
        md.append("\n![widths](tasks/widths.png)\n![accuracy](tasks/accuracy.png)\n![scaffolds](tasks/scaffolds.png)\n"
                + "![settings](tasks/settings.png)\n\n");
        md.append("Scaffold singular values: `tasks/scaffolds.png` shows, for the first repeat, the smallest singular values "
                + "of each hidden layer's incoming weights before every controller call (those at or below tau are the "
                + "scaffold neurons); `tasks/runs/*.json` hold them for every run and epoch.\n\n");
        return md.toString();
    }

    private static void charts(Path dir, Summary s, List<RunRecord> main, List<RunRecord> varied,
                               List<Setting> settings) throws IOException {
        List<RunRecord> ad = main.stream().filter(RunRecord::adaptive).toList();
        List<RunRecord> co = main.stream().filter(r -> !r.adaptive()).toList();
        int epochs = ad.get(0).widths().length;
        int p = ad.get(0).perPhase();
        double[] x = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            x[e] = e + 1;
        }
        Map<String, double[]> ws = new LinkedHashMap<>();
        for (int l = 0; l < 3; l++) {
            int ll = l;
            ws.put("layer " + (l + 1), meanOver(ad, e -> r -> r.widths()[e][ll], epochs));
        }
        ws.put("total", meanOver(ad, e -> r -> total(r.widths()[e]), epochs));
        String phases = String.format(Locale.ROOT, "phases at epochs 1, %d, %d, %d", p + 1, 2 * p + 1, 3 * p + 1);
        Charts.lines(dir.resolve("widths.png"), "Adaptive hidden widths, mean of " + ad.size() + " repeats (" + phases
                + ")", "epoch", "neurons", x, ws, false);
        Map<String, double[]> as = new LinkedHashMap<>();
        for (int t = 0; t < TASKS.length; t++) {
            int tt = t;
            as.put(TASKS[t] + " (adaptive)", meanOver(ad, e -> r -> 100 * r.accuracy()[e][tt], epochs));
            as.put(TASKS[t] + " (control)", meanOver(co, e -> r -> 100 * r.accuracy()[e][tt], epochs));
        }
        Charts.lines(dir.resolve("accuracy.png"), "Test accuracy per task (" + phases + ")", "epoch", "accuracy (%)", x,
                as, false);
        Map<String, double[]> ss = new LinkedHashMap<>();
        RunRecord first = ad.get(0);
        for (int l = 0; l < 3; l++) {
            for (int j = 0; j < Math.min(s.k() + 1, SMALLEST); j++) {
                int ll = l;
                int jj = j;
                double[] v = new double[epochs];
                for (int e = 0; e < epochs; e++) {
                    double[] sm = first.smallest()[e][ll];
                    v[e] = jj < sm.length ? sm[jj] : Double.NaN;
                }
                ss.put("layer " + (l + 1) + " sigma_" + (j + 1), v);
            }
        }
        double[] tau = new double[epochs];
        Arrays.fill(tau, s.tau());
        ss.put("tau", tau);
        Charts.lines(dir.resolve("scaffolds.png"), "Smallest singular values before each controller call, repeat 0 ("
                + phases + ")", "epoch", "singular value", x, ss, false);
        Map<String, double[]> st = new LinkedHashMap<>();
        int q = varied.get(0).perPhase();
        double[] xs = new double[4 * q];
        for (int e = 0; e < xs.length; e++) {
            xs[e] = e + 1;
        }
        for (Setting set : settings) {
            List<RunRecord> rs = varied.stream().filter(r -> r.setting().equals(set.id())).toList();
            st.put(set.label(), meanOver(rs, e -> r -> total(r.widths()[e]), 4 * q));
        }
        Charts.lines(dir.resolve("settings.png"), "Total hidden width per setting (phases of " + q + " epochs)", "epoch",
                "neurons", xs, st, false);
    }

    private static double[] meanOver(List<RunRecord> rs,
                                     java.util.function.IntFunction<java.util.function.ToDoubleFunction<RunRecord>> f,
                                     int epochs) {
        double[] m = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            java.util.function.ToDoubleFunction<RunRecord> g = f.apply(e);
            double s = 0;
            for (RunRecord r : rs) {
                s += g.applyAsDouble(r);
            }
            m[e] = s / rs.size();
        }
        return m;
    }

    /** The data set under a fixed pixel permutation drawn from {@code seed}. */
    static Dataset permute(Dataset d, long seed) {
        int f = d.features().cols();
        int[] perm = Dataset.permutation(f, new SplittableRandom(seed));
        Tensor x = Tensor.zeros(d.dtype(), d.size(), f);
        for (int i = 0; i < d.size(); i++) {
            for (int j = 0; j < f; j++) {
                x.setFlat(i * f + j, d.features().getFlat(i * f + perm[j]));
            }
        }
        return Dataset.of(d.name() + "-permuted-" + seed, x, d.labels(), d.classes());
    }

    private static String pct(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1f%%", 100 * v[i]));
        }
        return sb.append(']').toString();
    }
}
