package io.isotropic.backend.vector;

import io.isotropic.Backends;
import io.isotropic.conformance.BackendConformance;
import io.isotropic.spi.Backend;
import io.isotropic.spi.BackendOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs the whole conformance suite on one thread with 128-bit species (2 doubles, 4 floats per vector), in the
 * {@code vector-128-bit} surefire execution that sets {@code -Disotropic.vector.testBits=128}.
 */
@EnabledIfSystemProperty(named = Lanes.TEST_BITS_PROPERTY, matches = "128")
class Vector128ConformanceTest implements BackendConformance {
    private static final Backend BACKEND = Backends.create("vector", BackendOptions.withThreads(1));

    @Override
    public Backend backend() {
        return BACKEND;
    }

    @Test
    void speciesAre128Bit() {
        assertEquals(2, VectorBackend.doubleLanes(), "128-bit switch: " + VectorBackend.describeSpecies());
        assertEquals(128, Lanes.F32.vectorBitSize(), "128-bit switch: " + VectorBackend.describeSpecies());
    }
}
