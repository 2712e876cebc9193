package io.isotropic.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.spi.Backend;
import io.isotropic.train.EpochMetrics;
import io.isotropic.train.Evaluation;
import io.isotropic.train.Optimizer;
import io.isotropic.train.Trainer;
import io.isotropic.train.TrainingListener;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/** Trains an isotropic (or element-wise tanh) MLP and writes a run directory with metrics. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a network on a data set, with a progress bar per epoch, and write the run directory "
                + "(metrics.jsonl).")
final class TrainCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;
    @Mixin
    private CommonOptions common;
    @Mixin
    private DataOptions data;
    @Mixin
    private NetworkOptions network;
    @Mixin
    private OptimizerOptions optimizer;

    @Option(names = "--epochs", defaultValue = "20", paramLabel = "E", description = "Epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "48", paramLabel = "B", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "SEED", description = "Shuffling seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default runs/train-<timestamp>).")
    Path out;

    @Option(names = "--no-progress", description = "Print one line per epoch instead of progress bars.")
    boolean noProgress;

    @Override
    public Integer call() throws IOException {
        PrintWriter w = spec.commandLine().getOut();
        if (epochs < 1 || batchSize < 1) {
            throw new IllegalArgumentException("--epochs and --batch-size must be >= 1, got " + epochs + ", " + batchSize);
        }
        DataOptions.Loaded d = data.load(common.dtype());
        Path dir = out != null ? out : Path.of("runs", "train-" + LocalDateTime.now().format(
                DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        RunDirectory run = RunDirectory.create(dir);
        try (Backend backend = common.createBackend()) {
            IsotropicMlp net = network.build(backend, common.dtype(), d.train().featureCount(),
                    d.train().classes());
            long stepsPerEpoch = (d.train().size() + batchSize - 1) / batchSize;
            Optimizer opt = optimizer.build(stepsPerEpoch * epochs);
            w.printf("isotropic train: %s -> %s%n", d.train(), net);
            w.printf("  test %s; optimiser %s; backend %s (%d threads); run directory %s%n", d.test(), opt.describe(),
                    backend.name(), backend.threads(), run.path());
            w.flush();
            ObjectMapper json = new ObjectMapper();
            try (BufferedWriter metrics = Files.newBufferedWriter(run.path().resolve("metrics.jsonl"),
                    StandardCharsets.UTF_8)) {
                Progress progress = new Progress(w, stepsPerEpoch, epochs, noProgress);
                TrainingListener log = new TrainingListener() {
                    @Override
                    public void onEpochEnd(EpochMetrics m, IsotropicMlp n, Optimizer o) {
                        progress.endEpoch(m, n);
                        try {
                            metrics.write(json.writeValueAsString(toJson(json, m, n)));
                            metrics.newLine();
                            metrics.flush();
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException("writing metrics.jsonl: " + e.getMessage(), e);
                        }
                    }

                    @Override
                    public void onStep(int epoch, long step, double loss, IsotropicMlp n, Optimizer o) {
                        progress.step(epoch, loss, n);
                    }
                };
                long t0 = System.nanoTime();
                List<EpochMetrics> history = Trainer.builder().epochs(epochs).batchSize(batchSize).seed(seed)
                        .listener(log).build().fit(net, opt, d.train(), d.test());
                progress.close();
                double secs = (System.nanoTime() - t0) / 1e9;
                Evaluation last = history.get(history.size() - 1).test();
                double best = history.stream().mapToDouble(m -> m.test().accuracy()).max().orElse(Double.NaN);
                w.printf("done in %.1f s: test accuracy %.2f%% (best %.2f%%), test loss %.4f, widths %s, %d parameters%n",
                        secs, 100 * last.accuracy(), 100 * best, last.loss(), Arrays.toString(net.widths()),
                        net.parameterCount());
                w.flush();
            }
        }
        return 0;
    }

    static ObjectNode toJson(ObjectMapper json, EpochMetrics m, IsotropicMlp net) {
        ObjectNode o = json.createObjectNode();
        o.put("epoch", m.epoch());
        o.put("train_loss", m.trainLoss());
        o.put("train_accuracy", m.trainAccuracy());
        o.put("psi_penalty", m.psiPenalty());
        if (m.test() != null) {
            o.put("test_loss", m.test().loss());
            o.put("test_accuracy", m.test().accuracy());
        }
        var widths = o.putArray("widths");
        for (int x : net.widths()) {
            widths.add(x);
        }
        o.put("learning_rate", m.learningRate());
        o.put("millis", m.millis());
        return o;
    }

    /** Progress bars (one per epoch) or plain lines. */
    static final class Progress {
        private final PrintWriter out;
        private final long stepsPerEpoch;
        private final int epochs;
        private final boolean plain;
        private ProgressBar bar;
        private int barEpoch = -1;
        private double lossSum;
        private int lossCount;

        Progress(PrintWriter out, long stepsPerEpoch, int epochs, boolean plain) {
            this.out = out;
            this.stepsPerEpoch = stepsPerEpoch;
            this.epochs = epochs;
            this.plain = plain;
        }

        void step(int epoch, double loss, IsotropicMlp net) {
            lossSum += loss;
            lossCount++;
            if (plain) {
                return;
            }
            if (bar == null || barEpoch != epoch) {
                if (bar != null) {
                    bar.close();
                }
                bar = new ProgressBarBuilder().setTaskName(String.format("epoch %d/%d", epoch + 1, epochs))
                        .setInitialMax(stepsPerEpoch).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200)
                        .setMaxRenderedLength(120).build();
                barEpoch = epoch;
            }
            bar.step();
            if (lossCount % 10 == 0) {
                bar.setExtraMessage(String.format("loss %.4f", lossSum / lossCount));
            }
        }

        void endEpoch(EpochMetrics m, IsotropicMlp net) {
            if (bar != null) {
                bar.setExtraMessage(String.format("loss %.4f", lossSum / Math.max(1, lossCount)));
                bar.close();
                bar = null;
            }
            lossSum = 0;
            lossCount = 0;
            out.printf("epoch %3d  train loss %.4f acc %6.2f%%  test loss %.4f acc %6.2f%%  widths %s  %.1f s%n",
                    m.epoch() + 1, m.trainLoss(), 100 * m.trainAccuracy(), m.test().loss(), 100 * m.test().accuracy(),
                    Arrays.toString(net.widths()), m.millis() / 1000.0);
            out.flush();
        }

        void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }
}
