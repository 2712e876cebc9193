package io.isotropic.spark;

import io.isotropic.Backends;
import io.isotropic.cli.sweep.ExecutorSettings;
import io.isotropic.cli.sweep.SweepExecutor;
import io.isotropic.cli.sweep.SweepExecutors;
import io.isotropic.cli.sweep.SweepJob;
import io.isotropic.data.Dataset;
import io.isotropic.data.Datasets;
import io.isotropic.spi.Backend;
import io.isotropic.spi.BackendOptions;
import io.isotropic.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's example of experiment cells on a sweep executor, as written there. */
class ReadmeSweepExampleTest {
    @TempDir
    Path dir;

    record Cell(String id, int width, long seed) implements SweepJob<double[]> {
        public double[] run(Context c) {
            try (Backend be = Backends.create("ejml", BackendOptions.withThreads(1))) {
                Dataset.Split s = Datasets.digits(DType.F32).split(0.2, 2026);   // ... train one network ...
                return new double[] {width, seed};                                // e.g. its accuracies
            }
        }
    }

    @Test
    void theExampleRuns() throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true));
        try {
            try (SweepExecutor ex = SweepExecutors.create("spark", new ExecutorSettings(0, "local[2]", 2, dir, Map.of()))) {
                ex.execute(List.of(new Cell("w8-s1", 8, 1), new Cell("w16-s1", 16, 1)),
                        o -> System.out.println(o.id() + (o.ok() ? " " + Arrays.toString(o.value()) : " failed: " + o.error())));
            }
        } finally {
            System.setOut(saved);
        }
        String out = captured.toString();
        assertTrue(out.contains("w8-s1 [8.0, 1.0]") && out.contains("w16-s1 [16.0, 1.0]"), out);
    }
}
