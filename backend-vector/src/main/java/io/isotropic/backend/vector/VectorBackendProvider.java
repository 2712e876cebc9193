package io.isotropic.backend.vector;

import io.isotropic.spi.Backend;
import io.isotropic.spi.BackendOptions;
import io.isotropic.spi.BackendProvider;
import io.isotropic.spi.Probe;

/**
 * Registers the {@code vector} backend (JDK Vector API, priority 100: preferred whenever it can run).
 *
 * <p>The probe only asks whether the module {@code jdk.incubator.vector} is in the boot layer; this class refers to
 * no Vector API type, so loading it, probing and reporting "unavailable" work on a JVM started without
 * {@code --add-modules jdk.incubator.vector}. {@link #create} instantiates {@link VectorBackend}, the first class
 * that touches the Vector API, only after the probe passed.
 */
public final class VectorBackendProvider implements BackendProvider {
    /** The name under which this backend is selected. */
    public static final String NAME = "vector";
    /** The module this backend needs. */
    static final String MODULE = "jdk.incubator.vector";

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
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            return Probe.unavailable(MODULE + " is not in the boot layer; start the JVM with --add-modules " + MODULE);
        }
        // the module is present, so VectorBackend (and through it the Vector API) may be loaded from here on
        return Probe.available("JDK Vector API (" + MODULE + ", incubating), " + VectorBackend.describeSpecies());
    }

    @Override
    public Backend create(BackendOptions options) {
        Probe p = probe();
        if (!p.available()) {
            throw new IllegalStateException("vector backend unavailable: " + p.reason());
        }
        return new VectorBackend(options.threads());
    }
}
