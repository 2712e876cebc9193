package io.isotropic.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code train --tasks}: tasks appended and removed by a schedule, per-task metrics and plots, exact resume. */
class TrainTasksTest {
    @TempDir
    Path dir;

    private static final String TASKS = """
            {
              "tasks": [
                {"name": "digits", "dataset": "digits", "train_limit": 400},
                {"name": "parity", "dataset": "digits", "relabel": "parity", "train_limit": 400},
                {"name": "permuted", "dataset": "digits", "permute_seed": 5, "train_limit": 400, "test_limit": 100}
              ],
              "phases": [
                {"from_epoch": 0, "active": ["digits"]},
                {"from_epoch": 2, "active": ["digits", "parity"]},
                {"from_epoch": 4, "active": ["parity", "permuted"], "remove": ["digits"]}
              ]
            }
            """;

    static String[] exec(String... args) {
        return Cli.exec(args);
    }

    private Path taskFile(String json) throws IOException {
        Path f = dir.resolve("tasks-" + Integer.toHexString(json.hashCode()) + ".json");
        Files.writeString(f, json, StandardCharsets.UTF_8);
        return f;
    }

    private String[] train(Path out, String epochs, String... extra) throws IOException {
        List<String> a = new java.util.ArrayList<>(List.of("train", "--tasks", taskFile(TASKS).toString(), "--epochs",
                epochs, "--hidden", "24,24", "--adapt", "3", "--tau", "0.5", "--lr", "5e-3", "--no-progress",
                "--backend", "ejml", "--out", out.toString()));
        a.addAll(List.of(extra));
        return exec(a.toArray(String[]::new));
    }

    @Test
    void tasksComeAndGoWithPerTaskMetricsAndPlots() throws IOException {
        Path out = dir.resolve("run");
        String[] r = train(out, "6");
        assertEquals("0", r[0], r[2]);
        List<JsonNode> m = TrainCommand.readMetrics(out);
        assertEquals(6, m.size());
        assertEquals(List.of("digits"), names(m.get(1)));
        assertEquals(List.of("digits", "parity"), names(m.get(2)));
        assertEquals(List.of("parity", "permuted"), names(m.get(5)));
        assertEquals(0, m.get(0).get("phase").asInt());
        assertEquals(2, m.get(5).get("phase").asInt());
        assertTrue(m.get(3).get("tasks").get("parity").get("test_accuracy").asDouble() > 0.5, m.get(3).toString());
        assertEquals(64 + 64, m.get(5).get("widths").get(0).asInt(), "parity's and permuted's input blocks");
        assertEquals(2 + 10, m.get(5).get("widths").get(3).asInt(), "their heads");
        assertTrue(r[1].contains("test acc [parity"), r[1]);
        assertTrue(Files.exists(out.resolve("plots/accuracy.png")) && Files.exists(out.resolve("plots/widths.png")));
    }

    @Test
    void resumingAcrossPhaseBoundariesIsBitIdentical() throws IOException {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        assertEquals("0", train(a, "3")[0]);
        String[] r = exec("train", "--resume", a.toString(), "--epochs", "6", "--no-progress");
        assertEquals("0", r[0], r[2]);
        assertEquals("0", train(b, "6")[0]);
        assertArrayEquals(Files.readAllBytes(b.resolve("model.safetensors")),
                Files.readAllBytes(a.resolve("model.safetensors")), "resumed after epoch 3 = uninterrupted");
        assertEquals(TrainCommand.readMetrics(b).toString().replaceAll("\"millis\":\\d+", ""),
                TrainCommand.readMetrics(a).toString().replaceAll("\"millis\":\\d+", ""), "same metrics");
    }

    @Test
    void badTaskFilesAreRefusedWithOneLine() throws IOException {
        String[][] cases = {
            {TASKS.replace("\"train_limit\": 400}", "\"train_limit\": 400, \"colour\": 1}"), "unknown key \"colour\""},
            {TASKS.replace("[\"parity\", \"permuted\"]", "[\"parity\", \"nope\"]"), "unknown task 'nope'"},
            {TASKS.replace("{\"from_epoch\": 0, \"active\": [\"digits\"]},", ""), "must start at epoch 0"},
            {TASKS.replace("\"name\": \"parity\"", "\"name\": \"digits\""), "defined twice"},
            {TASKS.replace("\"relabel\": \"parity\"", "\"relabel\": \"odd\""), "relabel 'odd'"},
            {"{\"tasks\": [", "not valid JSON"},
        };
        for (String[] c : cases) {
            Path out = dir.resolve("never");
            String[] r = exec("train", "--tasks", taskFile(c[0]).toString(), "--out", out.toString(), "--no-progress",
                    "--backend", "ejml");
            assertNotEquals("0", r[0]);
            String err = r[2].strip();
            assertEquals(1, err.lines().count(), "one line on stderr for " + c[1] + ":\n" + r[2]);
            assertTrue(err.startsWith("error: ") && err.contains(c[1]), err);
            assertFalse(Files.exists(out), "no run directory for a refused task file");
        }
        String[] r = exec("train", "--tasks", taskFile(TASKS).toString(), "--dataset", "digits", "--out",
                dir.resolve("never").toString());
        assertNotEquals("0", r[0]);
        assertTrue(r[2].contains("--dataset") && r[2].contains("--tasks"), r[2]);
    }

    private static List<String> names(JsonNode line) {
        List<String> out = new java.util.ArrayList<>();
        line.get("tasks").fieldNames().forEachRemaining(out::add);
        return out;
    }
}
