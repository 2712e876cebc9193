package io.isotropic.cli;

import io.isotropic.persist.Checkpoint;
import io.isotropic.persist.ModelFile;
import io.isotropic.spi.Backend;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The model file a command reads. */
final class ModelOptions {
    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "Model file (model.safetensors, or a run, checkpoint or restructure directory holding one).")
    Path model;

    /**
     * The model file: the option itself, or {@code model.safetensors} in the directory it names.
     *
     * @return the file
     */
    Path file() {
        return Files.isDirectory(model) ? model.resolve(Checkpoint.MODEL) : model;
    }

    /**
     * Loads the model; a checkpoint directory's manifest is verified first.
     *
     * @param backend the backend
     * @return the loaded model
     * @throws IOException if the file is missing, damaged or not a model
     */
    ModelFile.Loaded load(Backend backend) throws IOException {
        Activity.now("loading the model " + file());
        if (Files.isDirectory(model) && Checkpoint.isCheckpoint(model)) {
            Checkpoint.verify(model);
        }
        return ModelFile.load(file(), backend);
    }
}
