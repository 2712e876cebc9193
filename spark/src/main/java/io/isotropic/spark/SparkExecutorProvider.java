package io.isotropic.spark;

import io.isotropic.cli.sweep.ExecutorSettings;
import io.isotropic.cli.sweep.SweepExecutor;
import io.isotropic.cli.sweep.SweepExecutorProvider;

/** Provides the {@code spark} sweep executor ({@link SparkSweepExecutor}) to {@code SweepExecutors}. */
public final class SparkExecutorProvider implements SweepExecutorProvider {
    /** Creates the provider ({@link java.util.ServiceLoader} does). */
    public SparkExecutorProvider() {
    }

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public SweepExecutor create(ExecutorSettings settings) {
        return new SparkSweepExecutor(settings);
    }
}
