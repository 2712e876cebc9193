package io.isotropic.cli;

import io.isotropic.train.Adam;
import io.isotropic.train.LearningRateSchedule;
import io.isotropic.train.Optimizer;
import io.isotropic.train.Sgd;
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

    Optimizer build(long totalSteps) {
        LearningRateSchedule s = switch (schedule.toLowerCase(Locale.ROOT)) {
            case "constant" -> LearningRateSchedule.constant(lr);
            case "cosine" -> LearningRateSchedule.cosine(lr, Math.max(1, totalSteps), minLr);
            default -> throw new IllegalArgumentException("--schedule: unknown '" + schedule + "'; use constant or cosine");
        };
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "adamw" -> new Adam(s, 0.9, 0.999, 1e-8, weightDecay, true);
            case "adam" -> new Adam(s, 0.9, 0.999, 1e-8, weightDecay, false);
            case "sgd" -> new Sgd(s, momentum, weightDecay, false);
            default -> throw new IllegalArgumentException("--optimizer: unknown '" + name + "'; use adamw, adam or sgd");
        };
    }
}
