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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** Loads a model, applies one restructuring, saves the result and reports how much the function changed. */
@Command(name = "restructure", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Apply diagonalise, full-diagonalise, neurogenesis, neurodegeneration, adapt or sparsify to a saved model (and its "
                + "optimiser state), save the result, and print the invariance report (epsilon_scaled, D_KL, max output "
                + "change) measured on the test part of a data set (--dataset ...), on the rows of --sample FILE, or "
                + "else on a seeded standard Gaussian sample in the network's (standardised) input space.")
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

    @Option(names = "--sample", paramLabel = "CSV", description = "Rows of raw features (n_0 columns, no label) on "
            + "which to measure the change, instead of a data set or the Gaussian sample.")
    Path sampleFile;

    @Option(names = "--samples", defaultValue = "2000", paramLabel = "N",
            description = "Rows used for the report: the first N of the test data or of --sample, or N Gaussian draws "
                    + "(default ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--sample-seed", defaultValue = "0", paramLabel = "SEED",
            description = "Seed of the Gaussian sample (only without a data set and --sample).")
    long sampleSeed;

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
        checkOperationOptions(op);
        if (samples < 1) {
            throw Usage.bad(spec, "--samples must be >= 1, got " + samples);
        }
        List<String> dataGiven = Usage.givenAmong(spec, DataOptions.NAMES);
        if (sampleFile != null && !dataGiven.isEmpty()) {
            throw Usage.bad(spec, "--sample and " + String.join(", ", dataGiven) + " both choose the rows of the report;"
                    + " give one of them");
        }
        if (sampleFile != null || !dataGiven.isEmpty()) {
            Usage.reject(spec, "--sample-seed", "applies only to the Gaussian sample (no --sample, no data set)");
        }
        if (sampleFile != null && !Files.exists(sampleFile) && sampleFile.toString().matches("\\d+")) {
            throw Usage.bad(spec, "--sample takes a CSV file of feature rows (no file " + sampleFile
                    + "); to set the number of rows use --samples " + sampleFile);
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
        OutputSet target = OutputSet.check(out, force, model.file());
        try (Backend backend = common.createBackend()) {
            ModelFile.Loaded m = model.load(backend);
            IsotropicMlp net = m.net();
            Usage.rejectDtype(spec, net.dtype());
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
            Dataset test = null;
            Tensor rows;
            String rowsName;
            if (!dataGiven.isEmpty()) {
                Activity.now("loading the data set " + data.dataset);
                test = data.loadForModel(spec, net.dtype(), m.standardiser(), net.widths()[0]).test().head(samples);
                rows = test.features();
                rowsName = test.size() + " test samples";
            } else if (sampleFile != null) {
                Dataset s = FeatureRows.read("--sample", sampleFile, net.widths()[0], net.dtype(), false).head(samples);
                rows = m.standardiser() == null ? s.features() : m.standardiser().apply(s.features());
                rowsName = s.size() + " rows of " + sampleFile;
            } else {
                rows = Tensor.randomNormal(net.dtype(), sampleSeed, 1.0, samples, net.widths()[0]);
                rowsName = samples + " standard Gaussian samples (seed " + sampleSeed + ", "
                        + (m.standardiser() == null ? "inputs" : "standardised inputs") + ")";
            }
            Tensor before = net.copy().predict(rows);
            Evaluation evBefore = test == null ? null : Evaluation.of(net.copy(), test, 1000, Loss.CROSS_ENTROPY);
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
                    NeurodegenerationReport r = Restructure.neurodegeneration(net, layer, count, opt, rows);
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
            Tensor after = net.predict(rows);
            Evaluation evAfter = test == null ? null : Evaluation.of(net, test, 1000, Loss.CROSS_ENTROPY);
            Map<String, String> meta = new java.util.LinkedHashMap<>();
            if (m.metadata().containsKey("epochs_completed")) {
                meta.put("epochs_completed", m.metadata().get("epochs_completed"));
            }
            meta.put("restructured", op);
            long bytes = OutputSet.bytes(target.write(net, m.standardiser(), opt, lo == null ? null : lo.spec(), meta));
            w.printf("%s: widths %s -> %s, parameters %d -> %d, non-zero %d -> %d%n", op, Arrays.toString(widthsBefore),
                    Arrays.toString(net.widths()), paramsBefore, net.parameterCount(), nonZeroBefore,
                    Metrics.nonZeroCount(net, 0));
            w.printf("invariance on %s: epsilon_scaled %.3g %%, D_KL %.3g nats, max |delta logits| %.3g%s%n", rowsName,
                    Metrics.epsilonScaled(before, after), Metrics.klDivergence(before, after),
                    Metrics.maxRowChange(before, after), evBefore == null ? "" : String.format(Locale.ROOT,
                            ", accuracy %.2f%% -> %.2f%%", 100 * evBefore.accuracy(), 100 * evAfter.accuracy()));
            w.printf("wrote %s (%s%s, %s)%n", out, Checkpoint.MODEL, opt != null ? ", " + Checkpoint.OPTIMIZER : "",
                    io.isotropic.persist.MemoryBudget.format(bytes));
            w.flush();
        }
        return 0;
    }

    /** Options that configure one operation only; giving one to another operation is an error. */
    private static final Map<String, List<String>> OPERATION_OPTIONS = Map.of(
            "--layer", List.of("diagonalise", "full-diagonalise", "neurogenesis", "neurodegeneration"),
            "--count", List.of("neurogenesis", "neurodegeneration"),
            "--scaffolds", List.of("adapt"),
            "--tau", List.of("adapt"),
            "--unrotated", List.of("neurogenesis", "adapt"),
            "--outgoing-std", List.of("neurogenesis", "adapt"),
            "--seed", List.of("neurogenesis", "adapt"));

    private void checkOperationOptions(String op) {
        for (Map.Entry<String, List<String>> e : new java.util.TreeMap<>(OPERATION_OPTIONS).entrySet()) {
            if (!e.getValue().contains(op)) {
                Usage.reject(spec, e.getKey(), "does not apply to '" + op + "' (only to " + String.join(", ", e.getValue())
                        + ")");
            }
        }
    }

    private static String fmt(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3g", v[i]));
        }
        return sb.append(']').toString();
    }
}
