package io.isotropic.train;

/** Training produced a non-finite loss, gradient or parameter; the message names the step and the parameter. */
public class TrainingDivergedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message names the epoch, step, loss and first non-finite parameter or gradient
     */
    public TrainingDivergedException(String message) {
        super(message);
    }
}
