package io.isotropic.conformance;

import io.isotropic.spi.Backend;
import io.isotropic.spi.BackendOptions;
import io.isotropic.spi.BackendProvider;
import io.isotropic.spi.Probe;

/** Test-only provider of {@link ReferenceBackend}, registered in this module's test resources. */
public class ReferenceBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return ReferenceBackend.NAME;
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Probe probe() {
        return Probe.available("scalar reference backend of the conformance module's own tests");
    }

    @Override
    public Backend create(BackendOptions options) {
        return new ReferenceBackend();
    }
}
