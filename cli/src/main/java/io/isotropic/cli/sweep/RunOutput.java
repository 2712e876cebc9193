package io.isotropic.cli.sweep;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a training run sends back from wherever it ran: its result and the files of its run directory (as
 * {@code train} writes them, without the checkpoints), which the sweep writes to {@code runs/<id>/}.
 *
 * @param result the run's result
 * @param files relative path ({@code model.safetensors}, {@code plots/accuracy.png}, ...) to content
 */
public record RunOutput(RunResult result, Map<String, byte[]> files) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The model's file name in a run directory. */
    public static final String MODEL = "model.safetensors";

    /**
     * Copies the file map (sorted by path).
     *
     * @throws IllegalArgumentException if the result is missing or a path is absolute or leaves the directory
     */
    public RunOutput {
        if (result == null) {
            throw new IllegalArgumentException("RunOutput: result is required");
        }
        Map<String, byte[]> m = new TreeMap<>();
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            String p = e.getKey();
            if (p.startsWith("/") || p.contains("..") || p.contains("\\") || p.isBlank()) {
                throw new IllegalArgumentException("RunOutput " + result.id() + ": file path must be relative and "
                        + "inside the run directory, got '" + p + "'");
            }
            m.put(p, e.getValue());
        }
        files = Collections.unmodifiableMap(m);
    }

    /**
     * The trained model.
     *
     * @return the bytes of {@code model.safetensors}
     * @throws IllegalStateException if the run has no model
     */
    public byte[] modelBytes() {
        byte[] b = files.get(MODEL);
        if (b == null) {
            throw new IllegalStateException("run " + result.id() + " has no " + MODEL);
        }
        return b;
    }
}
