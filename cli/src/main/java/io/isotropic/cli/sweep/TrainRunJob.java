package io.isotropic.cli.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.isotropic.cli.Training;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The job of one sweep run: {@code isotropic train ARGS --out <scratch>/run --no-progress} in this JVM (through
 * {@link Training}, the {@code train} command's own code path), then its run directory read back as a
 * {@link RunOutput}: metrics per epoch, final accuracy and widths, and the files (model and optimiser as
 * safetensors, {@code run.json}, {@code metrics.jsonl}, plots, and {@code train.log}, what {@code train} printed).
 *
 * @param spec the run
 */
public record TrainRunJob(RunSpec spec) implements SweepJob<RunOutput> {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The log of what {@code train} printed, in the run directory. */
    public static final String LOG = "train.log";

    @Override
    public String id() {
        return spec.id();
    }

    @Override
    public RunOutput run(Context context) throws Exception {
        Path dir = context.scratch().resolve("run");
        List<String> args = new ArrayList<>(spec.trainArguments());
        args.addAll(List.of("--out", dir.toString(), "--no-progress"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long t0 = System.nanoTime();
        Training.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<RunResult.Epoch> epochs = readEpochs(dir.resolve("metrics.jsonl"));
        if (epochs.isEmpty()) {
            throw new IllegalStateException("run " + spec.id() + " wrote no metrics");
        }
        RunResult.Epoch last = epochs.get(epochs.size() - 1);
        double best = epochs.stream().mapToDouble(RunResult.Epoch::testAccuracy).max().orElse(Double.NaN);
        RunResult result = new RunResult(spec.id(), spec.configId(), spec.label(), spec.configIndex(),
                spec.repeat(), spec.seed(), spec.trainArguments(), true, null, epochs, last.testAccuracy(), best,
                last.widths(), last.parameters(), seconds, context.attempt() + 1, context.host());
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String f : new String[] {"run.json", "metrics.jsonl", RunOutput.MODEL, "optimizer.safetensors"}) {
            files.put(f, Files.readAllBytes(dir.resolve(f)));
        }
        Path plots = dir.resolve("plots");
        if (Files.isDirectory(plots)) {
            try (Stream<Path> s = Files.list(plots)) {
                for (Path p : s.sorted().toList()) {
                    if (p.getFileName().toString().endsWith(".png")) {
                        files.put("plots/" + p.getFileName(), Files.readAllBytes(p));
                    }
                }
            }
        }
        String log = out + (err.getBuffer().isEmpty() ? "" : "--- stderr ---\n" + err);
        files.put(LOG, log.getBytes(StandardCharsets.UTF_8));
        return new RunOutput(result, files);
    }

    /**
     * Reads the epochs of a {@code metrics.jsonl} (the last line of each epoch, in epoch order).
     *
     * @param file the metrics log of a single-data-set run
     * @return the epochs
     * @throws IOException if the file cannot be read
     */
    static List<RunResult.Epoch> readEpochs(Path file) throws IOException {
        java.util.TreeMap<Integer, RunResult.Epoch> by = new java.util.TreeMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode j = JSON.readTree(line);
            JsonNode w = j.path("widths");
            int[] widths = new int[w.size()];
            for (int i = 0; i < widths.length; i++) {
                widths[i] = w.get(i).asInt();
            }
            RunResult.Epoch e = new RunResult.Epoch(j.path("epoch").asInt(), j.path("train_loss").asDouble(),
                    j.path("train_accuracy").asDouble(), j.path("test_loss").asDouble(Double.NaN),
                    j.path("test_accuracy").asDouble(Double.NaN), widths, j.path("parameters").asLong(),
                    j.path("learning_rate").asDouble());
            by.put(e.epoch(), e);
        }
        return new ArrayList<>(by.values());
    }
}
