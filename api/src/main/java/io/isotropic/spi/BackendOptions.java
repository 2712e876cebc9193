package io.isotropic.spi;

/**
 * Settings passed to {@link BackendProvider#create(BackendOptions)}.
 *
 * @param threads the number of threads a backend may use for one kernel call, {@code >= 1}
 */
public record BackendOptions(int threads) {
    /** System property overriding the default thread count. */
    public static final String THREADS_PROPERTY = "isotropic.threads";

    /**
     * Validates the thread count.
     *
     * @throws IllegalArgumentException if threads is below 1
     */
    public BackendOptions {
        if (threads < 1) {
            throw new IllegalArgumentException("BackendOptions: threads must be >= 1, got " + threads);
        }
    }

    /**
     * Default options: the thread count from the system property {@value #THREADS_PROPERTY}, else the number of
     * available processors.
     *
     * @return the defaults
     * @throws IllegalArgumentException if the property is set but is not a positive integer
     */
    public static BackendOptions defaults() {
        String p = System.getProperty(THREADS_PROPERTY);
        if (p == null || p.isBlank()) {
            return new BackendOptions(Runtime.getRuntime().availableProcessors());
        }
        try {
            return new BackendOptions(Integer.parseInt(p.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("BackendOptions: system property " + THREADS_PROPERTY + "='" + p
                    + "' is not a positive integer", e);
        }
    }

    /**
     * Options with a given thread count.
     *
     * @param threads threads per kernel call, {@code >= 1}
     * @return the options
     * @throws IllegalArgumentException if threads is below 1
     */
    public static BackendOptions withThreads(int threads) {
        return new BackendOptions(threads);
    }
}
