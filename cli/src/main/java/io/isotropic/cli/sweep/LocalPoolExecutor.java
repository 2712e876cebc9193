package io.isotropic.cli.sweep;

import java.io.Serializable;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The {@code local} executor: a fixed pool of threads in this JVM, each job's attempts on one thread, one after the
 * other (no Spark needed). Scratch directories go under {@code workDir/.scratch.tmp} (a temporary name, so that a
 * run directory's recovery removes what a crash leaves there).
 */
public final class LocalPoolExecutor implements SweepExecutor {
    private final int workers;
    private final int maxAttempts;
    private final Path scratchRoot;
    private final String host;

    /**
     * Creates the executor.
     *
     * @param settings workers (0 for the cores), retries, work directory; a master or configuration is refused
     * @throws IllegalArgumentException if a master URL or configuration is given (they belong to Spark)
     */
    public LocalPoolExecutor(ExecutorSettings settings) {
        if (settings.master() != null) {
            throw new IllegalArgumentException("sweep --master " + settings.master() + ": the local executor runs in "
                    + "this JVM and takes no master; use --executor spark for a Spark master");
        }
        if (!settings.conf().isEmpty()) {
            throw new IllegalArgumentException("sweep --conf " + settings.conf().keySet() + ": the local executor takes"
                    + " no configuration; --conf is for --executor spark");
        }
        this.workers = settings.workersOrCores();
        this.maxAttempts = settings.maxAttempts();
        this.scratchRoot = settings.workDir().resolve(".scratch" + io.isotropic.persist.AtomicFiles.TEMP_SUFFIX);
        this.host = hostName();
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public String describe() {
        return "local pool of " + workers + " thread" + (workers == 1 ? "" : "s");
    }

    @Override
    public <R extends Serializable> void execute(List<? extends SweepJob<R>> jobs, Consumer<Outcome<R>> onDone)
            throws InterruptedException {
        checkIds(jobs);
        if (jobs.isEmpty()) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(workers, jobs.size()), r -> {
            Thread t = new Thread(r, "sweep-run");
            t.setDaemon(true);
            return t;
        });
        try {
            CompletionService<Outcome<R>> done = new ExecutorCompletionService<>(pool);
            for (SweepJob<R> job : jobs) {
                done.submit(() -> {
                    for (int a = 0; ; a++) {
                        try {
                            return Attempts.attempt(job, a, maxAttempts, scratchRoot, host);
                        } catch (Attempts.RetryableFailure e) {
                            // transient: the next attempt, on this thread
                        }
                    }
                });
            }
            for (int i = 0; i < jobs.size(); i++) {
                Future<Outcome<R>> f = done.take();
                try {
                    onDone.accept(f.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("the local pool failed: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
            removeScratch();
        }
    }

    /** Deletes the scratch root once no attempt uses it (each attempt deletes its own directory). */
    private void removeScratch() {
        try {
            java.nio.file.Files.deleteIfExists(scratchRoot);
        } catch (java.io.IOException e) {
            // not empty: an attempt still running after an interruption keeps it; harmless
        }
    }

    static void checkIds(List<? extends SweepJob<?>> jobs) {
        Set<String> ids = new HashSet<>();
        for (SweepJob<?> j : jobs) {
            if (!ids.add(j.id())) {
                throw new IllegalArgumentException("SweepExecutor.execute: two jobs have the id '" + j.id() + "'");
            }
        }
    }

    @Override
    public void close() {
        // the pool lives for one execute call
    }
}
