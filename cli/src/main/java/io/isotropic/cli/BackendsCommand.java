package io.isotropic.cli;

import io.isotropic.BackendInfo;
import io.isotropic.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** Lists every discovered backend with its availability and reason, and the one the selection rules pick. */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = "List compute backends, whether each can run here and why, and which one is selected.")
final class BackendsCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-8s %8s  %-11s %s%n", "backend", "priority", "available", "reason");
        for (BackendInfo b : Backends.describe()) {
            out.printf("%-8s %8d  %-11s %s%n", b.name(), b.priority(), b.available() ? "yes" : "no", b.reason());
        }
        try {
            out.println();
            out.println("selected: " + Backends.selectedName()
                    + " (explicit name, else -D" + Backends.PROPERTY + ", else $" + Backends.ENVIRONMENT
                    + ", else the highest-priority available backend)");
            return 0;
        } catch (IllegalArgumentException | IllegalStateException e) {
            out.flush();
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return 2;
        }
    }
}
