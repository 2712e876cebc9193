package io.isotropic;

/** Thrown when a requested backend exists but its probe says it cannot run here, or when no backend can run. */
public class BackendUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message names the backend and the probe's reason
     */
    public BackendUnavailableException(String message) {
        super(message);
    }
}
