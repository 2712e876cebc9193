package io.isotropic.cli.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.isotropic.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code sweep} command on the local pool: runs train through the train command into their own directories,
 * results do not depend on the pool's size, a restarted sweep trains only what has no result, a failing
 * configuration is reported while the others finish, and bad usage is refused.
 */
class SweepCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static String[] cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    static List<String> runIds(Path sweep) throws IOException {
        try (Stream<Path> s = Files.list(sweep.resolve("runs"))) {
            return s.filter(p -> Files.exists(p.resolve("result.json"))).map(p -> p.getFileName().toString()).sorted()
                    .toList();
        }
    }

    @Test
    void aSweepTrainsEachRunIntoItsDirectoryIndependentlyOfThePoolAndResumes() throws Exception {
        Path spec = dir.resolve("grid.json");
        Files.writeString(spec, """
                {"base": {"epochs": 1, "spectra_every": 0, "limit": 600},
                 "grid": {"hidden": [[8], [12, 12]], "adapt": [null, 2]}}
                """);
        Path one = dir.resolve("one");
        Path two = dir.resolve("two");
        String[] a = cli("sweep", spec.toString(), "--out", one.toString(), "--workers", "1", "--backend", "ejml");
        assertEquals("0", a[0], a[1] + a[2]);
        assertTrue(a[1].contains("4 configurations x 1 repeat = 4 runs; 4 to train, 0 finished before"), a[1]);
        assertTrue(a[1].contains("local pool of 1 thread"), a[1]);
        String[] b = cli("sweep", spec.toString(), "--out", two.toString(), "--workers", "2", "--backend", "ejml");
        assertEquals("0", b[0], b[1] + b[2]);
        List<String> ids = runIds(one);
        assertEquals(4, ids.size());
        assertEquals(ids, runIds(two));
        for (String id : ids) {
            for (String f : new String[] {"model.safetensors", "optimizer.safetensors", "run.json"}) {
                assertArrayEquals(Files.readAllBytes(one.resolve("runs").resolve(id).resolve(f)),
                        Files.readAllBytes(two.resolve("runs").resolve(id).resolve(f)), id + "/" + f);
            }
            Path r = one.resolve("runs").resolve(id);
            assertTrue(Files.exists(r.resolve("plots/accuracy.png")) && Files.exists(r.resolve("train.log")));
            RunResult res = JSON.readValue(r.resolve("result.json").toFile(), RunResult.class);
            assertTrue(res.ok() && res.epochs().size() == 1 && res.trainArguments().contains("--threads"), res.toString());
            String runJson = Files.readString(r.resolve("run.json"));
            assertTrue(runJson.contains("\"threads\" : 1"), "each run is single-threaded: " + runJson);
        }
        assertEquals(JSON.readTree(one.resolve("results.json").toFile()).get("configurations"),
                JSON.readTree(two.resolve("results.json").toFile()).get("configurations"));
        assertFalse(Files.exists(one.resolve(".scratch.tmp")), "scratch space is removed");

        // restart: a deleted run is trained again, identically; the others are read back untouched
        Path gone = one.resolve("runs").resolve(ids.get(2));
        byte[] model = Files.readAllBytes(gone.resolve("model.safetensors"));
        io.isotropic.persist.AtomicFiles.deleteTree(gone);
        var stamp = Files.getLastModifiedTime(one.resolve("runs").resolve(ids.get(0)).resolve("result.json"));
        String[] c = cli("sweep", spec.toString(), "--out", one.toString(), "--backend", "ejml");
        assertEquals("0", c[0], c[1] + c[2]);
        assertTrue(c[1].contains("1 to train, 3 finished before (read back)"), c[1]);
        assertArrayEquals(model, Files.readAllBytes(gone.resolve("model.safetensors")));
        assertEquals(stamp, Files.getLastModifiedTime(one.resolve("runs").resolve(ids.get(0)).resolve("result.json")));

        // extending the spec with a seed reuses the runs it shares
        Files.writeString(spec, Files.readString(spec).replace("}}", "}, \"seeds\": [1, 2]}"));
        String[] d = cli("sweep", spec.toString(), "--out", one.toString(), "--backend", "ejml");
        assertEquals("0", d[0], d[1] + d[2]);
        assertTrue(d[1].contains("8 runs; 4 to train, 4 finished before"), d[1]);
        String md = Files.readString(one.resolve("results.md"));
        assertTrue(md.contains("| 3 | adapt=2 hidden=12,12 | 2 |") && md.contains(" ± "), md);
    }

    @Test
    void aFailingConfigurationIsReportedWhileTheOthersFinish() throws Exception {
        Path spec = dir.resolve("f.json");
        Files.writeString(spec, """
                {"base": {"epochs": 1, "hidden": [8], "spectra_every": 0, "limit": 300},
                 "configurations": [{"label": "ok"}, {"label": "diverges", "lr": 1e30}, {"label": "bad", "hidden": [0]}]}
                """);
        Path out = dir.resolve("out");
        String[] r = cli("sweep", spec.toString(), "--out", out.toString(), "--workers", "2", "--backend", "ejml");
        assertEquals("1", r[0], r[1] + r[2]);
        assertTrue(r[2].startsWith("error: 2 of 3 runs failed (the others finished"), r[2]);
        assertEquals(1, r[2].lines().count(), "one error line: " + r[2]);
        assertEquals(1, runIds(out).size());
        String md = Files.readString(out.resolve("results.md"));
        assertTrue(md.contains("| 0 | ok | 1 |"), md);
        assertTrue(md.contains("| 2 | bad | 0 (1 failed) |") && md.contains("--hidden: widths must be >= 1"), md);
        assertTrue(md.contains("| 1 | diverges | 0 (1 failed) |"), md);
        var failures = JSON.readTree(out.resolve("results.json").toFile()).get("failures");
        assertEquals(2, failures.size());
        for (var f : failures) {
            assertEquals(1, f.get("attempts").asInt(), "deterministic failures are not retried: " + f);
        }
    }

    @Test
    void badUsageIsRefused() throws Exception {
        Path spec = dir.resolve("s.json");
        Files.writeString(spec, "{\"base\": {\"epochs\": 1}}");
        Map<List<String>, String> cases = new TreeMap<>(java.util.Comparator.comparing(Object::toString));
        cases.put(List.of("--executor", "dask"), "sweep --executor dask: unknown executor; available here: local");
        cases.put(List.of("--executor", "spark"), "the spark executor is in the spark module");
        cases.put(List.of("--executor", "local", "--master", "local[2]"), "the local executor runs in this JVM");
        cases.put(List.of("--conf", "spark.executor.memory=1g"), "--conf is for --executor spark");
        cases.put(List.of("--workers", "0"), "--workers must be >= 1, got 0");
        cases.put(List.of("--retries", "-1"), "--retries must be >= 0, got -1");
        cases.put(List.of("--backend", "nonsense"), "nonsense");
        for (Map.Entry<List<String>, String> c : cases.entrySet()) {
            List<String> args = new java.util.ArrayList<>(List.of("sweep", spec.toString(), "--out",
                    dir.resolve("x" + c.getKey().hashCode()).toString()));
            args.addAll(c.getKey());
            String[] r = cli(args.toArray(String[]::new));
            assertEquals("1", r[0], c.getKey() + ": " + r[1] + r[2]);
            assertTrue(r[2].contains(c.getValue()), c.getKey() + " -> " + r[2]);
        }
        String[] missing = cli("sweep", dir.resolve("none.json").toString());
        assertTrue(missing[2].contains("none.json: no such file"), missing[2]);
        Path taken = dir.resolve("taken");
        Files.createDirectories(taken);
        Files.writeString(taken.resolve("notes.txt"), "mine");
        String[] t = cli("sweep", spec.toString(), "--out", taken.toString());
        assertEquals("1", t[0]);
        assertTrue(t[2].contains("not a sweep directory"), t[2]);
        assertEquals("mine", Files.readString(taken.resolve("notes.txt")));
    }

    /** A job for the pool: fails transiently on its first attempts, or deterministically. */
    record Flaky(String id, int transientFailures, boolean bad) implements SweepJob<String> {
        @Override
        public String run(Context context) throws IOException {
            assertTrue(Files.isDirectory(context.scratch()), "a scratch directory per attempt");
            if (bad) {
                throw new IllegalArgumentException("bad value");
            }
            if (context.attempt() < transientFailures) {
                throw new IOException("hiccup " + context.attempt());
            }
            return "done " + context.attempt();
        }
    }

    @Test
    void theLocalPoolRetriesTransientFailuresOnly() throws Exception {
        Map<String, Outcome<String>> got = new TreeMap<>();
        try (SweepExecutor ex = SweepExecutors.create("local", new ExecutorSettings(2, null, 1, dir, Map.of()))) {
            ex.execute(List.of(new Flaky("a", 0, false), new Flaky("b", 1, false), new Flaky("c", 5, false),
                    new Flaky("d", 0, true)), o -> got.put(o.id(), o));
        }
        assertEquals("done 0", got.get("a").value());
        assertEquals("done 1", got.get("b").value());
        assertEquals(2, got.get("b").attempts());
        assertEquals("hiccup 1 (after 2 attempts)", got.get("c").error());
        assertEquals("bad value", got.get("d").error());
        assertEquals(1, got.get("d").attempts());
    }
}
