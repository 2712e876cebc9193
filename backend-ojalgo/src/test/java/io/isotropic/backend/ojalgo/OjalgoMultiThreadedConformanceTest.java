package io.isotropic.backend.ojalgo;

import io.isotropic.Backends;
import io.isotropic.conformance.BackendConformance;
import io.isotropic.spi.Backend;
import io.isotropic.spi.BackendOptions;

/** Runs the conformance suite against the ojAlgo backend with two threads, so ojAlgo's divided products are covered. */
class OjalgoMultiThreadedConformanceTest implements BackendConformance {
    private static final Backend BACKEND = Backends.create("ojalgo", BackendOptions.withThreads(2));

    @Override
    public Backend backend() {
        return BACKEND;
    }
}
