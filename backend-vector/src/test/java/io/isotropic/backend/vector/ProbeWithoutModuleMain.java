package io.isotropic.backend.vector;

import io.isotropic.BackendInfo;
import io.isotropic.Backends;
import io.isotropic.spi.BackendOptions;

/**
 * Run by {@link VectorProviderTest} in a child JVM started without {@code --add-modules jdk.incubator.vector}:
 * prints what discovery reports for the vector backend and what creating it throws.
 */
public final class ProbeWithoutModuleMain {
    private ProbeWithoutModuleMain() {
    }

    /**
     * Prints {@code module=}, {@code info=} and {@code create=} lines.
     *
     * @param args ignored
     */
    public static void main(String[] args) {
        System.out.println("module=" + ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
        for (BackendInfo info : Backends.describe()) {
            if (info.name().equals("vector")) {
                System.out.println("info=" + info.available() + "|" + info.reason());
            }
        }
        try {
            Backends.create("vector", BackendOptions.withThreads(1)).close();
            System.out.println("create=succeeded");
        } catch (RuntimeException e) {
            System.out.println("create=" + e.getClass().getSimpleName() + "|" + e.getMessage());
        }
    }
}
