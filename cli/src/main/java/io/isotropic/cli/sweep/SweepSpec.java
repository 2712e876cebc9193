package io.isotropic.cli.sweep;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.isotropic.cli.Training;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A sweep: a grid or list of training configurations, each trained {@code repeats} times with its own seed. Parsed
 * from a small JSON file (documented in the README, section <i>Sweeps</i>):
 *
 * <pre>{@code
 * {
 *   "name": "digits-adapt",
 *   "base": {"dataset": "digits", "epochs": 10, "lr": 5e-3},
 *   "grid": {"hidden": [[32, 32], [64, 64]], "adapt": [null, 4]},
 *   "configurations": [{"label": "isotropic"}, {"label": "tanh", "activation": "tanh"}],
 *   "repeats": 3
 * }
 * }</pre>
 *
 * Every configuration is {@code base}, overridden by one entry of {@code configurations} (default: one empty entry),
 * overridden by one point of the cartesian product of {@code grid}; its options are those of {@code isotropic train}
 * in snake case ({@link #OPTIONS}). Repeat {@code r} of every configuration uses seed {@code seeds[r]} (default
 * {@code 1 .. repeats}) as both {@code --seed} and {@code --init-seed}, so repeat {@code r} of two configurations
 * starts from the same weights and sees the same data order (a paired design). Anything else is refused with an
 * {@link IllegalArgumentException} naming the file, the key and the value.
 */
public final class SweepSpec {
    /** The {@code format} value a spec may declare. */
    public static final String FORMAT = "isotropic-sweep";

    /** The kinds of values an option takes. */
    enum Kind { STRING, NUMBER, INTEGER, BOOLEAN, WIDTHS, PATH }

    /** An option of {@code train} that a configuration may set. */
    record Option(String flag, Kind kind, String negatedFlag) {
    }

    /**
     * Every option a configuration may set (snake case, as in the JSON) with the {@code train} option it becomes;
     * see {@code isotropic train --help} for their meaning and defaults.
     */
    public static final Map<String, String> OPTIONS;
    private static final Map<String, Option> TABLE = new LinkedHashMap<>();

    static {
        option("dataset", "--dataset", Kind.PATH);
        option("test_data", "--test-data", Kind.PATH);
        option("test_fraction", "--test-fraction", Kind.NUMBER);
        option("split_seed", "--split-seed", Kind.INTEGER);
        option("limit", "--limit", Kind.INTEGER);
        option("classes", "--classes", Kind.INTEGER);
        TABLE.put("standardise", new Option("--standardise", Kind.BOOLEAN, "--no-standardise"));
        option("hidden", "--hidden", Kind.WIDTHS);
        option("activation", "--activation", Kind.STRING);
        option("intrinsic_length", "--intrinsic-length", Kind.STRING);
        option("o_init", "--o-init", Kind.NUMBER);
        option("psi", "--psi", Kind.STRING);
        option("psi_decay", "--psi-decay", Kind.NUMBER);
        option("init", "--init", Kind.STRING);
        option("optimizer", "--optimizer", Kind.STRING);
        option("lr", "--lr", Kind.NUMBER);
        option("weight_decay", "--weight-decay", Kind.NUMBER);
        option("momentum", "--momentum", Kind.NUMBER);
        option("schedule", "--schedule", Kind.STRING);
        option("min_lr", "--min-lr", Kind.NUMBER);
        option("epochs", "--epochs", Kind.INTEGER);
        option("batch_size", "--batch-size", Kind.INTEGER);
        option("adapt", "--adapt", Kind.INTEGER);
        option("tau", "--tau", Kind.NUMBER);
        option("adapt_every", "--adapt-every", Kind.INTEGER);
        option("width_schedule", "--width-schedule", Kind.STRING);
        TABLE.put("grow_unrotated", new Option("--grow-unrotated", Kind.BOOLEAN, null));
        option("outgoing_std", "--outgoing-std", Kind.NUMBER);
        option("spectra_every", "--spectra-every", Kind.INTEGER);
        option("dtype", "--dtype", Kind.STRING);
        option("backend", "--backend", Kind.STRING);
        Map<String, String> m = new LinkedHashMap<>();
        TABLE.forEach((k, o) -> m.put(k, o.flag()));
        OPTIONS = java.util.Collections.unmodifiableMap(m);
    }

    private static void option(String key, String flag, Kind kind) {
        TABLE.put(key, new Option(flag, kind, null));
    }

    /** Keys of the spec's top level. */
    private static final Set<String> TOP = Set.of("format", "name", "description", "base", "grid", "configurations",
            "repeats", "seeds");
    /** Names of the built-in data sets (not paths). */
    private static final Set<String> BUILT_IN_DATA = Set.of("digits", "fashion-mnist", "fashion_mnist", "fmnist");
    /** Options the sweep sets itself, with the reason a configuration may not. */
    private static final Map<String, String> MANAGED = Map.of(
            "seed", "the seeds come from 'seeds' or 'repeats'",
            "init_seed", "the seeds come from 'seeds' or 'repeats'",
            "threads", "every run is single-threaded, so that its result does not depend on the executor",
            "out", "each run's directory is runs/<id> of the sweep directory",
            "resume", "an interrupted sweep is continued by running it again on the same --out",
            "tasks", "sweeps train on one data set per run",
            "no_progress", "runs never draw progress bars");
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /**
     * One configuration of the sweep: its options (snake-case keys, JSON values, sorted), label and identifier.
     *
     * @param index position in the sweep (configurations, then grid points, in file order)
     * @param id stable identifier: a digest of the options, independent of their order and of the position
     * @param label short description for tables and plots: the {@code label} key, else the options that differ
     *              between the sweep's configurations
     * @param options the option values, sorted by key
     */
    public record Configuration(int index, String id, String label, Map<String, JsonNode> options) {
    }

    private final String where;
    private final String name;
    private final JsonNode json;
    private final List<Configuration> configurations;
    private final List<Long> seeds;
    private final Path baseDir;

    private SweepSpec(String where, String name, JsonNode json, List<Configuration> configurations, List<Long> seeds,
                      Path baseDir) {
        this.where = where;
        this.name = name;
        this.json = json;
        this.configurations = configurations;
        this.seeds = seeds;
        this.baseDir = baseDir;
    }

    /**
     * Reads and validates a spec file; relative data paths are resolved against the file's directory.
     *
     * @param file the JSON file
     * @return the spec
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the file, key and value for any invalid content
     */
    public static SweepSpec read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("sweep spec " + file + ": no such file");
        }
        String stem = file.getFileName().toString().replaceFirst("\\.json$", "");
        Path dir = file.toAbsolutePath().getParent();
        return parse(Files.readString(file, StandardCharsets.UTF_8), "sweep spec " + file, stem, dir);
    }

    /**
     * Parses and validates a spec.
     *
     * @param text the JSON text
     * @param where how to name the spec in messages, e.g. "sweep spec grid.json"
     * @param defaultName the name when the spec has none
     * @param baseDir the directory relative data paths are resolved against
     * @return the spec
     * @throws IllegalArgumentException naming {@code where}, the key and the value for any invalid content: not a
     *         JSON object, unknown or duplicate keys, empty grid or configuration list, repeats below 1, seeds that
     *         repeat, values of the wrong type, options the sweep manages itself, or configurations that repeat
     */
    public static SweepSpec parse(String text, String where, String defaultName, Path baseDir) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(where + ": not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(where + ": expected a JSON object {\"base\": ..., \"grid\": ..., "
                    + "\"repeats\": ...}");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!TOP.contains(k)) {
                throw new IllegalArgumentException(where + ": unknown key '" + k + "'; known keys: "
                        + String.join(", ", new java.util.TreeSet<>(TOP)));
            }
        }
        if (root.has("format") && !FORMAT.equals(root.get("format").asText(null))) {
            throw new IllegalArgumentException(where + ": format must be \"" + FORMAT + "\", got " + root.get("format"));
        }
        String name = defaultName;
        if (root.has("name")) {
            JsonNode n = root.get("name");
            if (!n.isTextual() || n.asText().isBlank()) {
                throw new IllegalArgumentException(where + ": name must be a non-empty string, got " + n);
            }
            name = n.asText();
        }
        if (root.has("description") && !root.get("description").isTextual()) {
            throw new IllegalArgumentException(where + ": description must be a string, got " + root.get("description"));
        }
        Map<String, JsonNode> base = root.has("base") ? options(root.get("base"), where + ": base", false)
                : new TreeMap<>();

        // configurations: a list of option sets (default: one empty set)
        List<Map<String, JsonNode>> entries = new ArrayList<>();
        Set<String> entryKeys = new LinkedHashSet<>();
        if (root.has("configurations")) {
            JsonNode cs = root.get("configurations");
            if (!cs.isArray()) {
                throw new IllegalArgumentException(where + ": configurations must be an array of objects, got " + cs);
            }
            if (cs.isEmpty()) {
                throw new IllegalArgumentException(where + ": configurations is empty, so the sweep has no runs; "
                        + "leave it out for a single configuration");
            }
            for (int i = 0; i < cs.size(); i++) {
                Map<String, JsonNode> e = options(cs.get(i), where + ": configurations[" + i + "]", true);
                entries.add(e);
                entryKeys.addAll(e.keySet());
            }
        } else {
            entries.add(new TreeMap<>());
        }

        // grid: option -> array of values, expanded as a cartesian product in file order (the last key varies fastest)
        List<Map<String, JsonNode>> points = new ArrayList<>();
        points.add(new TreeMap<>());
        Set<String> gridKeys = new java.util.TreeSet<>();
        if (root.has("grid")) {
            JsonNode g = root.get("grid");
            if (!g.isObject()) {
                throw new IllegalArgumentException(where + ": grid must be an object of option -> array of values, got "
                        + g);
            }
            if (g.isEmpty()) {
                throw new IllegalArgumentException(where + ": grid is empty (no options); leave it out for a single "
                        + "configuration");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = g.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                String key = f.getKey();
                String at = where + ": grid." + key;
                checkKey(key, at, false);
                if (entryKeys.contains(key)) {
                    throw new IllegalArgumentException(at + ": the option is also set in configurations; set each "
                            + "option in one of them (base may be overridden by both)");
                }
                JsonNode vs = f.getValue();
                if (!vs.isArray()) {
                    throw new IllegalArgumentException(at + ": expected an array of values, got " + vs);
                }
                if (vs.isEmpty()) {
                    throw new IllegalArgumentException(at + ": empty list of values, so the sweep has no runs");
                }
                gridKeys.add(key);
                List<Map<String, JsonNode>> next = new ArrayList<>();
                for (Map<String, JsonNode> p : points) {
                    for (int i = 0; i < vs.size(); i++) {
                        Map<String, JsonNode> q = new TreeMap<>(p);
                        q.put(key, value(key, vs.get(i), at + "[" + i + "]"));
                        next.add(q);
                    }
                }
                points = next;
            }
        }

        // seeds
        List<Long> seeds = new ArrayList<>();
        Integer repeats = null;
        if (root.has("repeats")) {
            JsonNode r = root.get("repeats");
            if (!r.isIntegralNumber() || !r.canConvertToInt()) {
                throw new IllegalArgumentException(where + ": repeats must be an integer >= 1, got " + r);
            }
            repeats = r.asInt();
            if (repeats < 1) {
                throw new IllegalArgumentException(where + ": repeats must be >= 1, got " + repeats);
            }
            if (repeats > 100_000) {
                throw new IllegalArgumentException(where + ": repeats must be at most 100000, got " + repeats);
            }
        }
        if (root.has("seeds")) {
            JsonNode s = root.get("seeds");
            if (!s.isArray() || s.isEmpty()) {
                throw new IllegalArgumentException(where + ": seeds must be a non-empty array of integers, got " + s);
            }
            for (JsonNode v : s) {
                if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                    throw new IllegalArgumentException(where + ": seeds must be integers, got " + v);
                }
                if (seeds.contains(v.asLong())) {
                    throw new IllegalArgumentException(where + ": seed " + v.asLong() + " appears twice in seeds; "
                            + "repeats need different seeds");
                }
                seeds.add(v.asLong());
            }
            if (repeats != null && repeats != seeds.size()) {
                throw new IllegalArgumentException(where + ": repeats is " + repeats + " but seeds has " + seeds.size()
                        + " entries; give one of them, or make them agree");
            }
        } else {
            for (int r = 1; r <= (repeats == null ? 1 : repeats); r++) {
                seeds.add((long) r);
            }
        }

        // the configurations: base <- entry <- grid point
        List<Map<String, JsonNode>> merged = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        for (Map<String, JsonNode> e : entries) {
            for (Map<String, JsonNode> p : points) {
                Map<String, JsonNode> m = new TreeMap<>(base);
                m.putAll(e);
                m.putAll(p);
                JsonNode label = m.remove("label");
                labels.add(label == null ? null : label.asText());
                m.values().removeIf(JsonNode::isNull); // null: the option is not given (train's default)
                merged.add(m);
            }
        }
        List<Configuration> configs = new ArrayList<>();
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (int i = 0; i < merged.size(); i++) {
            Map<String, JsonNode> m = merged.get(i);
            String id = digest(canonical(m));
            Integer before = seen.putIfAbsent(id, i);
            if (before != null) {
                throw new IllegalArgumentException(where + ": configurations " + before + " and " + i + " are the same "
                        + "(" + canonical(m) + "); every configuration must differ in an option");
            }
            String label = labels.get(i) == null ? describe(m, merged, null)
                    : (labels.get(i) + " " + describe(m, merged, gridKeys)).replaceFirst(" base$", "");
            configs.add(new Configuration(i, id, label, java.util.Collections.unmodifiableMap(m)));
        }
        SweepSpec spec = new SweepSpec(where, name, root, List.copyOf(configs), List.copyOf(seeds), baseDir);
        for (Configuration c : configs) {
            try {
                Training.check(spec.arguments(c, seeds.get(0), "vector"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": configuration " + c.index() + " (" + c.label() + "): "
                        + e.getMessage(), e);
            }
        }
        return spec;
    }

    private static Map<String, JsonNode> options(JsonNode o, String at, boolean labelAllowed) {
        if (!o.isObject()) {
            throw new IllegalArgumentException(at + ": expected an object of options, got " + o);
        }
        Map<String, JsonNode> m = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            String key = f.getKey();
            if (key.equals("label") && labelAllowed) {
                if (!f.getValue().isTextual() || f.getValue().asText().isBlank()) {
                    throw new IllegalArgumentException(at + ".label: must be a non-empty string, got " + f.getValue());
                }
                m.put(key, f.getValue());
                continue;
            }
            checkKey(key, at + "." + key, labelAllowed);
            m.put(key, value(key, f.getValue(), at + "." + key));
        }
        return m;
    }

    private static void checkKey(String key, String at, boolean labelAllowed) {
        if (MANAGED.containsKey(key)) {
            throw new IllegalArgumentException(at + ": a configuration may not set '" + key + "': " + MANAGED.get(key));
        }
        if (!TABLE.containsKey(key)) {
            throw new IllegalArgumentException(at + ": unknown option '" + key + "'; options: "
                    + String.join(", ", TABLE.keySet()) + (labelAllowed ? ", label" : ""));
        }
    }

    /** Checks a value's type and returns it in canonical form (numbers normalised so 5e-3 and 0.005 agree). */
    private static JsonNode value(String key, JsonNode v, String at) {
        Option o = TABLE.get(key);
        if (v.isNull()) {
            if (o.kind() == Kind.BOOLEAN) {
                throw new IllegalArgumentException(at + ": expected true or false, got null");
            }
            return v; // not given: train's default, overriding base (e.g. "adapt": null = no neuroadaptation)
        }
        var f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        return switch (o.kind()) {
            case STRING, PATH -> {
                if (!v.isTextual() || v.asText().isBlank()) {
                    throw new IllegalArgumentException(at + ": expected a non-empty string, got " + v);
                }
                yield v;
            }
            case BOOLEAN -> {
                if (!v.isBoolean()) {
                    throw new IllegalArgumentException(at + ": expected true or false, got " + v);
                }
                yield v;
            }
            case INTEGER -> {
                if (!v.isIntegralNumber() || !v.canConvertToInt()) {
                    throw new IllegalArgumentException(at + ": expected an integer, got " + v);
                }
                yield f.numberNode(v.asInt());
            }
            case NUMBER -> {
                if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
                    throw new IllegalArgumentException(at + ": expected a finite number, got " + v);
                }
                yield f.numberNode(v.asDouble());
            }
            case WIDTHS -> {
                if (!v.isArray() || v.isEmpty()) {
                    throw new IllegalArgumentException(at + ": expected a non-empty array of widths, e.g. [64, 64], got "
                            + v);
                }
                var a = f.arrayNode();
                for (JsonNode w : v) {
                    if (!w.isIntegralNumber() || !w.canConvertToInt()) {
                        throw new IllegalArgumentException(at + ": widths must be integers, got " + v);
                    }
                    a.add(w.asInt());
                }
                yield a;
            }
        };
    }

    /** key=value pairs in key order, the canonical text a configuration's identifier digests. */
    private static String canonical(Map<String, JsonNode> m) {
        StringBuilder sb = new StringBuilder();
        m.forEach((k, v) -> sb.append(sb.isEmpty() ? "" : " ").append(k).append('=').append(text(v)));
        return sb.toString();
    }

    /**
     * The options that differ between configurations, as key=value (or "base" when nothing differs), among
     * {@code only} if it is not null.
     */
    private static String describe(Map<String, JsonNode> m, List<Map<String, JsonNode>> all, Set<String> only) {
        Set<String> keys = new java.util.TreeSet<>();
        all.forEach(c -> keys.addAll(c.keySet()));
        if (only != null) {
            keys.retainAll(only);
        }
        StringBuilder sb = new StringBuilder();
        for (String k : keys) {
            boolean varies = all.stream().map(c -> c.containsKey(k) ? text(c.get(k)) : "\u0000").distinct().count() > 1;
            if (varies) {
                JsonNode v = m.get(k);
                sb.append(sb.isEmpty() ? "" : " ").append(k).append('=').append(v == null || v.isNull() ? "-"
                        : text(v));
            }
        }
        return sb.isEmpty() ? "base" : sb.toString();
    }

    /** A value as the text of a train option ({@code [64, 64]} as {@code 64,64}). */
    static String text(JsonNode v) {
        if (v == null || v.isNull()) {
            return "null";
        }
        if (v.isArray()) {
            StringBuilder sb = new StringBuilder();
            v.forEach(x -> sb.append(sb.isEmpty() ? "" : ",").append(x.asText()));
            return sb.toString();
        }
        if (v.isFloatingPointNumber()) {
            return Double.toString(v.asDouble());
        }
        return v.asText();
    }

    static String digest(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * The {@code train} arguments of one run (without {@code --out}): the configuration's options, the seeds, the
     * backend and one thread.
     *
     * @param c the configuration
     * @param seed the run's seed
     * @param defaultBackend the backend of runs whose configuration names none
     * @return the arguments
     */
    List<String> arguments(Configuration c, long seed, String defaultBackend) {
        List<String> args = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : c.options().entrySet()) {
            Option o = TABLE.get(e.getKey());
            JsonNode v = e.getValue();
            if (v.isNull()) {
                continue;
            }
            if (o.kind() == Kind.BOOLEAN) {
                if (v.asBoolean()) {
                    args.add(o.flag());
                } else if (o.negatedFlag() != null) {
                    args.add(o.negatedFlag());
                }
                continue;
            }
            args.add(o.flag());
            String t = text(v);
            if (o.kind() == Kind.PATH && !BUILT_IN_DATA.contains(t.toLowerCase(Locale.ROOT)) && baseDir != null) {
                t = baseDir.resolve(t).normalize().toString(); // relative to the spec file; absolute stays
            }
            args.add(t);
        }
        if (!c.options().containsKey("backend") || c.options().get("backend").isNull()) {
            args.add("--backend");
            args.add(defaultBackend);
        }
        args.addAll(List.of("--threads", "1", "--seed", Long.toString(seed), "--init-seed", Long.toString(seed)));
        return args;
    }

    /**
     * Expands the sweep into its runs: every configuration times every seed, configurations outermost.
     *
     * @param defaultBackend the backend of configurations that name none (e.g. {@code Backends.selectedName()}),
     *                       recorded in every run so that all executors compute the same
     * @return the runs, each with a stable identifier derived from its configuration, backend and seed
     * @throws IllegalArgumentException if the backend name is blank
     */
    public List<RunSpec> expand(String defaultBackend) {
        if (defaultBackend == null || defaultBackend.isBlank()) {
            throw new IllegalArgumentException("SweepSpec.expand: the default backend must be named, got '"
                    + defaultBackend + "'");
        }
        List<RunSpec> out = new ArrayList<>();
        for (Configuration c : configurations) {
            String backend = c.options().containsKey("backend") && !c.options().get("backend").isNull()
                    ? c.options().get("backend").asText() : defaultBackend;
            for (int r = 0; r < seeds.size(); r++) {
                long seed = seeds.get(r);
                String id = digest("v1 " + canonical(c.options()) + " backend=" + backend) + "-s" + seed;
                out.add(new RunSpec(id, c.id(), c.label(), c.index(), r, seed, List.copyOf(arguments(c, seed,
                        defaultBackend))));
            }
        }
        return out;
    }

    /**
     * The sweep's name.
     *
     * @return the {@code name} key, else the file name without {@code .json}
     */
    public String name() {
        return name;
    }

    /**
     * Where the spec came from, for messages.
     *
     * @return e.g. "sweep spec grid.json"
     */
    public String where() {
        return where;
    }

    /**
     * The configurations in order.
     *
     * @return at least one configuration
     */
    public List<Configuration> configurations() {
        return configurations;
    }

    /**
     * The seeds of the repeats, in order.
     *
     * @return at least one seed, all different
     */
    public List<Long> seeds() {
        return seeds;
    }

    /**
     * The spec as parsed (for the record in the sweep directory).
     *
     * @return a copy of the JSON object
     */
    public ObjectNode json() {
        return ((ObjectNode) json).deepCopy();
    }
}
