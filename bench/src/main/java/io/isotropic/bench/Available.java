package io.isotropic.bench;

import io.isotropic.BackendInfo;
import io.isotropic.Backends;

/**
 * Prints the backends available in this JVM for the run script: {@code Available} prints the comma-separated
 * names on one line (what {@code -p backend=} takes); {@code Available --describe} prints every discovered backend
 * with its availability and reason.
 */
public final class Available {
    private Available() {
    }

    /**
     * Entry point.
     *
     * @param args none, or {@code --describe}
     * @throws IllegalArgumentException if another argument is given
     */
    public static void main(String[] args) {
        if (args.length == 0) {
            System.out.println(BenchSupport.available());
        } else if (args.length == 1 && args[0].equals("--describe")) {
            for (BackendInfo i : Backends.describe()) {
                System.out.println(i.name() + "\t" + (i.available() ? "available" : "unavailable") + "\t" + i.reason());
            }
        } else {
            throw new IllegalArgumentException("Available: unknown arguments " + String.join(" ", args)
                    + "; usage: Available [--describe]");
        }
    }
}
