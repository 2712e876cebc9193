package io.isotropic.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.isotropic.data.Dataset;
import io.isotropic.data.Standardiser;
import io.isotropic.task.Task;
import io.isotropic.task.TaskSchedule;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import io.isotropic.train.Loss;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The tasks of a multi-task {@code train} run and their schedule, read from a small JSON file:
 *
 * <pre>{@code
 * {
 *   "tasks": [
 *     {"name": "fashion", "dataset": "fashion-mnist", "train_limit": 10000, "test_limit": 2000},
 *     {"name": "permuted", "dataset": "fashion-mnist", "permute_seed": 77, "train_limit": 10000},
 *     {"name": "digits", "dataset": "digits", "weight": 1.0, "loss": "cross-entropy"}
 *   ],
 *   "phases": [
 *     {"from_epoch": 0, "active": ["fashion"]},
 *     {"from_epoch": 10, "active": ["fashion", "permuted"]},
 *     {"from_epoch": 20, "active": ["permuted"], "remove": ["fashion"]}
 *   ]
 * }
 * }</pre>
 *
 * A task's {@code dataset} is any value of {@code --dataset} (digits, fashion-mnist, a CSV file or an IDX directory);
 * optional: {@code test_data}, {@code classes} (CSV/IDX), {@code train_limit} / {@code test_limit} (first samples),
 * {@code permute_seed} (a fixed pixel permutation of the features, a new task from the same data), {@code relabel}
 * ({@code "parity"}: label mod 2), {@code weight} (default 1), {@code loss} ({@code cross-entropy} or {@code mse}).
 * Each task is standardised with its own training statistics. Unknown keys are refused.
 *
 * @param tasks the task definitions in file order
 * @param schedule the phases
 */
record TaskFile(List<Def> tasks, TaskSchedule schedule) {

    /** One task of the file. */
    record Def(String name, String dataset, Path testData, int classes, Integer trainLimit, Integer testLimit,
               Long permuteSeed, String relabel, double weight, Loss loss) {
    }

    /** A loaded task: the task (standardised data) and its standardisation. */
    record Loaded(Task task, Standardiser standardiser) {
    }

    private static final Set<String> TASK_KEYS = Set.of("name", "dataset", "test_data", "classes", "train_limit",
            "test_limit", "permute_seed", "relabel", "weight", "loss");
    private static final Set<String> PHASE_KEYS = Set.of("from_epoch", "active", "remove");

    /**
     * Reads and validates a task file.
     *
     * @param file the JSON file
     * @return the tasks and schedule
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the file and the offending entry if it is malformed
     */
    static TaskFile read(Path file) throws IOException {
        return parse(readJson(file), "--tasks " + file);
    }

    /**
     * Reads a task file's JSON without interpreting it (run.json records it, so a resumed run does not depend on the
     * file).
     *
     * @param file the file
     * @return its JSON
     * @throws IOException if it cannot be read
     * @throws IllegalArgumentException if it is missing or not JSON
     */
    static JsonNode readJson(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--tasks " + file + ": no such file");
        }
        try {
            return TrainCommand.JSON.readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("--tasks " + file + ": not valid JSON (" + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ")");
        }
    }

    /**
     * Interprets a task file's JSON.
     *
     * @param root the JSON
     * @param where how to name it in messages
     * @return the tasks and schedule
     * @throws IllegalArgumentException naming the offending entry if it is malformed
     */
    static TaskFile parse(JsonNode root, String where) {
        if (root == null || !root.isObject() || !root.path("tasks").isArray() || !root.path("phases").isArray()) {
            throw new IllegalArgumentException(where + ": need an object with arrays \"tasks\" and \"phases\"");
        }
        unknownKeys(where, root, Set.of("tasks", "phases"));
        List<Def> defs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (JsonNode t : root.get("tasks")) {
            String at = where + ": task " + (defs.size() + 1);
            if (!t.isObject()) {
                throw new IllegalArgumentException(at + " is not an object");
            }
            unknownKeys(at, t, TASK_KEYS);
            String name = text(at, t, "name", true);
            at = where + ": task '" + name + "'";
            if (!names.add(name)) {
                throw new IllegalArgumentException(at + " is defined twice");
            }
            String dataset = text(at, t, "dataset", true);
            String test = text(at, t, "test_data", false);
            String relabel = text(at, t, "relabel", false);
            if (relabel != null && !relabel.equals("parity")) {
                throw new IllegalArgumentException(at + ": relabel '" + relabel + "' is not known; use \"parity\"");
            }
            String loss = text(at, t, "loss", false);
            Loss l = loss == null ? Loss.CROSS_ENTROPY : switch (loss.toLowerCase(Locale.ROOT)) {
                case "cross-entropy", "cross_entropy", "ce" -> Loss.CROSS_ENTROPY;
                case "mse" -> Loss.MSE;
                default -> throw new IllegalArgumentException(at + ": loss '" + loss + "' is not known; use "
                        + "cross-entropy or mse");
            };
            Integer classes = integer(at, t, "classes", 1, io.isotropic.data.CsvReader.MAX_CLASSES);
            defs.add(new Def(name, dataset, test == null ? null : Path.of(test), classes == null ? 0 : classes,
                    integer(at, t, "train_limit", 1, Integer.MAX_VALUE), integer(at, t, "test_limit", 1,
                    Integer.MAX_VALUE), t.has("permute_seed") ? longValue(at, t, "permute_seed") : null, relabel,
                    t.has("weight") ? number(at, t, "weight") : 1.0, l));
        }
        if (defs.isEmpty()) {
            throw new IllegalArgumentException(where + ": no tasks");
        }
        List<TaskSchedule.Phase> phases = new ArrayList<>();
        for (JsonNode p : root.get("phases")) {
            String at = where + ": phase " + (phases.size() + 1);
            if (!p.isObject()) {
                throw new IllegalArgumentException(at + " is not an object");
            }
            unknownKeys(at, p, PHASE_KEYS);
            Integer from = integer(at, p, "from_epoch", 0, Integer.MAX_VALUE);
            if (from == null) {
                throw new IllegalArgumentException(at + ": needs \"from_epoch\"");
            }
            try {
                phases.add(new TaskSchedule.Phase(from, strings(at, p, "active"), strings(at, p, "remove")));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(at + ": " + e.getMessage());
            }
        }
        TaskSchedule schedule;
        try {
            schedule = new TaskSchedule(phases);
            schedule.requireKnown(names);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
        return new TaskFile(List.copyOf(defs), schedule);
    }

    /**
     * Loads every task's data, standardised with its own training statistics.
     *
     * @param dtype the network's dtype
     * @return the loaded tasks by name, in file order
     * @throws IOException if a data file cannot be read
     * @throws IllegalArgumentException if a task's data are unusable
     */
    Map<String, Loaded> load(DType dtype) throws IOException {
        Map<String, Loaded> out = new LinkedHashMap<>();
        for (Def d : tasks) {
            DataOptions o = new DataOptions();
            o.dataset = d.dataset();
            o.testData = d.testData();
            o.testFraction = 0.2;
            o.splitSeed = 2026;
            o.limit = d.trainLimit();
            o.classes = d.classes();
            o.standardise = false;
            DataOptions.Loaded raw;
            try {
                raw = o.load(dtype);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("task '" + d.name() + "': " + e.getMessage());
            }
            Dataset train = raw.train();
            Dataset test = d.testLimit() == null ? raw.test() : raw.test().head(d.testLimit());
            if (d.permuteSeed() != null) {
                int[] perm = Dataset.permutation(train.featureCount(), new SplittableRandom(d.permuteSeed()));
                train = permute(train, perm, d.name());
                test = permute(test, perm, d.name() + "-test");
            }
            if ("parity".equals(d.relabel())) {
                train = train.relabel(d.name(), y -> y % 2, 2);
                test = test.relabel(d.name() + "-test", y -> y % 2, 2);
            }
            Standardiser st = train.fitStandardiser();
            out.put(d.name(), new Loaded(new Task(d.name(), train.standardise(st), test.standardise(st), d.loss(),
                    d.weight()), st));
        }
        return out;
    }

    /**
     * Steps of an epoch: the smallest active task's full batches.
     *
     * @param epoch the epoch
     * @param loaded the loaded tasks
     * @param batch the batch size
     * @return the number of steps
     */
    long stepsOf(int epoch, Map<String, Loaded> loaded, int batch) {
        long steps = Long.MAX_VALUE;
        for (String n : schedule.phaseAt(epoch).active()) {
            steps = Math.min(steps, loaded.get(n).task().train().size() / batch);
        }
        return steps;
    }

    private static Dataset permute(Dataset d, int[] perm, String name) {
        int f = d.featureCount();
        Tensor x = Tensor.zeros(d.dtype(), d.size(), f);
        for (int i = 0; i < d.size(); i++) {
            for (int j = 0; j < f; j++) {
                x.setFlat(i * f + j, d.features().getFlat(i * f + perm[j]));
            }
        }
        return Dataset.of(name, x, d.labels(), d.classes());
    }

    private static void unknownKeys(String at, JsonNode n, Set<String> known) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) {
                throw new IllegalArgumentException(at + ": unknown key \"" + k + "\"; known keys: "
                        + new java.util.TreeSet<>(known));
            }
        }
    }

    private static String text(String at, JsonNode n, String key, boolean required) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException(at + ": needs \"" + key + "\"");
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new IllegalArgumentException(at + ": \"" + key + "\" must be a non-empty string, got " + v);
        }
        return v.asText();
    }

    private static Integer integer(String at, JsonNode n, String key, int min, int max) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
            throw new IllegalArgumentException(at + ": \"" + key + "\" must be an integer from " + min + " to " + max
                    + ", got " + v);
        }
        return v.asInt();
    }

    private static long longValue(String at, JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException(at + ": \"" + key + "\" must be an integer, got " + v);
        }
        return v.asLong();
    }

    private static double number(String at, JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (!v.isNumber() || !Double.isFinite(v.asDouble()) || !(v.asDouble() > 0)) {
            throw new IllegalArgumentException(at + ": \"" + key + "\" must be a finite number > 0, got " + v);
        }
        return v.asDouble();
    }

    private static List<String> strings(String at, JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new IllegalArgumentException(at + ": \"" + key + "\" must be an array of task names, got " + v);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw new IllegalArgumentException(at + ": \"" + key + "\" must hold task names, got " + e);
            }
            out.add(e.asText());
        }
        return out;
    }
}
