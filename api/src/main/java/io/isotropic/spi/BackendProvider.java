package io.isotropic.spi;

/**
 * Service-provider interface through which {@link java.util.ServiceLoader} discovers a compute backend.
 *
 * <p>Implementations must have a public no-argument constructor, do no work in static initialisers, and must
 * not load heavy or optional classes (native code, incubator modules) before {@link #probe()} said they are usable.
 */
public interface BackendProvider {
    /**
     * Stable lowercase name used for selection ({@code vector}, {@code ejml}, {@code ojalgo}).
     *
     * @return the name
     */
    String name();

    /**
     * Preference among available backends when none is named; higher wins.
     *
     * @return the priority
     */
    int priority();

    /**
     * Checks cheaply whether this backend can run here.
     *
     * @return availability and a reason
     */
    Probe probe();

    /**
     * Creates a backend instance; the caller owns it and should {@link Backend#close() close} it.
     *
     * @param options thread count and other settings
     * @return a new backend
     * @throws IllegalStateException if the probe fails (with its reason)
     */
    Backend create(BackendOptions options);
}
