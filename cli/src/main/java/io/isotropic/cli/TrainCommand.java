package io.isotropic.cli;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.isotropic.adapt.Metrics;
import io.isotropic.persist.ModelFile;
import io.isotropic.persist.OptimizerSpec;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.spi.Backend;
import io.isotropic.train.EpochMetrics;
import io.isotropic.train.Evaluation;
import io.isotropic.train.Optimizer;
import io.isotropic.train.Trainer;
import io.isotropic.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Trains a network (optionally with live neuroadaptation) and keeps a run directory: {@code run.json} (the options
 * and progress), {@code model.safetensors} and {@code optimizer.safetensors} (checkpointed after every epoch, so
 * {@code --resume} continues exactly), {@code metrics.jsonl} and {@code plots/*.png}.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a network on a data set, with a progress bar per epoch, live neuroadaptation (--adapt) or "
                + "a width schedule, and write the run directory: model, optimiser state, metrics and plots.")
final class TrainCommand implements Callable<Integer> {
    static final ObjectMapper JSON = new ObjectMapper()
            .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
            .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    private CommandSpec spec;
    @Mixin
    CommonOptions common;
    @Mixin
    DataOptions data;
    @Mixin
    NetworkOptions network;
    @Mixin
    OptimizerOptions optimizer;
    @Mixin
    TrainingOptions training;

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory (default runs/train-<timestamp>).")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the run in DIR from its last checkpoint, with its options (only --epochs may change"
                    + " the total).")
    Path resume;

    @Option(names = "--no-progress", description = "Print one line per epoch instead of progress bars.")
    boolean noProgress;

    @Override
    public Integer call() throws IOException {
        PrintWriter w = spec.commandLine().getOut();
        int completed = 0;
        Path dir;
        if (resume != null) {
            dir = resume;
            Path runFile = dir.resolve("run.json");
            if (!Files.exists(runFile)) {
                throw new IllegalArgumentException("--resume " + dir + ": no run.json there (not a run directory)");
            }
            Integer newTotal = spec.commandLine().getParseResult().hasMatchedOption("--epochs") ? training.epochs : null;
            JsonNode run = JSON.readTree(runFile.toFile());
            common = JSON.treeToValue(run.get("common"), CommonOptions.class);
            data = JSON.treeToValue(run.get("data"), DataOptions.class);
            network = JSON.treeToValue(run.get("network"), NetworkOptions.class);
            optimizer = JSON.treeToValue(run.get("optimizer"), OptimizerOptions.class);
            training = JSON.treeToValue(run.get("training"), TrainingOptions.class);
            if (newTotal != null) {
                training.epochs = newTotal;
            }
            completed = run.path("epochs_completed").asInt(-1);
            if (completed < 0) {
                throw new IllegalArgumentException("--resume " + dir + ": run.json has no epochs_completed");
            }
        } else {
            dir = out != null ? out : Path.of("runs", "train-" + LocalDateTime.now().format(
                    DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
            RunDirectory.create(dir);
        }
        training.validate();
        DataOptions.Loaded d = data.load(common.dtype());
        try (Backend backend = common.createBackend()) {
            IsotropicMlp net;
            Optimizer opt;
            long stepsPerEpoch = (d.train().size() + training.batchSize - 1) / training.batchSize;
            OptimizerSpec ospec = optimizer.spec(stepsPerEpoch * training.epochs);
            if (resume != null) {
                ModelFile.Loaded model = ModelFile.load(dir.resolve("model.safetensors"), backend);
                net = model.net();
                ModelFile.LoadedOptimizer lo = ModelFile.loadOptimizer(dir.resolve("optimizer.safetensors"), net);
                opt = lo.optimizer();
                ospec = lo.spec();
                String me = model.metadata().get("epochs_completed");
                String oe = lo.metadata().get("epochs_completed");
                if (!String.valueOf(completed).equals(me) || !String.valueOf(completed).equals(oe)) {
                    throw new IllegalStateException("--resume " + dir + ": checkpoint is inconsistent (run.json says "
                            + completed + " epochs, model " + me + ", optimiser " + oe
                            + "); a write was interrupted");
                }
                if (completed >= training.epochs) {
                    w.printf("run %s already completed %d of %d epochs; pass --epochs to extend it%n", dir, completed,
                            training.epochs);
                    return 0;
                }
            } else {
                net = network.build(backend, common.dtype(), d.train().featureCount(), d.train().classes());
                opt = ospec.build();
                writeRunJson(dir, 0);
            }
            w.printf("isotropic train: %s -> %s%n", d.train(), net);
            w.printf("  test %s; optimiser %s; backend %s (%d threads); %s; run directory %s%n", d.test(),
                    opt.describe(), backend.name(), backend.threads(), adaptationSummary(), dir);
            if (completed > 0) {
                w.printf("  resuming after epoch %d of %d%n", completed, training.epochs);
            }
            w.flush();
            final OptimizerSpec savedSpec = ospec;
            Progress progress = new Progress(w, stepsPerEpoch, training.epochs, noProgress);
            List<TrainingListener> listeners = new ArrayList<>();
            listeners.add(new TrainingListener() {
                @Override
                public void onStep(int epoch, long step, double loss, IsotropicMlp n, Optimizer o) {
                    progress.step(epoch, loss);
                }
            });
            listeners.addAll(training.listeners());
            listeners.add(new TrainingListener() {
                @Override
                public void onEpochEnd(EpochMetrics m, IsotropicMlp n, Optimizer o) {
                    progress.endEpoch(m, n);
                    try {
                        appendMetrics(dir, m, n, training.spectraEvery);
                        checkpoint(dir, n, o, savedSpec, d, m.epoch() + 1);
                    } catch (IOException e) {
                        throw new UncheckedIOException("run directory " + dir + ": " + e.getMessage(), e);
                    }
                }
            });
            Trainer.Builder tb = Trainer.builder().epochs(training.epochs).startEpoch(completed)
                    .batchSize(training.batchSize).seed(training.seed);
            listeners.forEach(tb::listener);
            long t0 = System.nanoTime();
            List<EpochMetrics> history = tb.build().fit(net, opt, d.train(), d.test());
            progress.close();
            double secs = (System.nanoTime() - t0) / 1e9;
            List<JsonNode> all = readMetrics(dir);
            List<Path> plots = Plots.draw(dir, all, training.scaffolds != null ? training.tau : Double.NaN);
            Evaluation last = history.get(history.size() - 1).test();
            double best = all.stream().mapToDouble(j -> j.path("test_accuracy").asDouble()).max().orElse(Double.NaN);
            w.printf("done in %.1f s: test accuracy %.2f%% (best %.2f%%), test loss %.4f, widths %s, %d parameters%n",
                    secs, 100 * last.accuracy(), 100 * best, last.loss(), Arrays.toString(net.widths()),
                    net.parameterCount());
            w.printf("wrote %s/{model.safetensors, optimizer.safetensors, run.json, metrics.jsonl} and %d plots in %s%n",
                    dir, plots.size(), dir.resolve("plots"));
            w.flush();
        }
        return 0;
    }

    private String adaptationSummary() {
        if (training.scaffolds != null) {
            return "neuroadaptation K=" + training.scaffolds + ", tau=" + training.tau
                    + (training.adaptEvery > 0 ? " every " + training.adaptEvery + " steps" : " after every epoch");
        }
        if (training.widthSchedule != null) {
            return "width schedule " + training.widthSchedule;
        }
        return "fixed widths";
    }

    private void writeRunJson(Path dir, int epochsCompleted) throws IOException {
        ObjectNode run = JSON.createObjectNode();
        run.put("format", "isotropic-run");
        run.put("format_version", 1);
        run.put("epochs_completed", epochsCompleted);
        run.set("common", JSON.valueToTree(common));
        run.set("data", JSON.valueToTree(data));
        run.set("network", JSON.valueToTree(network));
        run.set("optimizer", JSON.valueToTree(optimizer));
        run.set("training", JSON.valueToTree(training));
        atomicWrite(dir.resolve("run.json"), JSON.writeValueAsBytes(run));
    }

    private void checkpoint(Path dir, IsotropicMlp net, Optimizer opt, OptimizerSpec ospec, DataOptions.Loaded d,
                            int epochsCompleted) throws IOException {
        Map<String, String> extra = Map.of("epochs_completed", Integer.toString(epochsCompleted));
        ModelFile.save(dir.resolve("model.safetensors"), net, d.standardiser(), extra);
        ModelFile.saveOptimizer(dir.resolve("optimizer.safetensors"), opt, ospec, extra);
        writeRunJson(dir, epochsCompleted); // last: run.json only claims an epoch once both files hold it
    }

    static void atomicWrite(Path file, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName() + ".", ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static void appendMetrics(Path dir, EpochMetrics m, IsotropicMlp net, int spectraEvery) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("epoch", m.epoch());
        o.put("train_loss", m.trainLoss());
        o.put("train_accuracy", m.trainAccuracy());
        o.put("psi_penalty", m.psiPenalty());
        if (m.test() != null) {
            o.put("test_loss", m.test().loss());
            o.put("test_accuracy", m.test().accuracy());
        }
        ArrayNode trained = o.putArray("trained_widths");
        for (int x : m.widths()) {
            trained.add(x);
        }
        ArrayNode widths = o.putArray("widths");
        for (int x : net.widths()) {
            widths.add(x);
        }
        o.put("parameters", net.parameterCount());
        o.put("learning_rate", m.learningRate());
        o.put("millis", m.millis());
        if (spectraEvery > 0 && (m.epoch() + 1) % spectraEvery == 0) {
            ArrayNode spectra = o.putArray("spectra");
            for (double[] s : Metrics.spectra(net)) {
                ArrayNode a = spectra.addArray();
                for (double v : s) {
                    a.add(v);
                }
            }
        }
        byte[] line = (JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(o) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("metrics.jsonl"), line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static List<JsonNode> readMetrics(Path dir) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        Path f = dir.resolve("metrics.jsonl");
        if (!Files.exists(f)) {
            return out;
        }
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }
}
