package io.isotropic.backend.ojalgo;

import io.isotropic.spi.Backend;
import io.isotropic.spi.BackendOptions;
import io.isotropic.spi.BackendProvider;
import io.isotropic.spi.Probe;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Registers the {@code ojalgo} backend: ojAlgo's column-major matrix products and SVD (priority 20). */
public final class OjalgoBackendProvider implements BackendProvider {
    /** The name under which this backend is selected. */
    public static final String NAME = "ojalgo";

    /** Creates the provider; loads no ojAlgo class (they are looked up, uninitialised, only by {@link #probe()}). */
    public OjalgoBackendProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 20;
    }

    /**
     * Checks that ojAlgo's stores and SVD are on the class path without initialising any ojAlgo class (ojAlgo's
     * static initialiser probes the hardware), and reports its version from the jar manifest or, in a shaded jar,
     * from its Maven metadata.
     *
     * @return available with the ojAlgo version, or unavailable with the missing class
     */
    @Override
    public Probe probe() {
        ClassLoader cl = OjalgoBackendProvider.class.getClassLoader();
        try {
            Class<?> utils = Class.forName("org.ojalgo.OjAlgoUtils", false, cl);
            Class.forName("org.ojalgo.matrix.store.R064Store", false, cl);
            Class.forName("org.ojalgo.matrix.store.R032Store", false, cl);
            Class.forName("org.ojalgo.matrix.decomposition.SingularValue", false, cl);
            Class.forName("org.ojalgo.matrix.operation.MultiplyNeither", false, cl);
            return Probe.available("ojAlgo " + version(utils, cl) + " on the class path");
        } catch (ClassNotFoundException | LinkageError e) {
            return Probe.unavailable("ojAlgo (org.ojalgo:ojalgo) is not on the class path: " + e);
        }
    }

    private static String version(Class<?> utils, ClassLoader cl) {
        String v = utils.getPackage() == null ? null : utils.getPackage().getImplementationVersion();
        if (v != null && !v.isBlank()) {
            return v;
        }
        try (InputStream in = cl.getResourceAsStream("META-INF/maven/org.ojalgo/ojalgo/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String pv = p.getProperty("version");
                if (pv != null && !pv.isBlank()) {
                    return pv;
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            return "(version unreadable: " + e.getMessage() + ")";
        }
        return "(unknown version)";
    }

    /**
     * Creates an ojAlgo backend limited to {@code options.threads()} threads per kernel call.
     *
     * @param options thread count
     * @return a new backend
     * @throws IllegalStateException if ojAlgo is not on the class path
     * @throws NullPointerException if options is null
     */
    @Override
    public Backend create(BackendOptions options) {
        java.util.Objects.requireNonNull(options, "ojalgo: options is null");
        Probe p = probe();
        if (!p.available()) {
            throw new IllegalStateException("ojalgo backend unavailable: " + p.reason());
        }
        return new OjalgoBackend(options.threads());
    }
}
