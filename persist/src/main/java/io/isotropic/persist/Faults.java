package io.isotropic.persist;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test hook on every file operation of this module (create, write, fsync, rename, link, delete, append,
 * truncate, mkdir): it counts them and can stop the process at the n-th one or fail it with the error a full
 * disk gives. Crash and full-disk tests use it to interrupt a run at every point; normal runs only count.
 *
 * <p>Two system properties configure a whole JVM (a child process of a test): {@value #STOP_PROPERTY}{@code =n}
 * prints {@link #STOP_MARKER}{@code n} on stderr before the n-th operation and then blocks until the process is
 * killed; {@value #FAIL_PROPERTY}{@code =n} makes the n-th operation (and every later writing one) throw an
 * {@link IOException} "No space left on device". Deletions never fail, as on a real full disk.
 */
public final class Faults {
    /** System property: stop (block until killed) before the n-th file operation. */
    public static final String STOP_PROPERTY = "isotropic.persist.stopAt";
    /** System property: fail the n-th and later writing file operations as a full disk does. */
    public static final String FAIL_PROPERTY = "isotropic.persist.failAt";
    /**
     * System property: {@code false} skips the fsync calls (they are still counted as operations). For tests that
     * kill processes: a killed process's writes survive in the page cache without fsync, only a power loss needs it.
     */
    public static final String FSYNC_PROPERTY = "isotropic.persist.fsync";
    /** Printed on stderr, followed by the operation number and a newline, when the process stops. */
    public static final String STOP_MARKER = "isotropic-persist: stopped before file operation ";

    private static final AtomicLong COUNT = new AtomicLong();
    private static volatile long stopAt = Long.getLong(STOP_PROPERTY, 0L);
    private static volatile long failAt = Long.getLong(FAIL_PROPERTY, 0L);

    private Faults() {
    }

    /** The kinds of file operation, for {@link #before}. */
    enum Op { CREATE, WRITE, FSYNC, RENAME, LINK, DELETE, MKDIR, APPEND, TRUNCATE }

    /**
     * Counts an operation and applies the configured stop or failure.
     *
     * @param op the operation
     * @param file the file it acts on
     * @throws IOException if a failure is configured for this operation
     */
    static void before(Op op, Path file) throws IOException {
        long n = COUNT.incrementAndGet();
        if (stopAt > 0 && n == stopAt) {
            PrintStream err = System.err;
            err.println(STOP_MARKER + n + " (" + op + " " + file + ")");
            err.flush();
            while (true) {
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException e) {
                    // keep waiting for the kill
                }
            }
        }
        if (failAt > 0 && n >= failAt && op != Op.DELETE) {
            throw new IOException("No space left on device");
        }
    }

    /**
     * Whether fsync calls are made (see {@link #FSYNC_PROPERTY}).
     *
     * @return false only if the property is {@code false}
     */
    static boolean fsyncEnabled() {
        return !"false".equals(System.getProperty(FSYNC_PROPERTY));
    }

    /**
     * The number of file operations counted so far in this JVM.
     *
     * @return the count
     */
    public static long operations() {
        return COUNT.get();
    }

    /**
     * Makes the n-th operation from now, and every later writing one, fail as on a full disk (in-process tests).
     *
     * @param n operations from now, {@code >= 1}
     * @throws IllegalArgumentException if n is below 1
     */
    public static void failAfter(long n) {
        if (n < 1) {
            throw new IllegalArgumentException("Faults.failAfter: n must be >= 1, got " + n);
        }
        failAt = COUNT.get() + n;
    }

    /** Removes any configured stop or failure (the count goes on). */
    public static void reset() {
        failAt = 0;
        stopAt = 0;
    }
}
