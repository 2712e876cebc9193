package io.isotropic.backend.vector;

import io.isotropic.spi.Backend;
import io.isotropic.spi.BackendOptions;
import io.isotropic.spi.BackendProvider;
import io.isotropic.spi.Probe;

/**
 * Registers the {@code vector} backend (JDK Vector API). Its kernels are not implemented yet, so the probe
 * reports it unavailable with that reason rather than pretending to be a backend.
 */
public final class VectorBackendProvider implements BackendProvider {
    /** The name under which this backend is selected. */
    public static final String NAME = "vector";

    /** Creates the provider; touches no Vector API class. */
    public VectorBackendProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Probe probe() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return Probe.unavailable("jdk.incubator.vector is not in the boot layer; start the JVM with "
                    + "--add-modules jdk.incubator.vector (and the kernels are not implemented yet)");
        }
        return Probe.unavailable("not implemented yet: the Vector API kernels are tracked in their own issue");
    }

    @Override
    public Backend create(BackendOptions options) {
        throw new IllegalStateException("vector backend unavailable: " + probe().reason());
    }
}
