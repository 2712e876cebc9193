package io.isotropic.cli.sweep;

/**
 * A kind of {@link SweepExecutor} found by {@link java.util.ServiceLoader}
 * ({@code META-INF/services/io.isotropic.cli.sweep.SweepExecutorProvider}); the {@code spark} module provides one.
 */
public interface SweepExecutorProvider {
    /**
     * The name the executor is chosen by ({@code --executor NAME}).
     *
     * @return a lower-case name, e.g. {@code spark}
     */
    String name();

    /**
     * Creates an executor.
     *
     * @param settings workers, master URL, retries, work directory and configuration
     * @return the executor; the caller closes it
     * @throws IllegalArgumentException naming the setting if a setting is invalid for this executor (e.g. a
     *         malformed master URL)
     */
    SweepExecutor create(ExecutorSettings settings);
}
