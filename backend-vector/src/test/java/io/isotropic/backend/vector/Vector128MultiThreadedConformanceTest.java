package io.isotropic.backend.vector;

import io.isotropic.conformance.BackendConformance;
import io.isotropic.spi.Backend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The conformance suite with 128-bit species, two threads and parallel thresholds of 1. */
@EnabledIfSystemProperty(named = Lanes.TEST_BITS_PROPERTY, matches = "128")
class Vector128MultiThreadedConformanceTest implements BackendConformance {
    private static final Backend BACKEND = new VectorBackend(2, 1, 1);

    @Override
    public Backend backend() {
        return BACKEND;
    }

    @Test
    void speciesAre128Bit() {
        assertEquals(2, VectorBackend.doubleLanes(), "128-bit switch: " + VectorBackend.describeSpecies());
    }
}
