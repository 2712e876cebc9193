package io.isotropic.data;

import java.io.IOException;

/** A data file exists but is not in the expected format; the message names the file and the position. */
public class DatasetFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message names the file, the position (byte offset, record or line) and what is wrong
     */
    public DatasetFormatException(String message) {
        super(message);
    }
}
