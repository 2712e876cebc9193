package io.isotropic.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every experiment runs end to end at the quick scale and writes its table and plots. */
class ExperimentCommandTest {
    @TempDir
    Path dir;

    @Test
    void allExperimentsRunAtQuickScale() throws Exception {
        Path out = dir.resolve("exp");
        assertEquals(0, RoundTripTest.run("experiment", "all", "--quick", "--backend", "ejml", "--out", out.toString()));
        String md = Files.readString(out.resolve("results.md"));
        for (String h : new String[] {"Experiment 0", "Experiment 1", "Experiment 2", "Experiment 3", "Experiment 4",
            "Experiment 5", "Experiment 6"}) {
            assertTrue(md.contains(h), "results.md lacks " + h);
        }
        assertTrue(Files.size(out.resolve("invariance/epsilon-scaled.png")) > 1000);
        assertTrue(Files.exists(out.resolve("sparsify/removed.png")));
        for (String e : new String[] {"timing", "invariance", "spectra", "tasks", "abundance", "sparsify", "tanh"}) {
            assertTrue(Files.readString(out.resolve(e + "/results.json")).contains("\"conclusions\""),
                    e + "/results.json lacks its conclusions");
        }
        // the real networks agree with the claims the conclusions test against fabricated numbers
        assertTrue(md.contains("left the logits within the invariance bound in all"), md);
        assertTrue(md.contains("The function is unchanged by the sparsification"), md);
        for (String f : new String[] {"timing/results.json", "timing/epochs.png", "spectra/results.json",
            "spectra/accuracy.png", "spectra/spectrum-W2-tanh.png", "spectra/all-layers.png"}) {
            assertTrue(Files.size(out.resolve(f)) > 100, f);
        }
        assertTrue(Files.readString(out.resolve("spectra/results.json")).contains("\"conclusions\""));
        // neurogenesis rows are invariant: epsilon_scaled stays at rounding level (F32: ~1e-5 %)
        String row = md.lines().filter(l -> l.startsWith("| +1 |")).findFirst().orElseThrow();
        for (String cellText : row.split("\\|")) {
            String c = cellText.strip();
            if (c.contains("e")) {
                assertTrue(Double.parseDouble(c.split(" ")[0]) < 1e-3, "neurogenesis changed the function: " + row);
            }
        }
        assertEquals(1, Main.commandLine().execute("experiment", "nonsense", "--out", dir.resolve("x").toString()),
                "an unknown experiment is a failed operation");
    }

    /** Options out of range are refused with a sentence naming the value, before any directory is created. */
    @Test
    void badOptionsAreRefusedAndCreateNothing() {
        String[][] cases = {
            {"--repeats", "0", "--repeats must be >= 1, got 0"},
            {"--workers", "0", "--workers must be >= 1, got 0"},
            {"--fashion-limit", "-1", "--fashion-limit must be >= 0, got -1"},
        };
        for (String[] c : cases) {
            Path out = dir.resolve("bad" + c[0]);
            String[] r = Cli.exec("experiment", "invariance", "--quick", c[0], c[1], "--out", out.toString());
            assertEquals("1", r[0], String.join(" ", c) + ": " + r[2]);
            assertTrue(r[2].contains(c[2]), String.join(" ", c) + " -> " + r[2]);
            assertTrue(Files.notExists(out), "a refused experiment created " + out);
        }
    }

    /** An interrupted experiment resumes: finished runs are read back, the missing one is redone identically. */
    @Test
    void tasksExperimentResumesWithoutRedoingFinishedRuns() throws Exception {
        Path out = dir.resolve("tasks");
        assertEquals(0, RoundTripTest.run("experiment", "tasks", "--quick", "--workers", "2", "--backend", "ejml",
                "--out", out.toString()));
        Path runs = out.resolve("tasks/runs");
        Path redone = runs.resolve("main-r1-control.json");
        String before = Files.readString(redone);
        Path kept = runs.resolve("main-r0-adaptive.json");
        String keptBefore = Files.readString(kept);
        Files.delete(redone);
        Files.writeString(kept, keptBefore); // same content, new mtime: a rewrite would change it again
        java.nio.file.attribute.FileTime t = Files.getLastModifiedTime(kept);
        assertEquals(0, RoundTripTest.run("experiment", "tasks", "--quick", "--resume", "--workers", "1", "--backend",
                "ejml", "--out", out.toString()));
        assertEquals(t, Files.getLastModifiedTime(kept), "a finished run was redone");
        String after = Files.readString(redone);
        String howObtained = "\"(seconds|_finished|_threads|_commit)\":[^,}]*"; // when and how, not what
        assertEquals(before.replaceAll(howObtained, ""), after.replaceAll(howObtained, ""),
                "the redone run differs from the first (it must depend only on its seeds, not the pool)");
        assertTrue(Files.readString(out.resolve("tasks/results.json")).contains("\"conclusions\""));
        // --repeats adds repeats to the main comparison (the finished ones read back)
        assertEquals(0, RoundTripTest.run("experiment", "tasks", "--quick", "--resume", "--repeats", "3", "--workers",
                "2", "--backend", "ejml", "--out", out.toString()));
        assertEquals(t, Files.getLastModifiedTime(kept), "a finished run was redone when repeats were added");
        assertTrue(Files.exists(runs.resolve("main-r2-adaptive.json"))
                && Files.exists(runs.resolve("main-r2-control.json")), "--repeats 3 did not add the third repeat pair");
        String json = Files.readString(out.resolve("tasks/results.json")).replaceAll("\\s", "");
        assertTrue(json.contains("\"repeats\":3"), "results.json does not record 3 repeats");
        // a resume with other options than the finished runs' is refused, not mixed into them
        String[] other = Cli.exec("experiment", "tasks", "--quick", "--resume", "--dtype", "f64", "--workers", "1",
                "--backend", "ejml", "--out", out.toString());
        assertEquals("1", other[0], other[2]);
        assertTrue(other[2].contains("was computed with backend=ejml dtype=F32")
                && other[2].contains("this invocation asks for backend=ejml dtype=F64"), other[2]);
        assertEquals(t, Files.getLastModifiedTime(kept), "a refused resume rewrote a finished run");
        assertEquals(1, Main.commandLine().execute("experiment", "tasks", "--resume"), "--resume needs --out");
    }
}
