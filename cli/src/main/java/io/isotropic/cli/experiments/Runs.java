package io.isotropic.cli.experiments;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.isotropic.persist.AtomicFiles;
import io.isotropic.spi.Backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * The independent runs of an experiment (repeats, grid cells): executed in parallel over a pool of
 * {@link ExperimentContext#workers()} threads, each on its own backend with its share of the cores, each result stored
 * as {@code <dir>/runs/<id>.json} (complete before visible) when it finishes, and read back instead of recomputed when
 * the experiment is resumed. A run's result depends only on its own seeds, never on the pool or the order. Each
 * stored run also records the commit it was computed at, when it finished and its threads ({@code _commit},
 * {@code _finished}, {@code _threads}), since a resumed experiment's runs may come from several invocations, and the
 * options its result depends on ({@code _config}): a resume with other options is refused rather than mixed.
 */
final class Runs {
    static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);

    private Runs() {
    }

    /**
     * One run: an identifier unique within the experiment (a file name) and the work, given a backend.
     *
     * @param id identifier, letters, digits, '-', '_' and '.' only
     * @param work computes the result on the given backend
     * @param <R> the result type (a Jackson-serialisable record)
     */
    record Job<R>(String id, Function<Backend, R> work) {
        Job {
            if (!id.matches("[A-Za-z0-9._-]+")) {
                throw new IllegalArgumentException("Runs.Job: id must be a file name of [A-Za-z0-9._-], got '" + id + "'");
            }
        }
    }

    /**
     * Runs every job not already finished in {@code dir/runs}, in parallel, and returns all results in job order.
     *
     * @param ctx the experiment's context (workers, backend name, log)
     * @param dir the experiment's directory
     * @param type the result class
     * @param jobs the jobs, ids unique
     * @param <R> the result type
     * @return one result per job, in order
     * @throws IOException if a result cannot be read or written
     * @throws IllegalArgumentException if two jobs share an id, or a finished run was computed with other options
     *     ({@link #config})
     */
    static <R> List<R> execute(ExperimentContext ctx, Path dir, Class<R> type, List<Job<R>> jobs) throws IOException {
        Set<String> ids = new HashSet<>();
        for (Job<R> j : jobs) {
            if (!ids.add(j.id())) {
                throw new IllegalArgumentException("Runs.execute: duplicate run id '" + j.id() + "'");
            }
        }
        Path runs = dir.resolve("runs");
        Files.createDirectories(runs);
        List<R> out = new ArrayList<>(jobs.size());
        List<Integer> todo = new ArrayList<>();
        String config = config(ctx);
        int unrecorded = 0;
        for (int i = 0; i < jobs.size(); i++) {
            Path f = runs.resolve(jobs.get(i).id() + ".json");
            if (Files.exists(f)) {
                com.fasterxml.jackson.databind.JsonNode node = JSON.readTree(f.toFile());
                com.fasterxml.jackson.databind.JsonNode was = node.get("_config");
                if (was == null) {
                    unrecorded++; // stored before runs recorded their options
                } else if (!was.asText().equals(config)) {
                    throw new IllegalArgumentException("Runs.execute: run '" + jobs.get(i).id() + "' in " + runs
                            + " was computed with " + was.asText() + ", this invocation asks for " + config
                            + "; resume with the same options or use another --out");
                }
                out.add(JSON.treeToValue(node, type)); // finished before an interruption: not redone
            } else {
                out.add(null);
                todo.add(i);
            }
        }
        if (unrecorded > 0) {
            ctx.log().printf("  %d finished run(s) do not record their options (stored before _config); read back as "
                    + "they are%n", unrecorded);
        }
        if (todo.isEmpty()) {
            return out;
        }
        int workers = Math.max(1, Math.min(ctx.workers(), todo.size()));
        // fewer runs left than workers: the pool shrinks and each run gets more of the cores
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / workers);
        ctx.log().printf("  %d run(s) to do (%d already finished) on %d worker(s), %d thread(s) each%n", todo.size(),
                jobs.size() - todo.size(), workers, threads);
        ctx.log().flush();
        String commit = commit(); // recorded in every run: a resumed experiment mixes runs of several invocations
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "experiment-run");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> fs = new ArrayList<>();
            for (int i : todo) {
                Job<R> job = jobs.get(i);
                fs.add(pool.submit(() -> {
                    R r;
                    try (Backend be = ctx.newBackend(threads)) {
                        r = job.work().apply(be);
                    }
                    com.fasterxml.jackson.databind.node.ObjectNode node = JSON.valueToTree(r);
                    node.put("_commit", commit);
                    node.put("_finished", java.time.Instant.now().toString());
                    node.put("_threads", threads);
                    node.put("_config", config);
                    AtomicFiles.write(runs.resolve(job.id() + ".json"), JSON.writeValueAsBytes(node));
                    return r;
                }));
            }
            for (int k = 0; k < todo.size(); k++) {
                try {
                    out.set(todo.get(k), fs.get(k).get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for run " + jobs.get(todo.get(k)).id(), e);
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof UncheckedIOException u) {
                        throw u.getCause();
                    }
                    if (c instanceof RuntimeException re) {
                        throw re;
                    }
                    if (c instanceof IOException io) {
                        throw io;
                    }
                    throw new IllegalStateException("run " + jobs.get(todo.get(k)).id() + " failed: " + c, c);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return out;
    }

    /**
     * The options a run's result depends on besides its seeds (backend, dtype, data size, scale), as stored in each
     * run's {@code _config}: a resumed experiment refuses runs computed with others.
     */
    static String config(ExperimentContext ctx) {
        return "backend=" + ctx.backendName() + " dtype=" + ctx.dtype().name() + " fashion-limit="
                + ctx.fashionLimit() + " scale=" + (ctx.quick() ? "quick" : "full");
    }

    /**
     * What a result must record about how it was obtained: the commit, the machine, the JVM, the backend and its
     * threads, the pool, and the wall time.
     *
     * @param ctx the experiment's context
     * @param seconds wall time of the experiment (this invocation)
     * @param runs the runs' results (their count is recorded)
     * @return a JSON-serialisable map
     */
    static Map<String, Object> metadata(ExperimentContext ctx, double seconds, List<?> runs) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("commit", commit());
        m.put("commit_of", "this invocation (tables and conclusions); each run's own is _commit in runs/<id>.json");
        m.put("cpu", cpu());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("java", System.getProperty("java.vm.name") + " " + Runtime.version());
        m.put("jvm_flags", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
        m.put("backend", ctx.backendName());
        m.put("dtype", ctx.dtype().name());
        m.put("workers", ctx.workers());
        m.put("threads_per_run", ctx.threadsPerRun());
        m.put("runs", runs.size());
        m.put("wall_seconds_this_invocation", seconds);
        m.put("date", java.time.Instant.now().toString());
        return m;
    }

    /**
     * Writes an experiment's {@code results.json}: its name, the metadata of this invocation, the data it ran on, its
     * scale, the summary its conclusions were computed from, and the conclusions.
     *
     * @param ctx the experiment's context
     * @param dir the experiment's directory
     * @param experiment the experiment's name
     * @param data the data set, or null when the experiment records its data in {@code extra}
     * @param t0 {@link System#nanoTime()} at the start of this invocation
     * @param runs the runs' results
     * @param scale the experiment's scale (a record), or null when {@code extra} records it
     * @param summary the summary
     * @param conclusions the conclusions
     * @param extra further entries, or an empty map
     * @throws IOException if the file cannot be written
     */
    static void writeResults(ExperimentContext ctx, Path dir, String experiment, ExperimentContext.Data data, long t0,
                             List<?> runs, Object scale, Object summary, List<String> conclusions,
                             Map<String, Object> extra) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("experiment", experiment);
        json.put("metadata", metadata(ctx, (System.nanoTime() - t0) / 1e9, runs));
        if (data != null) {
            json.put("data", data.name());
            json.put("train", data.train().size());
            json.put("test", data.test().size());
        }
        json.putAll(extra);
        if (scale != null) {
            json.put("scale", scale);
        }
        json.put("summary", summary);
        json.put("conclusions", conclusions);
        writeJson(dir.resolve("results.json"), json);
    }

    /** Writes a value as indented JSON, complete before visible. */
    static void writeJson(Path file, Object value) throws IOException {
        AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(value));
    }

    private static String commit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
            String s = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            Process d = new ProcessBuilder("git", "status", "--porcelain", "--untracked-files=no")
                    .redirectErrorStream(true).start();
            boolean dirty = !new String(d.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .isBlank();
            return p.waitFor() == 0 && s.matches("[0-9a-f]{40}") ? s + (dirty && d.waitFor() == 0 ? "+changes" : "")
                    : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static String cpu() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).strip();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }
}
