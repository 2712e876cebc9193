package io.isotropic.bench;

import io.isotropic.BackendInfo;
import io.isotropic.Backends;
import io.isotropic.spi.Backend;
import io.isotropic.spi.BackendOptions;
import io.isotropic.tensor.DType;

import java.util.Locale;
import java.util.stream.Collectors;

/** Helpers shared by the benchmarks: creating the backend under test and reading the dtype parameter. */
public final class BenchSupport {
    /** The JVM options every benchmark fork needs (the Vector API for the vector backend and the FMA peak). */
    public static final String[] FORK_JVM_ARGS = {"-Xss4m", "--add-modules", "jdk.incubator.vector"};

    private BenchSupport() {
    }

    /**
     * Creates a new instance of the named backend with the default options (thread count from the system property
     * {@code isotropic.threads}, else every available processor).
     *
     * @param name the backend name
     * @return a new backend, owned by the caller
     * @throws IllegalStateException if the backend is unknown or unavailable here, naming the available ones (the
     *                               run script passes only available backends, so this shows up only when JMH is
     *                               run by hand with a backend that cannot run)
     */
    public static Backend backend(String name) {
        return backend(name, 0);
    }

    /**
     * Creates a new instance of the named backend with a given thread count.
     *
     * @param name the backend name
     * @param threads threads per kernel call, or 0 for the default ({@code isotropic.threads}, else every processor)
     * @return a new backend, owned by the caller
     * @throws IllegalStateException if the backend is unknown or unavailable here
     */
    public static Backend backend(String name, int threads) {
        try {
            return Backends.create(name, threads > 0 ? BackendOptions.withThreads(threads) : BackendOptions.defaults());
        } catch (RuntimeException e) {
            throw new IllegalStateException("benchmark: backend '" + name + "' cannot run here (" + e.getMessage()
                    + "); available: " + available() + " (bench/run.sh passes -p backend=<available>)", e);
        }
    }

    /**
     * Names of the backends available in this JVM, comma-separated, in {@link Backends#describe()} order.
     *
     * @return e.g. {@code "ojalgo,ejml"}; empty if none is available
     */
    public static String available() {
        return Backends.describe().stream().filter(BackendInfo::available).map(BackendInfo::name)
                .collect(Collectors.joining(","));
    }

    /**
     * The case-label suffix of a {@code threads} parameter: {@code ", 1 thread"} or {@code ", all threads"}.
     *
     * @param params the JMH parameters of one result
     * @return the suffix, empty if the benchmark has no threads parameter
     */
    public static String threadsLabel(java.util.Map<String, String> params) {
        String t = params.get("threads");
        if (t == null) {
            return "";
        }
        return t.equals("0") ? ", all threads" : ", " + t + (t.equals("1") ? " thread" : " threads");
    }

    /**
     * Parses the {@code dtype} parameter.
     *
     * @param dtype {@code F32} or {@code F64} (case-insensitive)
     * @return the dtype
     * @throws IllegalArgumentException if it names no dtype
     */
    public static DType dtype(String dtype) {
        try {
            return DType.valueOf(dtype.trim().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("benchmark: dtype '" + dtype + "' is not F32 or F64", e);
        }
    }
}
