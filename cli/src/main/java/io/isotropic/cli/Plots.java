package io.isotropic.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** PNG charts of a training run, drawn with XChart from the per-epoch metrics. */
final class Plots {
    private Plots() {
    }

    /**
     * Draws accuracy, loss, widths and (if recorded) singular spectra into {@code dir/plots}.
     *
     * @param dir the run directory
     * @param epochs the metrics lines
     * @param tau the scaffold threshold to draw on spectra, or NaN
     * @return the files written
     * @throws IOException if a file cannot be written
     */
    static List<Path> draw(Path dir, List<JsonNode> epochs, double tau) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path plots = dir.resolve("plots");
        Files.createDirectories(plots);
        List<Path> out = new ArrayList<>();
        epochs = lastPerEpoch(epochs);
        if (epochs.isEmpty()) {
            return out;
        }
        double[] x = epochs.stream().mapToDouble(e -> e.get("epoch").asInt() + 1).toArray();
        List<Double> phases = phaseBoundaries(epochs);
        XYChart acc = chart("Accuracy", "epoch", "accuracy (%)");
        line(acc, "train", x, series(epochs, "train_accuracy", 100));
        if (epochs.get(0).has("tasks")) {
            // per task: test accuracy over the epochs (NaN while a task is not bound), phase boundaries marked
            java.util.LinkedHashSet<String> names = new java.util.LinkedHashSet<>();
            epochs.forEach(e -> e.get("tasks").fieldNames().forEachRemaining(names::add));
            for (String n : names) {
                line(acc, "test: " + n, x, epochs.stream().mapToDouble(e -> e.get("tasks").path(n).has("test_accuracy")
                        ? 100 * e.get("tasks").path(n).get("test_accuracy").asDouble() : Double.NaN).toArray());
            }
            acc.setTitle("Accuracy per task (dashed: phase boundaries)");
        } else {
            line(acc, "test", x, series(epochs, "test_accuracy", 100));
        }
        markPhases(acc, phases, 0, 100);
        out.add(save(acc, plots.resolve("accuracy.png")));
        XYChart loss = chart("Loss (cross-entropy)", "epoch", "loss");
        line(loss, "train", x, series(epochs, "train_loss", 1));
        line(loss, "test", x, series(epochs, "test_loss", 1));
        out.add(save(loss, plots.resolve("loss.png")));
        int hidden = epochs.get(0).get("widths").size() - 2;
        XYChart widths = chart("Hidden-layer widths", "epoch", "neurons");
        for (int h = 1; h <= hidden; h++) {
            final int idx = h;
            line(widths, "hidden layer " + h, x, epochs.stream().mapToDouble(e -> e.get("widths").get(idx).asDouble())
                    .toArray());
        }
        double maxWidth = epochs.stream().mapToDouble(e -> {
            double m = 0;
            for (int h = 1; h <= hidden; h++) {
                m = Math.max(m, e.get("widths").get(h).asDouble());
            }
            return m;
        }).max().orElse(1);
        markPhases(widths, phases, 0, maxWidth);
        out.add(save(widths, plots.resolve("widths.png")));
        List<JsonNode> withSpectra = epochs.stream().filter(e -> e.has("spectra")).toList();
        if (!withSpectra.isEmpty()) {
            int layers = withSpectra.get(0).get("spectra").size();
            for (int l = 0; l < layers; l++) {
                XYChart s = chart("Singular values of W_" + l + " (light: early epochs, dark: late)", "index i",
                        "sigma_i");
                s.getStyler().setLegendVisible(false);
                int n = withSpectra.size();
                for (int k = 0; k < n; k++) {
                    JsonNode sv = withSpectra.get(k).get("spectra").get(l);
                    if (sv.isEmpty()) {
                        continue;
                    }
                    double[] idx = new double[sv.size()];
                    double[] val = new double[sv.size()];
                    for (int i = 0; i < sv.size(); i++) {
                        idx[i] = i;
                        val[i] = sv.get(i).asDouble();
                    }
                    XYSeries series = s.addSeries("epoch " + (withSpectra.get(k).get("epoch").asInt() + 1), idx, val);
                    float shade = n == 1 ? 0.2f : 0.85f - 0.75f * k / (n - 1);
                    series.setLineColor(new Color(shade, shade, 1f - 0.5f * shade));
                    series.setMarker(SeriesMarkers.NONE);
                }
                if (!Double.isNaN(tau) && l < layers - 1) {
                    int len = withSpectra.get(n - 1).get("spectra").get(l).size();
                    XYSeries t = s.addSeries("tau", new double[] {0, Math.max(1, len - 1)}, new double[] {tau, tau});
                    t.setLineColor(Color.RED);
                    t.setMarker(SeriesMarkers.NONE);
                }
                out.add(save(s, plots.resolve("spectra-layer-" + l + ".png")));
            }
        }
        return out;
    }

    /** One line per epoch (the last, should a log ever hold an epoch twice), in epoch order. */
    private static List<JsonNode> lastPerEpoch(List<JsonNode> epochs) {
        java.util.TreeMap<Integer, JsonNode> by = new java.util.TreeMap<>();
        for (JsonNode e : epochs) {
            if (e.has("epoch") && e.has("widths")) {
                by.put(e.get("epoch").asInt(), e);
            }
        }
        return new ArrayList<>(by.values());
    }

    /** Where a multi-task run's phase changes: halfway between the last epoch of a phase and the first of the next. */
    private static List<Double> phaseBoundaries(List<JsonNode> epochs) {
        List<Double> out = new ArrayList<>();
        for (int i = 1; i < epochs.size(); i++) {
            JsonNode a = epochs.get(i - 1);
            JsonNode b = epochs.get(i);
            if (a.has("phase") && b.has("phase") && a.get("phase").asInt() != b.get("phase").asInt()) {
                out.add(b.get("epoch").asInt() + 0.5);
            }
        }
        return out;
    }

    private static void markPhases(XYChart c, List<Double> boundaries, double lo, double hi) {
        for (int i = 0; i < boundaries.size(); i++) {
            double b = boundaries.get(i);
            XYSeries s = c.addSeries("phase " + (i + 2), new double[] {b, b}, new double[] {lo, hi});
            s.setLineColor(Color.GRAY);
            s.setLineStyle(new java.awt.BasicStroke(1f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER,
                    10f, new float[] {6f, 4f}, 0f));
            s.setMarker(SeriesMarkers.NONE);
            s.setShowInLegend(false);
        }
    }

    private static XYChart chart(String title, String xTitle, String yTitle) {
        XYChart c = new XYChartBuilder().width(900).height(540).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        return c;
    }

    private static void line(XYChart c, String name, double[] x, double[] y) {
        XYSeries s = c.addSeries(name, x, y);
        s.setMarker(x.length > 30 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
    }

    private static double[] series(List<JsonNode> epochs, String key, double scale) {
        return epochs.stream().mapToDouble(e -> e.has(key) ? scale * e.get(key).asDouble() : Double.NaN).toArray();
    }

    private static Path save(XYChart c, Path file) throws IOException {
        byte[] png = BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG);
        io.isotropic.persist.AtomicFiles.write(file, png);
        return file;
    }
}
