package io.isotropic.conformance;

import io.isotropic.spi.Backend;

/** The unbroken reference backend passes the whole suite: the control group of {@link SuiteMetaTest}. */
class ReferenceConformanceTest implements BackendConformance {
    private static final Backend BACKEND = new ReferenceBackend();

    @Override
    public Backend backend() {
        return BACKEND;
    }
}
