package io.isotropic.cli;

import io.isotropic.adapt.Controller;
import io.isotropic.adapt.Growth;
import io.isotropic.adapt.Metrics;
import io.isotropic.adapt.NeurodegenerationReport;
import io.isotropic.adapt.Restructure;
import io.isotropic.adapt.Sparsify;
import io.isotropic.persist.ModelFile;
import io.isotropic.data.Dataset;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.Tensor;
import io.isotropic.train.Evaluation;
import io.isotropic.train.Loss;
import io.isotropic.train.Optimizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** Loads a model, applies one restructuring, saves the result and reports how much the function changed. */
@Command(name = "restructure", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Apply diagonalise, full-diagonalise, neurogenesis, neurodegeneration, adapt or sparsify to a saved model (and its "
                + "optimiser state), save the result, and print the invariance report (epsilon_scaled, D_KL, max output "
                + "change) measured on the test part of a data set.")
final class RestructureCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;
    @Parameters(index = "0", paramLabel = "OPERATION",
            description = "diagonalise | full-diagonalise | neurogenesis | neurodegeneration | adapt | sparsify")
    String operation;
    @Mixin
    ModelOptions model;
    @Mixin
    CommonOptions common;
    @Mixin
    DataOptions data;

    @Option(names = "--optimizer", paramLabel = "FILE", description = "Optimiser state to transform along "
            + "(default: optimizer.safetensors next to the model, if present).")
    Path optimizerFile;

    @Option(names = "--layer", defaultValue = "0", paramLabel = "L", description = "Affine map l (hidden space l+1).")
    int layer;

    @Option(names = "--count", defaultValue = "1", paramLabel = "K", description = "Neurons to add or remove.")
    int count;

    @Option(names = "--scaffolds", defaultValue = "2", paramLabel = "K", description = "K of 'adapt'.")
    int scaffolds;

    @Option(names = "--tau", defaultValue = "0.1", paramLabel = "TAU", description = "tau of 'adapt'.")
    double tau;

    @Option(names = "--unrotated", description = "neurogenesis without the basis rotation.")
    boolean unrotated;

    @Option(names = "--outgoing-std", defaultValue = "0.01", paramLabel = "STD", description = "Outgoing std of neurogenesis.")
    double outgoingStd;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "SEED", description = "Seed of new outgoing weights.")
    long seed;

    @Option(names = "--sample", defaultValue = "2000", paramLabel = "N", description = "Test samples for the report.")
    int sample;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the restructured files.")
    Path out;

    @Option(names = "--force", description = "Overwrite files in --out.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        String op = operation.toLowerCase(Locale.ROOT);
        if (!java.util.List.of("diagonalise", "full-diagonalise", "neurogenesis", "neurodegeneration", "adapt", "sparsify").contains(op)) {
            throw new IllegalArgumentException("unknown operation '" + operation
                    + "'; use diagonalise, full-diagonalise, neurogenesis, neurodegeneration, adapt or sparsify");
        }
        if (sample < 1) {
            throw new IllegalArgumentException("--sample must be >= 1, got " + sample);
        }
        Path modelOut = out.resolve("model.safetensors");
        Path optOut = out.resolve("optimizer.safetensors");
        Path optIn = optimizerFile != null ? optimizerFile : model.file().resolveSibling("optimizer.safetensors");
        boolean withOpt = optimizerFile != null || Files.exists(optIn);
        if (!force && (Files.exists(modelOut) || (withOpt && Files.exists(optOut)))) {
            throw new IllegalArgumentException("--out " + out + " already holds model or optimiser files; choose another "
                    + "directory or pass --force");
        }
        if (out.toAbsolutePath().normalize().equals(model.file().toAbsolutePath().getParent().normalize())) {
            throw new IllegalArgumentException("--out must differ from the model's directory (nothing is overwritten)");
        }
        try (Backend backend = common.createBackend()) {
            ModelFile.Loaded m = model.load(backend);
            IsotropicMlp net = m.net();
            ModelFile.LoadedOptimizer lo = withOpt ? ModelFile.loadOptimizer(optIn, net) : null;
            Optimizer opt = lo == null ? null : lo.optimizer();
            DataOptions.Loaded d = data.load(net.dtype(), m.standardiser());
            Dataset test = d.test().head(sample);
            Tensor before = net.copy().predict(test.features());
            Evaluation evBefore = Evaluation.of(net.copy(), test, 1000, Loss.CROSS_ENTROPY);
            long paramsBefore = net.parameterCount();
            long nonZeroBefore = Metrics.nonZeroCount(net, 0);
            int[] widthsBefore = net.widths();
            Growth growth = new Growth(!unrotated, outgoingStd, seed);
            switch (op) {
                case "diagonalise" -> Restructure.leftDiagonalise(net, layer, opt);
                case "full-diagonalise" -> Restructure.fullDiagonalise(net, layer, opt);
                case "neurogenesis" -> Restructure.neurogenesis(net, layer, count, growth, opt);
                case "neurodegeneration" -> {
                    NeurodegenerationReport r = Restructure.neurodegeneration(net, layer, count, opt, test.features());
                    w.printf("removed %d neuron(s) of hidden layer %d: singular values %s, biases %s%n", r.removed(),
                            layer + 1, fmt(r.singularValues()), fmt(r.biases()));
                    w.printf("bound on |delta z_%d| over the sample %.4g, measured %.4g%n", layer + 1, r.zChangeBound(),
                            r.zChange());
                }
                case "adapt" -> {
                    for (Controller.Change c : new Controller(scaffolds, tau, growth).adapt(net, opt)) {
                        w.printf("layer %d: %d scaffolds, width %d -> %d%n", c.layer(), c.scaffoldsBefore(), c.before(),
                                c.after());
                    }
                }
                default -> w.printf("diagonalised layers %s%n", Sparsify.alternating(net, opt));
            }
            Tensor after = net.predict(test.features());
            Evaluation evAfter = Evaluation.of(net, test, 1000, Loss.CROSS_ENTROPY);
            Map<String, String> meta = new java.util.LinkedHashMap<>();
            if (m.metadata().containsKey("epochs_completed")) {
                meta.put("epochs_completed", m.metadata().get("epochs_completed"));
            }
            meta.put("restructured", op);
            Files.createDirectories(out);
            ModelFile.save(modelOut, net, m.standardiser(), meta);
            if (opt != null) {
                ModelFile.saveOptimizer(optOut, opt, lo.spec(), meta);
            }
            w.printf("%s: widths %s -> %s, parameters %d -> %d, non-zero %d -> %d%n", op, Arrays.toString(widthsBefore),
                    Arrays.toString(net.widths()), paramsBefore, net.parameterCount(), nonZeroBefore,
                    Metrics.nonZeroCount(net, 0));
            w.printf("invariance on %d test samples: epsilon_scaled %.3g %%, D_KL %.3g nats, max |delta logits| %.3g, "
                            + "accuracy %.2f%% -> %.2f%%%n", test.size(), Metrics.epsilonScaled(before, after),
                    Metrics.klDivergence(before, after), Metrics.maxRowChange(before, after), 100 * evBefore.accuracy(),
                    100 * evAfter.accuracy());
            w.printf("wrote %s%s%n", modelOut, opt != null ? " and " + optOut : "");
            w.flush();
        }
        return 0;
    }

    private static String fmt(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3g", v[i]));
        }
        return sb.append(']').toString();
    }
}
