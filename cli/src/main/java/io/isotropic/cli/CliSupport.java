package io.isotropic.cli;

import io.isotropic.Backends;
import io.isotropic.spi.Backend;
import io.isotropic.spi.BackendOptions;

/** Helpers shared by command packages. */
public final class CliSupport {
    private CliSupport() {
    }

    /**
     * Creates a backend from command-line choices.
     *
     * @param name the backend name, or null for the default choice
     * @param threads threads per kernel, or null for all cores
     * @return a new backend owned by the caller
     * @throws IllegalArgumentException if threads is below 1 or the name is unknown
     */
    public static Backend backend(String name, Integer threads) {
        if (threads != null && threads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        }
        return Backends.create(name, threads == null ? BackendOptions.defaults() : BackendOptions.withThreads(threads));
    }
}
