package io.isotropic.backend.vector;

import io.isotropic.conformance.BackendConformance;
import io.isotropic.spi.Backend;

/**
 * Runs the conformance suite with two threads and parallel thresholds of 1, so that every product with more than
 * one tile and every row-wise kernel with more than one row takes the multi-threaded path.
 */
class VectorMultiThreadedConformanceTest implements BackendConformance {
    private static final Backend BACKEND = new VectorBackend(2, 1, 1);

    @Override
    public Backend backend() {
        return BACKEND;
    }
}
