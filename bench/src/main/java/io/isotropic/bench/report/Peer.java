package io.isotropic.bench.report;

import java.util.Map;

/**
 * A peer measured in the same run as the backends (PyTorch, NumPy with its LAPACK/OpenBLAS), as its program
 * under {@code bench/peers} describes itself.
 *
 * @param name the column name, as the {@code backend} parameter of its results (e.g. {@code "pytorch"})
 * @param label what it is, e.g. {@code "PyTorch 1.13.0 (CPU)"}
 * @param skipped why it was not measured, or null if it was
 * @param details versions, BLAS libraries and threads, in the order the peer wrote them
 */
public record Peer(String name, String label, String skipped, Map<String, String> details) {
    /**
     * Validates the fields.
     *
     * @throws IllegalArgumentException if the name is blank
     */
    public Peer {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("Peer: a peer needs a name, got '" + name + "'");
        }
        label = label == null || label.isBlank() ? name : label;
        details = Map.copyOf(details);
    }

    /**
     * Whether the peer's own BLAS check found the slow reference BLAS, which makes its figures meaningless.
     *
     * @return true if its {@code reference_blas} detail is {@code true}
     */
    public boolean referenceBlas() {
        return "true".equals(details.get("reference_blas"));
    }
}
