package io.isotropic.backend.ejml;

import io.isotropic.spi.Backend;
import io.isotropic.spi.BackendOptions;
import io.isotropic.spi.BackendProvider;
import io.isotropic.spi.Probe;

/** Registers the {@code ejml} backend: EJML's dense row-major kernels and SVD (priority 10). */
public final class EjmlBackendProvider implements BackendProvider {
    /** The name under which this backend is selected. */
    public static final String NAME = "ejml";

    /** Creates the provider; does no work (EJML classes are loaded only by {@link #probe()} and {@link #create}). */
    public EjmlBackendProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public Probe probe() {
        ClassLoader cl = EjmlBackendProvider.class.getClassLoader();
        try {
            Class.forName("org.ejml.data.DMatrixRMaj", false, cl);
            Class.forName("org.ejml.data.FMatrixRMaj", false, cl);
            Class<?> version = Class.forName("org.ejml.EjmlVersion", false, cl);
            Object v = version.getField("VERSION").get(null);
            return Probe.available("EJML " + v + " on the class path");
        } catch (ReflectiveOperationException | LinkageError e) {
            return Probe.unavailable("EJML (org.ejml:ejml-ddense and ejml-fdense) is not on the class path: " + e);
        }
    }

    @Override
    public Backend create(BackendOptions options) {
        Probe p = probe();
        if (!p.available()) {
            throw new IllegalStateException("ejml backend unavailable: " + p.reason());
        }
        return new EjmlBackend(options.threads());
    }
}
