package io.isotropic.bench.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws one PNG bar chart per operation of a {@link Comparison} (XChart): GFLOP/s where the operation has a flop
 * count, else each column's time relative to the fastest backend of the case; one bar group per case, one series
 * per backend and peer.
 */
final class Charts {
    /** Groups beyond which the case labels are turned vertical so that they do not overlap. */
    private static final int HORIZONTAL_LABELS_UP_TO = 4;

    /** Approximate width in pixels of one character of XChart's default tick-label font. */
    private static final double CHAR_WIDTH = 6.5;

    private final Comparison c;

    Charts(Comparison c) {
        this.c = c;
    }

    /**
     * Writes every chart into {@code dir} (created).
     *
     * @return operation title to its PNG file
     */
    Map<String, Path> write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, Path> out = new LinkedHashMap<>();
        for (Map.Entry<String, Map<Comparison.RowKey, Map<String, Comparison.Cell>>> op : c.operations().entrySet()) {
            out.put(op.getKey(), chart(op.getKey(), op.getValue(), dir));
        }
        return out;
    }

    static String slug(String title) {
        String s = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-+|-+$)", "");
        return s.isEmpty() ? "operation" : s;
    }

    private Path chart(String title, Map<Comparison.RowKey, Map<String, Comparison.Cell>> rows, Path dir)
            throws IOException {
        boolean flops = rows.values().stream().flatMap(m -> m.values().stream())
                .anyMatch(cell -> !Double.isNaN(cell.flops()));
        List<String> categories = new ArrayList<>();
        rows.keySet().forEach(k -> categories.add(k.label() + " " + k.dtype()));
        int longest = categories.stream().mapToInt(String::length).max().orElse(0);
        // horizontal labels only when few and short enough for their group's width (the plot is about 820 pixels)
        boolean vertical = rows.size() > HORIZONTAL_LABELS_UP_TO || CHAR_WIDTH * longest > 820.0 / rows.size();
        int height = 480 + (vertical ? (int) (CHAR_WIDTH * longest) : 0); // room below the plot for them
        CategoryChart chart = new CategoryChartBuilder().width(900).height(height).title(title)
                .xAxisTitle("case").yAxisTitle(flops ? "GFLOP/s (higher is better)"
                        : "time / fastest backend's time (lower is better)")
                .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        // XChart centres each label's rotated bounding box on its group and drops a label that does not fit the
        // width; at 20 degrees a long label's end reached into the next group (so labels read one group off) and
        // the last label fell off the chart. Vertical labels are as wide as one line of text: under their group.
        chart.getStyler().setXAxisLabelRotation(vertical ? 90 : 0);
        for (String col : c.columns()) {
            List<Double> ys = new ArrayList<>();
            boolean any = false;
            for (Map<String, Comparison.Cell> cells : rows.values()) {
                Comparison.Cell cell = cells.get(col);
                String fastest = c.fastestBackend(cells);
                double best = fastest == null ? Double.NaN : cells.get(fastest).seconds();
                double y = cell == null ? Double.NaN : flops ? cell.gflops() : cell.seconds() / best;
                any |= cell != null;
                ys.add(Double.isNaN(y) ? null : y); // a gap where a column has no result
            }
            if (any) {
                chart.addSeries(c.isPeer(col) ? col + " (peer)" : col, categories, ys);
            }
        }
        Path png = dir.resolve(slug(title) + ".png");
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        return png;
    }
}
