package io.isotropic.cli;

import io.isotropic.persist.OptimizerSpec;
import picocli.CommandLine.Option;

import java.util.Locale;

/** Optimiser options. */
final class OptimizerOptions {
    @Option(names = "--optimizer", defaultValue = "adamw", paramLabel = "NAME",
            description = "adamw (default), adam or sgd.")
    String name;

    @Option(names = "--lr", defaultValue = "1e-3", paramLabel = "LR", description = "Learning rate (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--weight-decay", defaultValue = "1e-3", paramLabel = "WD",
            description = "Weight decay: decoupled for adamw, L2 for adam and sgd (default ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--momentum", defaultValue = "0.9", paramLabel = "M", description = "SGD momentum (default ${DEFAULT-VALUE}).")
    double momentum;

    @Option(names = "--schedule", defaultValue = "constant", paramLabel = "S",
            description = "constant (default) or cosine (annealed to --min-lr over the run).")
    String schedule;

    @Option(names = "--min-lr", defaultValue = "0", paramLabel = "LR", description = "Final rate of the cosine schedule.")
    double minLr;

    OptimizerSpec spec(long totalSteps) {
        OptimizerSpec spec = new OptimizerSpec(name.toLowerCase(Locale.ROOT), lr, weightDecay, momentum,
                schedule.toLowerCase(Locale.ROOT), totalSteps, minLr);
        spec.build(); // validates names and ranges now
        return spec;
    }
}
