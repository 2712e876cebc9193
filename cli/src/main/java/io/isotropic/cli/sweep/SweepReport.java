package io.isotropic.cli.sweep;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.isotropic.cli.experiments.Charts;
import io.isotropic.cli.experiments.Stats;
import io.isotropic.persist.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The gathered results of a sweep: per configuration the runs that finished, and over them the mean and standard
 * error of the final and best test accuracy and of each hidden layer's final width. Written as
 * {@code results.json}, {@code results.md} (a table) and {@code plots/} (test accuracy per epoch, final accuracy
 * and final widths per configuration, with standard-error bars).
 *
 * @param name the sweep's name
 * @param seeds the repeats' seeds
 * @param configurations one row per configuration, in spec order
 * @param failures the runs that failed
 */
public record SweepReport(String name, List<Long> seeds, List<Row> configurations, List<RunResult> failures) {

    /**
     * One configuration's line of the table.
     *
     * @param index the configuration's position
     * @param id its identifier
     * @param label its label
     * @param options its options, as {@code key=value} pairs
     * @param runIds its runs' identifiers, in repeat order
     * @param finished runs that finished
     * @param failed runs that failed
     * @param testAccuracy final test accuracies of the finished runs, in percent {@code [finished]}
     * @param bestTestAccuracy best test accuracies, in percent {@code [finished]}
     * @param hiddenWidths final hidden widths {@code [finished][L-1]}
     * @param parameters final parameter counts {@code [finished]}
     * @param curve mean test accuracy per epoch over the finished runs, in percent {@code [epochs]}
     */
    public record Row(int index, String id, String label, Map<String, String> options, List<String> runIds,
                      int finished, int failed, double[] testAccuracy, double[] bestTestAccuracy,
                      int[][] hiddenWidths, long[] parameters, double[] curve) {

        /**
         * The mean final hidden width of each layer.
         *
         * @return {@code [L-1]}, empty if no run finished
         */
        public double[] meanWidths() {
            return perLayer(true);
        }

        /**
         * The standard error of each layer's final hidden width.
         *
         * @return {@code [L-1]} (NaN for fewer than two runs), empty if no run finished
         */
        public double[] widthErrors() {
            return perLayer(false);
        }

        private double[] perLayer(boolean mean) {
            if (hiddenWidths.length == 0) {
                return new double[0];
            }
            int layers = hiddenWidths[0].length;
            double[] out = new double[layers];
            for (int l = 0; l < layers; l++) {
                final int ll = l;
                double[] v = Arrays.stream(hiddenWidths).mapToDouble(w -> ll < w.length ? w[ll] : Double.NaN).toArray();
                out[l] = mean ? Stats.mean(v) : Stats.standardError(v);
            }
            return out;
        }
    }

    /**
     * Gathers the results of a sweep.
     *
     * @param spec the sweep
     * @param results one result per run of {@code spec.expand(...)}, in that order
     * @return the report
     * @throws IllegalArgumentException if a result belongs to no configuration of the spec
     */
    public static SweepReport of(SweepSpec spec, List<RunResult> results) {
        List<Row> rows = new ArrayList<>();
        List<RunResult> failures = new ArrayList<>();
        for (SweepSpec.Configuration c : spec.configurations()) {
            List<RunResult> mine = results.stream().filter(r -> r.configIndex() == c.index()).toList();
            List<RunResult> ok = mine.stream().filter(RunResult::ok).toList();
            mine.stream().filter(r -> !r.ok()).forEach(failures::add);
            Map<String, String> options = new LinkedHashMap<>();
            c.options().forEach((k, v) -> options.put(k, SweepSpec.text(v)));
            int epochs = ok.stream().mapToInt(r -> r.epochs().size()).max().orElse(0);
            double[] curve = new double[epochs];
            for (int e = 0; e < epochs; e++) {
                final int ee = e;
                curve[e] = 100 * ok.stream().filter(r -> ee < r.epochs().size())
                        .mapToDouble(r -> r.epochs().get(ee).testAccuracy()).average().orElse(Double.NaN);
            }
            rows.add(new Row(c.index(), c.id(), c.label(), options, mine.stream().map(RunResult::id).toList(),
                    ok.size(), mine.size() - ok.size(),
                    ok.stream().mapToDouble(r -> 100 * r.testAccuracy()).toArray(),
                    ok.stream().mapToDouble(r -> 100 * r.bestTestAccuracy()).toArray(),
                    ok.stream().map(r -> Arrays.copyOfRange(r.widths(), 1, Math.max(1, r.widths().length - 1)))
                            .toArray(int[][]::new),
                    ok.stream().mapToLong(RunResult::parameters).toArray(), curve));
        }
        for (RunResult r : results) {
            if (r.configIndex() < 0 || r.configIndex() >= spec.configurations().size()) {
                throw new IllegalArgumentException("SweepReport.of: run " + r.id() + " has configuration "
                        + r.configIndex() + ", which the sweep does not have");
            }
        }
        return new SweepReport(spec.name(), spec.seeds(), List.copyOf(rows), List.copyOf(failures));
    }

    /**
     * The table as JSON: per configuration its options, runs and the statistics (deterministic: no times).
     *
     * @return the {@code configurations} array of {@code results.json}
     */
    public ArrayNode configurationsJson() {
        ArrayNode a = Sweep.JSON.createArrayNode();
        for (Row r : configurations) {
            ObjectNode o = a.addObject();
            o.put("index", r.index());
            o.put("id", r.id());
            o.put("label", r.label());
            ObjectNode opts = o.putObject("options");
            r.options().forEach(opts::put);
            ArrayNode ids = o.putArray("runs");
            r.runIds().forEach(ids::add);
            o.put("finished", r.finished());
            o.put("failed", r.failed());
            stat(o.putObject("test_accuracy_percent"), r.testAccuracy());
            stat(o.putObject("best_test_accuracy_percent"), r.bestTestAccuracy());
            ObjectNode w = o.putObject("final_hidden_widths");
            ArrayNode mean = w.putArray("mean");
            ArrayNode se = w.putArray("standard_error");
            for (double v : r.meanWidths()) {
                mean.add(v);
            }
            for (double v : r.widthErrors()) {
                if (Double.isNaN(v)) {
                    se.addNull();
                } else {
                    se.add(v);
                }
            }
            ArrayNode values = w.putArray("values");
            for (int[] ws : r.hiddenWidths()) {
                ArrayNode x = values.addArray();
                Arrays.stream(ws).forEach(x::add);
            }
            stat(o.putObject("parameters"), Arrays.stream(r.parameters()).asDoubleStream().toArray());
            ArrayNode curve = o.putArray("mean_test_accuracy_percent_per_epoch");
            Arrays.stream(r.curve()).forEach(curve::add);
        }
        return a;
    }

    private static void stat(ObjectNode o, double[] v) {
        if (v.length == 0) {
            o.putNull("mean");
        } else {
            o.put("mean", Stats.mean(v));
        }
        double se = Stats.standardError(v);
        if (Double.isNaN(se)) {
            o.putNull("standard_error");
        } else {
            o.put("standard_error", se);
        }
        ArrayNode a = o.putArray("values");
        Arrays.stream(v).forEach(a::add);
    }

    /**
     * The table in Markdown.
     *
     * @param executor what the runs trained on
     * @return {@code results.md}'s text
     */
    public String markdown(String executor) {
        StringBuilder md = new StringBuilder("# Sweep " + name + "\n\n");
        int runs = configurations.stream().mapToInt(r -> r.runIds().size()).sum();
        md.append(String.format(Locale.ROOT, "%d configuration%s x %d repeat%s (seeds %s) = %d runs, trained on %s. "
                        + "Mean ± standard error over the repeats that finished; accuracies on the test part, in %%; "
                        + "widths of the hidden layers after the last epoch.%n%n", configurations.size(),
                configurations.size() == 1 ? "" : "s", seeds.size(), seeds.size() == 1 ? "" : "s",
                seeds.stream().map(String::valueOf).reduce((x, y) -> x + ", " + y).orElse(""), runs, executor));
        md.append("| # | configuration | runs | test accuracy (%) | best test accuracy (%) | final hidden widths | "
                + "parameters |\n");
        md.append("| ---: | --- | ---: | ---: | ---: | --- | ---: |\n");
        for (Row r : configurations) {
            String runsText = r.finished() + (r.failed() > 0 ? " (" + r.failed() + " failed)" : "");
            if (r.finished() == 0) {
                md.append(String.format(Locale.ROOT, "| %d | %s | %s | - | - | - | - |%n", r.index(), r.label(),
                        runsText));
                continue;
            }
            double[] mw = r.meanWidths();
            double[] sw = r.widthErrors();
            StringBuilder widths = new StringBuilder();
            for (int l = 0; l < mw.length; l++) {
                widths.append(l == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", mw[l]));
                if (!Double.isNaN(sw[l])) {
                    widths.append(String.format(Locale.ROOT, " ± %.1f", sw[l]));
                }
            }
            md.append(String.format(Locale.ROOT, "| %d | %s | %s | %s | %s | %s | %.0f |%n", r.index(), r.label(),
                    runsText, Stats.format(r.testAccuracy(), "%.2f"), Stats.format(r.bestTestAccuracy(), "%.2f"),
                    widths, Stats.mean(Arrays.stream(r.parameters()).asDoubleStream().toArray())));
        }
        if (!failures.isEmpty()) {
            md.append("\nFailed runs (run the sweep again on the same directory to retry them):\n\n");
            for (RunResult f : failures) {
                md.append(String.format(Locale.ROOT, "- `%s` (%s, seed %d): %s%n", f.id(), f.label(), f.seed(),
                        f.error()));
            }
        }
        md.append("\nOptions of each configuration (the rest are `isotropic train`'s defaults):\n\n");
        for (Row r : configurations) {
            StringBuilder o = new StringBuilder();
            r.options().forEach((k, v) -> o.append(o.isEmpty() ? "" : ", ").append(k).append('=').append(v));
            md.append(String.format(Locale.ROOT, "- %d `%s`: %s%n", r.index(), r.id(), o.isEmpty() ? "(defaults)" : o));
        }
        md.append("\n![test accuracy per epoch](plots/accuracy.png)\n\n![final test accuracy]"
                + "(plots/final-accuracy.png)\n\n![final widths](plots/final-widths.png)\n");
        return md.toString();
    }

    /**
     * Writes {@code results.json}, {@code results.md} and the plots into the sweep directory.
     *
     * @param dir the sweep directory
     * @param executor what the runs trained on
     * @param seconds wall time of this invocation's training
     * @return the files written
     * @throws IOException if a file cannot be written
     */
    public List<Path> write(Path dir, String executor, double seconds) throws IOException {
        List<Path> out = new ArrayList<>();
        ObjectNode root = Sweep.JSON.createObjectNode();
        root.put("format", "isotropic-sweep-results");
        root.put("format_version", 1);
        root.put("name", name);
        ArrayNode s = root.putArray("seeds");
        seeds.forEach(s::add);
        root.put("executor", executor);
        root.put("training_seconds_this_invocation", seconds);
        root.set("configurations", configurationsJson());
        ArrayNode f = root.putArray("failures");
        for (RunResult r : failures) {
            ObjectNode o = f.addObject();
            o.put("id", r.id());
            o.put("configuration", r.configIndex());
            o.put("label", r.label());
            o.put("seed", r.seed());
            o.put("error", r.error());
            o.put("attempts", r.attempts());
            o.put("host", r.host());
        }
        Path json = dir.resolve("results.json");
        AtomicFiles.write(json, Sweep.JSON.writeValueAsBytes(root));
        out.add(json);
        Path md = dir.resolve("results.md");
        AtomicFiles.write(md, markdown(executor).getBytes(StandardCharsets.UTF_8));
        out.add(md);
        out.addAll(plots(dir.resolve("plots")));
        return out;
    }

    private List<Path> plots(Path plots) throws IOException {
        AtomicFiles.createDirectory(plots, false);
        List<Path> out = new ArrayList<>();
        List<Row> ok = configurations.stream().filter(r -> r.finished() > 0).toList();
        if (ok.isEmpty()) {
            return out;
        }
        int epochs = ok.stream().mapToInt(r -> r.curve().length).max().orElse(0);
        double[] x = new double[epochs];
        for (int e = 0; e < epochs; e++) {
            x[e] = e + 1;
        }
        Map<String, double[]> curves = new LinkedHashMap<>();
        for (Row r : ok) {
            double[] y = Arrays.copyOf(r.curve(), epochs);
            Arrays.fill(y, r.curve().length, epochs, Double.NaN);
            curves.put(category(r), y);
        }
        out.add(Charts.lines(plots.resolve("accuracy.png"), "Test accuracy per epoch (mean over repeats)", "epoch",
                "test accuracy (%)", x, curves, false));
        List<String> cats = ok.stream().map(SweepReport::category).toList();
        Map<String, double[]> acc = Map.of("final test accuracy",
                ok.stream().mapToDouble(r -> Stats.mean(r.testAccuracy())).toArray());
        Map<String, double[]> accErr = Map.of("final test accuracy",
                ok.stream().mapToDouble(r -> Stats.standardError(r.testAccuracy())).toArray());
        out.add(Charts.bars(plots.resolve("final-accuracy.png"), "Final test accuracy (mean ± standard error)",
                "test accuracy (%)", cats, acc, accErr));
        int layers = ok.stream().mapToInt(r -> r.meanWidths().length).max().orElse(0);
        Map<String, double[]> widths = new LinkedHashMap<>();
        Map<String, double[]> widthErr = new LinkedHashMap<>();
        for (int l = 0; l < layers; l++) {
            final int ll = l;
            widths.put("hidden layer " + (l + 1), ok.stream().mapToDouble(r -> ll < r.meanWidths().length
                    ? r.meanWidths()[ll] : 0).toArray());
            widthErr.put("hidden layer " + (l + 1), ok.stream().mapToDouble(r -> ll < r.widthErrors().length
                    ? r.widthErrors()[ll] : Double.NaN).toArray());
        }
        out.add(Charts.bars(plots.resolve("final-widths.png"), "Final hidden widths (mean ± standard error)",
                "neurons", cats, widths, widthErr));
        return out;
    }

    /** A configuration's name on a chart: its number and label, shortened. */
    private static String category(Row r) {
        String s = "#" + r.index() + " " + r.label();
        return s.length() > 40 ? s.substring(0, 39) + "…" : s;
    }
}
