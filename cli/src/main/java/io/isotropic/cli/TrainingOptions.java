package io.isotropic.cli;

import io.isotropic.adapt.Controller;
import io.isotropic.adapt.Growth;
import io.isotropic.adapt.WidthSchedule;
import io.isotropic.train.TrainingListener;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** Training-loop and neuroadaptation options of {@code train}. */
final class TrainingOptions {
    @Option(names = "--epochs", defaultValue = "20", paramLabel = "E", description = "Total epochs (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "48", paramLabel = "B", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "SEED", description = "Shuffling seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--adapt", paramLabel = "K",
            description = "Live neuroadaptation: keep K scaffold neurons (singular value <= --tau) in every hidden layer.")
    Integer scaffolds;

    @Option(names = "--tau", defaultValue = "0.1", paramLabel = "TAU",
            description = "Scaffold threshold of --adapt (default ${DEFAULT-VALUE}).")
    double tau;

    @Option(names = "--adapt-every", defaultValue = "0", paramLabel = "STEPS",
            description = "Run the controller every STEPS optimiser steps instead of after every epoch.")
    int adaptEvery;

    @Option(names = "--width-schedule", paramLabel = "START:TARGET[:WARM:ADAPT]",
            description = "Drive every hidden layer from START to TARGET neurons (method.md 7.1; default WARM 15, "
                    + "ADAPT 75 epochs).")
    String widthSchedule;

    @Option(names = "--grow-unrotated", description = "Neurogenesis without the basis rotation (no SVD).")
    boolean growUnrotated;

    @Option(names = "--outgoing-std", defaultValue = "0.01", paramLabel = "STD",
            description = "Std of new neurons' outgoing weights (0 = zero column; default ${DEFAULT-VALUE}).")
    double outgoingStd;

    @Option(names = "--spectra-every", defaultValue = "1", paramLabel = "E",
            description = "Record singular spectra every E epochs (0 = never; default ${DEFAULT-VALUE}).")
    int spectraEvery;

    void validate() {
        if (epochs < 1 || batchSize < 1) {
            throw new IllegalArgumentException("--epochs and --batch-size must be >= 1, got " + epochs + ", " + batchSize);
        }
        if (scaffolds != null && widthSchedule != null) {
            throw new IllegalArgumentException("--adapt and --width-schedule cannot be combined; choose one");
        }
        if (spectraEvery < 0 || adaptEvery < 0) {
            throw new IllegalArgumentException("--spectra-every and --adapt-every must be >= 0");
        }
        listeners(); // validates the adaptation settings
    }

    Growth growth() {
        return new Growth(!growUnrotated, outgoingStd, seed ^ 0x6A09E667F3BCC909L);
    }

    int[] schedule() {
        String[] p = widthSchedule.split(":");
        if (p.length != 2 && p.length != 4) {
            throw new IllegalArgumentException("--width-schedule: expected START:TARGET or START:TARGET:WARM:ADAPT, got '"
                    + widthSchedule + "'");
        }
        try {
            int[] v = new int[p.length];
            for (int i = 0; i < p.length; i++) {
                v[i] = Integer.parseInt(p[i].trim());
            }
            return p.length == 2 ? new int[] {v[0], v[1], 15, 75} : v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--width-schedule: '" + widthSchedule + "' is not four integers");
        }
    }

    /** The neuroadaptation listeners these options ask for. */
    List<TrainingListener> listeners() {
        List<TrainingListener> out = new ArrayList<>();
        if (scaffolds != null) {
            out.add(new Controller(scaffolds, tau, growth(), adaptEvery));
        }
        if (widthSchedule != null) {
            int[] s = schedule();
            out.add(new WidthSchedule(s[0], s[1], s[2], s[3], growth()));
        }
        return out;
    }
}
