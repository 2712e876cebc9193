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
        for (String h : new String[] {"Experiment 1", "Experiment 4", "Experiment 5", "Experiment 6"}) {
            assertTrue(md.contains(h), "results.md lacks " + h);
        }
        assertTrue(Files.size(out.resolve("invariance/epsilon-scaled.png")) > 1000);
        assertTrue(Files.exists(out.resolve("sparsify/removed.png")));
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
}
