package io.isotropic.backend.vector;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The worker threads of one backend instance: a {@link ForkJoinPool} of {@code threads - 1} daemon workers, the
 * calling thread doing one share of every split itself. With one thread no pool is created.
 */
final class Parallel implements AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final int threads;
    private final long minWork;
    private final long minStream;
    private final ForkJoinPool pool;

    /**
     * Creates the workers.
     *
     * @param threads threads per kernel call, {@code >= 1}
     * @param minWork below this many multiply-adds a matrix product runs on the calling thread
     * @param minStream below this many elements a row-wise kernel runs on the calling thread
     */
    Parallel(int threads, long minWork, long minStream) {
        this.threads = threads;
        this.minWork = minWork;
        this.minStream = minStream;
        if (threads > 1) {
            int id = POOLS.incrementAndGet();
            AtomicInteger n = new AtomicInteger();
            this.pool = new ForkJoinPool(threads - 1, p -> {
                ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
                t.setDaemon(true);
                t.setName("isotropic-vector-" + id + "-" + n.incrementAndGet());
                return t;
            }, null, false);
        } else {
            this.pool = null;
        }
    }

    /**
     * Threads available to one call.
     *
     * @return the thread count
     */
    int threads() {
        return threads;
    }

    /**
     * How many parts a row-wise job over the given number of elements should be split into.
     *
     * @param elements elements the job reads
     * @param maxParts the most parts the job can be divided into (rows)
     * @return between 1 and {@code min(threads, maxParts)}
     */
    int streamParts(long elements, int maxParts) {
        if (pool == null || elements < minStream || maxParts < 2) {
            return 1;
        }
        return Math.min(threads, maxParts);
    }

    /**
     * How many parts a matrix product of the given size should be split into.
     *
     * @param work multiply-adds of the whole job
     * @param maxParts the most parts the job can be divided into
     * @return between 1 and {@code min(threads, maxParts)}
     */
    int parts(long work, int maxParts) {
        if (pool == null || work < minWork || maxParts < 2) {
            return 1;
        }
        return Math.min(threads, maxParts);
    }

    /**
     * Runs {@code task.accept(i)} for {@code i = 0 .. parts - 1}, part 0 on the calling thread, and returns when all
     * are done; if parts failed, the exception (or error) of the lowest-numbered failed part is rethrown as it was
     * thrown, after every part has finished.
     *
     * @param parts number of parts, {@code >= 1}
     * @param task the work of one part
     */
    void run(int parts, IntConsumer task) {
        if (parts <= 1 || pool == null) {
            for (int i = 0; i < parts; i++) {
                task.accept(i);
            }
            return;
        }
        Throwable[] failures = new Throwable[parts];
        ForkJoinTask<?>[] forks = new ForkJoinTask<?>[parts - 1];
        for (int i = 1; i < parts; i++) {
            int part = i;
            forks[i - 1] = pool.submit(() -> {
                try {
                    task.accept(part);
                } catch (RuntimeException | Error e) {
                    failures[part] = e;
                }
            });
        }
        try {
            task.accept(0);
        } catch (RuntimeException | Error e) {
            failures[0] = e;
        }
        for (ForkJoinTask<?> f : forks) {
            f.join();
        }
        for (Throwable t : failures) {
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
        }
    }

    /**
     * First index of part {@code part} when {@code count} items are cut into {@code parts} nearly equal blocks.
     *
     * @param count items
     * @param part the part, {@code 0 .. parts} (parts gives count)
     * @param parts number of parts
     * @return {@code floor(count * part / parts)}, computed without overflow
     */
    static int start(int count, int part, int parts) {
        return (int) ((long) count * part / parts);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
