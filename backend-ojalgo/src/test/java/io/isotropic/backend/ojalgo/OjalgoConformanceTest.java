package io.isotropic.backend.ojalgo;

import io.isotropic.Backends;
import io.isotropic.conformance.BackendConformance;
import io.isotropic.spi.Backend;
import io.isotropic.spi.BackendOptions;

/** Runs the whole conformance suite against the ojAlgo backend on one thread (ojAlgo's sequential kernels). */
class OjalgoConformanceTest implements BackendConformance {
    private static final Backend BACKEND = Backends.create("ojalgo", BackendOptions.withThreads(1));

    @Override
    public Backend backend() {
        return BACKEND;
    }
}
