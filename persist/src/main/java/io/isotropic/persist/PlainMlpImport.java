package io.isotropic.persist;

import io.isotropic.activation.IsoTanh;
import io.isotropic.data.Standardiser;
import io.isotropic.nn.ActivationKind;
import io.isotropic.nn.IntrinsicLengthMode;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.nn.LinearCorrectionMode;
import io.isotropic.nn.MlpSpec;
import io.isotropic.nn.ParameterNames;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds an isotropic network from the tensors of a plain MLP saved elsewhere (for example a PyTorch
 * {@code state_dict} written with safetensors): per layer a weight {@code [n_{l+1}, n_l]} and a bias
 * {@code [n_{l+1}]}, optionally one intrinsic length per activation and psi vectors {@code [n_{l+2}]}. The widths
 * follow from the shapes; the modes, epsilon and psi decay come from {@link Options}, not from the file.
 *
 * <p>Tensor names are given as patterns with the placeholder {@code {i}} (a decimal index), or detected among:
 * weights and biases {@code <prefix><i>.weight} / {@code <prefix><i>.bias} for any prefix ({@code layers.0},
 * {@code fc1}, {@code net.0}, {@code net.2}, ...: layers in increasing index order, gaps allowed),
 * {@code W.<i>} / {@code b.<i>}, {@code W<i>} / {@code b<i>}, {@code W_<i>} / {@code b_<i>}, {@code weights.<i>} /
 * {@code biases.<i>}, and the reference code's {@code weight_parameters.<i>} / {@code bias_parameters.<i>};
 * psi {@code psi.<i>}, {@code psi_parameters.<i>}, {@code psi<i>}, {@code psi_<i>}; intrinsic lengths
 * {@code activations.<i>.log_intrinsic_length} ({@code ln o}), {@code activations.<i>.intrinsic_length} ({@code o}),
 * the reference code's {@code activation.<i>.intrinsic_length} ({@code ln o} in mode TRAINABLE, {@code o}
 * otherwise) and {@code activation.<i>.o_const} ({@code o}), {@code o.<i>}; psi and lengths are indexed by
 * activation {@code 0 .. L-2}. {@code standardiser.mean} / {@code standardiser.inv_std} are taken as the input
 * standardisation.
 *
 * <p>Refused, with a message naming the tensors: several candidate naming schemes at once, shapes that do not
 * chain, a missing bias, psi or lengths for only some activations, tensors left over (unless
 * {@link Options#ignoreExtra}), mixed dtypes without a target dtype, non-zero psi or intrinsic lengths for a mode
 * that has none, a non-positive {@code o} for mode TRAINABLE, and lengths missing for a mode that needs them
 * (unless {@link Options#initialLength} is given). Absent psi vectors for a psi mode are set to 0, which leaves the
 * function unchanged.
 */
public final class PlainMlpImport {
    private PlainMlpImport() {
    }

    /**
     * Tensor-name patterns, each with the placeholder {@code {i}}; null entries are detected.
     *
     * @param weight weight pattern, e.g. {@code encoder.{i}.weight}
     * @param bias bias pattern; null: derived from the weight pattern ({@code weight -> bias}, {@code W -> b})
     * @param psi psi pattern
     * @param length intrinsic-length pattern; holds {@code ln o} if it contains {@code log}, else as the mode stores it
     */
    public record Names(String weight, String bias, String psi, String length) {
        /** Every name detected. */
        public static final Names DETECT = new Names(null, null, null, null);
    }

    /**
     * How to interpret the file.
     *
     * @param activation the hidden non-linearity
     * @param lengthMode the intrinsic-length mode of the new network
     * @param psiMode the psi mode of the new network
     * @param psiDecay lambda of mode TRAINABLE_DECAY
     * @param epsilon the small-ball radius
     * @param dtype the dtype of the new network, or null for the file's (which must then be uniform)
     * @param initialLength {@code o} for every activation when the file has no intrinsic lengths, or null
     * @param ignoreExtra whether tensors that are not part of the MLP are skipped instead of refused
     * @param names tensor-name patterns
     */
    public record Options(ActivationKind activation, IntrinsicLengthMode lengthMode, LinearCorrectionMode psiMode,
                          double psiDecay, double epsilon, DType dtype, Double initialLength, boolean ignoreExtra,
                          Names names) {
        /**
         * Validates the options.
         *
         * @throws NullPointerException if a mode, the activation or names is null
         */
        public Options {
            Objects.requireNonNull(activation, "import: activation is null");
            Objects.requireNonNull(lengthMode, "import: intrinsic length mode is null");
            Objects.requireNonNull(psiMode, "import: psi mode is null");
            Objects.requireNonNull(names, "import: names is null");
        }

        /**
         * Plain isotropic MLP defaults: no intrinsic length, no psi, lambda 0.1, eps 1e-3, the file's dtype.
         *
         * @return the options
         */
        public static Options defaults() {
            return new Options(ActivationKind.ISOTROPIC_TANH, IntrinsicLengthMode.NONE, LinearCorrectionMode.NONE, 0.1,
                    IsoTanh.DEFAULT_EPSILON, null, null, false, Names.DETECT);
        }
    }

    /**
     * The imported network.
     *
     * @param net the network
     * @param standardiser the input standardisation found in the file, or null
     * @param notes one line per decision taken (names used, defaults filled, tensors ignored)
     */
    public record Result(IsotropicMlp net, Standardiser standardiser, List<String> notes) {
    }

    private enum Holds { O, LOG_O, AS_MODE }

    private record Family(String pattern, Holds holds) {
    }

    private static final List<String[]> WEIGHT_FAMILIES = List.of(
            new String[] {"W.{i}", "b.{i}"}, new String[] {"W{i}", "b{i}"}, new String[] {"W_{i}", "b_{i}"},
            new String[] {"weights.{i}", "biases.{i}"}, new String[] {"weight_parameters.{i}", "bias_parameters.{i}"});
    private static final Pattern MODULE_WEIGHT = Pattern.compile("^(.*?)(\\d+)\\.weight$");
    private static final List<String> PSI_FAMILIES = List.of("psi.{i}", "psi_parameters.{i}", "psi{i}", "psi_{i}");
    private static final List<Family> LENGTH_FAMILIES = List.of(
            new Family("activations.{i}.log_intrinsic_length", Holds.LOG_O),
            new Family("activations.{i}.intrinsic_length", Holds.O),
            new Family("activation.{i}.intrinsic_length", Holds.AS_MODE),
            new Family("activation.{i}.o_const", Holds.O),
            new Family("activations.{i}.o_const", Holds.O),
            new Family("o.{i}", Holds.O));

    /**
     * Builds the network.
     *
     * @param source the file's name, for messages
     * @param tensors every tensor of the file by name (not modified; tensors used are copied)
     * @param options how to interpret them
     * @param backend the backend of the new network
     * @return the network, its standardiser and notes
     * @throws ModelFormatException if the tensors are ambiguous or inconsistent (the message names them)
     */
    public static Result fromTensors(String source, Map<String, Tensor> tensors, Options options, Backend backend)
            throws ModelFormatException {
        Objects.requireNonNull(tensors, "import: tensors is null");
        Objects.requireNonNull(options, "import: options is null");
        Objects.requireNonNull(backend, "import: backend is null");
        String op = source + ": import";
        List<String> notes = new ArrayList<>();
        Map<String, Tensor> left = new TreeMap<>(tensors);

        // ---- weights and biases
        String wPat;
        String bPat;
        if (options.names().weight() != null) {
            wPat = requireIndex(op, "--weight-name", options.names().weight());
            bPat = options.names().bias() != null ? requireIndex(op, "--bias-name", options.names().bias())
                    : deriveBias(op, wPat);
        } else {
            if (options.names().bias() != null) {
                throw new ModelFormatException(op + ": a bias pattern needs a weight pattern too");
            }
            String[] f = detectLayers(op, left.keySet());
            wPat = f[0];
            bPat = f[1];
        }
        TreeMap<Long, String> weightNames = matches(wPat, left.keySet());
        if (weightNames.size() < 2) {
            throw new ModelFormatException(op + ": an MLP with a hidden layer needs at least 2 weight tensors named "
                    + wPat + "; found " + weightNames.values() + " among " + abbreviated(left.keySet()));
        }
        int depth = weightNames.size();
        Tensor[] w = new Tensor[depth];
        Tensor[] b = new Tensor[depth];
        String[] wn = new String[depth];
        String[] bn = new String[depth];
        int l = 0;
        for (Map.Entry<Long, String> e : weightNames.entrySet()) {
            wn[l] = e.getValue();
            bn[l] = bPat.replace("{i}", Long.toString(e.getKey()));
            w[l] = left.remove(wn[l]);
            b[l] = left.remove(bn[l]);
            if (b[l] == null) {
                throw new ModelFormatException(op + ": weight " + wn[l] + " has no bias " + bn[l]
                        + (options.names().bias() == null ? " (give the bias pattern with --bias-name)" : ""));
            }
            l++;
        }
        int[] widths = new int[depth + 1];
        for (l = 0; l < depth; l++) {
            if (w[l].rank() != 2) {
                throw new ModelFormatException(op + ": weight " + wn[l] + " has shape " + w[l].shape()
                        + "; a weight must be a matrix [out, in]");
            }
            if (l == 0) {
                widths[0] = w[0].cols();
            } else if (w[l].cols() != widths[l]) {
                throw new ModelFormatException(op + ": shapes do not chain: " + wn[l - 1] + " " + w[l - 1].shape()
                        + " outputs " + widths[l] + " values but " + wn[l] + " " + w[l].shape() + " takes " + w[l].cols());
            }
            widths[l + 1] = w[l].rows();
            if (!(b[l].rank() == 1 && b[l].size() == widths[l + 1])) {
                throw new ModelFormatException(op + ": bias " + bn[l] + " has shape " + b[l].shape() + "; weight " + wn[l]
                        + " " + w[l].shape() + " needs [" + widths[l + 1] + "]");
            }
        }
        notes.add("layers: " + depth + " affine maps " + wPat + " / " + bPat + ", widths " + Arrays.toString(widths));

        // ---- psi and intrinsic lengths
        int acts = depth - 1;
        String psiPat = options.names().psi() != null ? requireIndex(op, "--psi-name", options.names().psi())
                : detectOne(op, "psi", PSI_FAMILIES, left.keySet());
        Tensor[] psi = psiPat == null ? null : collect(op, "psi", psiPat, left, acts);
        if (psi != null) {
            for (l = 0; l < acts; l++) {
                String name = psiPat.replace("{i}", Integer.toString(l));
                if (!(psi[l].rank() == 1 && psi[l].size() == widths[l + 2])) {
                    throw new ModelFormatException(op + ": psi " + name + " has shape " + psi[l].shape() + "; activation "
                            + l + " needs [" + widths[l + 2] + "] (the output width of " + wn[l + 1] + ")");
                }
            }
        }
        Family lenFam;
        if (options.names().length() != null) {
            String p = requireIndex(op, "--length-name", options.names().length());
            lenFam = new Family(p, p.toLowerCase(java.util.Locale.ROOT).contains("log") ? Holds.LOG_O : Holds.AS_MODE);
        } else {
            List<String> pats = LENGTH_FAMILIES.stream().map(Family::pattern).toList();
            String p = detectOne(op, "intrinsic length", pats, left.keySet());
            lenFam = p == null ? null : LENGTH_FAMILIES.get(pats.indexOf(p));
        }
        Tensor[] len = lenFam == null ? null : collect(op, "intrinsic length", lenFam.pattern(), left, acts);
        double[] o = null;
        if (len != null) {
            o = new double[acts];
            for (l = 0; l < acts; l++) {
                String name = lenFam.pattern().replace("{i}", Integer.toString(l));
                if (len[l].size() != 1 || len[l].rank() > 1) {
                    throw new ModelFormatException(op + ": intrinsic length " + name + " has shape " + len[l].shape()
                            + "; it must be a scalar ([] or [1])");
                }
                double v = len[l].getFlat(0);
                boolean log = lenFam.holds() == Holds.LOG_O
                        || (lenFam.holds() == Holds.AS_MODE && options.lengthMode() == IntrinsicLengthMode.TRAINABLE);
                o[l] = log ? Math.exp(v) : v;
                if (!Double.isFinite(o[l])) {
                    throw new ModelFormatException(op + ": intrinsic length " + name + " = " + v + " gives o = " + o[l]);
                }
            }
        }

        // ---- standardiser
        Tensor mean = left.remove("standardiser.mean");
        Tensor inv = left.remove("standardiser.inv_std");
        Standardiser std = null;
        if (mean != null || inv != null) {
            if (mean == null || inv == null || mean.size() != widths[0] || inv.size() != widths[0] || mean.rank() != 1
                    || inv.rank() != 1) {
                throw new ModelFormatException(op + ": standardiser.mean and standardiser.inv_std must both be ["
                        + widths[0] + "]; found " + (mean == null ? "no mean" : "mean " + mean.shape()) + ", "
                        + (inv == null ? "no inv_std" : "inv_std " + inv.shape()));
            }
            try {
                std = new Standardiser(mean.toDoubleArray(), inv.toDoubleArray());
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(op + ": " + e.getMessage());
            }
            notes.add("input standardisation: standardiser.mean / standardiser.inv_std");
        }

        // ---- leftovers
        if (!left.isEmpty()) {
            if (!options.ignoreExtra()) {
                throw new ModelFormatException(op + ": tensor(s) " + abbreviated(left.keySet()) + " are not part of an "
                        + depth + "-layer MLP named " + wPat + " / " + bPat + (psiPat != null ? ", " + psiPat : "")
                        + (lenFam != null ? ", " + lenFam.pattern() : "") + "; name them with --psi-name / --length-name, "
                        + "or pass --ignore-extra to skip them");
            }
            notes.add("ignored: " + abbreviated(left.keySet()));
        }

        // ---- dtype
        DType dtype = options.dtype();
        if (dtype == null) {
            TreeSet<String> seen = new TreeSet<>();
            for (l = 0; l < depth; l++) {
                seen.add(w[l].dtype() + " (" + wn[l] + ")");
                seen.add(b[l].dtype() + " (" + bn[l] + ")");
            }
            DType first = w[0].dtype();
            boolean mixed = false;
            for (l = 0; l < depth; l++) {
                mixed |= w[l].dtype() != first || b[l].dtype() != first;
            }
            for (Tensor[] ts : new Tensor[][] {psi, len}) {
                if (ts != null) {
                    for (Tensor t : ts) {
                        mixed |= t.dtype() != first;
                    }
                }
            }
            if (mixed) {
                throw new ModelFormatException(op + ": the tensors have mixed dtypes (e.g. " + abbreviated(seen)
                        + "); choose the network's with --dtype f32|f64");
            }
            dtype = first;
        }

        // ---- modes
        boolean iso = options.activation() == ActivationKind.ISOTROPIC_TANH;
        IntrinsicLengthMode lm = options.lengthMode();
        LinearCorrectionMode pm = options.psiMode();
        if (!iso && (lm != IntrinsicLengthMode.NONE || pm != LinearCorrectionMode.NONE)) {
            throw new ModelFormatException(op + ": element-wise tanh has no intrinsic length or psi; use "
                    + "--intrinsic-length none --psi none");
        }
        Map<String, Tensor> params = new LinkedHashMap<>();
        for (l = 0; l < depth; l++) {
            params.put(ParameterNames.weightName(l), convert(op, wn[l], w[l], dtype));
            params.put(ParameterNames.biasName(l), convert(op, bn[l], b[l], dtype));
        }
        if (psi != null && !pm.psiPresent()) {
            for (l = 0; l < acts; l++) {
                if (psi[l].maxAbs() != 0) {
                    throw new ModelFormatException(op + ": psi " + psiPat.replace("{i}", Integer.toString(l))
                            + " is non-zero (max |psi| = " + psi[l].maxAbs() + ") but psi mode " + pm + " has no psi; "
                            + "choose --psi constant|trainable|decay");
                }
            }
            notes.add("psi: " + psiPat + " all zero, dropped (mode " + pm + ")");
        } else if (pm.psiPresent()) {
            for (l = 0; l < acts; l++) {
                params.put(ParameterNames.psiName(l), psi != null
                        ? convert(op, psiPat.replace("{i}", Integer.toString(l)), psi[l], dtype)
                        : Tensor.zeros(dtype, widths[l + 2]));
            }
            notes.add("psi: " + (psi != null ? psiPat : "none in the file, set to 0 (the function is unchanged)"));
        }
        if (o != null && lm == IntrinsicLengthMode.NONE) {
            for (l = 0; l < acts; l++) {
                if (o[l] != 0) {
                    throw new ModelFormatException(op + ": intrinsic length " + lenFam.pattern().replace("{i}",
                            Integer.toString(l)) + " gives o = " + o[l] + " but mode NONE has o = 0; choose "
                            + "--intrinsic-length constant|trainable|signed");
                }
            }
            notes.add("intrinsic lengths: " + lenFam.pattern() + " all 0, dropped (mode NONE)");
        } else if (lm.hasParameter()) {
            if (o == null) {
                if (options.initialLength() == null) {
                    throw new ModelFormatException(op + ": mode " + lm + " needs an intrinsic length per activation and "
                            + "the file has none (looked for " + LENGTH_FAMILIES.stream().map(Family::pattern).toList()
                            + "); name it with --length-name or set every o with --o-init");
                }
                o = new double[acts];
                Arrays.fill(o, options.initialLength());
                notes.add("intrinsic lengths: none in the file, o = " + options.initialLength() + " for every activation");
            } else {
                notes.add("intrinsic lengths: " + lenFam.pattern() + " (" + (lenFam.holds() == Holds.LOG_O
                        || (lenFam.holds() == Holds.AS_MODE && lm == IntrinsicLengthMode.TRAINABLE) ? "ln o" : "o")
                        + "), o = " + Arrays.toString(o));
            }
            for (l = 0; l < acts; l++) {
                Tensor t = Tensor.zeros(dtype, 1);
                boolean sameLog = lm == IntrinsicLengthMode.TRAINABLE && len != null && (lenFam.holds() == Holds.LOG_O
                        || lenFam.holds() == Holds.AS_MODE);
                if (sameLog) {
                    t.setFlat(0, len[l].getFlat(0)); // keep ln o as stored, no exp/log round trip
                } else if (lm == IntrinsicLengthMode.TRAINABLE) {
                    if (!(o[l] > 0)) {
                        throw new ModelFormatException(op + ": activation " + l + " has o = " + o[l] + "; mode TRAINABLE "
                                + "stores ln o and needs o > 0 (use --intrinsic-length signed)");
                    }
                    t.setFlat(0, Math.log(o[l]));
                } else {
                    t.setFlat(0, o[l]);
                }
                params.put(ParameterNames.lengthName(l, lm), t);
            }
        }
        MlpSpec spec;
        try {
            spec = new MlpSpec(dtype, options.activation(), lm, pm, options.psiDecay(), options.epsilon());
            return new Result(IsotropicMlp.fromParameters(spec, params, backend), std, List.copyOf(notes));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(op + ": " + e.getMessage());
        }
    }

    private static String requireIndex(String op, String option, String pattern) throws ModelFormatException {
        if (!pattern.contains("{i}")) {
            throw new ModelFormatException(op + ": " + option + " '" + pattern + "' has no {i} placeholder for the index");
        }
        return pattern;
    }

    private static String deriveBias(String op, String wPat) throws ModelFormatException {
        if (wPat.contains("weight")) {
            return wPat.replace("weight", "bias");
        }
        if (wPat.startsWith("W")) {
            return "b" + wPat.substring(1);
        }
        throw new ModelFormatException(op + ": cannot derive the bias names from '" + wPat + "'; give --bias-name");
    }

    /** Numeric index to name, for the names matching a pattern. */
    private static TreeMap<Long, String> matches(String pattern, Iterable<String> names) {
        Pattern re = regex(pattern);
        TreeMap<Long, String> out = new TreeMap<>();
        for (String n : names) {
            Matcher m = re.matcher(n);
            if (m.matches() && m.group(1).length() < 10) {
                out.put(Long.parseLong(m.group(1)), n);
            }
        }
        return out;
    }

    private static Pattern regex(String pattern) {
        int k = pattern.indexOf("{i}");
        return Pattern.compile(Pattern.quote(pattern.substring(0, k)) + "(\\d+)" + Pattern.quote(pattern.substring(k + 3)));
    }

    /** The one naming scheme of weights and biases present, as patterns. */
    private static String[] detectLayers(String op, java.util.Set<String> names) throws ModelFormatException {
        Map<String, String[]> found = new LinkedHashMap<>();
        Map<String, List<String>> members = new LinkedHashMap<>();
        for (String n : names) {
            Matcher m = MODULE_WEIGHT.matcher(n);
            if (m.matches()) {
                String p = m.group(1) + "{i}.weight";
                found.putIfAbsent(p, new String[] {p, m.group(1) + "{i}.bias"});
                members.computeIfAbsent(p, k -> new ArrayList<>()).add(n);
            }
        }
        for (String[] f : WEIGHT_FAMILIES) {
            TreeMap<Long, String> ms = matches(f[0], names);
            if (!ms.isEmpty()) {
                found.put(f[0], f);
                members.put(f[0], new ArrayList<>(ms.values()));
            }
        }
        if (found.isEmpty()) {
            throw new ModelFormatException(op + ": no weight tensors recognised among " + abbreviated(names) + "; name "
                    + "them with --weight-name PATTERN (e.g. 'encoder.{i}.weight') and --bias-name");
        }
        if (found.size() > 1) {
            StringBuilder sb = new StringBuilder();
            members.forEach((p, ns) -> sb.append(sb.isEmpty() ? "" : "; ").append(p).append(": ").append(abbreviated(ns)));
            throw new ModelFormatException(op + ": ambiguous: several weight naming schemes match (" + sb + "); choose "
                    + "one with --weight-name PATTERN");
        }
        return found.values().iterator().next();
    }

    /** The one pattern among candidates with matches, or null; several is ambiguous. */
    private static String detectOne(String op, String what, List<String> candidates, java.util.Set<String> names)
            throws ModelFormatException {
        List<String> hit = new ArrayList<>();
        List<String> examples = new ArrayList<>();
        for (String c : candidates) {
            TreeMap<Long, String> ms = matches(c, names);
            if (!ms.isEmpty()) {
                hit.add(c);
                examples.addAll(ms.values());
            }
        }
        if (hit.size() > 1) {
            throw new ModelFormatException(op + ": ambiguous " + what + " tensors " + abbreviated(examples) + " match "
                    + hit + "; choose one with --" + (what.equals("psi") ? "psi" : "length") + "-name PATTERN");
        }
        return hit.isEmpty() ? null : hit.get(0);
    }

    /** Removes and returns the tensors {@code 0 .. count-1} of a pattern; all must be present, no others. */
    private static Tensor[] collect(String op, String what, String pattern, Map<String, Tensor> left, int count)
            throws ModelFormatException {
        TreeMap<Long, String> ms = matches(pattern, left.keySet());
        if (ms.isEmpty()) {
            return null;
        }
        List<String> missing = new ArrayList<>();
        Tensor[] out = new Tensor[count];
        for (int l = 0; l < count; l++) {
            String name = ms.remove((long) l);
            if (name == null) {
                missing.add(pattern.replace("{i}", Integer.toString(l)));
            } else {
                out[l] = left.remove(name);
            }
        }
        if (!ms.isEmpty()) {
            throw new ModelFormatException(op + ": " + what + " tensor(s) " + ms.values() + " beyond the " + count
                    + " activation(s) 0.." + (count - 1) + " of the network");
        }
        if (!missing.isEmpty()) {
            throw new ModelFormatException(op + ": " + what + " given for some activations only: " + missing
                    + " missing");
        }
        return out;
    }

    private static Tensor convert(String op, String name, Tensor t, DType dtype) throws ModelFormatException {
        Tensor c = t.dtype() == dtype ? t.copy() : t.to(dtype);
        int bad = c.firstNonFinite();
        if (bad >= 0) {
            throw new ModelFormatException(op + ": " + name + " " + Arrays.toString(t.unravel(bad)) + " = "
                    + t.getFlat(bad) + (t.firstNonFinite() >= 0 ? " is not finite" : " does not fit in " + dtype));
        }
        return c;
    }

    private static String abbreviated(Iterable<String> names) {
        List<String> all = new ArrayList<>();
        names.forEach(all::add);
        if (all.size() <= 8) {
            return all.toString();
        }
        return all.subList(0, 8) + " and " + (all.size() - 8) + " more";
    }
}
