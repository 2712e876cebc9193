package io.isotropic.cli.experiments;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Small XChart helpers for the experiment and sweep reports: PNG charts, written atomically. */
public final class Charts {
    private Charts() {
    }

    /**
     * A line chart with one series per map entry (x values shared; NaN values are gaps).
     *
     * @param file the PNG file to write
     * @param title the chart's title
     * @param xTitle the x axis's title
     * @param yTitle the y axis's title
     * @param x the x values {@code [n]}
     * @param series name to y values {@code [n]}
     * @param logY true for a logarithmic y axis (values {@code <= 0} are left out)
     * @return {@code file}
     * @throws IOException if the file cannot be written
     */
    public static Path lines(Path file, String title, String xTitle, String yTitle, double[] x, Map<String, double[]> series,
                      boolean logY) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYChart c = new XYChartBuilder().width(900).height(540).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
                .build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setYAxisLogarithmic(logY);
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            double[] y = e.getValue().clone();
            if (logY) {
                for (int i = 0; i < y.length; i++) {
                    y[i] = y[i] > 0 ? y[i] : Double.NaN; // zeros cannot be drawn on a log axis
                }
            }
            XYSeries s = c.addSeries(e.getKey(), x, y);
            s.setMarker(x.length > 40 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        }
        io.isotropic.persist.AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG));
        return file;
    }

    /**
     * A grouped bar chart: categories on x, one bar series per map entry.
     *
     * @param file the PNG file to write
     * @param title the chart's title
     * @param yTitle the y axis's title
     * @param categories the categories {@code [n]}
     * @param series name to bar heights {@code [n]}
     * @return {@code file}
     * @throws IOException if the file cannot be written
     */
    public static Path bars(Path file, String title, String yTitle, List<String> categories,
                            Map<String, double[]> series) throws IOException {
        return bars(file, title, yTitle, categories, series, Map.of());
    }

    /**
     * A grouped bar chart with error bars: categories on x, one bar series per map entry.
     *
     * @param file the PNG file to write
     * @param title the chart's title
     * @param yTitle the y axis's title
     * @param categories the categories {@code [n]}
     * @param series name to bar heights {@code [n]}
     * @param errors name to half-lengths of the error bars {@code [n]} (NaN draws none); series without an entry
     *               get none
     * @return {@code file}
     * @throws IOException if the file cannot be written
     */
    public static Path bars(Path file, String title, String yTitle, List<String> categories,
                            Map<String, double[]> series, Map<String, double[]> errors) throws IOException {
        System.setProperty("java.awt.headless", "true");
        CategoryChart c = new CategoryChartBuilder().width(900).height(540).title(title).yAxisTitle(yTitle).build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        if (categories.stream().mapToInt(String::length).sum() > 80) {
            c.getStyler().setXAxisLabelRotation(30);
        }
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            List<Double> ys = java.util.Arrays.stream(e.getValue()).boxed().toList();
            double[] err = errors.get(e.getKey());
            if (err == null) {
                c.addSeries(e.getKey(), categories, ys);
            } else {
                c.addSeries(e.getKey(), categories, ys, java.util.Arrays.stream(err).map(v -> Double.isNaN(v) ? 0 : v)
                        .boxed().toList());
            }
        }
        io.isotropic.persist.AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG));
        return file;
    }

    /**
     * A heat map: one cell per (x category, y category), coloured by {@code values[x][y]} on a white-to-dark scale
     * from {@code 0} to the largest value (NaN cells are left out).
     *
     * @param file the PNG to write
     * @param title chart title
     * @param xTitle x-axis title
     * @param yTitle y-axis title
     * @param xLabels the x categories, in order
     * @param yLabels the y categories, bottom to top
     * @param values {@code [x][y]} the cell values, {@code >= 0}
     * @return the file
     * @throws IOException if the file cannot be written
     */
    static Path heatMap(Path file, String title, String xTitle, String yTitle, List<String> xLabels,
                        List<String> yLabels, double[][] values) throws IOException {
        System.setProperty("java.awt.headless", "true");
        HeatMapChart c = new HeatMapChartBuilder().width(900).height(600).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setPlotContentSize(1.0);
        c.getStyler().setShowValue(false);
        c.getStyler().setDrawBorder(false);
        c.getStyler().setRangeColors(new Color[] {Color.WHITE, new Color(0x6baed6), new Color(0x08306b)});
        double max = 0;
        List<Number[]> cells = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            for (int j = 0; j < values[i].length; j++) {
                if (!Double.isNaN(values[i][j])) {
                    cells.add(new Number[] {i, j, values[i][j]});
                    max = Math.max(max, values[i][j]);
                }
            }
        }
        c.getStyler().setMin(0);
        c.getStyler().setMax(max > 0 ? max : 1);
        c.addSeries(title, xLabels, yLabels, cells);
        io.isotropic.persist.AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(c, BitmapEncoder.BitmapFormat.PNG));
        return file;
    }
}
