package io.isotropic.cli;

import io.isotropic.persist.ModelFile;
import io.isotropic.spi.Backend;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** The model file a command reads. */
final class ModelOptions {
    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "Model file (model.safetensors, or a run directory holding one).")
    Path model;

    Path file() {
        return java.nio.file.Files.isDirectory(model) ? model.resolve("model.safetensors") : model;
    }

    ModelFile.Loaded load(Backend backend) throws IOException {
        return ModelFile.load(file(), backend);
    }
}
