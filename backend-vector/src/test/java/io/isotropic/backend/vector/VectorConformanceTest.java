package io.isotropic.backend.vector;

import io.isotropic.Backends;
import io.isotropic.conformance.BackendConformance;
import io.isotropic.spi.Backend;
import io.isotropic.spi.BackendOptions;

/** Runs the whole conformance suite against the vector backend on one thread, at the platform's preferred width. */
class VectorConformanceTest implements BackendConformance {
    private static final Backend BACKEND = Backends.create("vector", BackendOptions.withThreads(1));

    @Override
    public Backend backend() {
        return BACKEND;
    }
}
