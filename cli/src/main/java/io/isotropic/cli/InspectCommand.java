package io.isotropic.cli;

import io.isotropic.adapt.Metrics;
import io.isotropic.persist.ModelFile;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.nn.Parameter;
import io.isotropic.spi.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.concurrent.Callable;

/** Prints the structure of a saved model: widths, modes, parameter and non-zero counts, singular spectra. */
@Command(name = "inspect", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Widths, modes, parameter and non-zero counts, intrinsic lengths and singular spectra of a model.")
final class InspectCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;
    @Mixin
    ModelOptions model;
    @Mixin
    CommonOptions common;

    @Option(names = "--tau", defaultValue = "0.1", paramLabel = "TAU",
            description = "Threshold for counting scaffold singular values (default ${DEFAULT-VALUE}).")
    double tau;

    @Option(names = "--spectra", description = "Print every singular value, not just a summary.")
    boolean full;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        if (!(tau >= 0) || Double.isInfinite(tau)) {
            throw new IllegalArgumentException("--tau must be a finite number >= 0, got " + tau);
        }
        try (Backend backend = common.createBackend()) {
            ModelFile.Loaded m = model.load(backend);
            IsotropicMlp net = m.net();
            Usage.rejectDtype(spec, net.dtype());
            Activity.now("computing the singular spectra of the model");
            w.printf("model %s%n", model.file());
            w.printf("  widths %s, %s, intrinsic length %s, psi %s (lambda %s), %s%n", Arrays.toString(net.widths()),
                    net.activation(), net.intrinsicLengthMode(), net.linearCorrectionMode(), net.psiDecay(), net.dtype());
            w.printf("  parameters %d, non-zero %d (|theta| > 0), %d (|theta| > 1e-4)%n", net.parameterCount(),
                    Metrics.nonZeroCount(net, 0), Metrics.nonZeroCount(net, 1e-4));
            if (m.metadata().containsKey("epochs_completed")) {
                w.printf("  epochs completed %s%n", m.metadata().get("epochs_completed"));
            }
            for (Parameter p : net.parameters()) {
                w.printf("  %-36s %-12s max |x| %.4g%n", p.name(), Arrays.toString(p.value().shape().toArray()),
                        p.value().maxAbs());
            }
            for (int l = 0; l < net.depth() - 1; l++) {
                w.printf("  activation %d: o = %.6g%n", l, net.intrinsicLength(l));
            }
            double[][] spectra = Metrics.spectra(net);
            for (int l = 0; l < spectra.length; l++) {
                double[] s = spectra[l];
                long small = Arrays.stream(s).filter(v -> v <= tau).count();
                w.printf("  W_%d %dx%d: sigma max %.4g, median %.4g, min %.4g; %d <= tau = %s%n", l, net.widths()[l + 1],
                        net.widths()[l], s[0], s[s.length / 2], s[s.length - 1], small, tau);
                if (full) {
                    w.printf("    %s%n", Arrays.toString(s));
                }
            }
            w.flush();
        }
        return 0;
    }
}
