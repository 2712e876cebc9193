package io.isotropic;

/** Thrown when a backend is requested by a name no discovered provider has; the message lists the valid names. */
public class UnknownBackendException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message names the requested backend, where the name came from and every known backend
     */
    public UnknownBackendException(String message) {
        super(message);
    }
}
