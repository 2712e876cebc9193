package io.isotropic.bench;

/**
 * What one invocation of a benchmark method computes, as the report needs it: the operation (one table and one
 * chart each), the case within it (a table row), the floating-point operations it performs and, for training
 * throughput, the samples it processes.
 *
 * <p>Every benchmark class declares {@code public static Workload workload(String method, Map<String, String>
 * params)} and registers it in {@link Workloads}; the report calls it with the method name and JMH parameters of
 * each result.
 *
 * @param operation the operation title, e.g. {@code "Matrix product C = A B"}
 * @param label the case, e.g. {@code "n = 256"}
 * @param flops floating-point operations per invocation, or {@code NaN} where a count does not apply (the report
 *              then shows times only)
 * @param samples training or inference samples processed per invocation, or {@code NaN}; when given, the report
 *                adds the throughput in samples/s to each cell
 */
public record Workload(String operation, String label, double flops, double samples) {
    /**
     * Validates the fields.
     *
     * @throws IllegalArgumentException if operation or label is blank, or flops or samples is negative or infinite
     */
    public Workload {
        if (operation == null || operation.isBlank() || label == null || label.isBlank()) {
            throw new IllegalArgumentException("Workload: operation and label must be non-blank, got '" + operation
                    + "', '" + label + "'");
        }
        if (flops < 0 || Double.isInfinite(flops)) {
            throw new IllegalArgumentException("Workload: flops must be >= 0 or NaN, got " + flops);
        }
        if (samples < 0 || Double.isInfinite(samples)) {
            throw new IllegalArgumentException("Workload: samples must be >= 0 or NaN, got " + samples);
        }
    }

    /**
     * A workload without a sample count (kernels and restructuring operations).
     *
     * @param operation the operation title
     * @param label the case
     * @param flops floating-point operations per invocation, or {@code NaN}
     * @throws IllegalArgumentException if operation or label is blank, or flops is negative or infinite
     */
    public Workload(String operation, String label, double flops) {
        this(operation, label, flops, Double.NaN);
    }

    /**
     * Reads an integer JMH parameter.
     *
     * @param params the parameters of one result
     * @param name the parameter name
     * @return its value
     * @throws IllegalArgumentException if the parameter is missing or not an integer
     */
    public static int intParam(java.util.Map<String, String> params, String name) {
        String v = params.get(name);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException("Workload: parameter '" + name + "' is '" + v + "' in " + params
                    + "; expected an integer", e);
        }
    }
}
