package io.isotropic;

import io.isotropic.spi.Backend;
import io.isotropic.spi.BackendOptions;
import io.isotropic.spi.BackendProvider;
import io.isotropic.spi.Probe;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Discovers compute backends with {@link ServiceLoader} and selects one.
 *
 * <p>Selection order: an explicit name; else the system property {@value #PROPERTY}; else the environment
 * variable {@value #ENVIRONMENT}; else the available provider with the highest priority. A name that matches no
 * provider raises {@link UnknownBackendException} listing every known name with its availability; a named but
 * unavailable backend raises {@link BackendUnavailableException} with the probe's reason (never a silent
 * fallback).
 */
public final class Backends {
    /** System property naming the backend to use. */
    public static final String PROPERTY = "isotropic.backend";
    /** Environment variable naming the backend to use when the property is not set. */
    public static final String ENVIRONMENT = "ISOTROPIC_BACKEND";

    private static volatile List<Entry> entries;
    private static final Map<String, Backend> SHARED = new ConcurrentHashMap<>();

    record Entry(String name, BackendProvider provider, Probe probe, String providerClass) {
    }

    private Backends() {
    }

    /**
     * Every discovered provider, sorted by descending priority then name, with its probe result.
     *
     * @return one entry per provider (providers that failed to load appear as unavailable with the error)
     */
    public static List<BackendInfo> describe() {
        List<BackendInfo> out = new ArrayList<>();
        for (Entry e : entries()) {
            out.add(new BackendInfo(e.name, e.provider == null ? Integer.MIN_VALUE : e.provider.priority(),
                    e.probe.available(), e.probe.reason(), e.providerClass));
        }
        return List.copyOf(out);
    }

    /**
     * Names of every discovered provider.
     *
     * @return the names in {@link #describe()} order
     */
    public static List<String> names() {
        return entries().stream().map(Entry::name).toList();
    }

    /**
     * Resolves which backend name the selection rules pick, without creating it.
     *
     * @return the chosen name
     * @throws UnknownBackendException if the property or environment names an unknown backend
     * @throws BackendUnavailableException if the named backend is unavailable, or none is available
     */
    public static String selectedName() {
        return resolve(null, System.getProperty(PROPERTY), System.getenv(ENVIRONMENT)).name;
    }

    /**
     * The shared instance of the backend chosen by the selection rules (created on first use, owned by this class).
     *
     * @return the backend
     * @throws UnknownBackendException if the property or environment names an unknown backend
     * @throws BackendUnavailableException if the named backend is unavailable, or none is available
     */
    public static Backend get() {
        return get(null);
    }

    /**
     * The shared instance of a backend by name, or of the default choice if name is null or blank.
     *
     * @param name the backend name (case-insensitive), or null
     * @return the backend (do not close it; it is shared)
     * @throws UnknownBackendException if no provider has that name
     * @throws BackendUnavailableException if that backend cannot run here
     */
    public static Backend get(String name) {
        Entry e = resolve(name, System.getProperty(PROPERTY), System.getenv(ENVIRONMENT));
        return SHARED.computeIfAbsent(e.name, n -> e.provider.create(BackendOptions.defaults()));
    }

    /**
     * A new backend instance owned by the caller, who must close it.
     *
     * @param name the backend name (case-insensitive), or null for the default choice
     * @param options thread count and other settings
     * @return a new backend
     * @throws UnknownBackendException if no provider has that name
     * @throws BackendUnavailableException if that backend cannot run here
     * @throws NullPointerException if options is null
     */
    public static Backend create(String name, BackendOptions options) {
        java.util.Objects.requireNonNull(options, "Backends.create: options is null");
        return resolve(name, System.getProperty(PROPERTY), System.getenv(ENVIRONMENT)).provider.create(options);
    }

    /**
     * The provider registered under a name.
     *
     * @param name the name (case-insensitive)
     * @return the provider
     * @throws UnknownBackendException if no provider has that name
     */
    public static BackendProvider provider(String name) {
        return byName(name, "requested name").provider;
    }

    /** Forgets discovered providers so the next call scans the class path again (shared instances are kept). */
    public static synchronized void rescan() {
        entries = null;
    }

    // ---------------------------------------------------------------- internals

    static Entry resolve(String explicit, String property, String environment) {
        String name;
        String source;
        if (explicit != null && !explicit.isBlank()) {
            name = explicit;
            source = "requested name";
        } else if (property != null && !property.isBlank()) {
            name = property;
            source = "system property " + PROPERTY;
        } else if (environment != null && !environment.isBlank()) {
            name = environment;
            source = "environment variable " + ENVIRONMENT;
        } else {
            return entries().stream().filter(e -> e.probe.available()).findFirst()
                    .orElseThrow(() -> new BackendUnavailableException(
                            "Backends: no available backend; discovered: " + summary()));
        }
        Entry e = byName(name, source);
        if (!e.probe.available()) {
            throw new BackendUnavailableException("Backends: backend '" + e.name + "' (from " + source
                    + ") is unavailable: " + e.probe.reason() + "; discovered: " + summary());
        }
        return e;
    }

    private static Entry byName(String name, String source) {
        if (name == null) {
            throw new UnknownBackendException("Backends: backend name is null; valid names: " + summary());
        }
        String key = name.trim().toLowerCase(Locale.ROOT);
        for (Entry e : entries()) {
            if (e.name.equals(key)) {
                return e;
            }
        }
        throw new UnknownBackendException("Backends: unknown backend '" + name + "' (from " + source
                + "); valid names: " + summary());
    }

    private static String summary() {
        List<Entry> es = entries();
        if (es.isEmpty()) {
            return "none (no BackendProvider on the class path; add a backend module such as isotropic-backend-ejml)";
        }
        StringBuilder sb = new StringBuilder();
        for (Entry e : es) {
            sb.append(sb.isEmpty() ? "" : ", ").append(e.name)
                    .append(e.probe.available() ? " (available)" : " (unavailable: " + e.probe.reason() + ")");
        }
        return sb.toString();
    }

    private static List<Entry> entries() {
        List<Entry> es = entries;
        if (es == null) {
            synchronized (Backends.class) {
                es = entries;
                if (es == null) {
                    es = discover(Backends::safeProbe);
                    entries = es;
                }
            }
        }
        return es;
    }

    private static Probe safeProbe(BackendProvider p) {
        try {
            Probe probe = p.probe();
            return probe != null ? probe : Probe.unavailable("probe returned null");
        } catch (RuntimeException | LinkageError e) {
            return Probe.unavailable("probe failed: " + e);
        }
    }

    private static List<Entry> discover(Function<BackendProvider, Probe> prober) {
        Map<String, Entry> byName = new LinkedHashMap<>();
        List<Entry> broken = new ArrayList<>();
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        if (cl == null) {
            cl = Backends.class.getClassLoader();
        }
        Iterator<BackendProvider> it = ServiceLoader.load(BackendProvider.class, cl).iterator();
        while (true) {
            BackendProvider p;
            try {
                if (!it.hasNext()) {
                    break;
                }
                p = it.next();
            } catch (ServiceConfigurationError err) {
                broken.add(new Entry("<broken-" + broken.size() + ">", null,
                        Probe.unavailable("failed to load: " + err.getMessage()), "?"));
                continue;
            }
            String n = p.name() == null ? "" : p.name().trim().toLowerCase(Locale.ROOT);
            Entry e = new Entry(n, p, prober.apply(p), p.getClass().getName());
            Entry previous = byName.putIfAbsent(n, e);
            if (previous != null && !previous.providerClass.equals(e.providerClass)) {
                throw new IllegalStateException("Backends: two providers claim the name '" + n + "': "
                        + previous.providerClass + " and " + e.providerClass);
            }
        }
        List<Entry> out = new ArrayList<>(byName.values());
        out.sort(Comparator.comparingInt((Entry e) -> -e.provider.priority()).thenComparing(Entry::name));
        out.addAll(broken);
        return List.copyOf(out);
    }
}
