package io.isotropic.cli.sweep;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.isotropic.persist.AtomicFiles;
import io.isotropic.persist.RunDirectory;
import io.isotropic.persist.RunDirectoryException;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a sweep into a directory and gathers its results. The directory (locked for the sweep's life, as a run
 * directory is) holds {@code sweep.json} (the spec and the expanded runs), {@code runs/<id>/} per finished run (what
 * {@code train} wrote there, its {@code train.log}, and {@code result.json}; each directory is written complete
 * under a temporary name and renamed into place, {@code result.json} last), {@code results.json},
 * {@code results.md} and {@code plots/}. Running a sweep again on the same directory reads back every run whose
 * {@code result.json} exists and trains only the others (failed runs among them); since a run's identifier is a
 * digest of its configuration and seed, a spec extended with more seeds or grid values reuses the runs it shares.
 */
public final class Sweep {
    /** The record of the sweep in its directory. */
    public static final String SWEEP_FILE = "sweep.json";
    /** The directory of the runs. */
    public static final String RUNS = "runs";
    /** A run's result, the last file of its directory. */
    public static final String RESULT_FILE = "result.json";

    static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private Sweep() {
    }

    /**
     * What a sweep produced.
     *
     * @param results one result per run of the spec, in spec order (failed runs included)
     * @param trained runs trained by this invocation
     * @param reused runs read back from an earlier invocation
     * @param failed runs that failed
     * @param report the gathered table
     */
    public record Summary(List<RunResult> results, int trained, int reused, int failed, SweepReport report) {
    }

    /**
     * Opens a sweep directory: creates an absent or empty one, or continues one that holds a sweep.
     *
     * @param dir the directory
     * @return the directory, locked until closed
     * @throws IllegalArgumentException naming the directory if it holds something else or is in use
     * @throws IOException if it cannot be created or locked
     */
    public static RunDirectory open(Path dir) throws IOException {
        try {
            if (Files.isDirectory(dir) && Files.exists(dir.resolve(SWEEP_FILE))) {
                return RunDirectory.open(dir);
            }
            return RunDirectory.create(dir);
        } catch (RunDirectoryException e) {
            String m = e.getMessage();
            throw new IllegalArgumentException("sweep --out " + m + (m.contains("already holds")
                    ? " (not a sweep directory: it has no " + SWEEP_FILE + "); choose another directory so nothing is "
                    + "overwritten" : ""));
        }
    }

    /**
     * Runs every run of the spec that has no result yet, writes each run's directory as it finishes, then the
     * results table and plots.
     *
     * @param spec the sweep
     * @param dir the sweep's directory, from {@link #open} (or {@link RunDirectory#createUnique})
     * @param executor where the runs train
     * @param defaultBackend the backend of configurations that name none
     * @param log progress lines
     * @return the results; a failed run is reported there (and in the table) without stopping the others
     * @throws IOException if a file of the sweep directory cannot be read or written
     * @throws InterruptedException if interrupted while waiting for the runs
     */
    public static Summary run(SweepSpec spec, RunDirectory dir, SweepExecutor executor, String defaultBackend,
                              PrintWriter log) throws IOException, InterruptedException {
        Path root = dir.path();
        List<RunSpec> runs = spec.expand(defaultBackend);
        Path runsDir = root.resolve(RUNS);
        AtomicFiles.createDirectory(runsDir, false);
        AtomicFiles.removeTemporaries(runsDir);
        writeRecord(root, spec, runs, defaultBackend);

        Map<String, RunResult> results = new LinkedHashMap<>();
        List<TrainRunJob> todo = new ArrayList<>();
        for (RunSpec r : runs) {
            Path f = runsDir.resolve(r.id()).resolve(RESULT_FILE);
            if (Files.exists(f)) {
                results.put(r.id(), JSON.readValue(f.toFile(), RunResult.class)); // finished before: not redone
            } else {
                todo.add(new TrainRunJob(r));
            }
        }
        int reused = results.size();
        log.printf(Locale.ROOT, "sweep %s: %d configuration%s x %d repeat%s = %d runs; %d to train, %d finished before "
                        + "(read back); %s; directory %s%n", spec.name(), spec.configurations().size(),
                spec.configurations().size() == 1 ? "" : "s", spec.seeds().size(), spec.seeds().size() == 1 ? "" : "s",
                runs.size(), todo.size(), reused, executor.describe(), root);
        log.flush();

        Map<String, RunSpec> byId = new LinkedHashMap<>();
        runs.forEach(r -> byId.put(r.id(), r));
        int[] done = {0};
        long t0 = System.nanoTime();
        if (!todo.isEmpty()) {
            executor.execute(todo, (Outcome<RunOutput> o) -> {
                RunSpec r = byId.get(o.id());
                RunResult res;
                if (o.ok()) {
                    res = o.value().result().withAttempts(o.attempts(), o.host());
                    try {
                        writeRun(runsDir, new RunOutput(res, o.value().files()));
                    } catch (IOException e) {
                        throw new UncheckedIOException("writing the result of run " + r.id() + " failed: "
                                + e.getMessage(), e);
                    }
                } else {
                    res = RunResult.failed(r, o.error(), o.seconds(), o.attempts(), o.host());
                }
                results.put(r.id(), res);
                done[0]++;
                log.printf(Locale.ROOT, "  [%d/%d] %s (%s, seed %d): %s%n", done[0], todo.size(), r.id(), r.label(),
                        r.seed(), res.ok() ? String.format(Locale.ROOT, "test accuracy %.2f%%, widths %s, %.1f s%s",
                                100 * res.testAccuracy(), java.util.Arrays.toString(res.widths()), res.seconds(),
                                res.attempts() > 1 ? ", " + res.attempts() + " attempts" : "")
                                : "FAILED: " + res.error());
                log.flush();
            });
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<RunResult> ordered = new ArrayList<>();
        for (RunSpec r : runs) {
            ordered.add(results.get(r.id()));
        }
        SweepReport report = SweepReport.of(spec, ordered);
        report.write(root, executor.describe(), seconds);
        int failed = (int) ordered.stream().filter(r -> !r.ok()).count();
        return new Summary(List.copyOf(ordered), todo.size(), reused, failed, report);
    }

    /** Writes sweep.json: the spec, the default backend and the runs it expands into. */
    private static void writeRecord(Path root, SweepSpec spec, List<RunSpec> runs, String backend) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", "isotropic-sweep-directory");
        o.put("format_version", 1);
        o.put("name", spec.name());
        o.put("source", spec.where());
        o.put("default_backend", backend);
        o.set("spec", spec.json());
        ArrayNode a = o.putArray("runs");
        for (RunSpec r : runs) {
            ObjectNode x = a.addObject();
            x.put("id", r.id());
            x.put("configuration", r.configIndex());
            x.put("label", r.label());
            x.put("seed", r.seed());
            ArrayNode args = x.putArray("train_arguments");
            r.trainArguments().forEach(args::add);
        }
        AtomicFiles.write(root.resolve(SWEEP_FILE), JSON.writeValueAsBytes(o));
    }

    /**
     * Writes a finished run's directory {@code runs/<id>/}: its files and {@code result.json}, complete under a
     * temporary name, then renamed into place (replacing an incomplete directory of the same name).
     *
     * @param runsDir the sweep's {@code runs} directory
     * @param out the run's output
     * @throws IOException naming the file if a step fails (nothing is then visible under the run's name)
     */
    static void writeRun(Path runsDir, RunOutput out) throws IOException {
        Path target = runsDir.resolve(out.result().id());
        Path tmp = AtomicFiles.temporarySibling(target);
        boolean done = false;
        try {
            AtomicFiles.createDirectory(tmp, true);
            for (Map.Entry<String, byte[]> f : out.files().entrySet()) {
                Path p = tmp.resolve(f.getKey());
                if (!p.getParent().equals(tmp)) {
                    AtomicFiles.createDirectory(p.getParent(), false);
                }
                byte[] b = f.getValue();
                AtomicFiles.writeNew(p, s -> s.write(b));
            }
            byte[] json = JSON.writeValueAsBytes(out.result());
            AtomicFiles.writeNew(tmp.resolve(RESULT_FILE), s -> s.write(json));
            AtomicFiles.fsyncDirectory(tmp);
            if (Files.exists(target)) {
                AtomicFiles.deleteTree(target); // a directory without result.json: incomplete, never counted
            }
            AtomicFiles.renameNew(tmp, target);
            done = true;
        } finally {
            if (!done) {
                try {
                    AtomicFiles.deleteTree(tmp);
                } catch (IOException e) {
                    // a temporary: removed when the sweep is opened again
                }
            }
        }
    }
}
