package io.isotropic.tensor;

/** Thrown when an operation that would spread NaN or infinity silently receives a non-finite value; names the position and value. */
public class NonFiniteValueException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message a message naming the operation, the operand, the index and the value
     */
    public NonFiniteValueException(String message) {
        super(message);
    }
}
