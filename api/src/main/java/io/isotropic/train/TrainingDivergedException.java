package io.isotropic.train;

/** Training produced a non-finite loss, gradient or parameter; the message names the step and the parameter. */
public class TrainingDivergedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, without the position (epoch, step) that {@link Trainer#fit} prefixes. */
    private final String detail;

    /**
     * Creates the exception.
     *
     * @param detail the loss and the first non-finite parameter or gradient
     */
    public TrainingDivergedException(String detail) {
        super("training diverged: " + detail);
        this.detail = detail;
    }

    /**
     * Creates the exception with the position of the step prefixed.
     *
     * @param message the full message (names the epoch, step, loss and first non-finite parameter or gradient)
     * @param cause the exception of the step, whose detail this one keeps
     */
    public TrainingDivergedException(String message, TrainingDivergedException cause) {
        super(message, cause);
        this.detail = cause.detail();
    }

    /**
     * The loss and the first non-finite parameter or gradient.
     *
     * @return the detail
     */
    public String detail() {
        return detail;
    }
}
