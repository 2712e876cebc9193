package io.isotropic.cli.sweep;

import java.io.Serializable;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs the independent jobs of a sweep and reports each as it ends. Implementations: {@link LocalPoolExecutor}
 * ({@code local}, a pool of threads in this JVM) and, when the {@code spark} module's jar is on the class path,
 * the Spark executor ({@code spark}); {@link SweepExecutors#create} finds them by name. Every executor makes the
 * same attempts (see {@link Attempts}): a transient failure is retried up to {@link ExecutorSettings#retries} times, a
 * deterministic one (bad options, divergence) is reported at once, and a failed job never stops the others.
 */
public interface SweepExecutor extends AutoCloseable {
    /**
     * The executor's name.
     *
     * @return e.g. {@code local} or {@code spark}
     */
    String name();

    /**
     * What the executor runs on, for logs and reports.
     *
     * @return e.g. "local pool of 2 threads" or "Spark local[2]"
     */
    String describe();

    /**
     * Runs every job and calls {@code onDone} once per job, on the calling thread, in the order the jobs end.
     *
     * @param jobs the jobs, identifiers unique
     * @param onDone receives each job's outcome; an exception it throws cancels the remaining jobs and is rethrown
     * @param <R> the result type
     * @throws InterruptedException if the calling thread is interrupted (the remaining jobs are cancelled)
     * @throws IllegalArgumentException if two jobs share an identifier
     */
    <R extends Serializable> void execute(List<? extends SweepJob<R>> jobs, Consumer<Outcome<R>> onDone)
            throws InterruptedException;

    /** Releases the executor's threads or cluster connection. */
    @Override
    void close();
}
