package io.isotropic.conformance;

import io.isotropic.BackendInfo;
import io.isotropic.Backends;
import io.isotropic.spi.Backend;
import io.isotropic.spi.BackendOptions;
import io.isotropic.spi.BackendProvider;
import org.junit.jupiter.api.Test;

import java.util.ServiceLoader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Contracts D01-D03: the backend's provider is discovered by {@link ServiceLoader} under its name and selectable. */
public interface DiscoveryContract extends BackendFixture {

    /** D01: {@code ServiceLoader} finds exactly one provider with the expected name, and its probe passes. */
    @Test
    default void d01_providerFoundByServiceLoader() {
        long count = ServiceLoader.load(BackendProvider.class).stream()
                .filter(p -> providerName().equals(p.get().name())).count();
        assertEquals(1, count, "D01: providers named '" + providerName() + "' found by ServiceLoader");
        BackendProvider p = Backends.provider(providerName());
        assertTrue(p.probe().available(), "D01: probe of '" + providerName() + "' fails: " + p.probe().reason());
        assertEquals(providerName(), backend().name(), "D01: backend name");
    }

    /** D02: {@code Backends} selects and creates this backend by name; the shared instance is reused. */
    @Test
    default void d02_selectableByName() {
        Backend shared = Backends.get(providerName());
        assertEquals(backend().getClass(), shared.getClass(), "D02: class of Backends.get(name)");
        assertSame(shared, Backends.get(providerName().toUpperCase(java.util.Locale.ROOT)),
                "D02: names are case-insensitive and the shared instance is reused");
        try (Backend own = Backends.create(providerName(), BackendOptions.withThreads(1))) {
            assertEquals(1, own.threads(), "D02: thread option honoured");
            assertEquals(providerName(), own.name());
        }
    }

    /** D03: {@code Backends.describe()} lists this backend as available with a non-empty reason. */
    @Test
    default void d03_describedAsAvailable() {
        BackendInfo info = Backends.describe().stream().filter(i -> i.name().equals(providerName())).findFirst()
                .orElseThrow(() -> new AssertionError("D03: " + providerName() + " missing from " + Backends.describe()));
        assertTrue(info.available(), "D03: " + info);
        assertTrue(!info.reason().isBlank(), "D03: empty reason in " + info);
    }
}
