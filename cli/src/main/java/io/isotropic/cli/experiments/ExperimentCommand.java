package io.isotropic.cli.experiments;

import io.isotropic.cli.CommonOptions;
import io.isotropic.persist.AtomicFiles;
import io.isotropic.persist.RunDirectory;
import io.isotropic.persist.RunDirectoryException;
import io.isotropic.spi.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Runs scaled-down reproductions of the paper's experiments and writes Markdown tables and plots. */
@Command(name = "experiment", mixinStandardHelpOptions = true, sortOptions = false,
        description = "The paper's experiments at the largest scale that fits here: timing (0), "
                + "invariance (1), spectra (2), tasks (3), abundance (4), sparsify (5), tanh (6), or all. Writes "
                + "results.md and PNG plots.")
public final class ExperimentCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "timing | invariance | spectra | tasks | abundance | sparsify | tanh | all")
    String name;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default runs/experiment-<timestamp>).")
    Path out;

    @Option(names = "--quick", description = "Tiny scale (seconds): checks that everything runs.")
    boolean quick;

    @Option(names = "--fashion-limit", defaultValue = "10000", paramLabel = "N",
            description = "Fashion-MNIST training images to use (0 = all 60,000; default ${DEFAULT-VALUE}).")
    int fashionLimit;

    @Option(names = "--workers", paramLabel = "N", description = "Independent runs (repeats, grid cells) trained in "
            + "parallel, each with its share of the cores (default: the number of cores).")
    Integer workers;

    @Option(names = "--repeats", paramLabel = "N", description = "Repeats per cell for every experiment run (default: "
            + "each experiment's own, stated in its section).")
    Integer repeats;

    @Option(names = "--resume", description = "Continue an interrupted experiment in --out DIR: runs that finished "
            + "(DIR/<experiment>/runs/*.json) are read back, not redone.")
    boolean resume;

    @Mixin
    CommonOptions common;

    /** Creates the command (picocli instantiates it). */
    public ExperimentCommand() {
    }

    @Override
    public Integer call() throws Exception {
        List<String> known = List.of("timing", "invariance", "spectra", "tasks", "abundance", "sparsify",
                "tanh");
        String key = name.toLowerCase(Locale.ROOT);
        List<String> todo = key.equals("all") ? known : List.of(key);
        if (!known.containsAll(todo)) {
            throw new IllegalArgumentException("unknown experiment '" + name + "'; use " + String.join(", ", known)
                    + " or all");
        }
        if (fashionLimit < 0) {
            throw new IllegalArgumentException("--fashion-limit must be >= 0, got " + fashionLimit);
        }
        if (workers != null && workers < 1) {
            throw new IllegalArgumentException("--workers must be >= 1, got " + workers);
        }
        if (repeats != null && repeats < 1) {
            throw new IllegalArgumentException("--repeats must be >= 1, got " + repeats);
        }
        if (resume && out == null) {
            throw new IllegalArgumentException("--resume needs --out DIR, the directory of the interrupted experiment");
        }
        int pool = workers != null ? workers : Runtime.getRuntime().availableProcessors();
        PrintWriter log = spec.commandLine().getOut();
        common.dtype(); // validates --dtype before anything is created
        try (Backend be = common.createBackend(); RunDirectory rd = outputDirectory()) {
            Path dir = rd.path();
            ExperimentContext ctx = new ExperimentContext(be, common.dtype(), dir, quick, log, fashionLimit,
                    be.name(), pool, repeats == null ? 0 : repeats);
            StringBuilder md = new StringBuilder("# Experiments\n\n");
            md.append(String.format(Locale.ROOT, "Backend %s (%d threads), %s, %s scale. Command: `isotropic experiment %s%s`."
                            + "%n%n", be.name(), be.threads(), ctx.dtype(), quick ? "quick" : "full", name,
                    quick ? " --quick" : ""));
            List<String> timings = new ArrayList<>();
            for (String e : todo) {
                log.printf("experiment %s ...%n", e);
                log.flush();
                long t0 = System.nanoTime();
                md.append(switch (e) {
                    case "timing" -> TimingExperiment.run(ctx);
                    case "invariance" -> InvarianceExperiment.run(ctx);
                    case "spectra" -> SpectraExperiment.run(ctx);
                    case "tasks" -> TasksExperiment.run(ctx);
                    case "abundance" -> AbundanceExperiment.run(ctx);
                    case "sparsify" -> SparsifyExperiment.run(ctx);
                    default -> TanhExperiment.run(ctx);
                });
                double secs = (System.nanoTime() - t0) / 1e9;
                timings.add(String.format(Locale.ROOT, "%s %.0f s", e, secs));
                log.printf("experiment %s done in %.0f s%n", e, secs);
                log.flush();
                AtomicFiles.write(dir.resolve("results.md"), md.toString().getBytes(StandardCharsets.UTF_8));
            }
            md.append("Run times: ").append(String.join(", ", timings)).append(".\n");
            AtomicFiles.write(dir.resolve("results.md"), md.toString().getBytes(StandardCharsets.UTF_8));
            log.printf("wrote %s%n", dir.resolve("results.md"));
            log.flush();
        }
        return 0;
    }

    /** The output directory, locked for the experiment's life: absent or empty, or a fresh unique default. */
    private RunDirectory outputDirectory() throws java.io.IOException {
        if (resume) {
            try {
                return RunDirectory.open(out);
            } catch (RunDirectoryException e) {
                throw new IllegalArgumentException("--resume --out " + e.getMessage());
            }
        }
        if (out == null) {
            return RunDirectory.createUnique(Path.of("runs"), "experiment-");
        }
        try {
            return RunDirectory.create(out);
        } catch (RunDirectoryException e) {
            throw new IllegalArgumentException("--out " + e.getMessage() + "; choose another directory so nothing is "
                    + "overwritten");
        }
    }
}
