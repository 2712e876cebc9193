package io.isotropic.persist;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A failure at any operation of an atomic write leaves the old content and no temporary file. */
class AtomicFilesTest {
    @TempDir
    Path dir;

    @AfterEach
    void reset() {
        Faults.reset();
    }

    @Test
    void aFullDiskAtEveryOperationLeavesTheOldFile() throws IOException {
        Path f = dir.resolve("results.md");
        AtomicFiles.write(f, "old".getBytes(StandardCharsets.UTF_8));
        long before = Faults.operations();
        byte[] big = new byte[300_000];
        AtomicFiles.write(dir.resolve("probe"), big);
        long ops = Faults.operations() - before;
        assertTrue(ops >= 5, "create, writes, fsync, rename, directory fsync: " + ops);
        for (int n = 1; n <= ops; n++) {
            Faults.failAfter(n);
            IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, big), "operation " + n);
            Faults.reset();
            boolean renamed = Files.size(f) == big.length;
            if (!renamed) {
                assertEquals("old", Files.readString(f), "operation " + n);
                assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("No space left on device"),
                        e.getMessage());
            }
            try (Stream<Path> s = Files.list(dir)) {
                assertEquals(0, s.filter(p -> AtomicFiles.isTemporary(p.getFileName().toString())).count(),
                        "no temporary left after a failure at operation " + n);
            }
            AtomicFiles.write(f, "old".getBytes(StandardCharsets.UTF_8));
        }
    }
}
