package io.isotropic.cli;

import io.isotropic.data.CsvReader;
import io.isotropic.data.Dataset;
import io.isotropic.tensor.DType;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads rows of raw features from a CSV file, with or without a label in the last column. */
final class FeatureRows {
    private FeatureRows() {
    }

    /**
     * Reads the rows.
     *
     * @param option the option that named the file, for messages
     * @param file the CSV file
     * @param n0 features the model expects
     * @param dtype the model's dtype
     * @param labelled whether the last column is a label
     * @return the rows (labels 0 when unlabelled)
     * @throws IllegalArgumentException if the column count does not match
     */
    static Dataset read(String option, Path file, int n0, DType dtype, boolean labelled) throws IOException {
        if (labelled) {
            Dataset d = CsvReader.read(file.getFileName().toString(), file, -1, false, 0, dtype);
            if (d.featureCount() != n0) {
                throw new IllegalArgumentException(option + " " + file + " has " + d.featureCount()
                        + " feature columns; the model expects " + n0);
            }
            return d;
        }
        // unlabelled: append a dummy label column so the CSV reader's checks apply unchanged
        StringBuilder sb = new StringBuilder();
        try (InputStream in = Files.newInputStream(file);
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    sb.append(line).append(",0\n");
                }
            }
        }
        Dataset d = CsvReader.parse(file.getFileName().toString(), file.toString(),
                new ByteArrayInputStream(sb.toString().getBytes(StandardCharsets.UTF_8)), -1, false, 1, dtype);
        if (d.featureCount() != n0) {
            throw new IllegalArgumentException(option + " " + file + " has " + d.featureCount()
                    + " columns; the model expects " + n0 + " features");
        }
        return d;
    }
}
