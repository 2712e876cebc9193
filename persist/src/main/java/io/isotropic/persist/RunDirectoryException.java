package io.isotropic.persist;

import java.io.IOException;

/** A directory cannot be used as a run directory: it is in use by another run, or holds files of something else. */
public class RunDirectoryException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message names the directory and what is wrong
     */
    public RunDirectoryException(String message) {
        super(message);
    }
}
