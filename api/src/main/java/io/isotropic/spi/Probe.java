package io.isotropic.spi;

import java.util.Objects;

/**
 * Answer of {@link BackendProvider#probe()}: whether the backend can be created here, and why (not).
 *
 * @param available true if {@link BackendProvider#create} will succeed
 * @param reason a short human-readable explanation, never null (e.g. "EJML 0.46.1 on the class path" or
 *               "jdk.incubator.vector is not in the boot layer; add --add-modules jdk.incubator.vector")
 */
public record Probe(boolean available, String reason) {
    /**
     * Validates the reason.
     *
     * @throws NullPointerException if reason is null
     */
    public Probe {
        Objects.requireNonNull(reason, "Probe: reason is null");
    }

    /**
     * An available probe.
     *
     * @param reason what makes it available
     * @return the probe
     */
    public static Probe available(String reason) {
        return new Probe(true, reason);
    }

    /**
     * An unavailable probe.
     *
     * @param reason why it is unavailable and, where possible, how to fix it
     * @return the probe
     */
    public static Probe unavailable(String reason) {
        return new Probe(false, reason);
    }
}
