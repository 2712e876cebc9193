package io.isotropic.backend.vector;

import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backend's workers: splitting rules, every part run once, failures rethrown, daemon threads shut down. */
class ParallelTest {

    @Test
    void partsFollowTheThresholds() {
        try (Parallel one = new Parallel(1, 10, 10); Parallel two = new Parallel(2, 10, 10)) {
            assertEquals(1, one.parts(1000, 50));
            assertEquals(1, two.parts(9, 50), "below the product threshold");
            assertEquals(2, two.parts(10, 50));
            assertEquals(1, two.parts(1000, 1), "a single tile cannot be split");
            assertEquals(1, two.streamParts(9, 50));
            assertEquals(2, two.streamParts(10, 50));
        }
    }

    @Test
    void everyPartRunsOnceOnTheCallerAndTheWorkers() {
        try (Parallel p = new Parallel(3, 1, 1)) {
            AtomicInteger[] runs = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
            Set<Thread> threads = ConcurrentHashMap.newKeySet();
            p.run(3, i -> {
                runs[i].incrementAndGet();
                threads.add(Thread.currentThread());
            });
            for (AtomicInteger r : runs) {
                assertEquals(1, r.get());
            }
            assertTrue(threads.contains(Thread.currentThread()), "part 0 runs on the caller");
            assertTrue(threads.stream().filter(t -> t != Thread.currentThread()).allMatch(Thread::isDaemon),
                    "workers are daemon threads");
        }
    }

    @Test
    void aFailureInAnyPartIsRethrownAfterAllParts() {
        try (Parallel p = new Parallel(2, 1, 1)) {
            IllegalStateException boom = new IllegalStateException("boom");
            AtomicInteger done = new AtomicInteger();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.run(2, i -> {
                done.incrementAndGet();
                if (i == 1) {
                    throw boom;
                }
            }));
            assertEquals("boom", e.getMessage());
            assertEquals(2, done.get());
            assertSame(IllegalStateException.class, e.getClass());
        }
    }

    @Test
    void manyJobsOfVaryingSizeRunEachPartExactlyOnce() {
        try (Parallel p = new Parallel(3, 1, 1)) {
            for (int job = 0; job < 20000; job++) {
                int parts = 1 + job % 3;
                AtomicInteger[] runs = new AtomicInteger[parts];
                for (int i = 0; i < parts; i++) {
                    runs[i] = new AtomicInteger();
                }
                p.run(parts, i -> runs[i].incrementAndGet());
                for (int i = 0; i < parts; i++) {
                    assertEquals(1, runs[i].get(), "job " + job + " part " + i);
                }
            }
        }
    }

    @Test
    void aJobStartedInsideAPartRunsOnItsOwnThread() {
        try (Parallel p = new Parallel(2, 1, 1)) {
            AtomicInteger inner = new AtomicInteger();
            p.run(2, i -> p.run(2, j -> inner.incrementAndGet()));
            assertEquals(4, inner.get(), "two outer parts, each running both inner parts itself");
        }
    }

    @Test
    void concurrentCallersAreServedOneAfterTheOther() throws InterruptedException {
        try (Parallel p = new Parallel(2, 1, 1)) {
            AtomicInteger total = new AtomicInteger();
            Thread[] callers = new Thread[3];
            for (int c = 0; c < callers.length; c++) {
                callers[c] = new Thread(() -> {
                    for (int k = 0; k < 2000; k++) {
                        p.run(2, i -> total.incrementAndGet());
                    }
                });
                callers[c].start();
            }
            for (Thread t : callers) {
                t.join();
            }
            assertEquals(3 * 2000 * 2, total.get());
        }
    }

    @Test
    void closeStopsTheWorkers() throws InterruptedException {
        Parallel p = new Parallel(2, 1, 1);
        Set<Thread> workers = ConcurrentHashMap.newKeySet();
        p.run(2, i -> workers.add(Thread.currentThread()));
        workers.remove(Thread.currentThread());
        p.close();
        for (Thread t : workers) {
            t.join(5000);
            assertTrue(!t.isAlive(), "worker " + t.getName() + " still alive after close");
        }
        assertThrows(IllegalStateException.class, () -> p.run(2, i -> { }));
        int[] ran = new int[1];
        p.run(1, i -> ran[0]++);
        assertEquals(1, ran[0], "a single part still runs on the caller");
    }
}
