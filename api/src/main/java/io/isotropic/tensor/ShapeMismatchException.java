package io.isotropic.tensor;

/** Thrown when operands of an operation have incompatible shapes; the message names the operation, the shapes and the rule. */
public class ShapeMismatchException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message a message naming the operation, the offending shapes and the rule they break
     */
    public ShapeMismatchException(String message) {
        super(message);
    }
}
