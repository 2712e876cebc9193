package io.isotropic.cli.sweep;

import java.io.Serializable;

/**
 * How a {@link SweepJob} ended: its value, or the failure of its last attempt.
 *
 * @param id the job's identifier
 * @param value the result, or null if the job failed
 * @param error the failure as one line, or null if it succeeded
 * @param attempts attempts made, {@code >= 1}
 * @param seconds wall time of the last attempt
 * @param host where the last attempt ran
 * @param <R> the result type
 */
public record Outcome<R extends Serializable>(String id, R value, String error, int attempts, double seconds,
                                              String host) implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Checks that exactly one of value and error is present.
     *
     * @throws IllegalArgumentException otherwise, or if attempts is below 1
     */
    public Outcome {
        if ((value == null) == (error == null)) {
            throw new IllegalArgumentException("Outcome " + id + ": exactly one of value and error must be given");
        }
        if (attempts < 1) {
            throw new IllegalArgumentException("Outcome " + id + ": attempts must be >= 1, got " + attempts);
        }
    }

    /**
     * Whether the job succeeded.
     *
     * @return true if there is a value
     */
    public boolean ok() {
        return value != null;
    }
}
