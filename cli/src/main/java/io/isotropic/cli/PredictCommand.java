package io.isotropic.cli;

import io.isotropic.data.Dataset;
import io.isotropic.persist.AtomicFiles;
import io.isotropic.persist.ModelFile;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Predicts rows of a CSV file with a saved model: classes, probabilities or logits at full precision. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Read raw feature rows from a CSV file (n_0 columns, or n_0 + 1 with --labelled) and write, per "
                + "row, the predicted class and the class probabilities or logits, as CSV or JSON Lines. Numbers are "
                + "the shortest decimals that read back to the same value in the model's dtype.")
final class PredictCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;
    @Mixin
    ModelOptions model;
    @Mixin
    CommonOptions common;

    @Option(names = "--input", required = true, paramLabel = "CSV", description = "Input rows (raw features).")
    Path input;

    @Option(names = "--output", defaultValue = "probabilities", paramLabel = "WHAT",
            description = "logits, probabilities (default) or class.")
    String output;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "csv or jsonl (default: jsonl if --out ends in .jsonl or .ndjson, else csv).")
    String format;

    @Option(names = "--out", paramLabel = "FILE", description = "Output file (default: standard output); not "
            + "overwritten unless --force.")
    Path out;

    @Option(names = "--labelled", description = "The last input column is a label (not used for prediction, echoed).")
    boolean labelled;

    @Option(names = "--force", description = "Overwrite an existing --out file.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        String what = output.toLowerCase(Locale.ROOT);
        if (!what.equals("logits") && !what.equals("probabilities") && !what.equals("class")) {
            throw Usage.bad(spec, "--output must be logits, probabilities or class, got '" + output + "' (the output "
                    + "file is --out)");
        }
        boolean jsonl;
        if (format == null) {
            String n = out == null ? "" : out.getFileName().toString().toLowerCase(Locale.ROOT);
            jsonl = n.endsWith(".jsonl") || n.endsWith(".ndjson");
        } else {
            String f = format.toLowerCase(Locale.ROOT);
            if (!f.equals("csv") && !f.equals("jsonl")) {
                throw Usage.bad(spec, "--format must be csv or jsonl, got '" + format + "'");
            }
            jsonl = f.equals("jsonl");
        }
        if (out == null) {
            Usage.reject(spec, "--force", "needs --out (standard output is never 'overwritten')");
        } else if (Files.exists(out) && !force) {
            throw new IllegalArgumentException("--out " + out + " exists; pass --force to overwrite it");
        }
        try (Backend backend = common.createBackend()) {
            ModelFile.Loaded m = model.load(backend);
            DType dtype = m.net().dtype();
            Usage.rejectDtype(spec, dtype);
            Activity.now("reading " + input);
            Dataset d = FeatureRows.read("--input", input, m.net().widths()[0], dtype, labelled);
            Tensor x = m.standardiser() == null ? d.features() : m.standardiser().apply(d.features());
            Tensor logits = m.net().predict(x);
            String text = format(logits, d, what, jsonl, dtype);
            if (out == null) {
                PrintWriter w = spec.commandLine().getOut();
                w.print(text);
                w.flush();
            } else {
                Path parent = out.toAbsolutePath().getParent();
                Files.createDirectories(parent);
                AtomicFiles.write(out.toAbsolutePath(), text.getBytes(StandardCharsets.UTF_8));
                PrintWriter w = spec.commandLine().getOut();
                w.printf("wrote %d predictions (%s, %s) to %s%n", logits.rows(), what, jsonl ? "jsonl" : "csv", out);
                w.flush();
            }
        }
        return 0;
    }

    private String format(Tensor logits, Dataset d, String what, boolean jsonl, DType dtype) {
        int classes = logits.cols();
        String key = what.equals("logits") ? "logit" : "p";
        StringBuilder sb = new StringBuilder();
        if (!jsonl) {
            sb.append("prediction");
            if (labelled) {
                sb.append(",label");
            }
            if (!what.equals("class")) {
                for (int c = 0; c < classes; c++) {
                    sb.append(',').append(key).append(c);
                }
            }
            sb.append('\n');
        }
        double[] v = new double[classes];
        for (int i = 0; i < logits.rows(); i++) {
            double max = Double.NEGATIVE_INFINITY;
            int arg = 0;
            for (int c = 0; c < classes; c++) {
                double z = logits.get(i, c);
                if (!Double.isFinite(z)) {
                    throw new IllegalStateException("predict: row " + i + " of --input " + input + " gives logit " + c
                            + " = " + z + "; the model overflows on this input");
                }
                if (z > max) {
                    max = z;
                    arg = c;
                }
            }
            if (what.equals("logits")) {
                for (int c = 0; c < classes; c++) {
                    v[c] = logits.get(i, c);
                }
            } else if (what.equals("probabilities")) {
                double sum = 0;
                for (int c = 0; c < classes; c++) {
                    v[c] = Math.exp(logits.get(i, c) - max);
                    sum += v[c];
                }
                for (int c = 0; c < classes; c++) {
                    v[c] /= sum;
                }
            }
            if (jsonl) {
                sb.append("{\"prediction\":").append(arg);
                if (labelled) {
                    sb.append(",\"label\":").append(d.label(i));
                }
                if (!what.equals("class")) {
                    sb.append(",\"").append(what).append("\":[");
                    for (int c = 0; c < classes; c++) {
                        sb.append(c == 0 ? "" : ",").append(number(v[c], dtype));
                    }
                    sb.append(']');
                }
                sb.append("}\n");
            } else {
                sb.append(arg);
                if (labelled) {
                    sb.append(',').append(d.label(i));
                }
                if (!what.equals("class")) {
                    for (int c = 0; c < classes; c++) {
                        sb.append(',').append(number(v[c], dtype));
                    }
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /** The shortest decimal that reads back to the same value in the model's dtype. */
    static String number(double v, DType dtype) {
        return dtype == DType.F32 ? Float.toString((float) v) : Double.toString(v);
    }
}
