package io.isotropic.cli;

import io.isotropic.persist.ModelFile;
import io.isotropic.data.CsvReader;
import io.isotropic.data.Dataset;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Predicts classes for rows of a CSV file with a saved model. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Read raw feature rows from a CSV file (n_0 columns, or n_0 + 1 with --labelled), write the "
                + "predicted class and class probabilities as CSV.")
final class PredictCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;
    @Mixin
    ModelOptions model;
    @Mixin
    CommonOptions common;

    @Option(names = "--input", required = true, paramLabel = "CSV", description = "Input rows (raw features).")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "CSV", description = "Output file (not overwritten "
            + "unless --force).")
    Path output;

    @Option(names = "--labelled", description = "The last input column is a label (ignored for prediction, echoed).")
    boolean labelled;

    @Option(names = "--force", description = "Overwrite an existing output file.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        if (Files.exists(output) && !force) {
            throw new IllegalArgumentException("--output " + output + " exists; pass --force to overwrite it");
        }
        try (Backend backend = common.createBackend()) {
            ModelFile.Loaded m = model.load(backend);
            common.requireModelDtype(m.net().dtype());
            Activity.now("reading " + input);
            int n0 = m.net().widths()[0];
            Dataset d = readRows(input, n0, m.net().dtype());
            Tensor x = m.standardiser() == null ? d.features() : m.standardiser().apply(d.features());
            Tensor logits = m.net().predict(x);
            int classes = logits.cols();
            StringBuilder sb = new StringBuilder("prediction");
            if (labelled) {
                sb.append(",label");
            }
            for (int c = 0; c < classes; c++) {
                sb.append(",p").append(c);
            }
            sb.append('\n');
            for (int i = 0; i < logits.rows(); i++) {
                double max = Double.NEGATIVE_INFINITY;
                int arg = 0;
                for (int c = 0; c < classes; c++) {
                    double v = logits.get(i, c);
                    if (v > max) {
                        max = v;
                        arg = c;
                    }
                }
                double sum = 0;
                double[] p = new double[classes];
                for (int c = 0; c < classes; c++) {
                    p[c] = Math.exp(logits.get(i, c) - max);
                    sum += p[c];
                }
                sb.append(arg);
                if (labelled) {
                    sb.append(',').append(d.label(i));
                }
                for (int c = 0; c < classes; c++) {
                    sb.append(',').append(String.format(Locale.ROOT, "%.6g", p[c] / sum));
                }
                sb.append('\n');
            }
            Path parent = output.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            io.isotropic.persist.AtomicFiles.write(output.toAbsolutePath(), sb.toString().getBytes(StandardCharsets.UTF_8));
            PrintWriter w = spec.commandLine().getOut();
            w.printf("wrote %d predictions to %s%n", logits.rows(), output);
            w.flush();
        }
        return 0;
    }

    private Dataset readRows(Path file, int n0, io.isotropic.tensor.DType dtype) throws IOException {
        if (labelled) {
            Dataset d = CsvReader.read(file.getFileName().toString(), file, -1, false, 0, dtype);
            if (d.featureCount() != n0) {
                throw new IllegalArgumentException("--input " + file + " has " + d.featureCount()
                        + " feature columns; the model expects " + n0);
            }
            return d;
        }
        // unlabelled: append a dummy label column so the CSV reader's checks apply unchanged
        StringBuilder sb = new StringBuilder();
        try (InputStream in = Files.newInputStream(file);
             BufferedReader r = new BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    sb.append(line).append(",0\n");
                }
            }
        }
        Dataset d = CsvReader.parse(file.getFileName().toString(), file.toString(),
                new java.io.ByteArrayInputStream(sb.toString().getBytes(StandardCharsets.UTF_8)), -1, false, 1, dtype);
        if (d.featureCount() != n0) {
            throw new IllegalArgumentException("--input " + file + " has " + d.featureCount()
                    + " columns; the model expects " + n0 + " features");
        }
        return d;
    }
}
