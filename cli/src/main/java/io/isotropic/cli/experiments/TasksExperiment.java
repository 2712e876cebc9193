package io.isotropic.cli.experiments;

import io.isotropic.adapt.Controller;
import io.isotropic.adapt.Growth;
import io.isotropic.data.Dataset;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.task.Task;
import io.isotropic.task.TaskSchedule;
import io.isotropic.task.Tasks;
import io.isotropic.tensor.Tensor;
import io.isotropic.train.Adam;
import io.isotropic.train.EpochMetrics;
import io.isotropic.train.GroupMetrics;
import io.isotropic.train.Optimizer;
import io.isotropic.train.Trainer;
import io.isotropic.train.TrainingListener;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Experiment 3 (method.md 11.3), scaled down to the data available here: tasks (digits, Fashion-MNIST, a
 * pixel-permuted Fashion-MNIST) come and go on one network through {@link Tasks} and a {@link TaskSchedule}: the
 * network starts with the digits' input block and head, Fashion-MNIST is appended at the second phase, the permuted
 * task at the third, and the fourth trains Fashion-MNIST only. The adaptive network runs the scaffold controller
 * (K = 5, tau = 0.95) before every epoch's evaluation; the control network starts from the same weights at a fixed
 * width and follows the same schedule.
 */
final class TasksExperiment {
    private TasksExperiment() {
    }

    static String run(ExperimentContext ctx) throws Exception {
        ExperimentContext.Data digits = ctx.digits();
        ExperimentContext.Data fashion = ctx.fashion();
        if (fashion == null) {
            return "## Experiment 3: scheduled tasks\n\nSkipped: Fashion-MNIST is not installed "
                    + "(apt-get install dataset-fashion-mnist).\n\n";
        }
        int n = digits.train().size();
        int nTest = digits.test().size();
        Dataset fTrain = fashion.train().head(n);
        Dataset fTest = fashion.test().head(nTest);
        int[] perm = Dataset.permutation(784, new SplittableRandom(77));
        Task[] tasks = {
            Task.of("digits", digits.train(), digits.test()),
            Task.of("fashion-mnist", fTrain, fTest),
            Task.of("permuted fashion-mnist", permute(fTrain, perm), permute(fTest, perm)),
        };
        int perPhase = ctx.quick() ? 1 : 6;
        String[][] active = {{"digits"}, {"digits", "fashion-mnist"},
            {"digits", "fashion-mnist", "permuted fashion-mnist"}, {"fashion-mnist"}};
        List<TaskSchedule.Phase> phases = new ArrayList<>();
        for (int p = 0; p < active.length; p++) {
            phases.add(TaskSchedule.Phase.of(p * perPhase, active[p]));
        }
        TaskSchedule schedule = new TaskSchedule(phases);
        int epochs = perPhase * active.length;
        SplittableRandom widthRng = new SplittableRandom(12342397856578L);
        int lo = ctx.quick() ? 16 : 64;
        int hi = ctx.quick() ? 48 : 192;
        int[] widths = {tasks[0].features(), lo + widthRng.nextInt(hi - lo + 1), lo + widthRng.nextInt(hi - lo + 1),
            lo + widthRng.nextInt(hi - lo + 1), tasks[0].classes()};
        IsotropicMlp adaptive = IsotropicMlp.builder(widths).dtype(ctx.dtype()).seed(31).build(ctx.backend());
        IsotropicMlp control = adaptive.copy();
        double[][][] acc = new double[2][epochs][tasks.length];
        int[][] widthLog = new int[epochs][3];
        for (int m = 0; m < 2; m++) {
            IsotropicMlp net = m == 0 ? adaptive : control;
            Tasks bound = Tasks.start(net, tasks[0]);
            bound.follow(schedule, tasks[1], tasks[2]);
            Optimizer opt = Adam.adamW(1e-3, 1e-3);
            Trainer.Builder tb = Trainer.builder().epochs(epochs).batchSize(48).seed(9);
            if (m == 0) {
                tb.listener(new Controller(5, 0.95, Growth.reference(5)));
            }
            int model = m;
            tb.listener(new TrainingListener() {
                @Override
                public void onEpochEnd(EpochMetrics em, IsotropicMlp nn, Optimizer o) {
                    int e = em.epoch();
                    for (GroupMetrics g : em.groups()) {
                        for (int t = 0; t < tasks.length; t++) {
                            if (tasks[t].name().equals(g.name())) {
                                acc[model][e][t] = g.test().accuracy();
                            }
                        }
                    }
                    if (model == 0) {
                        int[] w = nn.widths();
                        widthLog[e] = new int[] {w[1], w[2], w[3]};
                    }
                    ctx.log().printf("  tasks: %s epoch %d/%d widths %s accuracies %s%n",
                            model == 0 ? "adaptive" : "control", e + 1, epochs,
                            Arrays.toString(Arrays.copyOfRange(nn.widths(), 1, 4)), pct(acc[model][e]));
                    ctx.log().flush();
                }
            });
            tb.build().fit(net, opt, bound);
        }
        Path dir = ctx.dir("tasks");
        double[] x = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            x[e] = e + 1;
        }
        Map<String, double[]> ws = new LinkedHashMap<>();
        for (int h = 0; h < 3; h++) {
            final int hh = h;
            ws.put("hidden layer " + (h + 1), Arrays.stream(widthLog).mapToDouble(r -> r[hh]).toArray());
        }
        ws.put("sum", Arrays.stream(widthLog).mapToDouble(r -> r[0] + r[1] + r[2]).toArray());
        Charts.lines(dir.resolve("widths.png"), "Widths of the adaptive network (phases of " + perPhase + " epochs)",
                "epoch", "neurons", x, ws, false);
        Map<String, double[]> as = new LinkedHashMap<>();
        for (int t = 0; t < tasks.length; t++) {
            for (int m = 0; m < 2; m++) {
                final int tt = t;
                final int mm = m;
                as.put(tasks[t].name() + (m == 0 ? " (adaptive)" : " (control)"),
                        Arrays.stream(acc[mm]).mapToDouble(r -> 100 * r[tt]).toArray());
            }
        }
        Charts.lines(dir.resolve("accuracy.png"), "Test accuracy per task", "epoch", "accuracy (%)", x, as, false);
        StringBuilder md = new StringBuilder("## Experiment 3: scheduled tasks appended and removed\n\n");
        md.append(String.format(Locale.ROOT, "The network starts with the digits' 64 inputs and 10 logits; each task "
                        + "appended later adds its input block (784 for Fashion-MNIST and for Fashion-MNIST with a fixed "
                        + "pixel permutation) and its 10-logit head (Tasks.append). Each task truncated to %d training and %d "
                        + "test samples (the digits' split). Initial hidden widths %s drawn uniformly from [%d, %d]. Phases "
                        + "of %d epochs: digits; digits + Fashion-MNIST; all three; Fashion-MNIST only. Each step takes "
                        + "one batch of 48 from every active task; losses on each task's own logit block, averaged over "
                        + "active tasks. AdamW lr 1e-3, wd 1e-3. Adaptive: controller K = 5, tau = 0.95 before every epoch's "
                        + "evaluation, deepest layer first, optimiser state transformed. Control: same initial weights, "
                        + "fixed widths.%n%n", n, nTest, Arrays.toString(Arrays.copyOfRange(widths, 1, 4)), lo, hi, perPhase));
        md.append("| after epoch | active tasks | widths (adaptive) | ");
        for (Task t : tasks) {
            md.append(t.name()).append(" adaptive / control | ");
        }
        md.append("\n| ---: | --- | --- |").append(" ---: |".repeat(tasks.length)).append('\n');
        for (int p = 0; p < active.length; p++) {
            int e = (p + 1) * perPhase - 1;
            List<String> names = new ArrayList<>();
            for (int t = 0; t < tasks.length; t++) {
                if (Arrays.asList(active[p]).contains(tasks[t].name())) {
                    names.add(tasks[t].name());
                }
            }
            md.append("| ").append(e + 1).append(" | ").append(String.join(", ", names)).append(" | ")
                    .append(Arrays.toString(widthLog[e])).append(" | ");
            for (int t = 0; t < tasks.length; t++) {
                md.append(String.format(Locale.ROOT, "%.2f%% / %.2f%% | ", 100 * acc[0][e][t], 100 * acc[1][e][t]));
            }
            md.append('\n');
        }
        md.append("\n![widths](tasks/widths.png)\n![accuracy](tasks/accuracy.png)\n\n");
        return md.toString();
    }

    private static Dataset permute(Dataset d, int[] perm) {
        Tensor x = Tensor.zeros(d.dtype(), d.size(), 784);
        for (int i = 0; i < d.size(); i++) {
            for (int j = 0; j < 784; j++) {
                x.setFlat(i * 784 + j, d.features().getFlat(i * 784 + perm[j]));
            }
        }
        return Dataset.of(d.name() + "-permuted", x, d.labels(), d.classes());
    }

    private static String pct(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1f%%", 100 * v[i]));
        }
        return sb.append(']').toString();
    }
}
