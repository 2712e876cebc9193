package io.isotropic.persist;

import io.isotropic.data.Standardiser;
import io.isotropic.nn.ActivationKind;
import io.isotropic.nn.IntrinsicLengthMode;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.nn.LinearCorrectionMode;
import io.isotropic.nn.Parameter;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import io.isotropic.train.Optimizer;
import io.isotropic.train.ParameterState;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Model and optimiser files in safetensors format.
 *
 * <p>Model tensors are named as the network's parameters: {@code layers.<l>.weight} {@code [n_{l+1}, n_l]},
 * {@code layers.<l>.bias} {@code [n_{l+1}]}, {@code activations.<l>.log_intrinsic_length} (mode trainable:
 * {@code ln o}) or {@code activations.<l>.intrinsic_length} (constant, signed: {@code o}), each {@code [1]},
 * {@code psi.<l>} {@code [n_{l+2}]}; optionally {@code standardiser.mean} and {@code standardiser.inv_std}
 * {@code [n_0]} (F64). Metadata: {@code format = isotropic-mlp}, {@code format_version}, {@code widths},
 * {@code activation}, {@code intrinsic_length_mode}, {@code linear_correction_mode}, {@code psi_decay},
 * {@code epsilon}, {@code dtype}, plus caller-supplied entries. Optimiser files hold {@code <param>.first}
 * (Adam's {@code exp_avg} or SGD's momentum buffer) and {@code <param>.second} ({@code exp_avg_sq}) per
 * parameter, with the optimiser spec, the global step count and each parameter's step in the metadata.
 */
public final class ModelFile {
    /** The format name written to and required in model metadata. */
    public static final String FORMAT = "isotropic-mlp";
    /** The format version this build writes and the newest it reads. */
    public static final int VERSION = 1;
    /** The format name of optimiser files. */
    public static final String OPTIMIZER_FORMAT = "isotropic-optimizer";

    private ModelFile() {
    }

    /**
     * A loaded model.
     *
     * @param net the network, on the given backend
     * @param standardiser the input standardisation stored with it, or null
     * @param metadata all metadata of the file
     */
    public record Loaded(IsotropicMlp net, Standardiser standardiser, Map<String, String> metadata) {
    }

    /**
     * Saves a model atomically.
     *
     * @param file the target file
     * @param net the network
     * @param standardiser the input standardisation to store, or null
     * @param extra additional metadata (e.g. epochs completed)
     * @throws IOException if writing fails (the target is then unchanged)
     */
    public static void save(Path file, IsotropicMlp net, Standardiser standardiser, Map<String, String> extra)
            throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Parameter p : net.parameters()) {
            tensors.put(p.name(), p.value());
        }
        if (standardiser != null) {
            tensors.put("standardiser.mean", Tensor.of(standardiser.mean(), standardiser.mean().length));
            tensors.put("standardiser.inv_std", Tensor.of(standardiser.invStd(), standardiser.invStd().length));
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("format_version", Integer.toString(VERSION));
        meta.put("widths", join(net.widths()));
        meta.put("activation", net.activation().name());
        meta.put("intrinsic_length_mode", net.intrinsicLengthMode().name());
        meta.put("linear_correction_mode", net.linearCorrectionMode().name());
        meta.put("psi_decay", Double.toString(net.psiDecay()));
        meta.put("epsilon", Double.toString(net.epsilon()));
        meta.put("dtype", net.dtype().name());
        meta.putAll(extra);
        Safetensors.write(file, tensors, meta);
    }

    /**
     * Loads and verifies a model.
     *
     * @param file the model file
     * @param backend the backend the network will run on
     * @return the network, standardiser and metadata
     * @throws ModelFormatException if the file is not an isotropic model, is from a newer format version, misses
     *         or has extra tensors, or its shapes do not match its widths
     * @throws IOException for read errors
     */
    public static Loaded load(Path file, Backend backend) throws IOException {
        Safetensors.Contents c = Safetensors.read(file);
        Map<String, String> m = c.metadata();
        String format = m.get("format");
        if (!FORMAT.equals(format)) {
            throw new ModelFormatException(file + ": not an isotropic model (format '" + format + "', expected '"
                    + FORMAT + "')");
        }
        int version = parseInt(OptimizerSpec.req(m, "format_version", file.toString()), "format_version", file);
        if (version > VERSION) {
            throw new ModelFormatException(file + ": saved by a newer format version " + version + "; this build reads "
                    + "version " + VERSION + " and older; upgrade isotropic to load it");
        }
        IsotropicMlp net;
        try {
            int[] widths = Arrays.stream(OptimizerSpec.req(m, "widths", file.toString()).split(","))
                    .mapToInt(s -> Integer.parseInt(s.trim())).toArray();
            DType dt = DType.valueOf(OptimizerSpec.req(m, "dtype", file.toString()));
            ActivationKind act = ActivationKind.valueOf(OptimizerSpec.req(m, "activation", file.toString()));
            IntrinsicLengthMode om = IntrinsicLengthMode.valueOf(
                    OptimizerSpec.req(m, "intrinsic_length_mode", file.toString()));
            LinearCorrectionMode pm = LinearCorrectionMode.valueOf(
                    OptimizerSpec.req(m, "linear_correction_mode", file.toString()));
            net = IsotropicMlp.builder(widths).dtype(dt).activation(act).intrinsicLength(om, 1.0)
                    .linearCorrection(pm, Double.parseDouble(OptimizerSpec.req(m, "psi_decay", file.toString())))
                    .epsilon(Double.parseDouble(OptimizerSpec.req(m, "epsilon", file.toString()))).build(backend);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file + ": inconsistent metadata: " + e.getMessage());
        }
        Map<String, Tensor> params = new HashMap<>(c.tensors());
        Tensor mean = params.remove("standardiser.mean");
        Tensor inv = params.remove("standardiser.inv_std");
        Set<String> expected = new HashSet<>();
        for (Parameter p : net.parameters()) {
            expected.add(p.name());
            if (!params.containsKey(p.name())) {
                throw new ModelFormatException(file + ": tensor " + p.name() + " is missing");
            }
        }
        for (String name : params.keySet()) {
            if (!expected.contains(name)) {
                throw new ModelFormatException(file + ": unexpected tensor " + name + " for a network with widths "
                        + m.get("widths"));
            }
        }
        try {
            net.replaceParameters(params);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file + ": tensors do not match the metadata: " + e.getMessage());
        }
        Standardiser std = null;
        if (mean != null || inv != null) {
            if (mean == null || inv == null || mean.size() != net.widths()[0] || inv.size() != net.widths()[0]) {
                throw new ModelFormatException(file + ": standardiser.mean and standardiser.inv_std must both be ["
                        + net.widths()[0] + "]");
            }
            try {
                std = new Standardiser(mean.toDoubleArray(), inv.toDoubleArray());
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(file + ": invalid standardiser: " + e.getMessage());
            }
        }
        return new Loaded(net, std, Map.copyOf(m));
    }

    /**
     * Saves an optimiser's state and spec atomically.
     *
     * @param file the target
     * @param opt the optimiser
     * @param spec its spec
     * @param extra additional metadata
     * @throws IOException if writing fails
     */
    public static void saveOptimizer(Path file, Optimizer opt, OptimizerSpec spec, Map<String, String> extra)
            throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", OPTIMIZER_FORMAT);
        meta.put("format_version", Integer.toString(VERSION));
        meta.putAll(spec.toMetadata());
        meta.put("steps", Long.toString(opt.steps()));
        for (Map.Entry<String, ParameterState> e : opt.states().entrySet()) {
            ParameterState s = e.getValue();
            if (s.first() != null) {
                tensors.put(e.getKey() + ".first", s.first());
            }
            if (s.second() != null) {
                tensors.put(e.getKey() + ".second", s.second());
            }
            meta.put("step." + e.getKey(), Long.toString(s.step()));
        }
        meta.putAll(extra);
        Safetensors.write(file, tensors, meta);
    }

    /**
     * An optimiser loaded from a file.
     *
     * @param optimizer the optimiser with its state
     * @param spec its spec
     * @param metadata all metadata
     */
    public record LoadedOptimizer(Optimizer optimizer, OptimizerSpec spec, Map<String, String> metadata) {
    }

    /**
     * Loads an optimiser and checks that its state fits a network.
     *
     * @param file the optimiser file
     * @param net the network it belongs to (state shapes must match the parameters)
     * @return the optimiser
     * @throws ModelFormatException if the file is malformed, newer, or does not fit the network
     * @throws IOException for read errors
     */
    public static LoadedOptimizer loadOptimizer(Path file, IsotropicMlp net) throws IOException {
        Safetensors.Contents c = Safetensors.read(file);
        Map<String, String> m = c.metadata();
        if (!OPTIMIZER_FORMAT.equals(m.get("format"))) {
            throw new ModelFormatException(file + ": not an isotropic optimiser file (format '" + m.get("format") + "')");
        }
        int version = parseInt(OptimizerSpec.req(m, "format_version", file.toString()), "format_version", file);
        if (version > VERSION) {
            throw new ModelFormatException(file + ": saved by a newer format version " + version + "; this build reads "
                    + "version " + VERSION);
        }
        OptimizerSpec spec = OptimizerSpec.fromMetadata(m, file.toString());
        Optimizer opt;
        try {
            opt = spec.build();
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file + ": " + e.getMessage());
        }
        opt.setSteps(parseLong(OptimizerSpec.req(m, "steps", file.toString()), "steps", file));
        Map<String, Tensor> t = c.tensors();
        Set<String> used = new HashSet<>();
        for (Parameter p : net.parameters()) {
            String stepKey = "step." + p.name();
            if (!m.containsKey(stepKey)) {
                continue;
            }
            Tensor first = t.get(p.name() + ".first");
            Tensor second = t.get(p.name() + ".second");
            for (Tensor s : new Tensor[] {first, second}) {
                if (s != null && (!s.shape().equals(p.value().shape()) || s.dtype() != p.value().dtype())) {
                    throw new ModelFormatException(file + ": state of " + p.name() + " is " + s.dtype() + " "
                            + s.shape() + " but the parameter is " + p.value().dtype() + " " + p.value().shape());
                }
            }
            used.add(p.name() + ".first");
            used.add(p.name() + ".second");
            opt.putState(p.name(), new ParameterState(first, second, parseLong(m.get(stepKey), stepKey, file)));
        }
        for (String name : t.keySet()) {
            if (!used.contains(name)) {
                throw new ModelFormatException(file + ": state tensor " + name + " matches no parameter of the model");
            }
        }
        return new LoadedOptimizer(opt, spec, Map.copyOf(m));
    }

    private static int parseInt(String s, String key, Path file) throws ModelFormatException {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new ModelFormatException(file + ": metadata " + key + " = '" + s + "' is not an integer");
        }
    }

    private static long parseLong(String s, String key, Path file) throws ModelFormatException {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new ModelFormatException(file + ": metadata " + key + " = '" + s + "' is not an integer");
        }
    }

    private static String join(int[] w) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            sb.append(i == 0 ? "" : ",").append(w[i]);
        }
        return sb.toString();
    }
}
