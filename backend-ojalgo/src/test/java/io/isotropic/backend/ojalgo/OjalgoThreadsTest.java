package io.isotropic.backend.ojalgo;

import io.isotropic.Backends;
import io.isotropic.spi.Backend;
import io.isotropic.spi.BackendOptions;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backend's thread setting reaches ojAlgo: during a call ojAlgo's parallelism equals {@code threads()}, a
 * one-thread backend does no work on ojAlgo's worker threads, and a two-thread backend does (the positive control
 * that shows the measurement can see worker threads at all).
 */
class OjalgoThreadsTest {

    /** Sum of the CPU time of ojAlgo's worker threads ({@code ojAlgo-daemon-*}) so far, in nanoseconds. */
    private static long ojalgoWorkerCpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("ojAlgo-daemon-")) {
                long t = mx.getThreadCpuTime(info.getThreadId());
                total += Math.max(0, t);
            }
        }
        return total;
    }

    private static long workerCpuDuringProducts(Backend be) {
        Tensor a = Tensor.randomNormal(DType.F64, 1, 1.0, 384, 384);
        Tensor b = Tensor.randomNormal(DType.F64, 2, 1.0, 384, 384);
        Tensor c = Tensor.zeros(DType.F64, 384, 384);
        be.gemm(1.0, a, false, b, false, 0.0, c); // warm-up: creates ojAlgo's pool if this backend uses it
        long before = ojalgoWorkerCpuNanos();
        for (int i = 0; i < 4; i++) {
            be.gemm(1.0, a, false, b, false, 0.0, c);
        }
        return ojalgoWorkerCpuNanos() - before;
    }

    @Test
    void oneThreadBackendKeepsOjalgoOnTheCallingThread() {
        assertTrue(ManagementFactory.getThreadMXBean().isThreadCpuTimeSupported(), "thread CPU time unsupported");
        try (Backend two = Backends.create("ojalgo", BackendOptions.withThreads(2));
             Backend one = Backends.create("ojalgo", BackendOptions.withThreads(1))) {
            long withTwo = workerCpuDuringProducts(two);
            assertTrue(withTwo > 0, "a 2-thread backend must use ojAlgo's worker threads (positive control), used "
                    + withTwo + " ns");
            long withOne = workerCpuDuringProducts(one);
            assertEquals(0, withOne, "a 1-thread backend must not run work on ojAlgo's worker threads");
        }
    }

    @Test
    void parallelismFollowsTheCallingBackendAndIsRestored() {
        int outside = OjalgoParallelism.current();
        int token = OjalgoParallelism.enter(3);
        try {
            assertEquals(3, OjalgoParallelism.current(), "limit inside a call");
            int inner = OjalgoParallelism.enter(1);
            assertEquals(1, OjalgoParallelism.current(), "nested limit");
            OjalgoParallelism.exit(inner);
            assertEquals(3, OjalgoParallelism.current(), "nested limit restored");
        } finally {
            OjalgoParallelism.exit(token);
        }
        assertEquals(outside, OjalgoParallelism.current(), "outside a call ojAlgo keeps its own setting");
    }
}
