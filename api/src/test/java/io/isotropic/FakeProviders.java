package io.isotropic;

import io.isotropic.spi.Backend;
import io.isotropic.spi.BackendOptions;
import io.isotropic.spi.BackendProvider;
import io.isotropic.spi.Probe;

/** Test-only providers (registered in the api module's test resources) for exercising selection. */
final class FakeProviders {
    private FakeProviders() {
    }

    /** Available, priority 5. */
    public static final class Available implements BackendProvider {
        @Override
        public String name() {
            return "fake-available";
        }

        @Override
        public int priority() {
            return 5;
        }

        @Override
        public Probe probe() {
            return Probe.available("always");
        }

        @Override
        public Backend create(BackendOptions options) {
            return null;
        }
    }

    /** Unavailable, higher priority: must never be chosen by default. */
    public static final class Unavailable implements BackendProvider {
        @Override
        public String name() {
            return "Fake-Unavailable";
        }

        @Override
        public int priority() {
            return 50;
        }

        @Override
        public Probe probe() {
            return Probe.unavailable("needs a flux capacitor");
        }

        @Override
        public Backend create(BackendOptions options) {
            throw new IllegalStateException("unavailable");
        }
    }

    /** Probe throws: reported as unavailable with the error. */
    public static final class Throwing implements BackendProvider {
        @Override
        public String name() {
            return "fake-throwing";
        }

        @Override
        public int priority() {
            return 40;
        }

        @Override
        public Probe probe() {
            throw new UnsupportedOperationException("boom");
        }

        @Override
        public Backend create(BackendOptions options) {
            throw new IllegalStateException("unavailable");
        }
    }
}
