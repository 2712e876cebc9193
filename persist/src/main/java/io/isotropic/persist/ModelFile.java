package io.isotropic.persist;

import io.isotropic.data.Standardiser;
import io.isotropic.nn.ActivationKind;
import io.isotropic.nn.IntrinsicLengthMode;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.nn.LinearCorrectionMode;
import io.isotropic.nn.MlpSpec;
import io.isotropic.nn.Parameter;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import io.isotropic.train.Optimizer;
import io.isotropic.train.ParameterState;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
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
 * {@code epsilon}, {@code dtype}, the content digest {@value Safetensors#DIGEST_KEY}, plus caller-supplied
 * entries. Optimiser files hold {@code <param>.first} (Adam's {@code exp_avg} or SGD's momentum buffer) and
 * {@code <param>.second} ({@code exp_avg_sq}) per parameter, with the optimiser spec, the global step count, each
 * parameter's step and the digest of the model they belong to ({@value #MODEL_DIGEST_KEY}) in the metadata.
 *
 * <p>Loading validates before it allocates (see {@link Safetensors#read}) and builds the network directly from
 * its tensors ({@link IsotropicMlp#fromParameters}); the {@code widths} metadata must equal the tensor shapes.
 */
public final class ModelFile {
    /** The format name written to and required in model metadata. */
    public static final String FORMAT = "isotropic-mlp";
    /** The format version this build writes and the newest it reads. */
    public static final int VERSION = 1;
    /** The format name of optimiser files. */
    public static final String OPTIMIZER_FORMAT = "isotropic-optimizer";
    /** Optimiser metadata: the content digest of the model file the state belongs to. */
    public static final String MODEL_DIGEST_KEY = "model_sha256";
    /** The most hidden layers and the widest layer a model file may describe. */
    public static final int MAX_LAYERS = 1000;

    private static final Set<String> MODEL_KEYS = Set.of("format", "format_version", "widths", "activation",
            "intrinsic_length_mode", "linear_correction_mode", "psi_decay", "epsilon", "dtype",
            Safetensors.DIGEST_KEY);

    private ModelFile() {
    }

    /**
     * A loaded model.
     *
     * @param net the network, on the given backend
     * @param standardiser the input standardisation stored with it, or null
     * @param metadata all metadata of the file
     * @param digest the file's content digest (hex SHA-256), which pairs it with its optimiser file
     */
    public record Loaded(IsotropicMlp net, Standardiser standardiser, Map<String, String> metadata, String digest) {
    }

    /**
     * Saves a model atomically.
     *
     * @param file the target file
     * @param net the network
     * @param standardiser the input standardisation to store, or null
     * @param extra additional metadata (e.g. epochs completed); keys of the format itself are refused
     * @return the content digest written (hex SHA-256)
     * @throws IOException naming the file if writing fails (the target is then unchanged)
     * @throws IllegalArgumentException if {@code extra} sets a key of the format
     */
    public static String save(Path file, IsotropicMlp net, Standardiser standardiser, Map<String, String> extra)
            throws IOException {
        Encoded e = encode(net, standardiser, extra);
        return Safetensors.write(file, e.tensors, e.meta);
    }

    static String saveNew(Path file, IsotropicMlp net, Standardiser standardiser, Map<String, String> extra)
            throws IOException {
        Encoded e = encode(net, standardiser, extra);
        return Safetensors.writeNew(file, e.tensors, e.meta);
    }

    private record Encoded(Map<String, Tensor> tensors, Map<String, String> meta) {
    }

    private static Encoded encode(IsotropicMlp net, Standardiser standardiser, Map<String, String> extra) {
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
        for (Map.Entry<String, String> e : extra.entrySet()) {
            if (MODEL_KEYS.contains(e.getKey())) {
                throw new IllegalArgumentException("ModelFile.save: extra metadata may not set '" + e.getKey() + "'");
            }
            meta.put(e.getKey(), e.getValue());
        }
        return new Encoded(tensors, meta);
    }

    /**
     * Loads and verifies a model.
     *
     * @param file the model file
     * @param backend the backend the network will run on
     * @return the network, standardiser, metadata and digest
     * @throws java.nio.file.NoSuchFileException if the file does not exist
     * @throws ModelFormatException if the file is not an isotropic model, is damaged (see {@link Safetensors#read}),
     *         is from a newer format version, has malformed metadata, misses or has extra tensors, has tensors that
     *         do not chain or are not finite, or its {@code widths} metadata differ from the tensor shapes
     * @throws IOException for other read errors
     */
    public static Loaded load(Path file, Backend backend) throws IOException {
        Objects.requireNonNull(backend, "ModelFile.load: backend is null");
        Safetensors.Contents c = Safetensors.read(file);
        Map<String, String> m = c.metadata();
        Metadata md = new Metadata(m, file);
        String format = m.get("format");
        if (!FORMAT.equals(format)) {
            throw new ModelFormatException(file + ": not an isotropic model (format '"
                    + (format == null ? "" : Metadata.quote(format)) + "', expected '" + FORMAT + "')");
        }
        checkVersion(md, file);
        int[] widths = parseWidths(md.req("widths"), file);
        String dtypeName = md.req("dtype").trim();
        DType dt = switch (dtypeName) {
            case "F32" -> DType.F32;
            case "F64" -> DType.F64;
            default -> throw new ModelFormatException(file + ": metadata dtype = '" + Metadata.quote(dtypeName)
                    + "' is not supported; models hold F32 or F64 parameters");
        };
        MlpSpec spec;
        try {
            spec = new MlpSpec(dt, md.choice("activation", ActivationKind.class),
                    md.choice("intrinsic_length_mode", IntrinsicLengthMode.class),
                    md.choice("linear_correction_mode", LinearCorrectionMode.class),
                    md.real("psi_decay", 0, Double.MAX_VALUE), md.real("epsilon", Double.MIN_VALUE, Double.MAX_VALUE));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file + ": inconsistent metadata: " + strip(e.getMessage()));
        }
        Map<String, Tensor> params = new LinkedHashMap<>(c.tensors());
        Tensor mean = params.remove("standardiser.mean");
        Tensor inv = params.remove("standardiser.inv_std");
        IsotropicMlp net;
        try {
            net = IsotropicMlp.fromParameters(spec, params, backend);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file + ": " + strip(e.getMessage()));
        }
        if (!Arrays.equals(widths, net.widths())) {
            throw new ModelFormatException(file + ": metadata widths " + join(widths) + " do not match the tensor "
                    + "shapes, which give widths " + join(net.widths()) + " (the file is damaged or was edited)");
        }
        Standardiser std = null;
        if (mean != null || inv != null) {
            int n0 = net.widths()[0];
            if (mean == null || inv == null || mean.rank() != 1 || inv.rank() != 1 || mean.size() != n0
                    || inv.size() != n0 || mean.dtype() != DType.F64 || inv.dtype() != DType.F64) {
                throw new ModelFormatException(file + ": standardiser.mean and standardiser.inv_std must both be F64 ["
                        + n0 + "]");
            }
            try {
                std = new Standardiser(mean.toDoubleArray(), inv.toDoubleArray());
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(file + ": invalid standardiser: " + strip(e.getMessage()));
            }
        }
        return new Loaded(net, std, Map.copyOf(m), c.digest());
    }

    private static void checkVersion(Metadata md, Path file) throws ModelFormatException {
        long version = md.integer("format_version", md.req("format_version"), Long.MIN_VALUE, Long.MAX_VALUE);
        if (version > VERSION) {
            throw new ModelFormatException(file + ": saved by a newer format version " + version + "; this build reads "
                    + "version " + VERSION + " and older; upgrade isotropic to load it");
        }
        if (version < 1) {
            throw new ModelFormatException(file + ": metadata format_version = " + version + " is not a format "
                    + "version (they start at 1)");
        }
    }

    private static int[] parseWidths(String s, Path file) throws ModelFormatException {
        String[] parts = s.split(",", -1);
        if (parts.length < 3 || parts.length > MAX_LAYERS + 2) {
            throw new ModelFormatException(file + ": metadata widths = '" + Metadata.quote(s) + "' must list 3 to "
                    + (MAX_LAYERS + 2) + " comma-separated layer widths");
        }
        int[] w = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String t = parts[i].trim();
            if (t.isEmpty() || t.length() > 10 || !t.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                throw new ModelFormatException(file + ": metadata widths = '" + Metadata.quote(s) + "': '"
                        + Metadata.quote(t) + "' is not a width (a positive integer)");
            }
            long v = Long.parseLong(t);
            if (v < 1 || v > Integer.MAX_VALUE) {
                throw new ModelFormatException(file + ": metadata widths = '" + Metadata.quote(s) + "': " + t
                        + " is not a width between 1 and " + Integer.MAX_VALUE);
            }
            w[i] = (int) v;
        }
        return w;
    }

    /** Drops the "IsotropicMlp.fromParameters: " style prefix of api messages (the file is named instead). */
    static String strip(String msg) {
        if (msg == null) {
            return "invalid content";
        }
        int colon = msg.indexOf(": ");
        if (colon > 0 && colon < 60 && msg.substring(0, colon).matches("[A-Za-z.]+")) {
            return msg.substring(colon + 2);
        }
        return msg;
    }

    /**
     * Saves an optimiser's state and spec atomically.
     *
     * @param file the target
     * @param opt the optimiser
     * @param spec its spec
     * @param extra additional metadata (e.g. {@value #MODEL_DIGEST_KEY} to pair it with a model file)
     * @return the content digest written
     * @throws IOException naming the file if writing fails (the target is then unchanged)
     */
    public static String saveOptimizer(Path file, Optimizer opt, OptimizerSpec spec, Map<String, String> extra)
            throws IOException {
        Encoded e = encodeOptimizer(opt, spec, extra);
        return Safetensors.write(file, e.tensors, e.meta);
    }

    static String saveOptimizerNew(Path file, Optimizer opt, OptimizerSpec spec, Map<String, String> extra)
            throws IOException {
        Encoded e = encodeOptimizer(opt, spec, extra);
        return Safetensors.writeNew(file, e.tensors, e.meta);
    }

    private static Encoded encodeOptimizer(Optimizer opt, OptimizerSpec spec, Map<String, String> extra) {
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
        return new Encoded(tensors, meta);
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
     * @throws java.nio.file.NoSuchFileException if the file does not exist
     * @throws ModelFormatException if the file is damaged, malformed, newer, or does not fit the network
     * @throws IOException for other read errors
     */
    public static LoadedOptimizer loadOptimizer(Path file, IsotropicMlp net) throws IOException {
        return loadOptimizer(file, net, null);
    }

    /**
     * Loads an optimiser, checks that its state fits a loaded model and, if the file records the model it belongs
     * to ({@value #MODEL_DIGEST_KEY}), that it is this model.
     *
     * @param file the optimiser file
     * @param model the loaded model
     * @return the optimiser
     * @throws java.nio.file.NoSuchFileException if the file does not exist
     * @throws ModelFormatException as for {@link #loadOptimizer(Path, IsotropicMlp)}, or if it belongs to another
     *         model file
     * @throws IOException for other read errors
     */
    public static LoadedOptimizer loadOptimizer(Path file, Loaded model) throws IOException {
        return loadOptimizer(file, model.net(), model.digest());
    }

    private static LoadedOptimizer loadOptimizer(Path file, IsotropicMlp net, String modelDigest) throws IOException {
        Safetensors.Contents c = Safetensors.read(file);
        Map<String, String> m = c.metadata();
        Metadata md = new Metadata(m, file);
        if (!OPTIMIZER_FORMAT.equals(m.get("format"))) {
            throw new ModelFormatException(file + ": not an isotropic optimiser file (format '"
                    + (m.get("format") == null ? "" : Metadata.quote(m.get("format"))) + "')");
        }
        checkVersion(md, file);
        String pairedWith = m.get(MODEL_DIGEST_KEY);
        if (modelDigest != null && pairedWith != null && !pairedWith.equalsIgnoreCase(modelDigest)) {
            throw new ModelFormatException(file + ": this optimiser state belongs to another model file (its "
                    + MODEL_DIGEST_KEY + " differs from the model's digest); the pair was torn apart, e.g. by an "
                    + "interrupted copy; use the pair from one checkpoint");
        }
        OptimizerSpec spec = OptimizerSpec.fromMetadata(m, file.toString());
        Optimizer opt = spec.build();
        opt.setSteps(md.integer("steps", 0, Long.MAX_VALUE));
        Map<String, Tensor> t = c.tensors();
        Set<String> used = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (Parameter p : net.parameters()) {
            names.add(p.name());
            String stepKey = "step." + p.name();
            if (!m.containsKey(stepKey)) {
                continue;
            }
            long step = md.integer(stepKey, 0, Long.MAX_VALUE);
            Tensor first = t.get(p.name() + ".first");
            Tensor second = t.get(p.name() + ".second");
            if ((first != null) != spec.hasFirstMoment() || (second != null) != spec.hasSecondMoment()) {
                throw new ModelFormatException(file + ": the state of " + p.name() + " should "
                        + (spec.hasFirstMoment() ? "have" : "not have") + " a first moment and "
                        + (spec.hasSecondMoment() ? "have" : "not have") + " a second moment for optimiser "
                        + spec.kind() + (spec.kind().equalsIgnoreCase("sgd") ? " (momentum " + spec.momentum() + ")" : ""));
            }
            for (Tensor s : new Tensor[] {first, second}) {
                if (s == null) {
                    continue;
                }
                if (!s.shape().equals(p.value().shape()) || s.dtype() != p.value().dtype()) {
                    throw new ModelFormatException(file + ": state of " + p.name() + " is " + s.dtype() + " "
                            + s.shape() + " but the parameter is " + p.value().dtype() + " " + p.value().shape());
                }
                int bad = s.firstNonFinite();
                if (bad >= 0) {
                    throw new ModelFormatException(file + ": state of " + p.name() + " holds the non-finite value "
                            + s.getFlat(bad) + " at element " + bad);
                }
            }
            if (second != null) {
                for (int i = 0; i < second.size(); i++) {
                    if (second.getFlat(i) < 0) {
                        throw new ModelFormatException(file + ": second moment of " + p.name() + " is negative ("
                                + second.getFlat(i) + ") at element " + i);
                    }
                }
            }
            used.add(p.name() + ".first");
            used.add(p.name() + ".second");
            opt.putState(p.name(), new ParameterState(first, second, step));
        }
        for (String name : t.keySet()) {
            if (!used.contains(name)) {
                throw new ModelFormatException(file + ": state tensor " + name + " matches no parameter of the model");
            }
        }
        for (String key : m.keySet()) {
            if (key.startsWith("step.") && !names.contains(key.substring(5))) {
                throw new ModelFormatException(file + ": metadata " + key + " names no parameter of the model");
            }
        }
        return new LoadedOptimizer(opt, spec, Map.copyOf(m));
    }

    static String join(int[] w) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < w.length; i++) {
            sb.append(i == 0 ? "" : ",").append(w[i]);
        }
        return sb.toString();
    }
}
