package io.isotropic.conformance;

import io.isotropic.spi.Backend;

/**
 * What every contract needs: the backend under test. A backend module implements {@link BackendConformance} in
 * one small test class and returns its backend here (the same instance for every call is fine).
 */
public interface BackendFixture {
    /**
     * The backend under test.
     *
     * @return the backend
     */
    Backend backend();

    /**
     * The provider name under which {@link java.util.ServiceLoader} must find this backend.
     *
     * @return the name; defaults to {@code backend().name()}
     */
    default String providerName() {
        return backend().name();
    }
}
