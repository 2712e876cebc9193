package io.isotropic.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A run's output directory: created if absent, refused if it already holds a finished run. */
record RunDirectory(Path path) {
    static RunDirectory create(Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--out " + dir + " exists and is not a directory");
        }
        if (Files.exists(dir.resolve("metrics.jsonl"))) {
            throw new IllegalArgumentException("--out " + dir + " already holds a run (metrics.jsonl); choose another"
                    + " directory so nothing is overwritten");
        }
        Files.createDirectories(dir);
        return new RunDirectory(dir);
    }
}
