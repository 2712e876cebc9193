package io.isotropic;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackendsTest {

    @Test
    void describeListsEveryProviderByPriorityWithReasons() {
        List<BackendInfo> infos = Backends.describe();
        assertEquals(List.of("fake-unavailable", "fake-throwing", "fake-available"),
                infos.stream().map(BackendInfo::name).toList());
        BackendInfo unavailable = infos.get(0);
        assertFalse(unavailable.available());
        assertEquals("needs a flux capacitor", unavailable.reason());
        assertTrue(infos.get(1).reason().contains("boom"), infos.get(1).reason());
        assertTrue(infos.get(2).available());
    }

    @Test
    void defaultChoiceIsHighestPriorityAvailable() {
        assertEquals("fake-available", Backends.resolve(null, null, null).name());
        assertEquals("fake-available", Backends.resolve(" ", "", null).name());
    }

    @Test
    void explicitNameBeatsPropertyBeatsEnvironment() {
        UnknownBackendException e = assertThrows(UnknownBackendException.class,
                () -> Backends.resolve("nope", "fake-available", "fake-available"));
        assertTrue(e.getMessage().contains("'nope' (from requested name)"), e.getMessage());
        e = assertThrows(UnknownBackendException.class, () -> Backends.resolve(null, "nonsense", "fake-available"));
        assertTrue(e.getMessage().contains("system property isotropic.backend"), e.getMessage());
        e = assertThrows(UnknownBackendException.class, () -> Backends.resolve(null, null, "nonsense"));
        assertTrue(e.getMessage().contains("environment variable ISOTROPIC_BACKEND"), e.getMessage());
        assertEquals("fake-available", Backends.resolve(null, "FAKE-AVAILABLE", "nonsense").name());
    }

    @Test
    void unknownNameListsValidChoices() {
        UnknownBackendException e = assertThrows(UnknownBackendException.class, () -> Backends.provider("nonsense"));
        assertTrue(e.getMessage().contains("fake-available (available)"), e.getMessage());
        assertTrue(e.getMessage().contains("fake-unavailable (unavailable: needs a flux capacitor)"), e.getMessage());
    }

    @Test
    void namedUnavailableBackendFailsLoudlyWithReason() {
        BackendUnavailableException e = assertThrows(BackendUnavailableException.class,
                () -> Backends.resolve(null, "fake-unavailable", null));
        assertTrue(e.getMessage().contains("needs a flux capacitor"), e.getMessage());
    }
}
