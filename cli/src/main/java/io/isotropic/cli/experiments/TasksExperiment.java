package io.isotropic.cli.experiments;

import io.isotropic.adapt.Controller;
import io.isotropic.adapt.Growth;
import io.isotropic.data.Dataset;
import io.isotropic.tensor.Seeds;
import io.isotropic.nn.ForwardPass;
import io.isotropic.nn.Gradients;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.tensor.Tensor;
import io.isotropic.train.Adam;
import io.isotropic.train.Loss;
import io.isotropic.train.LossValue;
import io.isotropic.train.Optimizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Experiment 3 (method.md 11.3), scaled down to the data available here: one network with a block input (digits |
 * Fashion-MNIST | pixel-permuted Fashion-MNIST) and a block output (3 x 10 logits) learns the tasks on a schedule
 * (digits; + Fashion-MNIST; + permuted; Fashion-MNIST only). The adaptive network runs the scaffold controller
 * (K = 5, tau = 0.95) after every epoch; the control network starts from the same weights at a fixed width.
 */
final class TasksExperiment {
    private TasksExperiment() {
    }

    private record Task(String name, Dataset train, Dataset test, int offset) {
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
            new Task("digits", digits.train(), digits.test(), 0),
            new Task("fashion-mnist", fTrain, fTest, 64),
            new Task("permuted fashion-mnist", permute(fTrain, perm), permute(fTest, perm), 64 + 784),
        };
        int inputs = 64 + 784 + 784;
        int perPhase = ctx.quick() ? 1 : 6;
        boolean[][] phases = {{true, false, false}, {true, true, false}, {true, true, true}, {false, true, false}};
        int epochs = perPhase * phases.length;
        SplittableRandom widthRng = new SplittableRandom(12342397856578L);
        int lo = ctx.quick() ? 16 : 64;
        int hi = ctx.quick() ? 48 : 192;
        int[] widths = {inputs, lo + widthRng.nextInt(hi - lo + 1), lo + widthRng.nextInt(hi - lo + 1),
            lo + widthRng.nextInt(hi - lo + 1), 30};
        IsotropicMlp adaptive = IsotropicMlp.builder(widths).dtype(ctx.dtype()).seed(31).build(ctx.backend());
        IsotropicMlp control = adaptive.copy();
        Optimizer optA = Adam.adamW(1e-3, 1e-3);
        Optimizer optC = Adam.adamW(1e-3, 1e-3);
        Controller controller = new Controller(5, 0.95, Growth.reference(5));
        double[][][] acc = new double[2][epochs][tasks.length];
        int[][] widthLog = new int[epochs][3];
        for (int e = 0; e < epochs; e++) {
            boolean[] active = phases[e / perPhase];
            for (int m = 0; m < 2; m++) {
                IsotropicMlp net = m == 0 ? adaptive : control;
                trainEpoch(net, m == 0 ? optA : optC, tasks, active, inputs, e);
                for (int t = 0; t < tasks.length; t++) {
                    acc[m][e][t] = accuracy(net, tasks[t], inputs);
                }
            }
            controller.adapt(adaptive, optA);
            int[] w = adaptive.widths();
            widthLog[e] = new int[] {w[1], w[2], w[3]};
            ctx.log().printf("  tasks: epoch %d/%d active %s widths %s accuracies %s (control %s)%n", e + 1, epochs,
                    Arrays.toString(active), Arrays.toString(widthLog[e]), pct(acc[0][e]), pct(acc[1][e]));
            ctx.log().flush();
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
        md.append(String.format(Locale.ROOT, "Block input %d = 64 (digits) + 784 (Fashion-MNIST) + 784 (Fashion-MNIST "
                        + "with a fixed pixel permutation), block output 3 x 10. Each task truncated to %d training and %d "
                        + "test samples (the digits' split). Initial hidden widths %s drawn uniformly from [%d, %d]. Phases "
                        + "of %d epochs: digits; digits + Fashion-MNIST; all three; Fashion-MNIST only. Each step takes "
                        + "one batch of 48 from every active task; losses on each task's own logit block, averaged over "
                        + "active tasks. AdamW lr 1e-3, wd 1e-3. Adaptive: controller K = 5, tau = 0.95 after every epoch, "
                        + "deepest layer first, optimiser state transformed. Control: same initial weights, fixed widths."
                        + "%n%n", inputs, n, nTest, Arrays.toString(Arrays.copyOfRange(widths, 1, 4)), lo, hi, perPhase));
        md.append("| after epoch | active tasks | widths (adaptive) | ");
        for (Task t : tasks) {
            md.append(t.name()).append(" adaptive / control | ");
        }
        md.append("\n| ---: | --- | --- |").append(" ---: |".repeat(tasks.length)).append('\n');
        for (int p = 0; p < phases.length; p++) {
            int e = (p + 1) * perPhase - 1;
            List<String> names = new ArrayList<>();
            for (int t = 0; t < tasks.length; t++) {
                if (phases[p][t]) {
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

    private static void trainEpoch(IsotropicMlp net, Optimizer opt, Task[] tasks, boolean[] active, int inputs,
                                   int epoch) {
        int batch = 48;
        int a = 0;
        for (boolean b : active) {
            a += b ? 1 : 0;
        }
        int[][] order = new int[tasks.length][];
        for (int t = 0; t < tasks.length; t++) {
            order[t] = Dataset.permutation(tasks[t].train().size(), new SplittableRandom(Seeds.mix(9, epoch, t)));
        }
        int steps = tasks[0].train().size() / batch; // drop_last, all tasks truncated to the same size
        for (int s = 0; s < steps; s++) {
            Tensor x = Tensor.zeros(net.dtype(), batch * a, inputs);
            int[][] labels = new int[tasks.length][];
            int row = 0;
            for (int t = 0; t < tasks.length; t++) {
                if (!active[t]) {
                    continue;
                }
                labels[t] = new int[batch];
                int d = tasks[t].train().featureCount();
                for (int i = 0; i < batch; i++) {
                    int idx = order[t][s * batch + i];
                    for (int j = 0; j < d; j++) {
                        x.setFlat((row + i) * inputs + tasks[t].offset() + j,
                                tasks[t].train().features().getFlat(idx * d + j));
                    }
                    labels[t][i] = tasks[t].train().label(idx);
                }
                row += batch;
            }
            ForwardPass fp = net.forward(x);
            Tensor dLogits = Tensor.zeros(net.dtype(), batch * a, 30);
            row = 0;
            for (int t = 0; t < tasks.length; t++) {
                if (!active[t]) {
                    continue;
                }
                Tensor block = Tensor.zeros(net.dtype(), batch, 10);
                for (int i = 0; i < batch; i++) {
                    for (int c = 0; c < 10; c++) {
                        block.setFlat(i * 10 + c, fp.logits().getFlat((row + i) * 30 + 10 * t + c));
                    }
                }
                LossValue lv = Loss.CROSS_ENTROPY.evaluate(block, labels[t]);
                for (int i = 0; i < batch; i++) {
                    for (int c = 0; c < 10; c++) {
                        dLogits.setFlat((row + i) * 30 + 10 * t + c, lv.gradient().getFlat(i * 10 + c) / a);
                    }
                }
                row += batch;
            }
            Gradients g = net.backward(fp, dLogits);
            net.addPsiPenaltyGradient(g);
            opt.step(net, g);
        }
    }

    private static double accuracy(IsotropicMlp net, Task task, int inputs) {
        Dataset test = task.test();
        int d = test.featureCount();
        Tensor x = Tensor.zeros(net.dtype(), test.size(), inputs);
        for (int i = 0; i < test.size(); i++) {
            for (int j = 0; j < d; j++) {
                x.setFlat(i * inputs + task.offset() + j, test.features().getFlat(i * d + j));
            }
        }
        Tensor logits = net.predict(x);
        int t = task.offset() == 0 ? 0 : task.offset() == 64 ? 1 : 2;
        int correct = 0;
        for (int i = 0; i < test.size(); i++) {
            int best = 0;
            for (int c = 1; c < 10; c++) {
                if (logits.getFlat(i * 30 + 10 * t + c) > logits.getFlat(i * 30 + 10 * t + best)) {
                    best = c;
                }
            }
            correct += best == test.label(i) ? 1 : 0;
        }
        return (double) correct / test.size();
    }

    private static String pct(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1f%%", 100 * v[i]));
        }
        return sb.append(']').toString();
    }
}
