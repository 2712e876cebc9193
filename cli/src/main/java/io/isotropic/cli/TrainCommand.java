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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Trains a network (optionally with live neuroadaptation) and keeps a run directory ({@link
 * io.isotropic.persist.RunDirectory}, locked for the run's life): {@code run.json} (the options and the backend),
 * {@code checkpoints/epoch-N/} (model, optimiser and manifest after every epoch, complete before visible, so
 * {@code --resume} continues exactly after any crash), {@code model.safetensors} and {@code optimizer.safetensors}
 * (links to the newest checkpoint's files), {@code metrics.jsonl} and {@code plots/*.png}.
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

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory: absent or empty (default "
            + "runs/train-<timestamp>, made unique).")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR",
            description = "Continue the run in DIR from its newest complete checkpoint, with its recorded options and"
                    + " backend (only --epochs, --backend, --threads and --no-progress may be given).")
    Path resume;

    @Option(names = "--tasks", paramLabel = "FILE", description = "Train several tasks that come and go on one network: "
            + "a JSON file of tasks (data set, limits, permutation, weight) and phases (from epoch E on, these tasks are "
            + "active; remove those); see the README. Replaces --dataset and the other data options.")
    Path tasks;

    @Option(names = "--no-progress", description = "No progress bar (a bar on a terminal, else a line every 30 s);"
            + " the line per epoch stays.")
    boolean noProgress;

    /** Options that may be given with --resume; every other option is recorded in run.json and fixed. */
    private static final java.util.Set<String> RESUME_OPTIONS = java.util.Set.of("--resume", "--epochs",
            "--no-progress", "--backend", "--threads");

    @Override
    public Integer call() throws IOException {
        PrintWriter w = spec.commandLine().getOut();
        if (resume != null) {
            return resume(w);
        }
        // everything is validated and loaded before the run directory exists, so a mistake leaves nothing behind
        training.validate();
        if (tasks != null) {
            for (String o : DataOptions.NAMES) {
                Usage.reject(spec, o, "does not apply with --tasks: each task names its data in the task file");
            }
            taskJson = TaskFile.readJson(tasks);
        }
        Source src = loadSource();
        Activity.now("starting the backend");
        try (Backend backend = common.createBackend()) {
            OptimizerSpec ospec = optimizer.spec(src.totalSteps(training.epochs, training.batchSize));
            IsotropicMlp net = network.build(backend, common.dtype(), src.inputs(), src.outputs());
            Optimizer opt = ospec.build();
            common.recordBackend(backend);
            try (Run rd = createRunDirectory()) {
                rd.writeRunJson();
                return train(rd.dir, backend, src.bind(net, null), net, opt, ospec, 0, w);
            }
        }
    }

    /** The task file's content (recorded in run.json), or null for a single data set. */
    private JsonNode taskJson;

    /** Loads what the run trains on: the data set, or every task of the task file. */
    private Source loadSource() throws IOException {
        if (taskJson == null) {
            Activity.now("loading the data set " + data.dataset);
            return Source.of(data.load(common.dtype()));
        }
        TaskFile tf = TaskFile.parse(taskJson, tasks != null ? "--tasks " + tasks : "the task file recorded in run.json");
        Activity.now("loading the data of " + tf.tasks().size() + " tasks");
        return Source.of(tf, tf.load(common.dtype()));
    }

    /** The run directory with the options that describe it. */
    private final class Run implements AutoCloseable {
        final io.isotropic.persist.RunDirectory dir;

        Run(io.isotropic.persist.RunDirectory dir) {
            this.dir = dir;
        }

        void writeRunJson() throws IOException {
            ObjectNode run = JSON.createObjectNode();
            run.put("format", "isotropic-run");
            run.put("format_version", 2);
            ObjectNode be = run.putObject("backend");
            be.put("name", common.backend);
            if (common.threads != null) {
                be.put("threads", common.threads);
            }
            run.set("common", JSON.valueToTree(common));
            run.set("data", JSON.valueToTree(data));
            run.set("network", JSON.valueToTree(network));
            run.set("optimizer", JSON.valueToTree(optimizer));
            run.set("training", JSON.valueToTree(training));
            if (taskJson != null) {
                run.set("tasks", taskJson);
            }
            dir.writeRunFile(JSON.writeValueAsBytes(run));
        }

        @Override
        public void close() throws IOException {
            dir.close();
        }
    }

    private Run createRunDirectory() throws IOException {
        if (out == null) {
            return new Run(io.isotropic.persist.RunDirectory.createUnique(Path.of("runs"), "train-"));
        }
        try {
            return new Run(io.isotropic.persist.RunDirectory.create(out));
        } catch (io.isotropic.persist.RunDirectoryException e) {
            String m = e.getMessage();
            if (m.contains("already holds")) {
                boolean ownRun = Files.exists(out.resolve(io.isotropic.persist.RunDirectory.RUN_FILE));
                throw new IllegalArgumentException("--out " + m + (ownRun ? "; it is a train run: continue it with"
                        + " --resume " + out : "; it is not a new run directory") + ", or choose another directory so "
                        + "nothing is overwritten");
            }
            throw new IllegalArgumentException("--out " + m);
        }
    }

    private Integer resume(PrintWriter w) throws IOException {
        List<String> fixed = new ArrayList<>();
        for (picocli.CommandLine.Model.OptionSpec o : spec.commandLine().getParseResult().matchedOptions()) {
            if (!RESUME_OPTIONS.contains(o.longestName())) {
                fixed.add(o.longestName());
            }
        }
        if (!fixed.isEmpty()) {
            throw new IllegalArgumentException("--resume continues a run with the options recorded in its run.json; "
                    + String.join(", ", fixed) + (fixed.size() == 1 ? " cannot" : " cannot") + " be changed (with "
                    + "--resume only --epochs, --backend, --threads and --no-progress may be given)");
        }
        Integer newTotal = spec.commandLine().getParseResult().hasMatchedOption("--epochs") ? training.epochs : null;
        String backendOverride = common.backend;
        Integer threadsOverride = common.threads;
        Path dir = resume;
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--resume " + dir + ": no such run directory");
        }
        if (!Files.exists(dir.resolve(io.isotropic.persist.RunDirectory.RUN_FILE))
                && !Files.exists(dir.resolve(io.isotropic.persist.RunDirectory.LOCK))) {
            throw new IllegalArgumentException("--resume " + dir + ": not a run directory (no run.json)");
        }
        io.isotropic.persist.RunDirectory opened;
        try {
            opened = io.isotropic.persist.RunDirectory.open(dir);
        } catch (io.isotropic.persist.RunDirectoryException e) {
            throw new IllegalArgumentException("--resume " + e.getMessage());
        }
        try (Run rd = new Run(opened)) {
            if (!rd.dir.hasRunFile()) {
                throw new IllegalArgumentException("--resume " + dir + ": the run was interrupted before it recorded "
                        + "its options (no run.json); start it again with 'isotropic train --out " + dir
                        + "' and the same options");
            }
            JsonNode run = JSON.readTree(rd.dir.readRunFile());
            if (run == null || !"isotropic-run".equals(run.path("format").asText()) || !run.has("training")) {
                throw new IllegalArgumentException("--resume " + dir + ": run.json is not the description of an "
                        + "isotropic train run");
            }
            common = JSON.treeToValue(run.get("common"), CommonOptions.class);
            data = JSON.treeToValue(run.get("data"), DataOptions.class);
            network = JSON.treeToValue(run.get("network"), NetworkOptions.class);
            optimizer = JSON.treeToValue(run.get("optimizer"), OptimizerOptions.class);
            training = JSON.treeToValue(run.get("training"), TrainingOptions.class);
            boolean epochsChanged = newTotal != null && newTotal != training.epochs;
            if (newTotal != null) {
                training.epochs = newTotal;
            }
            training.validate();
            String recorded = common.backend;
            if (backendOverride != null) {
                common.backend = backendOverride;
            }
            if (threadsOverride != null) {
                common.threads = threadsOverride;
            }
            int completed = rd.dir.epochsCompleted();
            taskJson = run.has("tasks") ? run.get("tasks") : null;
            Source src = loadSource();
            Backend backend;
            try {
                backend = common.createBackend();
            } catch (io.isotropic.BackendUnavailableException | io.isotropic.UnknownBackendException e) {
                if (backendOverride != null) {
                    throw e;
                }
                throw new IllegalArgumentException("--resume " + dir + ": the run was trained on backend " + recorded
                        + ", which is not available here (" + e.getMessage() + "); pass --backend NAME to continue "
                        + "on another one (the result then differs from an uninterrupted run)");
            }
            try (backend) {
                if (recorded != null && !recorded.equals(backend.name())) {
                    w.printf("note: continuing on backend %s; the run was trained on %s, so the result will differ "
                            + "from an uninterrupted run%n", backend.name(), recorded);
                }
                IsotropicMlp net;
                Optimizer opt;
                OptimizerSpec ospec;
                Map<String, String> layout = null;
                if (rd.dir.latestCheckpoint().isPresent()) {
                    Activity.now("loading the checkpoint of epoch " + completed);
                    io.isotropic.persist.Checkpoint.Loaded cp = rd.dir.loadLatest(backend);
                    if (cp.optimizer() == null) {
                        throw new IllegalArgumentException("--resume " + dir + ": the checkpoint of epoch " + completed
                                + " has no optimiser state");
                    }
                    net = cp.model().net();
                    opt = cp.optimizer().optimizer();
                    ospec = cp.optimizer().spec();
                    layout = cp.model().metadata();
                } else {
                    // interrupted before its first checkpoint: start again from the recorded options
                    ospec = optimizer.spec(src.totalSteps(training.epochs, training.batchSize));
                    net = network.build(backend, common.dtype(), src.inputs(), src.outputs());
                    opt = ospec.build();
                }
                if (epochsChanged) {
                    rd.writeRunJson();
                }
                if (completed >= training.epochs) {
                    List<Path> plots = Plots.draw(dir, readMetrics(dir), training.scaffolds != null ? training.tau
                            : Double.NaN);
                    w.printf("run %s already completed %d of %d epochs; pass --epochs to extend it (redrew %d plots)%n",
                            dir, completed, training.epochs, plots.size());
                    w.flush();
                    return 0;
                }
                return train(rd.dir, backend, src.bind(net, layout), net, opt, ospec, completed, w);
            }
        }
    }

    /** The training loop with a checkpoint after every epoch. */
    private int train(io.isotropic.persist.RunDirectory rd, Backend backend, Source.Bound src, IsotropicMlp net,
                      Optimizer opt, OptimizerSpec ospec, int completed, PrintWriter w) throws IOException {
        Path dir = rd.path();
        w.printf("isotropic train: %s -> %s%n", src.describeTraining(), net);
        w.printf("  test %s; optimiser %s; backend %s (%d threads); %s; run directory %s%n", src.describeTest(),
                opt.describe(), backend.name(), backend.threads(), adaptationSummary(), dir);
        if (completed > 0) {
            w.printf("  resuming after epoch %d of %d%n", completed, training.epochs);
        }
        w.flush();
        final OptimizerSpec savedSpec = ospec;
        Progress progress = new Progress(w, spec.commandLine().getErr(), src.stepsPerEpoch(completed,
                training.batchSize), training.epochs, noProgress);
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
                progress.stepsNextEpoch(src.stepsPerEpoch(m.epoch() + 1, training.batchSize));
                try {
                    rd.appendMetrics(metricsLine(m, n, training.spectraEvery, src.phaseOf(m.epoch())));
                    rd.checkpoint(m.epoch() + 1, n, src.standardiser(), o, savedSpec, src.checkpointInfo());
                } catch (IOException e) {
                    throw new UncheckedIOException("the checkpoint after epoch " + (m.epoch() + 1) + " failed: "
                            + e.getMessage() + "; nothing is lost: once the cause is fixed, 'isotropic train --resume "
                            + dir + "' continues after epoch " + rd.epochsCompleted(), e);
                }
            }
        });
        Trainer.Builder tb = Trainer.builder().epochs(training.epochs).startEpoch(completed)
                .batchSize(training.batchSize).seed(training.seed);
        listeners.forEach(tb::listener);
        long t0 = System.nanoTime();
        Activity.now("training the network " + Arrays.toString(net.widths()));
        List<EpochMetrics> history = tb.build().fit(net, opt, src.curriculum());
        progress.close();
        double secs = (System.nanoTime() - t0) / 1e9;
        Activity.now("drawing the plots");
        List<JsonNode> all = readMetrics(dir);
        List<Path> plots = Plots.draw(dir, all, training.scaffolds != null ? training.tau : Double.NaN);
        EpochMetrics lastEpoch = history.get(history.size() - 1);
        Evaluation last = lastEpoch.test();
        if (last != null) {
            double best = all.stream().mapToDouble(j -> j.path("test_accuracy").asDouble()).max().orElse(Double.NaN);
            w.printf("done in %.1f s: test accuracy %.2f%% (best %.2f%%), test loss %.4f, widths %s, %d parameters%n",
                    secs, 100 * last.accuracy(), 100 * best, last.loss(), Arrays.toString(net.widths()),
                    net.parameterCount());
        } else {
            w.printf("done in %.1f s: test accuracy %s, widths %s, %d parameters%n", secs,
                    Progress.perTask(lastEpoch), Arrays.toString(net.widths()), net.parameterCount());
        }
        w.printf("wrote %s/{model.safetensors, optimizer.safetensors, run.json, metrics.jsonl, checkpoints/} and %d "
                + "plots in %s%n", dir, plots.size(), dir.resolve("plots"));
        w.flush();
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

    static String metricsLine(EpochMetrics m, IsotropicMlp net, int spectraEvery, int phase) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("epoch", m.epoch());
        o.put("train_loss", m.trainLoss());
        o.put("train_accuracy", m.trainAccuracy());
        o.put("psi_penalty", m.psiPenalty());
        if (m.test() != null) {
            o.put("test_loss", m.test().loss());
            o.put("test_accuracy", m.test().accuracy());
        }
        if (phase >= 0) {
            o.put("phase", phase);
            ObjectNode ts = o.putObject("tasks");
            for (io.isotropic.train.GroupMetrics g : m.groups()) {
                ObjectNode t = ts.putObject(g.name());
                t.put("train_samples", g.trainSamples());
                if (g.trainSamples() > 0) {
                    t.put("train_loss", g.trainLoss());
                    t.put("train_accuracy", g.trainAccuracy());
                }
                if (g.test() != null) {
                    t.put("test_loss", g.test().loss());
                    t.put("test_accuracy", g.test().accuracy());
                }
            }
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
        return JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(o);
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
