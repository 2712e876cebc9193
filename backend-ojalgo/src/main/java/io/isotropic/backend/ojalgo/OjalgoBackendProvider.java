package io.isotropic.backend.ojalgo;

import io.isotropic.spi.Backend;
import io.isotropic.spi.BackendOptions;
import io.isotropic.spi.BackendProvider;
import io.isotropic.spi.Probe;

/**
 * Registers the {@code ojalgo} backend. Its kernels are not implemented yet, so the probe reports it unavailable
 * with that reason rather than pretending to be a backend.
 */
public final class OjalgoBackendProvider implements BackendProvider {
    /** The name under which this backend is selected. */
    public static final String NAME = "ojalgo";

    /** Creates the provider; loads no ojAlgo class. */
    public OjalgoBackendProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 20;
    }

    @Override
    public Probe probe() {
        return Probe.unavailable("not implemented yet: the ojAlgo kernels are tracked in their own issue");
    }

    @Override
    public Backend create(BackendOptions options) {
        throw new IllegalStateException("ojalgo backend unavailable: " + probe().reason());
    }
}
