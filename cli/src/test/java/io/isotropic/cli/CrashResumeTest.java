package io.isotropic.cli;

import io.isotropic.persist.AtomicFiles;
import io.isotropic.persist.Faults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15: a {@code train} run killed with SIGKILL ({@link Process#destroyForcibly}) before any one of its file
 * operations (the run's creation, both checkpoints, the plots) resumes and ends bit-identical to an uninterrupted
 * run: same model and optimiser bytes, one metrics line per epoch, no temporary left.
 */
class CrashResumeTest {
    static final String[] ARGS = {"--epochs", "2", "--hidden", "8", "--limit", "150", "--batch-size", "50",
        "--backend", "ejml", "--threads", "1", "--no-progress", "--spectra-every", "0"};

    @TempDir
    Path dir;

    @org.junit.jupiter.api.BeforeAll
    static void noFsync() {
        System.setProperty(Faults.FSYNC_PROPERTY, "false"); // a killed process loses nothing in the page cache
    }

    @org.junit.jupiter.api.AfterAll
    static void fsyncAgain() {
        System.clearProperty(Faults.FSYNC_PROPERTY);
    }

    static String[] train(Path out) {
        List<String> a = new ArrayList<>(List.of("train"));
        a.addAll(Arrays.asList(ARGS));
        a.add("--out");
        a.add(out.toString());
        return a.toArray(String[]::new);
    }

    @Test
    void killedAtEveryFileOperationResumesBitIdentically() throws Exception {
        Path ref = dir.resolve("reference");
        long before = Faults.operations();
        assertEquals(0, RoundTripTest.run(train(ref)));
        int ops = (int) (Faults.operations() - before);
        assertTrue(ops > 40, "operations of a two-epoch run: " + ops);
        byte[] model = Files.readAllBytes(ref.resolve("model.safetensors"));
        byte[] optimizer = Files.readAllBytes(ref.resolve("optimizer.safetensors"));
        long p0 = Faults.operations();
        Plots.draw(ref, TrainCommand.readMetrics(ref), Double.NaN);
        int plotOps = (int) (Faults.operations() - p0);
        // every operation of the run's creation and of both checkpoints; of the plots (atomic writes like the
        // others, which AtomicFilesTest covers one by one) the first and the last
        List<Integer> points = new ArrayList<>();
        for (int n = 1; n <= ops - plotOps + 1; n++) {
            points.add(n);
        }
        points.add(ops);

        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<String>> kills = new ArrayList<>();
        for (int n : points) {
            final int at = n;
            kills.add(pool.submit(() -> killAt(dir.resolve("run-" + at), at)));
        }
        pool.shutdown();
        List<String> stoppedAt = new ArrayList<>();
        for (Future<String> f : kills) {
            stoppedAt.add(f.get(5, TimeUnit.MINUTES));
        }
        for (int i = 0; i < points.size(); i++) {
            int n = points.get(i);
            Path run = dir.resolve("run-" + n);
            String[] args = Files.exists(run.resolve("run.json"))
                    ? new String[] {"train", "--resume", run.toString(), "--no-progress"} : train(run);
            assertEquals(0, RoundTripTest.run(args), "continuing after a kill at " + stoppedAt.get(i));
            assertArrayEquals(model, Files.readAllBytes(run.resolve("model.safetensors")),
                    "model after a kill at " + stoppedAt.get(i));
            assertArrayEquals(optimizer, Files.readAllBytes(run.resolve("optimizer.safetensors")),
                    "optimiser after a kill at " + stoppedAt.get(i));
            List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
            assertEquals(2, lines.size(), "one metrics line per epoch after a kill at " + stoppedAt.get(i));
            assertTrue(lines.get(0).startsWith("{\"epoch\":0,") && lines.get(1).startsWith("{\"epoch\":1,"), lines.toString());
            try (Stream<Path> s = Files.walk(run)) {
                List<Path> tmp = s.filter(p -> AtomicFiles.isTemporary(p.getFileName().toString())).toList();
                assertTrue(tmp.isEmpty(), "temporaries left after a kill at " + stoppedAt.get(i) + ": " + tmp);
            }
        }
        System.out.printf("CrashResumeTest: %d kill points of %d file operations, %.0f s%n", points.size(), ops,
                (System.nanoTime() - t0) / 1e9);
    }

    /** Two processes: while a child run holds its directory, a second run into it is refused naming the child's pid. */
    @Test
    void aSecondProcessIsRefusedWhileTheFirstHoldsTheDirectory() throws Exception {
        Path run = dir.resolve("shared");
        Process child = startChild(run, 5); // stops after it has locked the directory
        try (BufferedReader err = new BufferedReader(new InputStreamReader(child.getErrorStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null && !line.startsWith(Faults.STOP_MARKER)) {
                // wait for the child to stop inside its run
            }
            String[] r = FullDiskTest.exec(train(run));
            assertEquals("1", r[0]);
            assertTrue(r[1].contains("in use by another run (pid " + child.pid()), r[1]);
            r = FullDiskTest.exec("train", "--resume", run.toString());
            assertTrue(r[1].contains("in use by another run (pid " + child.pid()), r[1]);
        } finally {
            child.destroyForcibly();
            child.waitFor(60, TimeUnit.SECONDS);
        }
        String[] again = Files.exists(run.resolve("run.json"))
                ? new String[] {"train", "--resume", run.toString(), "--no-progress"} : train(run);
        assertEquals(0, RoundTripTest.run(again), "the lock dies with its holder");
    }

    private static Process startChild(Path run, int stopAt) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "-Xss4m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), "-D" + Faults.STOP_PROPERTY + "=" + stopAt,
                "-D" + Faults.FSYNC_PROPERTY + "=false", "io.isotropic.cli.Main"));
        cmd.addAll(Arrays.asList(train(run)));
        return new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Runs a child JVM that stops before its n-th file operation, kills it with SIGKILL, returns where. */
    private static String killAt(Path run, int n) throws IOException, InterruptedException {
        Process p = startChild(run, n);
        String where = null;
        try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                if (line.startsWith(Faults.STOP_MARKER)) {
                    where = line.substring(Faults.STOP_MARKER.length());
                    break;
                }
            }
            p.destroyForcibly();
            p.waitFor(60, TimeUnit.SECONDS);
        }
        assertTrue(where != null, "the child never reached file operation " + n + " (exit " + p.exitValue() + ")");
        return "operation " + where;
    }
}
