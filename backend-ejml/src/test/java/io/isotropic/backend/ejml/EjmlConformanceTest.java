package io.isotropic.backend.ejml;

import io.isotropic.Backends;
import io.isotropic.conformance.BackendConformance;
import io.isotropic.spi.Backend;
import io.isotropic.spi.BackendOptions;

/** Runs the whole conformance suite against the EJML backend (single-threaded, as CI machines have 2 cores). */
class EjmlConformanceTest implements BackendConformance {
    private static final Backend BACKEND = Backends.create("ejml", BackendOptions.withThreads(1));

    @Override
    public Backend backend() {
        return BACKEND;
    }
}
