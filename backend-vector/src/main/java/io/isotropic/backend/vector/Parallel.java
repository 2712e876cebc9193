package io.isotropic.backend.vector;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The worker threads of one backend instance: {@code threads - 1} daemon workers, the calling thread doing part 0
 * of every split itself. With one thread no worker is started.
 *
 * <p>Handing out a job costs a few microseconds, not the 17 to 30 us that a {@code ForkJoinPool} submit and join
 * measured on this (virtualised) machine, which was 10% of a 256 x 256 product on two threads: after each job a
 * worker spins for {@value #SPIN_MICROS} microseconds waiting for the next one before it parks, and the caller
 * spins until the parts are done. Jobs of one instance run one at a time (a second calling thread waits); a job
 * started from inside a running part runs on the calling thread alone.
 */
final class Parallel implements AutoCloseable {
    /** How long an idle worker keeps spinning before it parks. */
    static final long SPIN_MICROS = 50;

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final int threads;
    private final long minWork;
    private final long minStream;
    private final Worker[] workers;
    private final Object lock = new Object();
    private final AtomicInteger pending = new AtomicInteger();

    /** The current job, published in one volatile write so that a late worker never sees half of it. */
    private volatile Job job;
    private volatile Thread owner;
    private volatile boolean closed;
    private int generation;

    /** One job: its number, the task, how many parts, and the failure of each part. */
    private record Job(int generation, IntConsumer task, int parts, Throwable[] failures) {
    }

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
        this.workers = new Worker[threads - 1];
        int id = INSTANCES.incrementAndGet();
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i, "isotropic-vector-" + id + "-" + (i + 1));
            workers[i].start();
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
        if (workers.length == 0 || elements < minStream || maxParts < 2) {
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
        if (workers.length == 0 || work < minWork || maxParts < 2) {
            return 1;
        }
        return Math.min(threads, maxParts);
    }

    /**
     * Runs {@code task.accept(i)} for {@code i = 0 .. parts - 1}, part 0 on the calling thread and part i on worker
     * i, and returns when all are done; if parts failed, the exception (or error) of the lowest-numbered failed part
     * is rethrown as it was thrown, after every part has finished.
     *
     * @param parts number of parts, {@code 1 .. threads}
     * @param task the work of one part
     * @throws IllegalArgumentException if parts exceeds the thread count
     * @throws IllegalStateException if the workers were shut down
     */
    void run(int parts, IntConsumer task) {
        if (parts > threads) {
            throw new IllegalArgumentException("Parallel: " + parts + " parts for " + threads + " threads");
        }
        Thread me = Thread.currentThread();
        if (parts <= 1 || me == owner || (me instanceof Worker w && w.owner() == this)) {
            for (int i = 0; i < parts; i++) {
                task.accept(i);
            }
            return;
        }
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("Parallel: the backend was closed");
            }
            Throwable[] failed = new Throwable[parts];
            this.owner = me;
            pending.set(parts - 1);
            job = new Job(++generation, task, parts, failed);
            for (int i = 0; i < parts - 1; i++) {
                LockSupport.unpark(workers[i]);
            }
            try {
                task.accept(0);
            } catch (RuntimeException | Error e) {
                failed[0] = e;
            }
            for (int spins = 1; pending.get() != 0; spins++) {
                if ((spins & 1023) == 0) {
                    Thread.yield();
                } else {
                    Thread.onSpinWait();
                }
            }
            job = null;
            this.owner = null;
            for (Throwable t : failed) {
                if (t instanceof RuntimeException e) {
                    throw e;
                }
                if (t instanceof Error e) {
                    throw e;
                }
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

    /** Stops the workers (they finish a running job first); later multi-threaded calls fail. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
        }
        for (Worker w : workers) {
            LockSupport.unpark(w);
        }
    }

    /** One worker: waits for a new generation (spinning, then parked), runs its part, counts down. */
    private final class Worker extends Thread {
        private final int index;

        Worker(int index, String name) {
            super(name);
            this.index = index;
            setDaemon(true);
        }

        Parallel owner() {
            return Parallel.this;
        }

        @Override
        public void run() {
            int seen = 0;
            while (true) {
                Job j = await(seen);
                if (j == null) {
                    return;
                }
                seen = j.generation();
                if (index + 1 < j.parts()) {
                    try {
                        j.task().accept(index + 1);
                    } catch (RuntimeException | Error e) {
                        j.failures()[index + 1] = e;
                    }
                    pending.decrementAndGet();
                }
            }
        }

        /** The next job after generation {@code seen}, or null once closed. */
        private Job await(int seen) {
            long deadline = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(SPIN_MICROS);
            boolean spin = true;
            for (int spins = 1; ; spins++) {
                if (closed) {
                    return null;
                }
                Job j = job;
                if (j != null && j.generation() != seen) {
                    return j;
                }
                if (spin) {
                    Thread.onSpinWait();
                    if ((spins & 63) == 0 && System.nanoTime() > deadline) {
                        spin = false;
                    }
                } else {
                    LockSupport.park(this);
                }
            }
        }
    }
}
