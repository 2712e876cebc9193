package io.isotropic.bench;

import io.isotropic.BackendInfo;
import io.isotropic.Backends;

/**
 * Lists the backends available in this JVM, for the run script: without arguments it prints the comma-separated
 * names on one line (what {@code -p backend=} takes); {@code --describe} prints every discovered backend
 * with its availability and reason.
 */
public final class ListBackends {
    private ListBackends() {
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
            throw new IllegalArgumentException("ListBackends: unknown arguments " + String.join(" ", args)
                    + "; usage: ListBackends [--describe]");
        }
    }
}
