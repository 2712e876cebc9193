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
    /** The most classes a CSV data set may have (a larger label is almost surely an id, not a class). */
    public static final int MAX_CLASSES = 100_000;
    /** The most characters of one line. */
    public static final int MAX_LINE_CHARS = 16 << 20;

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
     *         out-of-range label (at most {@value #MAX_CLASSES} classes), a line over {@value #MAX_LINE_CHARS}
     *         characters, more data than fit in memory, or no data (the message names the file, line and column)
     * @throws IOException for other read errors
     * @throws IllegalArgumentException if classes is negative or above {@value #MAX_CLASSES}
     */
    public static Dataset read(String name, Path file, int labelColumn, boolean header, int classes, DType dtype)
            throws IOException {
        try (InputStream in = Sources.open(file)) {
            return parse(name, file.toString(), in, labelColumn, header, classes, dtype);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new DatasetFormatException(file + ": corrupt or truncated compressed data: " + e.getMessage());
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
     * @throws DatasetFormatException for malformed content, as for {@link #read}
     * @throws IOException for read errors
     * @throws IllegalArgumentException if classes is negative or above {@value #MAX_CLASSES}
     */
    public static Dataset parse(String name, String source, InputStream in, int labelColumn, boolean header,
                                int classes, DType dtype) throws IOException {
        if (classes < 0 || classes > MAX_CLASSES) {
            throw new IllegalArgumentException("CsvReader: classes must be 0 (inferred) or 1.." + MAX_CLASSES + ", got "
                    + classes);
        }
        try {
            return parseText(name, source, in, labelColumn, header, classes, dtype);
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new DatasetFormatException(source + ": corrupt or truncated compressed data: " + e.getMessage());
        }
    }

    private static Dataset parseText(String name, String source, InputStream in, int labelColumn, boolean header,
                                     int classes, DType dtype) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(Sources.maybeGunzip(in), StandardCharsets.UTF_8));
        Runtime rt = Runtime.getRuntime();
        long values = 0;
        List<double[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int columns = -1;
        int labelAt = -1;
        int lineNo = 0;
        boolean skipHeader = header;
        String line;
        while ((line = readLine(r, source, lineNo + 1)) != null) {
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
                if (parts.length > 10_000_000) {
                    throw new DatasetFormatException(source + " line " + lineNo + ": " + parts.length + " columns is "
                            + "more than this reader supports (10,000,000)");
                }
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
                    if (v != Math.rint(v) || v < 0) {
                        throw new DatasetFormatException(source + " line " + lineNo + " column " + (c + 1) + ": label '"
                                + tok + "' is not a non-negative integer");
                    }
                    if (v >= MAX_CLASSES && classes == 0) {
                        throw new DatasetFormatException(source + " line " + lineNo + " column " + (c + 1) + ": label "
                                + tok + " would mean more than " + MAX_CLASSES + " classes; is column " + (c + 1)
                                + " a class label 0..K-1 (not an id or a measurement)?");
                    }
                    if (classes > 0 && v >= classes) {
                        throw new DatasetFormatException(source + " line " + lineNo + " column " + (c + 1) + ": label "
                                + tok + " out of range 0.." + (classes - 1));
                    }
                    label = (int) v;
                } else {
                    row[k++] = v;
                }
            }
            rows.add(row);
            labels.add(label);
            values += columns + 4;
            if ((rows.size() & 1023) == 0) {
                long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
                if (values * 8 * 3 > free) {
                    throw new DatasetFormatException(source + " line " + lineNo + ": the data do not fit in memory ("
                            + rows.size() + " rows of " + columns + " columns so far, " + free / 1_000_000
                            + " MB of the Java heap free); give Java more memory (e.g. -Xmx8g) or use fewer rows");
                }
            }
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

    /** Reads one line (without its terminator), refusing lines over {@link #MAX_LINE_CHARS} characters. */
    private static String readLine(BufferedReader r, String source, int lineNo) throws IOException {
        StringBuilder sb = null;
        int c;
        while ((c = r.read()) >= 0) {
            if (c == '\n') {
                return sb == null ? "" : strip(sb);
            }
            if (sb == null) {
                sb = new StringBuilder();
            }
            if (sb.length() >= MAX_LINE_CHARS) {
                throw new DatasetFormatException(source + " line " + lineNo + ": longer than " + MAX_LINE_CHARS
                        + " characters (not a CSV file?)");
            }
            sb.append((char) c);
        }
        return sb == null ? null : strip(sb);
    }

    private static String strip(StringBuilder sb) {
        int n = sb.length();
        return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
    }
}
