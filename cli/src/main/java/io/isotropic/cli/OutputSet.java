package io.isotropic.cli;

import io.isotropic.data.Standardiser;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.persist.Checkpoint;
import io.isotropic.persist.OptimizerSpec;
import io.isotropic.train.Optimizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The {@code --out} directory of {@code restructure}, {@code convert} and {@code import}: a model and, if there is
 * one, its optimiser state, written as one set ({@link Checkpoint}: model.safetensors, optimizer.safetensors,
 * manifest.json) that becomes visible complete. The directory must be absent or empty; with {@code --force} it may
 * hold a previous output of these commands, which is replaced as a whole; anything else is refused.
 */
final class OutputSet {
    private final Path out;
    private final boolean replace;
    private final boolean empty;

    private OutputSet(Path out, boolean replace, boolean empty) {
        this.out = out;
        this.replace = replace;
        this.empty = empty;
    }

    /**
     * Checks {@code --out} before any work is done.
     *
     * @param out the directory
     * @param force whether a previous output may be replaced
     * @param modelFile the model being read (the output must not be its directory)
     * @return the checked target
     * @throws IllegalArgumentException if the directory cannot take the output
     * @throws IOException if it cannot be listed
     */
    static OutputSet check(Path out, boolean force, Path modelFile) throws IOException {
        Path abs = out.toAbsolutePath().normalize();
        if (modelFile != null && abs.equals(modelFile.toAbsolutePath().getParent().normalize())) {
            throw new IllegalArgumentException("--out must differ from the model's directory (nothing is overwritten)");
        }
        if (!Files.exists(out)) {
            return new OutputSet(abs, false, false);
        }
        if (!Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " exists and is not a directory");
        }
        List<String> names;
        try (Stream<Path> s = Files.list(out)) {
            names = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        if (names.isEmpty()) {
            return new OutputSet(abs, false, true); // removed just before the output is created complete in its place
        }
        if (!force) {
            throw new IllegalArgumentException("--out " + out + " already holds " + String.join(", ", names)
                    + "; choose another directory or pass --force to replace a previous output");
        }
        Set<String> ours = Set.of(Checkpoint.MODEL, Checkpoint.OPTIMIZER, Checkpoint.MANIFEST);
        if (!ours.containsAll(names)) {
            throw new IllegalArgumentException("--out " + out + " holds files that are not a model output ("
                    + String.join(", ", names) + "); --force replaces only a previous output, so choose another"
                    + " directory");
        }
        return new OutputSet(abs, true, false);
    }

    /**
     * Writes the set.
     *
     * @param net the model
     * @param standardiser its input standardisation, or null
     * @param optimizer its optimiser state, or null
     * @param spec the optimiser's spec (null without optimiser)
     * @param meta metadata for both files
     * @return the manifest written
     * @throws IOException if writing fails (a previous output is then unchanged)
     */
    Checkpoint.Manifest write(IsotropicMlp net, Standardiser standardiser, Optimizer optimizer, OptimizerSpec spec,
                              Map<String, String> meta) throws IOException {
        Activity.now("writing " + out);
        if (empty) {
            Files.deleteIfExists(out);
        }
        return replace ? Checkpoint.replace(out, net, standardiser, optimizer, spec, meta)
                : Checkpoint.write(out, net, standardiser, optimizer, spec, meta);
    }

    /**
     * The bytes a written set holds.
     *
     * @param written its manifest
     * @return the sum of its files' sizes
     */
    static long bytes(Checkpoint.Manifest written) {
        return written.files().values().stream().mapToLong(f -> Long.parseLong(f[0])).sum();
    }
}
