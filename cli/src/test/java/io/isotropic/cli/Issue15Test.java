package io.isotropic.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.isotropic.persist.Checkpoint;
import io.isotropic.persist.Faults;
import io.isotropic.persist.RunDirectory;
import io.isotropic.persist.Safetensors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The remaining cases of issue 15, each a clear error or a correct result with nothing lost. */
class Issue15Test {
    @TempDir
    static Path dir;
    static Path run;

    @BeforeAll
    static void trainSmallModel() {
        run = dir.resolve("run");
        assertEquals(0, RoundTripTest.run("train", "--epochs", "1", "--hidden", "8", "--limit", "200", "--no-progress",
                "--backend", "ejml", "--out", run.toString()));
    }

    @AfterEach
    void reset() {
        Faults.reset();
        System.clearProperty("isotropic.backend");
    }

    static String[] exec(String... args) {
        return Cli.exec(args);
    }

    static void oneLineError(String[] r, String... mentions) {
        assertNotEquals("0", r[0], "exit code; stdout " + r[1]);
        String err = r[2].strip();
        assertEquals(1, err.lines().count(), "exactly one line on stderr, got:\n" + r[2]);
        assertTrue(err.startsWith("error: "), err);
        for (String m : mentions) {
            assertTrue(err.contains(m), "stderr should mention '" + m + "': " + err);
        }
        assertFalse(err.contains("Exception") || err.contains("io.isotropic.") || err.contains("For input string"),
                "no internals: " + err);
    }

    @Test
    void aSecondRunIntoALockedDirectoryIsRefusedNamingTheHolder() throws Exception {
        Path busy = dir.resolve("busy");
        try (RunDirectory held = RunDirectory.create(busy)) {
            oneLineError(exec("train", "--epochs", "1", "--hidden", "4", "--limit", "100", "--out", busy.toString()),
                    "in use by another run", "pid " + ProcessHandle.current().pid());
            oneLineError(exec("train", "--resume", busy.toString()), "in use by another run");
        }
        try (RunDirectory held = RunDirectory.open(run)) {
            oneLineError(exec("train", "--resume", run.toString(), "--epochs", "2"), "in use by another run");
        }
    }

    @Test
    void aRunDirectoryOfTheOlderLayoutIsNotResumedFromScratch() throws Exception {
        Path old = dir.resolve("old-layout");
        Files.createDirectories(old);
        for (String f : new String[] {"run.json", "model.safetensors", "optimizer.safetensors", "metrics.jsonl"}) {
            Files.copy(run.resolve(f), old.resolve(f));
        }
        long metrics = Files.size(old.resolve("metrics.jsonl"));
        oneLineError(exec("train", "--resume", old.toString(), "--epochs", "2"), "no checkpoints/", "older version");
        assertEquals(metrics, Files.size(old.resolve("metrics.jsonl")), "metrics.jsonl untouched");
    }

    @Test
    void defaultRunNamesStartedInTheSameSecondDiffer() throws Exception {
        try (RunDirectory a = RunDirectory.createUnique(dir.resolve("runs"), "train-");
             RunDirectory b = RunDirectory.createUnique(dir.resolve("runs"), "train-")) {
            assertNotEquals(a.path(), b.path());
        }
    }

    @Test
    void trainOutRefusesADirectoryThatIsNotANewRun() throws Exception {
        Path restructured = dir.resolve("restructured-for-out");
        assertEquals("0", exec("restructure", "diagonalise", "--model", run.toString(), "--out",
                restructured.toString())[0]);
        byte[] before = Files.readAllBytes(restructured.resolve("model.safetensors"));
        oneLineError(exec("train", "--epochs", "1", "--out", restructured.toString()), "not a new run directory");
        oneLineError(exec("train", "--epochs", "1", "--out", run.toString()), "--resume " + run);
        assertEquals(java.util.Arrays.toString(before),
                java.util.Arrays.toString(Files.readAllBytes(restructured.resolve("model.safetensors"))));
    }

    @Test
    void aFailedValidationCreatesNothing() {
        Path never = dir.resolve("never-created");
        oneLineError(exec("train", "--dataset", "cifar-11", "--out", never.toString()), "cifar-11");
        oneLineError(exec("train", "--hidden", "0", "--out", never.toString()), "--hidden");
        oneLineError(exec("train", "--lr", "NaN", "--out", never.toString()), "learning rate");
        assertFalse(Files.exists(never));
    }

    @Test
    void theRunRecordsItsBackendAndResumesOnIt() throws Exception {
        System.setProperty("isotropic.backend", "ejml"); // as ISOTROPIC_BACKEND=ejml would
        Path r = dir.resolve("backend-run");
        assertEquals("0", exec("train", "--epochs", "1", "--hidden", "4", "--limit", "100", "--no-progress", "--out",
                r.toString())[0]);
        System.clearProperty("isotropic.backend");
        JsonNode json = TrainCommand.JSON.readTree(r.resolve("run.json").toFile());
        assertEquals("ejml", json.path("backend").path("name").asText());
        String[] res = exec("train", "--resume", r.toString(), "--epochs", "2", "--no-progress");
        assertEquals("0", res[0], res[2]);
        assertTrue(res[1].contains("backend ejml"), res[1]);
        // a recorded backend that is not available is refused with a hint, unless overridden
        ((com.fasterxml.jackson.databind.node.ObjectNode) json.get("common")).put("backend", "quantum");
        Files.write(r.resolve("run.json"), TrainCommand.JSON.writeValueAsBytes(json));
        oneLineError(exec("train", "--resume", r.toString(), "--epochs", "3"), "trained on backend quantum",
                "--backend");
        res = exec("train", "--resume", r.toString(), "--epochs", "3", "--backend", "ejml", "--no-progress");
        assertEquals("0", res[0], res[2]);
    }

    @Test
    void optionsThatCannotTakeEffectAreRefused() {
        oneLineError(exec("evaluate", "--model", run.toString(), "--dtype", "f64"), "--dtype f64", "F32");
        oneLineError(exec("restructure", "diagonalise", "--model", run.toString(), "--dtype", "f64", "--out",
                dir.resolve("x").toString()), "--dtype f64");
        oneLineError(exec("train", "--classes", "3"), "--classes", "digits");
        oneLineError(exec("inspect", "--model", run.toString(), "--tau", "NaN"), "--tau");
        oneLineError(exec("train", "--resume", run.toString(), "--hidden", "3"), "--hidden cannot be changed");
        oneLineError(exec("train", "--dtype", "f16"), "--dtype f16");
    }

    @Test
    void hostileSizesAreRefusedBeforeAllocating() throws Exception {
        oneLineError(exec("train", "--hidden", "40000,40000", "--out", dir.resolve("big").toString()),
                "--hidden 40000,40000", "of memory");
        oneLineError(exec("train", "--hidden", "50000,50000"), "more than");
        Path ids = dir.resolve("ids.csv");
        Files.writeString(ids, "1,2,30000000\n3,4,7\n");
        oneLineError(exec("train", "--dataset", ids.toString()), "30000000", "class label");
        Path max = dir.resolve("max.csv");
        Files.writeString(max, "1,2,2147483647\n3,4,1\n");
        String[] r = exec("train", "--dataset", max.toString());
        oneLineError(r, "2147483647");
        assertFalse(r[2].contains("-2147483648"), r[2]);
        Path idx = dir.resolve("idx");
        Files.createDirectories(idx);
        Files.write(idx.resolve("train-images-idx3-ubyte"), ByteBuffer.allocate(16).putInt(0x803)
                .putInt(2_000_000_000 / 784).putInt(28).putInt(28).array());
        Files.write(idx.resolve("train-labels-idx1-ubyte"), ByteBuffer.allocate(8).putInt(0x801).putInt(10).array());
        oneLineError(exec("train", "--dataset", idx.toString()), "train-images-idx3-ubyte", "header promises");
        oneLineError(exec("restructure", "neurogenesis", "--count", "2000000000", "--model", run.toString(), "--out",
                dir.resolve("grown").toString()), "--count 2000000000");
        oneLineError(exec("restructure", "neurogenesis", "--count", "20000000", "--model", run.toString(), "--out",
                dir.resolve("grown").toString()), "--count 20000000", "of memory");
        assertFalse(Files.exists(dir.resolve("grown")));
    }

    @Test
    void modelFileMessagesAreSentences() throws Exception {
        Safetensors.Contents c = Safetensors.read(run.resolve("model.safetensors"));
        Map<String, String> meta = new LinkedHashMap<>(c.metadata());
        meta.put("dtype", "F16");
        Path f16 = dir.resolve("f16.safetensors");
        Safetensors.write(f16, c.tensors(), meta);
        oneLineError(exec("evaluate", "--model", f16.toString()), "f16.safetensors", "dtype = 'F16'");
        meta.put("dtype", "F32");
        meta.put("widths", "64,99999999999,10");
        Path wide = dir.resolve("wide.safetensors");
        Safetensors.write(wide, c.tensors(), meta);
        oneLineError(exec("inspect", "--model", wide.toString()), "99999999999", "not a width");
    }

    @Test
    void restructureOnAFullDiskLeavesNoHalfSet() throws Exception {
        Path probe = dir.resolve("probe-out");
        long before = Faults.operations();
        assertEquals("0", exec("restructure", "neurodegeneration", "--model", run.toString(), "--out",
                probe.toString())[0]);
        int ops = (int) (Faults.operations() - before);
        for (int n = 1; n <= ops; n++) {
            Path out = dir.resolve("full-restructure-" + n);
            Faults.failAfter(n);
            String[] r = exec("restructure", "neurodegeneration", "--model", run.toString(), "--out", out.toString());
            Faults.reset();
            if (!r[0].equals("0")) {
                oneLineError(r, "No space left on device");
            }
            if (Files.exists(out)) {
                Checkpoint.verify(out); // complete: model, optimiser and manifest that match
                assertTrue(Files.exists(out.resolve("optimizer.safetensors")));
            }
            String prefix = ".full-restructure-" + n + ".";
            try (Stream<Path> s = Files.list(dir)) {
                assertEquals(0, s.filter(p -> p.getFileName().toString().startsWith(prefix))
                        .count(), "no temporary left after a failure at operation " + n);
            }
        }
    }

    @Test
    void plainProgressLinesWhenStderrIsNotATerminal() {
        System.setProperty(Progress.TTY_PROPERTY, "false");
        try {
            StringWriter err = new StringWriter();
            Progress p = new Progress(new PrintWriter(new StringWriter()), new PrintWriter(err), 10, 1, false);
            for (int i = 0; i < 10; i++) {
                p.step(0, 0.5);
            }
            p.close();
            assertFalse(err.toString().contains("\r"), err.toString());
        } finally {
            System.clearProperty(Progress.TTY_PROPERTY);
        }
    }
}
