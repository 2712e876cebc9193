package io.isotropic.backend.ejml;

import io.isotropic.Backends;
import io.isotropic.conformance.BackendConformance;
import io.isotropic.spi.Backend;
import io.isotropic.spi.BackendOptions;

/** Runs the conformance suite against the EJML backend with two threads, so EJML's concurrent paths are covered. */
class EjmlMultiThreadedConformanceTest implements BackendConformance {
    private static final Backend BACKEND = Backends.create("ejml", BackendOptions.withThreads(2));

    @Override
    public Backend backend() {
        return BACKEND;
    }
}
