package io.isotropic.spark;

import io.isotropic.cli.sweep.Attempts;
import io.isotropic.cli.sweep.ExecutorSettings;
import io.isotropic.cli.sweep.Outcome;
import io.isotropic.cli.sweep.SweepExecutor;
import io.isotropic.cli.sweep.SweepJob;
import io.isotropic.persist.AtomicFiles;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The {@code spark} sweep executor: every job is a Spark job of one task ({@link SparkRunTask}), all submitted at
 * once so that the cluster (or {@code local[N]}, in this JVM) runs as many at a time as it has cores; each task
 * returns its outcome (for a training run: metrics, model and files) to this driver, which hands them on as they end.
 * Spark retries a task after a transient failure ({@code spark.task.maxFailures}, or F of {@code local[N,F]}, set
 * from the settings' retries); a failure on the last attempt, a deterministic one, or a Spark job that fails
 * outright is reported as that job's outcome without stopping the others.
 *
 * <p>Configuration: the master is the settings' (checked by {@link Masters#check}), else spark-submit's
 * {@code spark.master}, else {@code local[workers]}. For local masters the driver binds to 127.0.0.1, Spark's local
 * directory is {@code workDir/spark-local}, and the UI is off. For cluster masters the application jar (this
 * module's {@code isotropic-spark.jar}, when the classes come from it) is shipped to the executors
 * ({@code spark.jars}), and the executors get {@code --add-modules jdk.incubator.vector} for the vector backend.
 * {@code --conf} entries ({@code spark.*}) override all of these.
 */
public final class SparkSweepExecutor implements SweepExecutor {
    /** The attempts per task when the settings do not say. */
    private final int maxAttempts;
    private final String master;
    private final JavaSparkContext sc;
    private final Path localDir;

    /**
     * Starts a Spark context for a sweep.
     *
     * @param settings master, workers, retries, work directory and {@code spark.*} configuration
     * @throws IllegalArgumentException naming the value for a malformed master URL, a configuration key that is not
     *         {@code spark.*}, or an attempts count that contradicts the retries
     */
    public SparkSweepExecutor(ExecutorSettings settings) {
        for (String k : settings.conf().keySet()) {
            if (!k.startsWith("spark.")) {
                throw new IllegalArgumentException("sweep --conf " + k + ": Spark configuration keys start with "
                        + "'spark.'");
            }
        }
        quietLogging(); // before any Spark class logs
        SparkConf conf = new SparkConf(true); // spark.* system properties, as spark-submit sets them
        String given = settings.master() != null ? settings.master() : settings.conf().get("spark.master");
        if (given == null && conf.contains("spark.master")) {
            given = conf.get("spark.master");
        }
        String m = given == null ? "local[" + settings.workersOrCores() + "]" : Masters.check(given);
        int attempts = settings.maxAttempts();
        if (Masters.isLocal(m)) {
            int f = Masters.localAttempts(m);
            if (f > 0) {
                attempts = f;
            }
            m = Masters.withAttempts(m, attempts);
        } else if (settings.conf().containsKey("spark.task.maxFailures")) {
            try {
                attempts = Integer.parseInt(settings.conf().get("spark.task.maxFailures").strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("sweep --conf spark.task.maxFailures="
                        + settings.conf().get("spark.task.maxFailures") + ": not an integer");
            }
            if (attempts < 1) {
                throw new IllegalArgumentException("sweep --conf spark.task.maxFailures=" + attempts + ": must be >= 1");
            }
        }
        if (settings.workers() > 0) {
            java.util.regex.Matcher n = java.util.regex.Pattern.compile("local\\[(\\d+)").matcher(m);
            if (!Masters.isLocal(m)) {
                throw new IllegalArgumentException("sweep --workers " + settings.workers() + ": applies to the local "
                        + "pool and local[N]; on " + m + " the runs at a time are the executors' cores (e.g. --conf "
                        + "spark.cores.max=N)");
            }
            if (given != null && (!n.find() || Integer.parseInt(n.group(1)) != settings.workers())) {
                throw new IllegalArgumentException("sweep --workers " + settings.workers() + " contradicts --master "
                        + given + "; give one of them");
            }
        }
        this.maxAttempts = attempts;
        this.master = m;
        conf.setMaster(m).setAppName("isotropic sweep").set("spark.task.maxFailures", Integer.toString(attempts));
        if (Masters.isLocal(m)) {
            localDir = settings.workDir().resolve(".spark-local" + AtomicFiles.TEMP_SUFFIX).toAbsolutePath();
            setIfAbsent(conf, "spark.driver.host", "127.0.0.1");
            setIfAbsent(conf, "spark.driver.bindAddress", "127.0.0.1");
            setIfAbsent(conf, "spark.local.dir", localDir.toString());
            try {
                Files.createDirectories(localDir);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot create Spark's local directory " + localDir + ": "
                        + e.getMessage(), e);
            }
        } else {
            localDir = null;
            Path jar = applicationJar();
            if (jar != null && !conf.contains("spark.jars")) {
                conf.set("spark.jars", jar.toString());
            }
            setIfAbsent(conf, "spark.executor.extraJavaOptions", "--add-modules jdk.incubator.vector "
                    + "--enable-native-access=ALL-UNNAMED");
        }
        setIfAbsent(conf, "spark.ui.enabled", "false");
        for (Map.Entry<String, String> e : settings.conf().entrySet()) {
            if (!e.getKey().equals("spark.master")) {
                conf.set(e.getKey(), e.getValue());
            }
        }
        this.sc = Masters.isLocal(m) ? withoutLocalDirNote(conf) : new JavaSparkContext(conf);
    }

    /**
     * Starts a local context without Spark's warning that a cluster manager would override spark.local.dir (there
     * is none in local mode); other warnings of SparkConf stay.
     */
    private static JavaSparkContext withoutLocalDirNote(SparkConf conf) {
        String name = "org.apache.spark.SparkConf";
        org.apache.logging.log4j.Level before = org.apache.logging.log4j.LogManager.getLogger(name).getLevel();
        boolean quiet = before.isLessSpecificThan(org.apache.logging.log4j.Level.WARN);
        if (quiet) {
            org.apache.logging.log4j.core.config.Configurator.setLevel(name, org.apache.logging.log4j.Level.ERROR);
        }
        try {
            return new JavaSparkContext(conf);
        } finally {
            if (quiet) {
                org.apache.logging.log4j.core.config.Configurator.setLevel(name, before);
            }
        }
    }

    private static void setIfAbsent(SparkConf conf, String key, String value) {
        if (!conf.contains(key)) {
            conf.set(key, value);
        }
    }

    /** The jar holding this class, if it is one (the shaded application jar), else null (e.g. in the tests). */
    static Path applicationJar() {
        try {
            var src = SparkSweepExecutor.class.getProtectionDomain().getCodeSource();
            if (src == null) {
                return null;
            }
            Path p = Path.of(src.getLocation().toURI());
            return p.toString().endsWith(".jar") ? p : null;
        } catch (java.net.URISyntaxException | SecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Spark logs warnings only, unless a log4j2 configuration was given. */
    private static void quietLogging() {
        ClassLoader cl = SparkSweepExecutor.class.getClassLoader();
        java.net.URL ours = cl.getResource("io/isotropic/spark/log4j2-sweep.properties");
        if (ours != null && System.getProperty("log4j2.configurationFile") == null
                && cl.getResource("log4j2.properties") == null && cl.getResource("log4j2.xml") == null) {
            System.setProperty("log4j2.configurationFile", ours.toString());
        }
    }

    @Override
    public String name() {
        return "spark";
    }

    @Override
    public String describe() {
        return "Spark " + master + " (" + maxAttempts + " attempt" + (maxAttempts == 1 ? "" : "s") + " per run)";
    }

    /**
     * The master URL in use.
     *
     * @return e.g. {@code local[2,3]}
     */
    public String master() {
        return master;
    }

    /**
     * The attempts Spark makes per task.
     *
     * @return {@code >= 1}
     */
    public int maxAttempts() {
        return maxAttempts;
    }

    @Override
    public <R extends Serializable> void execute(List<? extends SweepJob<R>> jobs, Consumer<Outcome<R>> onDone)
            throws InterruptedException {
        Set<String> ids = new HashSet<>();
        for (SweepJob<R> j : jobs) {
            if (!ids.add(j.id())) {
                throw new IllegalArgumentException("SweepExecutor.execute: two jobs have the id '" + j.id() + "'");
            }
        }
        SparkRunTask<R> task = new SparkRunTask<>(maxAttempts);
        List<JavaFutureAction<List<Outcome<R>>>> futures = new ArrayList<>();
        boolean finished = false;
        try {
            for (SweepJob<R> j : jobs) {
                try {
                    sc.setJobDescription("isotropic run " + j.id());
                    List<SweepJob<R>> one = List.of(j);
                    futures.add(sc.parallelize(one, 1).map(task).collectAsync());
                } catch (IllegalStateException | NullPointerException e) {
                    if (sc.sc().isStopped()) { // an IllegalStateException, or a NullPointerException mid-stop
                        throw new IllegalStateException("Spark stopped the sweep's application (master " + master
                                + ") before its runs were submitted: is the master running and reachable from here, "
                                + "and can it start executors? (Spark's messages above say why)", e);
                    }
                    throw e;
                }
            }
            boolean[] delivered = new boolean[jobs.size()];
            int left = jobs.size();
            while (left > 0) {
                boolean any = false;
                for (int i = 0; i < futures.size(); i++) {
                    if (delivered[i] || !futures.get(i).isDone()) {
                        continue;
                    }
                    delivered[i] = true;
                    left--;
                    any = true;
                    onDone.accept(outcome(jobs.get(i), futures.get(i)));
                }
                if (!any) {
                    Thread.sleep(20);
                }
            }
            finished = true;
        } finally {
            if (!finished) {
                for (JavaFutureAction<?> f : futures) {
                    f.cancel(true);
                }
            }
        }
    }

    private <R extends Serializable> Outcome<R> outcome(SweepJob<R> job, JavaFutureAction<List<Outcome<R>>> f)
            throws InterruptedException {
        try {
            List<Outcome<R>> r = f.get();
            if (r.size() == 1 && r.get(0) != null) {
                return r.get(0);
            }
            return new Outcome<>(job.id(), null, "the Spark job returned " + r.size() + " results instead of one",
                    maxAttempts, 0, "spark");
        } catch (ExecutionException e) {
            // the job failed outright (every attempt lost, or the task could not be serialised): this run only
            return new Outcome<>(job.id(), null, "Spark: " + Attempts.describe(e.getCause() != null ? e.getCause() : e),
                    maxAttempts, 0, "spark");
        } catch (java.util.concurrent.CancellationException e) {
            return new Outcome<>(job.id(), null, "Spark cancelled the job", 1, 0, "spark");
        }
    }

    @Override
    public void close() {
        sc.stop();
        if (localDir != null) {
            try {
                AtomicFiles.deleteTree(localDir);
            } catch (IOException e) {
                // Spark's shutdown hook removes what is left
            }
        }
    }
}
