package io.isotropic.cli;

import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import picocli.CommandLine.Option;

/** Backend, dtype and thread options shared by every computing command. */
final class CommonOptions {
    @Option(names = "--backend", paramLabel = "NAME",
            description = "Compute backend (vector, ejml, ojalgo); default: -Disotropic.backend, $ISOTROPIC_BACKEND, "
                    + "else the fastest available.")
    String backend;

    @Option(names = "--dtype", defaultValue = "f32", paramLabel = "T", description = "f32 (default) or f64.")
    String dtype;

    @Option(names = "--threads", paramLabel = "N", description = "Threads per kernel (default: all cores).")
    Integer threads;

    DType dtype() {
        return DType.parse(dtype);
    }

    Backend createBackend() {
        return CliSupport.backend(backend, threads);
    }
}
