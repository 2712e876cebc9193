package io.isotropic.cli;

import io.isotropic.persist.ModelFile;
import io.isotropic.persist.Safetensors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input: one clear line on stderr, a non-zero exit code, nothing overwritten. */
class BadInputTest {
    @TempDir
    static Path dir;
    static Path run;

    @BeforeAll
    static void trainSmallModel() {
        run = dir.resolve("run");
        assertEquals(0, RoundTripTest.run("train", "--epochs", "1", "--hidden", "8", "--limit", "200", "--no-progress",
                "--backend", "ejml", "--out", run.toString()));
    }

    static String[] exec(String... args) {
        return Cli.exec(args);
    }

    private static void oneLineError(String[] r, String... mentions) {
        assertNotEquals("0", r[0], "exit code");
        String err = r[2].strip();
        assertEquals(1, err.lines().count(), "exactly one line on stderr, got:\n" + r[2]);
        assertTrue(err.startsWith("error: "), err);
        for (String m : mentions) {
            assertTrue(err.contains(m), "stderr should mention '" + m + "': " + err);
        }
    }

    @Test
    void unknownDatasetAndOption() {
        Path out = dir.resolve("never");
        oneLineError(exec("train", "--dataset", "cifar-11", "--out", out.toString()), "cifar-11");
        assertFalse(Files.exists(out.resolve("metrics.jsonl")));
        String[] r = exec("train", "--bogus");
        oneLineError(r, "--bogus", "isotropic train --help");
        assertEquals("2", r[0]);
        oneLineError(exec("restructure", "twist", "--model", run.toString(), "--out", out.toString()), "twist");
    }

    @Test
    void missingFiles() {
        oneLineError(exec("evaluate", "--model", dir.resolve("absent.safetensors").toString()), "no such file",
                "absent.safetensors");
        oneLineError(exec("predict", "--model", run.toString(), "--input", dir.resolve("none.csv").toString(),
                "--out", dir.resolve("p.csv").toString()), "none.csv");
        assertFalse(Files.exists(dir.resolve("p.csv")));
    }

    @Test
    void corruptedModelAndNothingOverwritten() throws Exception {
        Path bad = dir.resolve("bad");
        Files.createDirectories(bad);
        byte[] good = Files.readAllBytes(run.resolve("model.safetensors"));
        Files.write(bad.resolve("model.safetensors"), java.util.Arrays.copyOf(good, good.length - 100));
        Path out = dir.resolve("restructured");
        oneLineError(exec("restructure", "neurodegeneration", "--model", bad.toString(), "--out", out.toString()), "truncated",
                "model.safetensors");
        assertFalse(Files.exists(out.resolve("model.safetensors")), "nothing written on failure");
        Path existing = dir.resolve("existing");
        Files.createDirectories(existing);
        Files.writeString(existing.resolve("model.safetensors"), "keep me");
        oneLineError(exec("restructure", "neurodegeneration", "--model", run.toString(), "--out", existing.toString()), "--force");
        assertEquals("keep me", Files.readString(existing.resolve("model.safetensors")));
    }

    @Test
    void widthsThatDoNotMatchTheData() throws Exception {
        Path csv = dir.resolve("three.csv");
        Files.writeString(csv, "1,2,3,0\n4,5,6,1\n7,8,9,0\n1,1,1,1\n2,2,2,0\n");
        oneLineError(exec("evaluate", "--model", run.toString(), "--dataset", csv.toString()), "expects 64 features");
    }

    @Test
    void newerFormatVersionIsRefused() throws Exception {
        Safetensors.Contents c = Safetensors.read(run.resolve("model.safetensors"));
        Map<String, String> meta = new HashMap<>(c.metadata());
        meta.put("format_version", Integer.toString(ModelFile.VERSION + 1));
        Path newer = dir.resolve("newer.safetensors");
        Safetensors.write(newer, c.tensors(), meta);
        oneLineError(exec("inspect", "--model", newer.toString()), "newer format version");
    }

    @Test
    void goodCommandsWork() throws Exception {
        String[] r = exec("inspect", "--model", run.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("widths [64, 8, 10]") || r[1].contains("widths [64,"), r[1]);
        Path csv = dir.resolve("rows.csv");
        Files.writeString(csv, "0,0,5,13,9,1,0,0,0,0,13,15,10,15,5,0,0,3,15,2,0,11,8,0,0,4,12,0,0,8,8,0,0,5,8,0,0,9,8,0,"
                + "0,4,11,0,1,12,7,0,0,2,14,5,10,12,0,0,0,0,6,13,10,0,0,0\n");
        Path pred = dir.resolve("pred.csv");
        r = exec("predict", "--model", run.toString(), "--input", csv.toString(), "--out", pred.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(Files.readString(pred).startsWith("prediction,p0,"), Files.readString(pred));
        r = exec("evaluate", "--model", run.toString());
        assertEquals("0", r[0], r[2]);
        assertTrue(r[1].contains("test"), r[1]);
    }
}
