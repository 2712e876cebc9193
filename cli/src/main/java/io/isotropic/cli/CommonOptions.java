package io.isotropic.cli;

import io.isotropic.Backends;
import io.isotropic.spi.Backend;
import io.isotropic.spi.BackendOptions;
import io.isotropic.tensor.DType;
import picocli.CommandLine.Option;

/** Backend, dtype and thread options shared by every computing command. */
public final class CommonOptions {
    @Option(names = "--backend", paramLabel = "NAME",
            description = "Compute backend (vector, ejml, ojalgo); default: -Disotropic.backend, $ISOTROPIC_BACKEND, "
                    + "else the fastest available.")
    String backend;

    @Option(names = "--dtype", defaultValue = "f32", paramLabel = "T", description = "f32 (default) or f64.")
    String dtype;

    @Option(names = "--threads", paramLabel = "N", description = "Threads per kernel (default: all cores).")
    Integer threads;

    /** Creates the options (picocli fills them in). */
    public CommonOptions() {
    }

    /**
     * The chosen dtype.
     *
     * @return the dtype
     * @throws IllegalArgumentException for an unknown name
     */
    public DType dtype() {
        return DType.parse(dtype);
    }

    /**
     * Creates the chosen backend; the caller closes it.
     *
     * @return the backend
     * @throws IllegalArgumentException for an unknown backend or a thread count below 1
     */
    public Backend createBackend() {
        if (threads != null && threads < 1) {
            throw new IllegalArgumentException("--threads must be >= 1, got " + threads);
        }
        return Backends.create(backend, threads == null ? BackendOptions.defaults() : BackendOptions.withThreads(threads));
    }
}
