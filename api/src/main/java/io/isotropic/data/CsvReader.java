package io.isotropic.data;

import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads comma-separated numeric data (optionally gzip-compressed) with one integer class label per line in a
 * chosen column (the last by default). Blank lines are skipped; a header line is allowed when requested.
 */
public final class CsvReader {
    private CsvReader() {
    }

    /**
     * Reads a CSV file into a data set.
     *
     * @param name the data set name
     * @param file the file
     * @param labelColumn the label column (0-based; negative counts from the end, -1 = last)
     * @param header whether the first non-blank line is a header to skip
     * @param classes number of classes, or 0 to infer it as the largest label + 1
     * @param dtype feature dtype
     * @return the data set
     * @throws java.nio.file.NoSuchFileException if the file is missing
     * @throws DatasetFormatException for ragged lines, non-numeric or non-finite values, a non-integer or
     *         out-of-range label, or no data (the message names the file, line and column)
     * @throws IOException for other read errors
     */
    public static Dataset read(String name, Path file, int labelColumn, boolean header, int classes, DType dtype)
            throws IOException {
        try (InputStream in = Sources.open(file)) {
            return parse(name, file.toString(), in, labelColumn, header, classes, dtype);
        }
    }

    /**
     * Parses CSV text from a stream (the stream is not closed).
     *
     * @param name the data set name
     * @param source the source's name for messages
     * @param in the stream (gzip detected automatically)
     * @param labelColumn the label column (negative counts from the end)
     * @param header whether to skip a header line
     * @param classes number of classes, or 0 to infer
     * @param dtype feature dtype
     * @return the data set
     * @throws DatasetFormatException for malformed content
     * @throws IOException for read errors
     */
    public static Dataset parse(String name, String source, InputStream in, int labelColumn, boolean header,
                                int classes, DType dtype) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(Sources.maybeGunzip(in), StandardCharsets.UTF_8));
        List<double[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int columns = -1;
        int labelAt = -1;
        int lineNo = 0;
        boolean skipHeader = header;
        String line;
        while ((line = r.readLine()) != null) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            if (skipHeader) {
                skipHeader = false;
                continue;
            }
            String[] parts = line.split(",", -1);
            if (columns < 0) {
                columns = parts.length;
                labelAt = labelColumn < 0 ? columns + labelColumn : labelColumn;
                if (columns < 2 || labelAt < 0 || labelAt >= columns) {
                    throw new DatasetFormatException(source + " line " + lineNo + ": " + columns + " column(s); need "
                            + "at least one feature and the label column " + labelColumn);
                }
            } else if (parts.length != columns) {
                throw new DatasetFormatException(source + " line " + lineNo + ": " + parts.length + " columns, expected "
                        + columns + " (as on the first data line)");
            }
            double[] row = new double[columns - 1];
            int label = 0;
            for (int c = 0, k = 0; c < columns; c++) {
                String tok = parts[c].trim();
                double v;
                try {
                    v = Double.parseDouble(tok);
                } catch (NumberFormatException e) {
                    throw new DatasetFormatException(source + " line " + lineNo + " column " + (c + 1) + ": '" + tok
                            + "' is not a number" + (lineNo == 1 && !header ? " (a header line? pass header=true)" : ""));
                }
                if (!Double.isFinite(v)) {
                    throw new DatasetFormatException(source + " line " + lineNo + " column " + (c + 1) + ": value " + tok
                            + " is not finite");
                }
                if (c == labelAt) {
                    if (v != Math.rint(v) || v < 0 || v > Integer.MAX_VALUE) {
                        throw new DatasetFormatException(source + " line " + lineNo + " column " + (c + 1) + ": label '"
                                + tok + "' is not a non-negative integer");
                    }
                    label = (int) v;
                    if (classes > 0 && label >= classes) {
                        throw new DatasetFormatException(source + " line " + lineNo + " column " + (c + 1) + ": label "
                                + label + " out of range 0.." + (classes - 1));
                    }
                } else {
                    row[k++] = v;
                }
            }
            rows.add(row);
            labels.add(label);
        }
        if (rows.isEmpty()) {
            throw new DatasetFormatException(source + ": no data lines");
        }
        int d = columns - 1;
        Tensor x = Tensor.zeros(dtype, rows.size(), d);
        int[] y = new int[rows.size()];
        int maxLabel = 0;
        for (int i = 0; i < rows.size(); i++) {
            double[] row = rows.get(i);
            for (int j = 0; j < d; j++) {
                x.setFlat(i * d + j, row[j]);
            }
            y[i] = labels.get(i);
            maxLabel = Math.max(maxLabel, y[i]);
        }
        return Dataset.of(name, x, y, classes > 0 ? classes : maxLabel + 1);
    }
}
