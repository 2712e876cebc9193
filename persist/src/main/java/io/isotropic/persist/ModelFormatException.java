package io.isotropic.persist;

import java.io.IOException;

/** A model or optimiser file is truncated, inconsistent, or from an unsupported format version; names file and cause. */
public class ModelFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message names the file and what is wrong with it
     */
    public ModelFormatException(String message) {
        super(message);
    }
}
