package io.isotropic.cli;

import io.isotropic.adapt.Controller;
import io.isotropic.adapt.Growth;
import io.isotropic.adapt.Metrics;
import io.isotropic.adapt.NeurodegenerationReport;
import io.isotropic.adapt.Restructure;
import io.isotropic.adapt.Sparsify;
import io.isotropic.persist.Checkpoint;
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

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "New directory for the restructured "
            + "model and optimiser, written as one set (model.safetensors, optimizer.safetensors, manifest.json).")
    Path out;

    @Option(names = "--force", description = "Replace a previous restructure output in --out.")
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
        if (!(tau >= 0) || Double.isInfinite(tau) || !(outgoingStd >= 0) || Double.isInfinite(outgoingStd)) {
            throw new IllegalArgumentException("--tau and --outgoing-std must be finite numbers >= 0, got " + tau + ", "
                    + outgoingStd);
        }
        if (count < 1) {
            throw new IllegalArgumentException("--count must be >= 1, got " + count);
        }
        Path optIn = optimizerFile != null ? optimizerFile : model.file().resolveSibling(Checkpoint.OPTIMIZER);
        boolean withOpt = optimizerFile != null || Files.exists(optIn);
        boolean replace = checkOut();
        Path outAbs = out.toAbsolutePath().normalize();
        if (outAbs.equals(model.file().toAbsolutePath().getParent().normalize())) {
            throw new IllegalArgumentException("--out must differ from the model's directory (nothing is overwritten)");
        }
        try (Backend backend = common.createBackend()) {
            ModelFile.Loaded m = model.load(backend);
            IsotropicMlp net = m.net();
            common.requireModelDtype(net.dtype());
            if (op.equals("neurogenesis")) {
                if (layer < 0 || layer >= net.depth() - 1) {
                    throw new IllegalArgumentException("--layer " + layer + ": the model has hidden spaces 1.."
                            + (net.depth() - 1) + ", so --layer must be 0.." + (net.depth() - 2));
                }
                int[] grown = net.widths();
                if ((long) grown[layer + 1] + count > Integer.MAX_VALUE - 8) {
                    throw new IllegalArgumentException("--count " + count + " would make hidden layer " + (layer + 1)
                            + " wider than a tensor can hold");
                }
                grown[layer + 1] += count;
                Sizes.checkNetwork("--count " + count, grown, net.dtype(), withOpt ? 8 : 6);
            }
            Activity.now("loading the optimiser state " + optIn);
            ModelFile.LoadedOptimizer lo = withOpt ? ModelFile.loadOptimizer(optIn, m) : null;
            Optimizer opt = lo == null ? null : lo.optimizer();
            Activity.now("loading the data set " + data.dataset);
            DataOptions.Loaded d = data.load(net.dtype(), m.standardiser());
            Dataset test = d.test().head(sample);
            Tensor before = net.copy().predict(test.features());
            Evaluation evBefore = Evaluation.of(net.copy(), test, 1000, Loss.CROSS_ENTROPY);
            long paramsBefore = net.parameterCount();
            long nonZeroBefore = Metrics.nonZeroCount(net, 0);
            int[] widthsBefore = net.widths();
            Growth growth = new Growth(!unrotated, outgoingStd, seed);
            Activity.now("applying " + op + " to the model " + Arrays.toString(widthsBefore));
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
            Activity.now("writing " + out);
            if (emptyOut) {
                Files.deleteIfExists(out);
            }
            Checkpoint.Manifest written = replace
                    ? Checkpoint.replace(outAbs, net, m.standardiser(), opt, lo == null ? null : lo.spec(), meta)
                    : Checkpoint.write(outAbs, net, m.standardiser(), opt, lo == null ? null : lo.spec(), meta);
            long bytes = written.files().values().stream().mapToLong(f -> Long.parseLong(f[0])).sum();
            w.printf("%s: widths %s -> %s, parameters %d -> %d, non-zero %d -> %d%n", op, Arrays.toString(widthsBefore),
                    Arrays.toString(net.widths()), paramsBefore, net.parameterCount(), nonZeroBefore,
                    Metrics.nonZeroCount(net, 0));
            w.printf("invariance on %d test samples: epsilon_scaled %.3g %%, D_KL %.3g nats, max |delta logits| %.3g, "
                            + "accuracy %.2f%% -> %.2f%%%n", test.size(), Metrics.epsilonScaled(before, after),
                    Metrics.klDivergence(before, after), Metrics.maxRowChange(before, after), 100 * evBefore.accuracy(),
                    100 * evAfter.accuracy());
            w.printf("wrote %s (%s%s, %s)%n", out, Checkpoint.MODEL, opt != null ? ", " + Checkpoint.OPTIMIZER : "",
                    io.isotropic.persist.MemoryBudget.format(bytes));
            w.flush();
        }
        return 0;
    }

    /**
     * Checks {@code --out}: absent, or an empty directory (removed so the output can take its place), or with
     * {@code --force} a directory holding only a previous output.
     *
     * @return true if a previous output is to be replaced
     */
    private boolean emptyOut;

    private boolean checkOut() throws java.io.IOException {
        if (!Files.exists(out)) {
            return false;
        }
        if (!Files.isDirectory(out)) {
            throw new IllegalArgumentException("--out " + out + " exists and is not a directory");
        }
        java.util.List<String> names;
        try (java.util.stream.Stream<Path> s = Files.list(out)) {
            names = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        if (names.isEmpty()) {
            emptyOut = true; // removed just before the output directory is created complete in its place
            return false;
        }
        if (!force) {
            throw new IllegalArgumentException("--out " + out + " already holds " + String.join(", ", names)
                    + "; choose another directory or pass --force to replace a previous output");
        }
        java.util.Set<String> ours = java.util.Set.of(Checkpoint.MODEL, Checkpoint.OPTIMIZER, Checkpoint.MANIFEST);
        if (!ours.containsAll(names)) {
            throw new IllegalArgumentException("--out " + out + " holds files that are not a restructure output ("
                    + String.join(", ", names) + "); --force replaces only a previous output, so choose another"
                    + " directory");
        }
        return true;
    }

    private static String fmt(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3g", v[i]));
        }
        return sb.append(']').toString();
    }
}
