package io.isotropic.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.isotropic.BackendInfo;
import io.isotropic.Backends;
import io.isotropic.bench.Workload;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Renders JMH JSON results as {@code docs/benchmarks.md}: the machine and settings, this machine's measured FMA
 * peak, and one table (and PNG chart) per operation with every backend side by side: time per call, GFLOP/s where
 * a flop count applies, the ratio to the fastest backend and the fraction of the FMA peak of the threads used.
 *
 * <pre>
 * Report --input results.json [--input more.json] --markdown docs/benchmarks.md [--charts docs/benchmarks]
 *        [--title TEXT] [--note TEXT] [--command TEXT]
 * </pre>
 */
public final class Report {
    private static final String FMA_CLASS = "io.isotropic.bench.FmaPeakBenchmark";

    private final List<Result> results;
    private final Map<String, Double> peakPerCore = new LinkedHashMap<>();

    /**
     * Creates a report over parsed results.
     *
     * @param results the results, in run order
     * @throws IllegalArgumentException if there are none
     */
    public Report(List<Result> results) {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("Report: no JMH results to render");
        }
        this.results = List.copyOf(results);
        for (Result r : results) {
            if (r.benchmarkClass().equals(FMA_CLASS) && r.secondary().containsKey("flops")) {
                double flopsPerSecond = Result.perSecond(r.secondary().get("flops"), r.secondaryUnits().get("flops"));
                peakPerCore.put(r.params().getOrDefault("dtype", "?"), flopsPerSecond / 1e9);
            }
        }
    }

    /**
     * Reads a JMH JSON result file.
     *
     * @param file the file ({@code -rf json} output)
     * @return its results
     * @throws IOException if it cannot be read or parsed
     * @throws IllegalArgumentException if it is not a JMH result array
     */
    public static List<Result> read(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException("Report: " + file + " is not a JMH JSON result array");
        }
        List<Result> out = new ArrayList<>();
        root.forEach(n -> out.add(Result.parse(n)));
        return out;
    }

    /** A table row: one case of one operation in one dtype. */
    private record RowKey(String label, String dtype) {
    }

    /** One measured cell. */
    private record Cell(Result result, double seconds, double flops, double samples) {
        double gflops() {
            return Double.isNaN(flops) ? Double.NaN : flops / seconds / 1e9;
        }

        double samplesPerSecond() {
            return Double.isNaN(samples) ? Double.NaN : samples / seconds;
        }
    }

    private static Workload workload(Result r) {
        try {
            Class<?> c = Class.forName(r.benchmarkClass());
            Method m = c.getMethod("workload", String.class, Map.class);
            return (Workload) m.invoke(null, r.method(), r.params());
        } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException e) {
            throw new IllegalArgumentException("Report: benchmark class " + r.benchmarkClass()
                    + " must declare public static Workload workload(String, Map<String, String>): " + e, e);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("Report: " + r.benchmarkClass() + ".workload failed for "
                    + r.method() + " " + r.params() + ": " + e.getCause(), e.getCause());
        }
    }

    /**
     * Threads per kernel call in the benchmark forks: the {@code -Disotropic.threads=N} flag, else the processors
     * visible to this JVM (the benchmarks' default).
     *
     * @return the thread count
     */
    public int threads() {
        for (String a : results.getFirst().run().jvmArgs()) {
            if (a.startsWith("-Disotropic.threads=")) {
                try {
                    return Integer.parseInt(a.substring("-Disotropic.threads=".length()).trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("Report: bad flag " + a, e);
                }
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * Renders the Markdown report and, when {@code chartDir} is given, one PNG chart per operation.
     *
     * @param markdown the Markdown file to write
     * @param chartDir directory for the charts (created), or null for none
     * @param title the document title
     * @param note a paragraph placed under the title (e.g. the machine's load), or null
     * @param command the command that produced the results, or null
     * @throws IOException if a file cannot be written
     */
    public void render(Path markdown, Path chartDir, String title, String note, String command) throws IOException {
        Map<String, Map<RowKey, Map<String, Cell>>> ops = new LinkedHashMap<>();
        Set<String> backends = new LinkedHashSet<>();
        for (Result r : results) {
            if (r.benchmarkClass().equals(FMA_CLASS)) {
                continue;
            }
            String backend = r.params().get("backend");
            if (backend == null) {
                throw new IllegalArgumentException("Report: " + r.benchmarkClass() + "." + r.method()
                        + " has no 'backend' parameter; every benchmark but the FMA peak compares backends");
            }
            Workload w = workload(r);
            backends.add(backend);
            ops.computeIfAbsent(w.operation(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(new RowKey(w.label(), r.params().getOrDefault("dtype", "-")),
                            k -> new LinkedHashMap<>())
                    .put(backend, new Cell(r, r.secondsPerOp(), w.flops(), w.samples()));
        }
        List<String> order = new ArrayList<>();
        for (BackendInfo i : Backends.describe()) {
            if (backends.contains(i.name())) {
                order.add(i.name());
            }
        }
        for (String b : backends) {
            if (!order.contains(b)) {
                order.add(b);
            }
        }
        int threads = threads();
        StringBuilder md = new StringBuilder();
        md.append("# ").append(title).append("\n\n");
        md.append("Generated by `io.isotropic.bench.report.Report` from JMH results on ")
                .append(ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")))
                .append(command == null ? "" : " (`" + command + "`)").append(". ");
        md.append("Every table comes from one run, so the backends shared the same machine state.");
        if (command != null) {
            md.append(" To reproduce, run `").append(command).append("` from the repository root (see "
                    + "`bench/README.md`).");
        }
        md.append("\n\n");
        if (note != null && !note.isBlank()) {
            md.append(note.strip()).append("\n\n");
        }
        machine(md, threads);
        md.append("\n**How to read the tables.** One row per case and dtype, one column per backend. Each cell: "
                + "throughput in GFLOP/s (where the operation has a flop count) and in samples/s (where it "
                + "processes training samples), the time per call with JMH's "
                + "99.9% error, the time relative to the fastest backend of that row (1.00x = fastest), and the "
                + "share of the FMA peak of the threads used (" + threads + " x the one-core peak above, or 1 x for cases "
                + "marked '1 thread'). "
                + "Charts show GFLOP/s or, where no flop count applies, the time relative to the fastest backend "
                + "of each case.\n");
        for (Map.Entry<String, Map<RowKey, Map<String, Cell>>> op : ops.entrySet()) {
            operation(md, op.getKey(), op.getValue(), order, threads, chartDir, markdown);
        }
        Files.createDirectories(markdown.toAbsolutePath().getParent());
        Files.writeString(markdown, md.toString());
    }

    private void machine(StringBuilder md, int threads) {
        Result.RunInfo run = results.getFirst().run();
        md.append("## Machine and settings\n\n| | |\n| --- | --- |\n");
        md.append("| CPU | ").append(Machine.cpuModel()).append(" |\n");
        md.append("| processors visible to the JVM | ").append(Runtime.getRuntime().availableProcessors()).append(" |\n");
        md.append("| memory | ").append(Machine.memory()).append(" |\n");
        md.append("| OS | ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append(' ').append(System.getProperty("os.arch")).append(" |\n");
        md.append("| JVM | ").append(run.vmName()).append(' ').append(run.vmVersion()).append(" (JDK ")
                .append(run.jdkVersion()).append(") |\n");
        md.append("| JVM flags of the forks | `").append(String.join(" ", run.jvmArgs())).append("` |\n");
        md.append("| threads per kernel call | ").append(threads).append(" |\n");
        md.append("| JMH | ").append(run.jmhVersion()).append(": ").append(run.forks()).append(" fork(s), warm-up ")
                .append(run.warmup()).append(", measurement ").append(run.measurement()).append(" |\n");
        StringBuilder av = new StringBuilder();
        for (BackendInfo i : Backends.describe()) {
            av.append(av.isEmpty() ? "" : "; ").append("`").append(i.name()).append("` ")
                    .append(i.available() ? "available: " : "unavailable: ").append(i.reason().replace("|", "/"));
        }
        md.append("| backends | ").append(av).append(" |\n");
        if (peakPerCore.isEmpty()) {
            md.append("| FMA peak, one core | not measured in this run |\n");
        } else {
            StringBuilder p = new StringBuilder();
            peakPerCore.forEach((dt, g) -> p.append(p.isEmpty() ? "" : ", ")
                    .append(String.format(Locale.ROOT, "%s %.1f GFLOP/s", dt, g)));
            md.append("| FMA peak, one core (16 chains of preferred-species vector FMA) | ").append(p).append(" |\n");
        }
    }

    private void operation(StringBuilder md, String title, Map<RowKey, Map<String, Cell>> rows, List<String> order,
                           int threads, Path chartDir, Path markdown) throws IOException {
        md.append("\n## ").append(title).append("\n\n");
        boolean hasFlops = rows.values().stream().flatMap(m -> m.values().stream())
                .anyMatch(c -> !Double.isNaN(c.flops()));
        if (chartDir != null) {
            Path png = chart(title, rows, order, hasFlops, chartDir);
            Path rel = markdown.toAbsolutePath().getParent().relativize(png.toAbsolutePath());
            md.append("![").append(title).append("](").append(rel.toString().replace('\\', '/')).append(")\n\n");
        }
        md.append("| case | dtype |");
        order.forEach(b -> md.append(' ').append(b).append(" |"));
        md.append(" fastest |\n| --- | --- |");
        order.forEach(b -> md.append(" --- |"));
        md.append(" --- |\n");
        for (Map.Entry<RowKey, Map<String, Cell>> row : rows.entrySet()) {
            Map<String, Cell> cells = row.getValue();
            String fastest = null;
            double best = Double.POSITIVE_INFINITY;
            for (Map.Entry<String, Cell> c : cells.entrySet()) {
                if (c.getValue().seconds() < best) {
                    best = c.getValue().seconds();
                    fastest = c.getKey();
                }
            }
            md.append("| ").append(row.getKey().label()).append(" | ").append(row.getKey().dtype()).append(" |");
            for (String b : order) {
                Cell c = cells.get(b);
                md.append(' ').append(c == null ? "-" : cell(c, best, threads, row.getKey().dtype())).append(" |");
            }
            md.append(' ').append(fastest).append(" |\n");
        }
    }

    private String cell(Cell c, double best, int threads, String dtype) {
        StringBuilder s = new StringBuilder();
        double g = c.gflops();
        if (!Double.isNaN(g)) {
            s.append(String.format(Locale.ROOT, "**%.2f** GFLOP/s<br>", g));
        }
        double sps = c.samplesPerSecond();
        if (!Double.isNaN(sps)) {
            s.append(String.format(Locale.ROOT, "**%.0f** samples/s<br>", sps));
        }
        s.append(time(c.seconds()));
        double rel = c.result().relativeError();
        if (!Double.isNaN(rel)) {
            s.append(String.format(Locale.ROOT, " ±%.0f%%", 100 * rel));
        }
        s.append(String.format(Locale.ROOT, "<br>%.2fx", c.seconds() / best));
        Double peak = peakPerCore.get(dtype);
        if (!Double.isNaN(g) && peak != null) {
            // a benchmark with its own 'threads' parameter (1, or 0 for the run's default) overrides the run's count
            String own = c.result().params().get("threads");
            int used = own == null || own.equals("0") ? threads : Integer.parseInt(own);
            s.append(String.format(Locale.ROOT, ", %.0f%% of peak", 100 * g / (peak * used)));
        }
        return s.toString();
    }

    private static String time(double seconds) {
        if (seconds >= 1) {
            return String.format(Locale.ROOT, "%.3g s", seconds);
        } else if (seconds >= 1e-3) {
            return String.format(Locale.ROOT, "%.3g ms", seconds * 1e3);
        } else if (seconds >= 1e-6) {
            return String.format(Locale.ROOT, "%.3g us", seconds * 1e6);
        }
        return String.format(Locale.ROOT, "%.3g ns", seconds * 1e9);
    }

    static String slug(String title) {
        String s = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        return s.isEmpty() ? "operation" : s;
    }

    private static Path chart(String title, Map<RowKey, Map<String, Cell>> rows, List<String> order, boolean flops,
                              Path dir) throws IOException {
        Files.createDirectories(dir);
        CategoryChart chart = new CategoryChartBuilder().width(900).height(480).title(title)
                .xAxisTitle("case").yAxisTitle(flops ? "GFLOP/s (higher is better)"
                        : "time / fastest backend's time (lower is better)")
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setXAxisLabelRotation(rows.size() > 4 ? 20 : 0);
        List<String> categories = new ArrayList<>();
        rows.keySet().forEach(k -> categories.add(k.label() + " " + k.dtype()));
        for (String b : order) {
            List<Double> ys = new ArrayList<>();
            boolean any = false;
            for (Map<String, Cell> cells : rows.values()) {
                Cell c = cells.get(b);
                double best = cells.values().stream().mapToDouble(Cell::seconds).min().orElse(Double.NaN);
                double y = c == null ? Double.NaN : flops ? c.gflops() : c.seconds() / best;
                any |= c != null;
                ys.add(Double.isNaN(y) ? null : y); // a gap where a backend has no result
            }
            if (any) {
                chart.addSeries(b, categories, ys);
            }
        }
        Path png = dir.resolve(slug(title) + ".png");
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        return png;
    }

    /**
     * Command-line entry point (the run script calls it after JMH).
     *
     * @param args see the class description
     * @throws Exception if reading or writing fails
     */
    public static void main(String[] args) throws Exception {
        System.setProperty("java.awt.headless", "true");
        List<Path> inputs = new ArrayList<>();
        Path markdown = null;
        Path charts = null;
        String title = "Benchmarks";
        String note = null;
        String command = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("Report: option " + a + " needs a value; " + usage());
            }
            String v = args[++i];
            switch (a) {
                case "--input" -> inputs.add(Path.of(v));
                case "--markdown" -> markdown = Path.of(v);
                case "--charts" -> charts = Path.of(v);
                case "--title" -> title = v;
                case "--note" -> note = v;
                case "--command" -> command = v;
                default -> throw new IllegalArgumentException("Report: unknown option '" + a + "'; " + usage());
            }
        }
        if (inputs.isEmpty() || markdown == null) {
            throw new IllegalArgumentException("Report: --input and --markdown are required; " + usage());
        }
        List<Result> all = new ArrayList<>();
        for (Path in : inputs) {
            if (!Files.isRegularFile(in)) {
                throw new IllegalArgumentException("Report: input file " + in + " does not exist");
            }
            all.addAll(read(in));
        }
        new Report(all).render(markdown, charts, title, note, command);
        System.out.println("Report: wrote " + markdown + (charts == null ? "" : " and charts in " + charts));
    }

    private static String usage() {
        return "usage: Report --input FILE.json [--input ...] --markdown OUT.md [--charts DIR] [--title T] "
                + "[--note TEXT] [--command TEXT]";
    }
}
