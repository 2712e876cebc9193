package io.isotropic.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.isotropic.cli.Main;
import io.isotropic.cli.sweep.RunResult;
import io.isotropic.cli.sweep.SweepExecutors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code sweep} command on Spark {@code local[2]} gives bit for bit what the local pool gives: the same small
 * sweep (2 x 2 configurations on the digits, 2 epochs) through both executors, compared run by run (model and
 * optimiser bytes, metrics without timings, results); and a failing configuration on Spark is reported while the
 * others finish, and a second invocation retrains only it.
 */
class SparkSweepTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static final String GRID = """
            {
              "name": "ci-grid",
              "base": {"dataset": "digits", "epochs": 2, "lr": 5e-3, "spectra_every": 0},
              "grid": {"hidden": [[16], [24, 24]], "adapt": [null, 2]},
              "repeats": 1
            }
            """;

    /** Runs the command line in-process: {exit code, stdout, stderr}. */
    static String[] cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void sparkLocal2AndTheLocalPoolGiveIdenticalModelsAndMetrics() throws Exception {
        Path spec = dir.resolve("grid.json");
        Files.writeString(spec, GRID);
        Path local = dir.resolve("local");
        Path spark = dir.resolve("spark");
        String[] a = cli("sweep", spec.toString(), "--out", local.toString(), "--workers", "2", "--backend", "vector");
        assertEquals("0", a[0], "local pool: " + a[1] + a[2]);
        String[] b = cli("sweep", spec.toString(), "--out", spark.toString(), "--master", "local[2]", "--workers", "2",
                "--backend", "vector");
        assertEquals("0", b[0], "spark: " + b[1] + b[2]);
        assertTrue(b[1].contains("Spark local[2,3]"), b[1]);

        List<String> ids = runIds(local);
        assertEquals(4, ids.size(), "2 x 2 configurations, 1 repeat");
        assertEquals(ids, runIds(spark), "the same runs");
        for (String id : ids) {
            Path x = local.resolve("runs").resolve(id);
            Path y = spark.resolve("runs").resolve(id);
            for (String f : new String[] {"model.safetensors", "optimizer.safetensors", "run.json"}) {
                assertArrayEquals(Files.readAllBytes(x.resolve(f)), Files.readAllBytes(y.resolve(f)),
                        id + "/" + f + " differs between the local pool and Spark");
            }
            assertEquals(metricsWithoutTimes(x), metricsWithoutTimes(y), id + "/metrics.jsonl differs");
            RunResult rx = JSON.readValue(x.resolve("result.json").toFile(), RunResult.class);
            RunResult ry = JSON.readValue(y.resolve("result.json").toFile(), RunResult.class);
            assertEquals(rx.withoutCircumstances(), ry.withoutCircumstances(), id + "/result.json differs");
            assertTrue(rx.ok() && rx.epochs().size() == 2, rx.toString());
            assertTrue(ry.host().contains("Spark executor"), ry.host());
        }
        JsonNode cx = JSON.readTree(local.resolve("results.json").toFile()).get("configurations");
        JsonNode cy = JSON.readTree(spark.resolve("results.json").toFile()).get("configurations");
        assertEquals(cx, cy, "results.json's table differs");
        String md = Files.readString(spark.resolve("results.md"));
        assertTrue(md.contains("| 3 | adapt=2 hidden=24,24 | 1 |"), md);
        for (String p : new String[] {"accuracy.png", "final-accuracy.png", "final-widths.png"}) {
            assertTrue(Files.size(spark.resolve("plots").resolve(p)) > 1000, p);
        }
        assertFalse(Files.exists(spark.resolve(".spark-local.tmp")), "Spark's local directory is removed");
    }

    @Test
    void aFailingConfigurationIsReportedWhileTheOthersFinishAndOnlyItIsRedone() throws Exception {
        Path spec = dir.resolve("failing.json");
        Files.writeString(spec, """
                {
                  "base": {"epochs": 1, "hidden": [8], "spectra_every": 0},
                  "configurations": [
                    {"label": "good"},
                    {"label": "missing data", "dataset": "no-such-data.csv"},
                    {"label": "good too", "hidden": [12]}
                  ]
                }
                """);
        Path out = dir.resolve("out");
        String[] r = cli("sweep", spec.toString(), "--out", out.toString(), "--master", "local[2]", "--backend",
                "ejml");
        assertEquals("1", r[0], "a failed run fails the command: " + r[1] + r[2]);
        assertTrue(r[2].startsWith("error: 1 of 3 runs failed"), r[2]);
        assertTrue(r[2].contains("no-such-data.csv"), r[2]);
        String md = Files.readString(out.resolve("results.md"));
        assertTrue(md.contains("| 1 | missing data | 0 (1 failed) |"), md);
        assertTrue(md.contains("| 0 | good | 1 |") && md.contains("| 2 | good too | 1 |"), md);
        List<String> finished = runIds(out);
        assertEquals(2, finished.size(), "the two good runs finished: " + finished);
        JsonNode failure = JSON.readTree(out.resolve("results.json").toFile()).get("failures").get(0);
        assertEquals(1, failure.get("attempts").asInt(), "bad input is not retried: " + failure);

        var stamp = Files.getLastModifiedTime(out.resolve("runs").resolve(finished.get(0)).resolve("result.json"));
        String[] again = cli("sweep", spec.toString(), "--out", out.toString(), "--master", "local[2]", "--backend",
                "ejml");
        assertEquals("1", again[0], again[1] + again[2]);
        assertTrue(again[1].contains("1 to train, 2 finished before (read back)"), again[1]);
        assertEquals(stamp, Files.getLastModifiedTime(out.resolve("runs").resolve(finished.get(0))
                .resolve("result.json")), "a finished run was redone");
    }

    @Test
    void theSparkExecutorIsFoundAndBadSettingsAreRefused() {
        assertTrue(SweepExecutors.names().contains("spark"), SweepExecutors.names().toString());
        String[] bad = cli("sweep", "x.json", "--master", "spark:/host:7077");
        assertEquals("1", bad[0]);
        for (String m : new String[] {"spark:/host:7077", "local[0]", "local[2", "spark://host", "spark://h:99999",
                "mesos://x:5050", ""}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> Masters.check(m), m);
            assertTrue(e.getMessage().contains("not a Spark master URL") && e.getMessage().contains("'" + m + "'"),
                    e.getMessage());
        }
        for (String m : new String[] {"local", "local[2]", "local[*]", "local[4,3]", "spark://a.b:7077",
                "spark://a:7077,b:7077", "yarn", "k8s://https://10.0.0.1:6443", "local-cluster[2,1,1024]"}) {
            assertEquals(m, Masters.check(m));
        }
        assertEquals("local[2,3]", Masters.withAttempts("local[2]", 3));
        assertEquals("local[1,3]", Masters.withAttempts("local", 3));
        assertEquals("local[*,2]", Masters.withAttempts("local[*]", 2));
        assertEquals("local[2,5]", Masters.withAttempts("local[2,5]", 3));
        assertEquals("spark://a:1", Masters.withAttempts("spark://a:1", 3));
    }

    static List<String> runIds(Path sweep) throws IOException {
        try (Stream<Path> s = Files.list(sweep.resolve("runs"))) {
            return s.filter(p -> Files.exists(p.resolve("result.json"))).map(p -> p.getFileName().toString()).sorted()
                    .toList();
        }
    }

    /** The metrics log with the per-epoch wall time removed (the only value that depends on the machine's load). */
    static List<String> metricsWithoutTimes(Path run) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            ObjectNode o = (ObjectNode) JSON.readTree(line);
            o.remove("millis");
            out.add(JSON.writeValueAsString(new TreeMap<String, Object>(JSON.convertValue(o, new com.fasterxml.jackson.core.type.TypeReference<java.util.Map<String, Object>>() { }))));
        }
        return out;
    }
}
