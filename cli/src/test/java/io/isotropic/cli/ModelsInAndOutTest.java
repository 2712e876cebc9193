package io.isotropic.cli;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.isotropic.Backends;
import io.isotropic.persist.ModelFile;
import io.isotropic.persist.Safetensors;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 16, models in and out: import a plain MLP written by other code, restructure it without a data set, export
 * it to ONNX and run it with ONNX Runtime; predict at full precision; convert between F32 and F64; every refused
 * case says why in one line.
 */
class ModelsInAndOutTest {
    @TempDir
    Path dir;

    private static final Backend BE = Backends.get("ejml");

    static String[] exec(String... args) {
        return Cli.exec(args);
    }

    static String ok(String... args) {
        String[] r = exec(args);
        assertEquals("0", r[0], String.join(" ", args) + " failed: " + r[2]);
        return r[1];
    }

    static void refused(String[] r, String... mentions) {
        assertNotEquals("0", r[0], "exit code; stdout: " + r[1]);
        String err = r[2].strip();
        assertEquals(1, err.lines().count(), "exactly one line on stderr, got:\n" + r[2]);
        assertTrue(err.startsWith("error: "), err);
        for (String m : mentions) {
            assertTrue(err.contains(m), "stderr should mention '" + m + "': " + err);
        }
    }

    private static Tensor gaussian(DType d, SplittableRandom rng, double std, int... dims) {
        Tensor t = Tensor.zeros(d, dims);
        for (int i = 0; i < t.size(); i++) {
            t.setFlat(i, std * rng.nextGaussian());
        }
        return t;
    }

    /**
     * A state_dict as the reference PyTorch code names it: weight_parameters.l, bias_parameters.l, psi_parameters.l
     * and activation.l.intrinsic_length (a 0-d tensor holding ln o in mode TRAINABLE).
     */
    static Map<String, Tensor> referenceStateDict(DType d, int[] widths, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, Tensor> t = new LinkedHashMap<>();
        int depth = widths.length - 1;
        for (int l = 0; l < depth; l++) {
            t.put("weight_parameters." + l, gaussian(d, rng, 1.2 / Math.sqrt(widths[l]), widths[l + 1], widths[l]));
            t.put("bias_parameters." + l, gaussian(d, rng, 0.3, widths[l + 1]));
        }
        for (int l = 0; l < depth - 1; l++) {
            t.put("psi_parameters." + l, gaussian(d, rng, 0.3, widths[l + 2]));
            Tensor o = Tensor.zeros(d);
            o.setFlat(0, Math.log(0.05 + 0.1 * l));
            t.put("activation." + l + ".intrinsic_length", o);
        }
        return t;
    }

    private Path write(String name, Map<String, Tensor> tensors) throws Exception {
        Path f = dir.resolve(name);
        Safetensors.write(f, tensors, Map.of());
        return f;
    }

    private Path csv(String name, int rows, int cols, long seed) throws Exception {
        SplittableRandom rng = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                sb.append(j == 0 ? "" : ",").append(2 * rng.nextGaussian());
            }
            sb.append('\n');
        }
        Path f = dir.resolve(name);
        Files.writeString(f, sb);
        return f;
    }

    /** Logits of an ONNX file run by ONNX Runtime. */
    static double[][] ort(Path onnx, double[][] x, DType d) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        int n = x.length;
        int m = x[0].length;
        try (OrtSession s = env.createSession(onnx.toString())) {
            OnnxTensor in;
            if (d == DType.F64) {
                double[] flat = new double[n * m];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(x[i], 0, flat, i * m, m);
                }
                in = OnnxTensor.createTensor(env, DoubleBuffer.wrap(flat), new long[] {n, m});
            } else {
                float[] flat = new float[n * m];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < m; j++) {
                        flat[i * m + j] = (float) x[i][j];
                    }
                }
                in = OnnxTensor.createTensor(env, FloatBuffer.wrap(flat), new long[] {n, m});
            }
            try (in; OrtSession.Result r = s.run(Map.of("input", in))) {
                OnnxTensor t = (OnnxTensor) r.get(0);
                long[] shape = t.getInfo().getShape();
                double[][] y = new double[(int) shape[0]][(int) shape[1]];
                if (d == DType.F64) {
                    DoubleBuffer b = t.getDoubleBuffer();
                    for (double[] row : y) {
                        b.get(row);
                    }
                } else {
                    FloatBuffer b = t.getFloatBuffer();
                    for (double[] row : y) {
                        for (int j = 0; j < row.length; j++) {
                            row[j] = b.get();
                        }
                    }
                }
                return y;
            }
        }
    }

    /** Rows of a CSV file of numbers, without its header. */
    static double[][] readCsv(String text, int skipColumns) {
        List<String> lines = text.lines().skip(1).toList();
        double[][] y = new double[lines.size()][];
        for (int i = 0; i < y.length; i++) {
            String[] f = lines.get(i).split(",");
            y[i] = new double[f.length - skipColumns];
            for (int j = 0; j < y[i].length; j++) {
                y[i][j] = Double.parseDouble(f[j + skipColumns]);
            }
        }
        return y;
    }

    static double[][] readCsvFile(Path f) throws Exception {
        List<String> lines = Files.readAllLines(f);
        double[][] y = new double[lines.size()][];
        for (int i = 0; i < y.length; i++) {
            y[i] = java.util.Arrays.stream(lines.get(i).split(",")).mapToDouble(Double::parseDouble).toArray();
        }
        return y;
    }

    /** max_i max_j |a_ij - b_ij| / max_j |a_ij|. */
    static double relativePerRow(double[][] a, double[][] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            double d = 0;
            double ref = 0;
            for (int j = 0; j < a[i].length; j++) {
                d = Math.max(d, Math.abs(a[i][j] - b[i][j]));
                ref = Math.max(ref, Math.abs(a[i][j]));
            }
            worst = Math.max(worst, d / ref);
        }
        return worst;
    }

    @Test
    void importRestructureExportAndOnnxRuntimeAgreeWithTheForwardPass() throws Exception {
        for (DType d : DType.values()) {
            int[] widths = {12, 16, 10, 4};
            Path pt = write("reference-" + d + ".safetensors", referenceStateDict(d, widths, 7));
            Path imported = dir.resolve("imported-" + d);
            String said = ok("import", pt.toString(), "--intrinsic-length", "trainable", "--psi", "decay",
                    "--backend", "ejml", "--out", imported.toString());
            assertTrue(said.contains("weight_parameters.{i} / bias_parameters.{i}"), said);
            assertTrue(said.contains("activation.{i}.intrinsic_length (ln o)"), said);
            Path grown = dir.resolve("grown-" + d);
            ok("restructure", "neurogenesis", "--model", imported.toString(), "--layer", "1", "--count", "3",
                    "--backend", "ejml", "--out", grown.toString());
            Path shrunk = dir.resolve("shrunk-" + d);
            String report = ok("restructure", "neurodegeneration", "--model", grown.toString(), "--layer", "0",
                    "--count", "5", "--backend", "ejml", "--out", shrunk.toString());
            assertTrue(report.contains("standard Gaussian samples (seed 0"), report);
            Path sparse = dir.resolve("sparse-" + d);
            ok("restructure", "sparsify", "--model", shrunk.toString(), "--backend", "ejml", "--out", sparse.toString());
            Path onnx = dir.resolve("model-" + d + ".onnx");
            ok("export", "--model", sparse.toString(), "--onnx", onnx.toString(), "--backend", "ejml");

            IsotropicMlp net = ModelFile.load(sparse.resolve("model.safetensors"), BE).net();
            assertEquals(d, net.dtype());
            assertEquals(11, net.widths()[1], "16 - 5 neurons");
            assertEquals(13, net.widths()[2], "10 + 3 neurons");
            Path input = csv("x.csv", 50, widths[0], 3);
            double[][] x = readCsvFile(input);
            double[][] java = readCsv(ok("predict", "--model", sparse.toString(), "--input", input.toString(),
                    "--output", "logits", "--backend", "ejml"), 1);
            double[][] onnxLogits = ort(onnx, x, d);
            double rel = relativePerRow(java, onnxLogits);
            assertTrue(rel <= (d == DType.F64 ? 1e-12 : 1e-5), d + ": max relative logit difference per row " + rel);

            // predict's decimals read back to the forward pass's values exactly
            Tensor xt = Tensor.ofRows(d, x);
            Tensor logits = net.predict(xt);
            for (int i = 0; i < x.length; i++) {
                for (int j = 0; j < logits.cols(); j++) {
                    if (d == DType.F64) {
                        assertEquals(logits.get(i, j), java[i][j], 0.0, "predict --output logits row " + i);
                    } else {
                        assertEquals((float) logits.get(i, j), (float) java[i][j], 0.0f, "predict --output logits row " + i);
                    }
                }
            }
        }
    }

    @Test
    void importDetectsCommonNamesAndRefusesWhatItCannotTellApart() throws Exception {
        SplittableRandom rng = new SplittableRandom(1);
        DType f = DType.F32;
        Map<String, Tensor> fc = new LinkedHashMap<>();
        fc.put("fc1.weight", gaussian(f, rng, 0.5, 6, 5));
        fc.put("fc1.bias", gaussian(f, rng, 0.5, 6));
        fc.put("fc2.weight", gaussian(f, rng, 0.5, 3, 6));
        fc.put("fc2.bias", gaussian(f, rng, 0.5, 3));
        String said = ok("import", write("fc.safetensors", fc).toString(), "--out", dir.resolve("fc").toString(),
                "--backend", "ejml");
        assertTrue(said.contains("fc{i}.weight / fc{i}.bias") && said.contains("[5, 6, 3]"), said);

        Map<String, Tensor> seq = new LinkedHashMap<>();
        seq.put("net.0.weight", fc.get("fc1.weight"));
        seq.put("net.0.bias", fc.get("fc1.bias"));
        seq.put("net.2.weight", fc.get("fc2.weight"));
        seq.put("net.2.bias", fc.get("fc2.bias"));
        assertTrue(ok("import", write("seq.safetensors", seq).toString(), "--out", dir.resolve("seq").toString(),
                "--backend", "ejml").contains("net.{i}.weight"));

        Map<String, Tensor> wb = new LinkedHashMap<>();
        wb.put("W.0", fc.get("fc1.weight"));
        wb.put("b.0", fc.get("fc1.bias"));
        wb.put("W.1", fc.get("fc2.weight"));
        wb.put("b.1", fc.get("fc2.bias"));
        wb.put("o.0", Tensor.zeros(f));
        Path wbFile = write("wb.safetensors", wb);
        assertTrue(ok("import", wbFile.toString(), "--out", dir.resolve("wb").toString(), "--backend", "ejml")
                .contains("o.{i} all 0, dropped"));
        ModelFile.Loaded same = ModelFile.load(dir.resolve("fc/model.safetensors"), BE);
        ModelFile.Loaded other = ModelFile.load(dir.resolve("wb/model.safetensors"), BE);
        assertTrue(same.net().weight(1).contentEquals(other.net().weight(1)));

        // explicit names
        Map<String, Tensor> custom = new LinkedHashMap<>();
        custom.put("enc.0.lin.weight", fc.get("fc1.weight"));
        custom.put("enc.0.lin.bias", fc.get("fc1.bias"));
        custom.put("enc.1.lin.weight", fc.get("fc2.weight"));
        custom.put("enc.1.lin.bias", fc.get("fc2.bias"));
        Path customFile = write("custom.safetensors", custom);
        refused(exec("import", customFile.toString(), "--out", dir.resolve("c0").toString()), "no weight tensors",
                "enc.0.lin.weight", "--weight-name");
        assertTrue(ok("import", customFile.toString(), "--weight-name", "enc.{i}.lin.weight", "--out",
                dir.resolve("c1").toString(), "--backend", "ejml").contains("enc.{i}.lin.bias"));

        // ambiguous: two naming schemes
        Map<String, Tensor> both = new LinkedHashMap<>(fc);
        both.putAll(wb);
        both.remove("o.0");
        refused(exec("import", write("both.safetensors", both).toString(), "--out", dir.resolve("x1").toString()),
                "ambiguous", "fc{i}.weight", "W.{i}");
        assertEquals("0", exec("import", write("both2.safetensors", both).toString(), "--weight-name", "W.{i}",
                "--ignore-extra", "--out", dir.resolve("x1b").toString(), "--backend", "ejml")[0]);

        // shapes that do not chain
        Map<String, Tensor> bad = new LinkedHashMap<>(fc);
        bad.put("fc2.weight", gaussian(f, rng, 0.5, 3, 7));
        refused(exec("import", write("chain.safetensors", bad).toString(), "--out", dir.resolve("x2").toString()),
                "do not chain", "fc1.weight", "fc2.weight");

        // missing bias
        Map<String, Tensor> nob = new LinkedHashMap<>(fc);
        nob.remove("fc2.bias");
        refused(exec("import", write("nob.safetensors", nob).toString(), "--out", dir.resolve("x3").toString()),
                "fc2.weight", "fc2.bias");

        // bias of the wrong length
        Map<String, Tensor> badb = new LinkedHashMap<>(fc);
        badb.put("fc1.bias", gaussian(f, rng, 0.5, 5));
        refused(exec("import", write("badb.safetensors", badb).toString(), "--out", dir.resolve("x4").toString()),
                "fc1.bias", "[6]");

        // extra tensors: refused, or skipped on request
        Map<String, Tensor> extra = new LinkedHashMap<>(fc);
        extra.put("running_mean", gaussian(f, rng, 1, 6));
        Path extraFile = write("extra.safetensors", extra);
        refused(exec("import", extraFile.toString(), "--out", dir.resolve("x5").toString()), "running_mean",
                "--ignore-extra");
        assertTrue(ok("import", extraFile.toString(), "--ignore-extra", "--out", dir.resolve("x5b").toString(),
                "--backend", "ejml").contains("ignored: [running_mean]"));

        // mixed dtypes, unless --dtype chooses
        Map<String, Tensor> mixed = new LinkedHashMap<>(fc);
        mixed.put("fc2.weight", fc.get("fc2.weight").to(DType.F64));
        Path mixedFile = write("mixed.safetensors", mixed);
        refused(exec("import", mixedFile.toString(), "--out", dir.resolve("x6").toString()), "mixed dtypes",
                "--dtype");
        ok("import", mixedFile.toString(), "--dtype", "f64", "--out", dir.resolve("x6b").toString(), "--backend", "ejml");
        assertEquals(DType.F64, ModelFile.load(dir.resolve("x6b/model.safetensors"), BE).net().dtype());

        // the reference file: psi for only some activations, non-zero psi or o with a mode that has none
        Map<String, Tensor> ref = referenceStateDict(f, new int[] {5, 6, 4, 3}, 2);
        Map<String, Tensor> partial = new LinkedHashMap<>(ref);
        partial.remove("psi_parameters.1");
        refused(exec("import", write("partial.safetensors", partial).toString(), "--intrinsic-length", "trainable",
                "--psi", "trainable", "--out", dir.resolve("x7").toString()), "psi_parameters.1", "missing");
        Path refFile = write("ref.safetensors", ref);
        refused(exec("import", refFile.toString(), "--intrinsic-length", "trainable", "--out",
                dir.resolve("x8").toString()), "psi_parameters.0", "non-zero", "--psi");
        refused(exec("import", refFile.toString(), "--psi", "trainable", "--out", dir.resolve("x9").toString()),
                "activation.0.intrinsic_length", "mode NONE");
        // a mode with lengths but a file without: refused unless --o-init
        refused(exec("import", write("fc2.safetensors", fc).toString(), "--intrinsic-length", "constant", "--out",
                dir.resolve("x10").toString()), "needs an intrinsic length", "--o-init");
        ok("import", write("fc3.safetensors", fc).toString(), "--intrinsic-length", "constant", "--o-init", "1e-6",
                "--psi", "trainable", "--out", dir.resolve("x10b").toString(), "--backend", "ejml");
        IsotropicMlp n10 = ModelFile.load(dir.resolve("x10b/model.safetensors"), BE).net();
        assertEquals(1e-6, n10.intrinsicLength(0), 1e-12);
        assertEquals(0.0, n10.psi(0).maxAbs());
        // o <= 0 stored as o cannot be a TRAINABLE (ln o) parameter
        Map<String, Tensor> neg = new LinkedHashMap<>(fc);
        Tensor o = Tensor.zeros(f, 1);
        o.setFlat(0, -0.02);
        neg.put("activations.0.intrinsic_length", o);
        refused(exec("import", write("neg.safetensors", neg).toString(), "--intrinsic-length", "trainable", "--out",
                dir.resolve("x11").toString()), "o = -0.0199", "signed");
        // a pattern without {i}, and nothing recognisable at all
        refused(exec("import", customFile.toString(), "--weight-name", "enc.0.lin.weight", "--out",
                dir.resolve("x12").toString()), "{i}");
        Map<String, Tensor> none = Map.of("alpha", gaussian(f, rng, 1, 2, 2));
        refused(exec("import", write("none.safetensors", none).toString(), "--out", dir.resolve("x13").toString()),
                "no weight tensors", "alpha", "--weight-name");
        // an existing output
        refused(exec("import", refFile.toString(), "--intrinsic-length", "trainable", "--psi", "trainable", "--out",
                dir.resolve("fc").toString()), "--force");
    }

    @Test
    void predictWritesLogitsProbabilitiesOrClassesAsCsvOrJsonLines() throws Exception {
        Path pt = write("p.safetensors", referenceStateDict(DType.F64, new int[] {4, 5, 3}, 4));
        Path m = dir.resolve("m");
        ok("import", pt.toString(), "--intrinsic-length", "trainable", "--psi", "constant", "--out", m.toString(),
                "--backend", "ejml");
        Path input = csv("in.csv", 7, 4, 9);
        IsotropicMlp net = ModelFile.load(m.resolve("model.safetensors"), BE).net();
        Tensor logits = net.predict(Tensor.ofRows(DType.F64, readCsvFile(input)));

        String lg = ok("predict", "--model", m.toString(), "--input", input.toString(), "--output", "logits",
                "--backend", "ejml");
        assertTrue(lg.startsWith("prediction,logit0,logit1,logit2\n"), lg);
        double[][] back = readCsv(lg, 1);
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(logits.get(i, j), back[i][j], 0.0, "F64 logits round-trip exactly");
            }
        }
        double[][] p = readCsv(ok("predict", "--model", m.toString(), "--input", input.toString()), 1);
        for (double[] row : p) {
            assertEquals(1.0, java.util.Arrays.stream(row).sum(), 1e-15);
        }
        String cls = ok("predict", "--model", m.toString(), "--input", input.toString(), "--output", "class");
        assertEquals(8, cls.lines().count());
        assertEquals("prediction", cls.lines().findFirst().orElseThrow());

        Path jl = dir.resolve("out.jsonl");
        assertTrue(ok("predict", "--model", m.toString(), "--input", input.toString(), "--output", "logits", "--out",
                jl.toString(), "--backend", "ejml").contains("jsonl"));
        List<String> lines = Files.readAllLines(jl);
        assertEquals(7, lines.size());
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.get(2));
        assertEquals(logits.get(2, 1), tree.get("logits").get(1).doubleValue(), 0.0);
        assertTrue(tree.has("prediction"));

        refused(exec("predict", "--model", m.toString(), "--input", input.toString(), "--output", jl.toString()),
                "--output must be logits, probabilities or class");
        refused(exec("predict", "--model", m.toString(), "--input", input.toString(), "--format", "xml"), "--format");
        refused(exec("predict", "--model", m.toString(), "--input", input.toString(), "--force"), "--force", "--out");
        refused(exec("predict", "--model", m.toString(), "--input", input.toString(), "--dtype", "f32"), "--dtype",
                "convert");
        refused(exec("predict", "--model", m.toString(), "--input", input.toString(), "--out", jl.toString()), "--force");
    }

    @Test
    void restructureWithoutADataSetAndEveryOptionTakesEffectOrIsRefused() throws Exception {
        Path pt = write("r.safetensors", referenceStateDict(DType.F32, new int[] {6, 8, 7, 3}, 5));
        Path m = dir.resolve("m");
        ok("import", pt.toString(), "--intrinsic-length", "trainable", "--psi", "trainable", "--out", m.toString(),
                "--backend", "ejml");
        Path sample = csv("sample.csv", 30, 6, 11);
        String r = ok("restructure", "neurodegeneration", "--model", m.toString(), "--sample", sample.toString(),
                "--out", dir.resolve("a").toString(), "--backend", "ejml");
        assertTrue(r.contains("invariance on 30 rows of " + sample), r);
        assertFalse(r.contains("accuracy"), r);
        String g1 = ok("restructure", "sparsify", "--model", m.toString(), "--samples", "50", "--sample-seed", "3",
                "--out", dir.resolve("b").toString(), "--backend", "ejml");
        assertTrue(g1.contains("50 standard Gaussian samples (seed 3"), g1);

        Path out = dir.resolve("never");
        refused(exec("restructure", "neurogenesis", "--model", m.toString(), "--tau", "0.3", "--out", out.toString()),
                "--tau", "adapt");
        refused(exec("restructure", "sparsify", "--model", m.toString(), "--layer", "1", "--out", out.toString()),
                "--layer");
        refused(exec("restructure", "adapt", "--model", m.toString(), "--count", "2", "--out", out.toString()),
                "--count");
        refused(exec("restructure", "sparsify", "--model", m.toString(), "--dtype", "f32", "--out", out.toString()),
                "--dtype", "convert");
        refused(exec("restructure", "sparsify", "--model", m.toString(), "--sample", sample.toString(), "--dataset",
                "digits", "--out", out.toString()), "--sample", "--dataset");
        refused(exec("restructure", "sparsify", "--model", m.toString(), "--sample", sample.toString(),
                "--sample-seed", "2", "--out", out.toString()), "--sample-seed");
        refused(exec("restructure", "sparsify", "--model", m.toString(), "--sample", "500", "--out", out.toString()),
                "--samples");
        refused(exec("restructure", "sparsify", "--model", m.toString(), "--dataset", "digits", "--out",
                out.toString()), "features");
        refused(exec("restructure", "sparsify", "--model", m.toString(), "--no-standardise", "--dataset", "digits",
                "--out", out.toString()), "--no-standardise");
        refused(exec("restructure", "sparsify", "--model", m.toString(), "--samples", "0", "--out", out.toString()),
                "--samples");
        assertFalse(Files.exists(out));
    }

    @Test
    void convertChangesTheDtypeOfAModelAndItsOptimiserState() throws Exception {
        Path run = dir.resolve("run");
        ok("train", "--epochs", "1", "--hidden", "8", "--limit", "100", "--no-progress", "--backend", "ejml", "--out",
                run.toString());
        Path f64 = dir.resolve("f64");
        ok("convert", "--model", run.toString(), "--dtype", "f64", "--out", f64.toString(), "--backend", "ejml");
        ModelFile.Loaded a = ModelFile.load(run.resolve("model.safetensors"), BE);
        ModelFile.Loaded b = ModelFile.load(f64.resolve("model.safetensors"), BE);
        assertEquals(DType.F32, a.net().dtype());
        assertEquals(DType.F64, b.net().dtype());
        for (int i = 0; i < a.net().parameters().size(); i++) {
            assertTrue(a.net().parameters().get(i).value().to(DType.F64).contentEquals(b.net().parameters().get(i).value()),
                    "F32 -> F64 is exact: " + a.net().parameters().get(i).name());
        }
        ModelFile.LoadedOptimizer ob = ModelFile.loadOptimizer(f64.resolve("optimizer.safetensors"), b.net());
        assertEquals(DType.F64, ob.optimizer().states().values().iterator().next().first().dtype());
        Path back = dir.resolve("back");
        ok("convert", "--model", f64.toString(), "--dtype", "f32", "--out", back.toString(), "--backend", "ejml");
        ModelFile.Loaded c = ModelFile.load(back.resolve("model.safetensors"), BE);
        for (int i = 0; i < a.net().parameters().size(); i++) {
            assertTrue(a.net().parameters().get(i).value().contentEquals(c.net().parameters().get(i).value()));
        }
        refused(exec("convert", "--model", run.toString(), "--out", dir.resolve("x").toString()), "--dtype");
        refused(exec("convert", "--model", run.toString(), "--dtype", "f16", "--out", dir.resolve("x").toString()),
                "f16");
        refused(exec("convert", "--model", run.toString(), "--dtype", "f64", "--out", f64.toString()), "--force");
        // evaluate with the converted model gives the same accuracy as the F32 model (same split, same statistics)
        String e32 = ok("evaluate", "--model", run.toString(), "--backend", "ejml");
        String e64 = ok("evaluate", "--model", f64.toString(), "--backend", "ejml");
        assertEquals(e32.lines().toList().get(1).replaceAll("loss.*", ""), e64.lines().toList().get(1).replaceAll("loss.*", ""));
        refused(exec("evaluate", "--model", run.toString(), "--dtype", "f64"), "--dtype");
        refused(exec("export", "--model", run.toString(), "--onnx", dir.resolve("m.onnx").toString(), "--dtype", "f64"),
                "--dtype");
        ok("export", "--model", run.toString(), "--onnx", dir.resolve("m.onnx").toString());
        refused(exec("export", "--model", run.toString(), "--onnx", dir.resolve("m.onnx").toString()), "--force");
    }
}
