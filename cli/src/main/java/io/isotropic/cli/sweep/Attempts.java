package io.isotropic.cli.sweep;

import io.isotropic.persist.AtomicFiles;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The attempt logic every {@link SweepExecutor} shares, so that they all retry and report alike: one attempt of a
 * job in a fresh scratch directory, its failure classified as deterministic (bad options or values, divergence:
 * reported at once, since another attempt would fail the same way) or transient (I/O, memory, anything
 * unexpected: retried while attempts remain).
 */
public final class Attempts {
    private Attempts() {
    }

    /** Thrown by {@link #attempt} when the attempt failed transiently and another attempt is allowed. */
    public static final class RetryableFailure extends Exception {
        private static final long serialVersionUID = 1L;

        RetryableFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Runs one attempt of a job in a new scratch directory under {@code scratchRoot} (deleted afterwards).
     *
     * @param job the job
     * @param attempt the attempt, from 0
     * @param maxAttempts attempts allowed in all, {@code >= 1}
     * @param scratchRoot where the scratch directory is made (created if absent)
     * @param host where this runs, for the outcome
     * @param <R> the result type
     * @return the outcome: the value, or the failure if it is deterministic or this was the last attempt
     * @throws RetryableFailure if the attempt failed transiently and {@code attempt + 1 < maxAttempts}
     * @throws IllegalArgumentException if attempt is negative or not below maxAttempts
     */
    public static <R extends Serializable> Outcome<R> attempt(SweepJob<R> job, int attempt, int maxAttempts,
                                                             Path scratchRoot, String host) throws RetryableFailure {
        if (attempt < 0 || attempt >= maxAttempts) {
            throw new IllegalArgumentException("Attempts.attempt: attempt " + attempt + " of job " + job.id()
                    + " is outside 0.." + (maxAttempts - 1));
        }
        long t0 = System.nanoTime();
        Path scratch = null;
        try {
            Files.createDirectories(scratchRoot);
            scratch = Files.createTempDirectory(scratchRoot, job.id() + "-" + attempt + "-");
            R value = job.run(new SweepJob.Context(attempt, scratch, host));
            if (value == null) {
                throw new IllegalStateException("job " + job.id() + " returned no result");
            }
            return new Outcome<>(job.id(), value, null, attempt + 1, seconds(t0), host);
        } catch (Exception | OutOfMemoryError | StackOverflowError e) {
            String message = describe(e);
            if (retryable(e) && attempt + 1 < maxAttempts) {
                throw new RetryableFailure("job " + job.id() + ", attempt " + (attempt + 1) + " of " + maxAttempts
                        + " on " + host + ": " + message, e);
            }
            String tries = attempt == 0 ? "" : " (after " + (attempt + 1) + " attempts)";
            return new Outcome<>(job.id(), null, message + tries, attempt + 1, seconds(t0), host);
        } finally {
            if (scratch != null) {
                try {
                    AtomicFiles.deleteTree(scratch);
                } catch (IOException e) {
                    // scratch space; the executor's work directory is deleted as a whole later
                }
            }
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * Whether another attempt may succeed: false for bad options or values ({@link IllegalArgumentException}),
     * states the job reached deterministically ({@link IllegalStateException}, e.g. divergence or an unavailable
     * backend), {@link UnsupportedOperationException} and {@link ArithmeticException}; true for everything else
     * (I/O failures, running out of memory, unexpected errors).
     *
     * @param t the failure
     * @return true if it may be transient
     */
    public static boolean retryable(Throwable t) {
        Throwable c = unwrap(t);
        return !(c instanceof IllegalArgumentException || c instanceof IllegalStateException
                || c instanceof UnsupportedOperationException || c instanceof ArithmeticException);
    }

    /**
     * A failure as one line: its message (with the exception's simple name for unexpected exceptions).
     *
     * @param t the failure
     * @return the line
     */
    public static String describe(Throwable t) {
        if (t instanceof UncheckedIOException u && u.getMessage() != null
                && !u.getMessage().equals(String.valueOf(u.getCause()))) {
            return oneLine(u.getMessage());
        }
        Throwable c = unwrap(t);
        String m = c.getMessage();
        if (c instanceof java.nio.file.NoSuchFileException nsf) {
            return "no such file: " + nsf.getFile();
        }
        boolean expected = c instanceof IllegalArgumentException || c instanceof IllegalStateException
                || c instanceof IOException || c instanceof UnsupportedOperationException;
        if (m == null || m.isBlank()) {
            return c.getClass().getSimpleName();
        }
        return expected ? oneLine(m) : c.getClass().getSimpleName() + ": " + oneLine(m);
    }

    private static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof UncheckedIOException || c instanceof java.lang.reflect.InvocationTargetException
                || c instanceof java.util.concurrent.ExecutionException || c instanceof RetryableFailure)
                && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').strip();
    }
}
