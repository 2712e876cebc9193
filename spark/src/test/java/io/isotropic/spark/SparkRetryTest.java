package io.isotropic.spark;

import io.isotropic.cli.sweep.ExecutorSettings;
import io.isotropic.cli.sweep.LocalPoolExecutor;
import io.isotropic.cli.sweep.Outcome;
import io.isotropic.cli.sweep.SweepExecutor;
import io.isotropic.cli.sweep.SweepExecutors;
import io.isotropic.cli.sweep.SweepJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spark retries a task after a transient failure, reports deterministic failures and exhausted retries as the
 * job's outcome while the other jobs finish, and does all of it exactly as the local pool does.
 */
class SparkRetryTest {
    @TempDir
    Path dir;

    /**
     * A job that fails transiently (an I/O error) on its first {@code transientFailures} attempts, or
     * deterministically (bad input) when {@code bad}, and otherwise returns its id and the attempt.
     */
    record Flaky(String id, int transientFailures, boolean bad) implements SweepJob<String> {
        @Override
        public String run(Context context) throws IOException {
            if (bad) {
                throw new IllegalArgumentException("--lr must be positive, got -1");
            }
            if (context.attempt() < transientFailures) {
                throw new IOException("disk hiccup on attempt " + context.attempt());
            }
            return id + " done on attempt " + context.attempt();
        }
    }

    static final List<Flaky> JOBS = List.of(new Flaky("fine", 0, false), new Flaky("flaky", 1, false),
            new Flaky("broken", 99, false), new Flaky("bad", 0, true), new Flaky("flaky-twice", 2, false));

    static Map<String, Outcome<String>> run(SweepExecutor ex) throws InterruptedException {
        Map<String, Outcome<String>> out = new TreeMap<>();
        try (ex) {
            ex.execute(JOBS, o -> out.put(o.id(), o));
        }
        return out;
    }

    @Test
    void sparkRetriesTransientFailuresLikeTheLocalPool() throws Exception {
        Map<String, Outcome<String>> spark = run(SweepExecutors.create("spark",
                new ExecutorSettings(2, "local[2]", 2, dir.resolve("s"), Map.of())));
        assertEquals(JOBS.size(), spark.size(), "every job is reported: " + spark.keySet());
        assertEquals("fine done on attempt 0", spark.get("fine").value());
        assertEquals("flaky done on attempt 1", spark.get("flaky").value());
        assertEquals(2, spark.get("flaky").attempts());
        assertEquals("flaky-twice done on attempt 2", spark.get("flaky-twice").value());
        Outcome<String> broken = spark.get("broken");
        assertNull(broken.value());
        assertEquals("disk hiccup on attempt 2 (after 3 attempts)", broken.error());
        assertEquals(3, broken.attempts());
        Outcome<String> bad = spark.get("bad");
        assertEquals("--lr must be positive, got -1", bad.error(), "bad input is reported as it is");
        assertEquals(1, bad.attempts(), "bad input is not retried");
        assertTrue(spark.get("fine").host().contains("Spark executor driver"), spark.get("fine").host());

        Map<String, Outcome<String>> local = run(new LocalPoolExecutor(ExecutorSettings.local(2, dir.resolve("l"))));
        for (String id : spark.keySet()) {
            Outcome<String> a = spark.get(id);
            Outcome<String> b = local.get(id);
            assertEquals(List.of(String.valueOf(a.value()), String.valueOf(a.error()), a.attempts()),
                    List.of(String.valueOf(b.value()), String.valueOf(b.error()), b.attempts()),
                    id + ": Spark and the local pool disagree");
        }
    }

    @Test
    void badSettingsAreRefusedBeforeSparkStarts() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SweepExecutors.create("spark",
                new ExecutorSettings(1, "local", 0, dir, Map.of("executor.memory", "1g"))));
        assertTrue(e.getMessage().contains("--conf executor.memory") && e.getMessage().contains("'spark.'"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SweepExecutors.create("spark",
                new ExecutorSettings(1, "spark://nohost", 0, dir, Map.of())));
        assertTrue(e.getMessage().contains("'spark://nohost'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SweepExecutors.create("spark",
                new ExecutorSettings(3, "local[2]", 0, dir, Map.of())));
        assertTrue(e.getMessage().contains("--workers 3 contradicts --master local[2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SweepExecutors.create("spark",
                new ExecutorSettings(3, "spark://h:7077", 0, dir, Map.of())));
        assertTrue(e.getMessage().contains("spark.cores.max"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SweepExecutors.create("hadoop",
                new ExecutorSettings(1, null, 0, dir, Map.of())));
        assertTrue(e.getMessage().contains("--executor hadoop") && e.getMessage().contains("local, spark"),
                e.getMessage());
    }
}
