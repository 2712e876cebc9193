package io.isotropic.bench;

import io.isotropic.Backends;
import io.isotropic.nn.Gradients;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.oracle.Invariance;
import io.isotropic.spi.Backend;
import io.isotropic.spi.BackendOptions;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.isotropic.nn.ParameterNames.weightName;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The network-level benchmarks' checks accept right results and reject results that are wrong by a little. */
class NetworkChecksTest {
    private static final Backend BE = Backends.create("ejml", BackendOptions.withThreads(1));

    @Test
    void gradientCheckRejectsOneEntryOffByOnePerMille() {
        for (DType dt : DType.values()) {
            IsotropicMlp net = BenchNets.trainedLike(BE, dt, 3, 20, 12, 12, 5);
            Tensor x = BenchNets.inputs(dt, 4, 16, 20);
            int[] y = BenchNets.labels(5, 16, 5);
            Gradients g = BenchNets.gradients(net, x, y);
            assertDoesNotThrow(() -> TrainingStepBenchmark.checkGradient("test", net, x, y, g, 3));
            Tensor w1 = g.get(weightName(1));
            int at = 0;
            for (int i = 1; i < w1.size(); i++) {
                at = Math.abs(w1.getFlat(i)) > Math.abs(w1.getFlat(at)) ? i : at;
            }
            w1.setFlat(at, w1.getFlat(at) * (1 + 1e-3));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> TrainingStepBenchmark.checkGradient("test", net, x, y, g, 3));
            assertTrue(e.getMessage().contains(weightName(1)), e.getMessage());
        }
    }

    @Test
    void invarianceCheckRejectsOneLogitOffByTenTolerances() {
        IsotropicMlp net = BenchNets.trainedLike(BE, DType.F32, 6, 10, 8, 4);
        Tensor y = net.predict(BenchNets.inputs(DType.F32, 7, 5, 10));
        Tensor same = y.copy();
        assertDoesNotThrow(() -> SetupChecks.invariant("test", net, y, same));
        same.setFlat(19, same.getFlat(19) + 10 * Invariance.of(net, y).value());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SetupChecks.invariant("test", net, y, same));
        assertTrue(e.getMessage().contains("element [4, 3]"), e.getMessage());
    }

    @Test
    void widthsParseRepeatsAndRejectGarbage() {
        assertArrayEquals(new int[] {784, 512, 512, 512, 512, 512, 512, 10}, BenchNets.widths("784-512x6-10"));
        assertArrayEquals(new int[] {64, 256, 256, 256, 10}, BenchNets.widths("64-256-256-256-10"));
        assertThrows(IllegalArgumentException.class, () -> BenchNets.widths("784-x-10"));
        assertThrows(IllegalArgumentException.class, () -> BenchNets.widths("784-0-10"));
    }

    @Test
    void workloadsCountTheProducts() {
        // forward 2b(784*512 + 512*512 + 512*10), weight gradients the same, input gradients without the first layer
        Workload step = TrainingStepBenchmark.workload("step", Map.of("n", "512", "batch", "128"));
        assertEquals(2.0 * 128 * (3 * 668_672 - 401_408), step.flops());
        assertEquals(128, step.samples());
        Workload epoch = EpochBenchmark.workload("digits", Map.of("n", "1797"));
        assertEquals(1797, epoch.samples());
        Workload unrolled = ForwardBenchmark.workload("unrolled", Map.of("widths", "64-256-256-256-10", "batch", "128"));
        assertEquals(2.0 * 128 * 64 * (256 * 3 + 10), unrolled.flops());
        Workload compact = ForwardBenchmark.workload("compact", Map.of("widths", "784-512-512-10", "batch", "128"));
        assertEquals(2.0 * 128 * (784 * 512 + 512 + 512 * 10), compact.flops(), "W_1 is the one diagonal layer");
    }
}
