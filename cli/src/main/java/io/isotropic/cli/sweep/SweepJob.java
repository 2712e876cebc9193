package io.isotropic.cli.sweep;

import java.io.Serializable;
import java.nio.file.Path;

/**
 * One independent unit of work of a sweep (a training run, an experiment's repeat or grid cell): executed by a
 * {@link SweepExecutor} on some thread, JVM or machine, so it must be {@link Serializable} and carry everything it
 * needs (seeds and settings, not loaded data or backends), and its result must depend on nothing but itself.
 *
 * @param <R> the result type, serialisable (it travels back from a Spark executor)
 */
public interface SweepJob<R extends Serializable> extends Serializable {
    /**
     * The job's identifier, unique within its sweep.
     *
     * @return a file name of {@code [A-Za-z0-9._-]}
     */
    String id();

    /**
     * Does the work.
     *
     * @param context the attempt number and a scratch directory
     * @return the result, not null
     * @throws Exception on failure: {@link Attempts#retryable} decides whether another attempt is made
     */
    R run(Context context) throws Exception;

    /**
     * Where and how often a job runs.
     *
     * @param attempt the attempt, from 0 (a retry after a transient failure has 1, 2, ...)
     * @param scratch a fresh empty directory private to this attempt, deleted after it
     * @param host where the attempt runs (host name, and the Spark executor if any)
     */
    record Context(int attempt, Path scratch, String host) {
    }
}
