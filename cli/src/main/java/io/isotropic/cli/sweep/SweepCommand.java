package io.isotropic.cli.sweep;

import io.isotropic.Backends;
import io.isotropic.persist.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The {@code sweep} command: expands a sweep spec into runs, trains each with its own seed into its own run
 * directory on the local pool or on Spark, and gathers the results into one table with plots (see {@link Sweep}).
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a grid or list of configurations (a JSON spec: data set, widths, modes, optimiser, "
                + "neuroadaptation, seeds, repeats; see the README), each run with its own seed into runs/<id>/ of the "
                + "sweep directory, on a local pool of threads or on Apache Spark; then results.json, results.md (mean "
                + "± standard error over the repeats) and plots. Running it again on the same --out trains only the "
                + "runs without a result.")
public final class SweepCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SPEC", description = "The sweep spec, a JSON file.")
    Path specFile;

    @Option(names = "--out", paramLabel = "DIR", description = "Sweep directory: absent or empty, or a sweep to "
            + "continue (default runs/sweep-<timestamp>).")
    Path out;

    @Option(names = "--executor", paramLabel = "NAME", description = "local (a pool of threads in this JVM; the "
            + "default) or spark (needs the spark module: bin/isotropic-spark); spark is implied by --master.")
    String executor;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master: local[N] (in-process, the default "
            + "with N = --workers), spark://HOST:PORT, yarn or k8s://...; spark-submit's spark.master if set.")
    String master;

    @Option(names = "--workers", paramLabel = "N", description = "Runs trained at the same time, each on one thread "
            + "(local pool threads, or the N of Spark's local[N]; default: the number of cores).")
    Integer workers;

    @Option(names = "--retries", paramLabel = "R", defaultValue = "" + ExecutorSettings.DEFAULT_RETRIES,
            description = "Attempts after a transient failure (I/O, a lost executor); bad options and divergence "
                    + "are not retried (default ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Spark configuration, repeatable "
            + "(e.g. --conf spark.executor.memory=2g).")
    Map<String, String> conf = new LinkedHashMap<>();

    @Option(names = "--backend", paramLabel = "NAME", description = "Backend of configurations that name none "
            + "(default: the selection rules of 'isotropic backends' on this machine).")
    String backend;

    /** Creates the command (picocli instantiates it). */
    public SweepCommand() {
    }

    @Override
    public Integer call() throws Exception {
        if (workers != null && workers < 1) {
            throw new IllegalArgumentException("sweep --workers must be >= 1, got " + workers);
        }
        if (retries < 0) {
            throw new IllegalArgumentException("sweep --retries must be >= 0, got " + retries);
        }
        String name = executor != null ? executor.toLowerCase(Locale.ROOT) : master != null ? "spark"
                : SweepExecutors.LOCAL;
        PrintWriter w = spec.commandLine().getOut();
        SweepSpec sweep = SweepSpec.read(specFile);
        // an unknown name fails now, naming every backend; the canonical name goes into the runs' identifiers
        String be = Backends.provider(backend != null ? backend : Backends.selectedName()).name();
        try (RunDirectory dir = out != null ? Sweep.open(out) : RunDirectory.createUnique(Path.of("runs"), "sweep-");
             SweepExecutor ex = SweepExecutors.create(name, new ExecutorSettings(workers == null ? 0 : workers, master,
                     retries, dir.path(), conf))) {
            Sweep.Summary s = Sweep.run(sweep, dir, ex, be, w);
            w.print(s.report().markdown(ex.describe()).lines().filter(l -> l.startsWith("|"))
                    .reduce("", (a, b) -> a + b + System.lineSeparator()));
            w.printf("trained %d run(s), read back %d; wrote %s/{results.json, results.md, plots/, runs/}%n",
                    s.trained(), s.reused(), dir.path());
            w.flush();
            if (s.failed() > 0) {
                RunResult first = s.report().failures().get(0);
                throw new IllegalStateException(s.failed() + " of " + s.results().size() + " runs failed (the others "
                        + "finished; see " + dir.path().resolve("results.md") + "), e.g. " + first.id() + " ("
                        + first.label() + ", seed " + first.seed() + "): " + first.error() + "; once the cause is fixed,"
                        + " 'isotropic sweep " + specFile + " --out " + dir.path() + "' trains only those");
            }
        }
        return 0;
    }
}
