package io.isotropic.cli.sweep;

import java.nio.file.Path;
import java.util.Map;

/**
 * How a {@link SweepExecutor} is set up.
 *
 * @param workers jobs run at the same time in this JVM ({@code local} threads, or the N of Spark's default
 *                {@code local[N]}); 0 for the number of cores
 * @param master the Spark master URL ({@code local[N]}, {@code spark://HOST:PORT}, ...), or null (Spark: local[N]
 *               with N = workers; the local executor refuses a master)
 * @param retries how often a transiently failed job is tried again, {@code >= 0}
 * @param workDir a directory for the executor's files (scratch space, Spark's local directory), on this machine
 * @param conf further executor configuration (Spark: {@code spark.*} keys), possibly empty
 */
public record ExecutorSettings(int workers, String master, int retries, Path workDir, Map<String, String> conf) {
    /** The default number of retries. */
    public static final int DEFAULT_RETRIES = 2;

    /**
     * Checks the settings.
     *
     * @throws IllegalArgumentException if workers or retries are negative or workDir is missing
     */
    public ExecutorSettings {
        if (workers < 0) {
            throw new IllegalArgumentException("ExecutorSettings: workers must be >= 1 (or 0 for the cores), got "
                    + workers);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("ExecutorSettings: retries must be >= 0, got " + retries);
        }
        if (workDir == null) {
            throw new IllegalArgumentException("ExecutorSettings: workDir is required");
        }
        conf = conf == null ? Map.of() : Map.copyOf(conf);
    }

    /**
     * Settings for a local pool.
     *
     * @param workers threads, or 0 for the cores
     * @param workDir scratch space
     * @return the settings, with the default retries
     */
    public static ExecutorSettings local(int workers, Path workDir) {
        return new ExecutorSettings(workers, null, DEFAULT_RETRIES, workDir, Map.of());
    }

    /**
     * The number of workers, with 0 resolved to the number of cores.
     *
     * @return {@code >= 1}
     */
    public int workersOrCores() {
        return workers > 0 ? workers : Runtime.getRuntime().availableProcessors();
    }

    /**
     * The attempts a job gets.
     *
     * @return {@code retries + 1}
     */
    public int maxAttempts() {
        return retries + 1;
    }
}
