package io.isotropic.cli.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;

/** Finds {@link SweepExecutor}s by name: {@code local} built in, others through {@link SweepExecutorProvider}. */
public final class SweepExecutors {
    /** The built-in executor's name. */
    public static final String LOCAL = "local";

    private SweepExecutors() {
    }

    /**
     * The names of every executor available here.
     *
     * @return {@code local} first, then the providers found on the class path
     */
    public static List<String> names() {
        List<String> out = new ArrayList<>(List.of(LOCAL));
        for (SweepExecutorProvider p : ServiceLoader.load(SweepExecutorProvider.class)) {
            out.add(p.name());
        }
        return out;
    }

    /**
     * Creates an executor by name.
     *
     * @param name {@code local}, or the name of a provider on the class path (the spark module's is {@code spark})
     * @param settings its settings
     * @return the executor; the caller closes it
     * @throws IllegalArgumentException naming the executor and the available ones if the name is unknown, or
     *         naming the setting if the executor refuses a setting
     */
    public static SweepExecutor create(String name, ExecutorSettings settings) {
        String key = name == null ? LOCAL : name.toLowerCase(Locale.ROOT);
        if (key.equals(LOCAL)) {
            return new LocalPoolExecutor(settings);
        }
        for (SweepExecutorProvider p : ServiceLoader.load(SweepExecutorProvider.class)) {
            if (p.name().equalsIgnoreCase(key)) {
                return p.create(settings);
            }
        }
        throw new IllegalArgumentException("sweep --executor " + name + ": unknown executor; available here: "
                + String.join(", ", names()) + (key.equals("spark") ? " (the spark executor is in the spark module: "
                + "build it with 'bin/mvn25 -pl spark -am package' and run 'bin/isotropic-spark sweep ...')" : ""));
    }
}
