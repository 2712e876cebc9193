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

    @Option(names = "--dtype", paramLabel = "T", description = "f32 (default) or f64: train and experiment; import "
            + "(mixed files); the target of convert. Commands that read a saved model refuse it (it keeps its own).")
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
        if (dtype == null) {
            return DType.F32;
        }
        try {
            return DType.parse(dtype);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--dtype " + dtype + ": unknown element type; use f32 or f64");
        }
    }

    /**
     * Records the backend actually used (name and threads), so that a run resumes on the same one.
     *
     * @param backend the backend created from these options
     */
    public void recordBackend(Backend backend) {
        this.backend = backend.name();
        this.threads = backend.threads();
        this.dtype = dtype().name().toLowerCase(java.util.Locale.ROOT);
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
