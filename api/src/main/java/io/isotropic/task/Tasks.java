package io.isotropic.task;

import io.isotropic.adapt.Restructure;
import io.isotropic.data.Dataset;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.tensor.Seeds;
import io.isotropic.tensor.Tensor;
import io.isotropic.train.Batch;
import io.isotropic.train.Curriculum;
import io.isotropic.train.Evaluation;
import io.isotropic.train.LossValue;
import io.isotropic.train.Objective;
import io.isotropic.train.Optimizer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The tasks of one live network: each task's features enter a block of the input layer (zeros elsewhere) and its
 * logits are a block of the output layer (its head). Tasks can be appended, removed, activated, deactivated and
 * replaced between any two steps; appending grows the input and output layers with zero weights (method.md 6.3), so
 * the other tasks' logits are unchanged, and removing deletes the task's blocks, which the other tasks' inputs never
 * touch, so theirs are unchanged too. The optimiser's state follows every change (zero moments for new entries,
 * removed entries gone). A {@link TaskSchedule} drives the same operations at the start of its phases.
 *
 * <p>As a {@link Curriculum}, each step takes {@code batchSize} samples of every active task (shuffled per epoch by
 * {@code (seed, epoch, task name)}; an epoch has as many steps as the smallest active task has full batches), and the
 * objective is the weighted mean of the active tasks' losses on their own heads. Not thread-safe.
 */
public final class Tasks implements Curriculum {
    /**
     * Where a task sits in the network.
     *
     * @param task the task
     * @param inputOffset first input feature of its block
     * @param outputOffset first logit of its head
     * @param active whether the objective trains it (weight {@code task.weight()}) or ignores it (weight 0)
     */
    public record Placement(Task task, int inputOffset, int outputOffset, boolean active) {
        /**
         * Validates the offsets.
         *
         * @throws NullPointerException if task is null
         * @throws IllegalArgumentException if an offset is negative
         */
        public Placement {
            Objects.requireNonNull(task, "Placement: task is null");
            if (inputOffset < 0 || outputOffset < 0) {
                throw new IllegalArgumentException("Placement of task " + task.name() + ": offsets must be >= 0, got "
                        + inputOffset + ", " + outputOffset);
            }
        }

        Placement withActive(boolean a) {
            return new Placement(task, inputOffset, outputOffset, a);
        }
    }

    private final IsotropicMlp net;
    private final List<Placement> placements = new ArrayList<>();
    private final Map<String, Task> catalogue = new LinkedHashMap<>();
    private TaskSchedule schedule;

    private Tasks(IsotropicMlp net) {
        this.net = Objects.requireNonNull(net, "Tasks: net is null");
    }

    /**
     * Binds tasks to a network whose input layer is their input blocks side by side and whose output layer is their
     * heads side by side, in the given order; all are active.
     *
     * @param net the network, {@code n_0 = sum of the tasks' features}, {@code n_L = sum of their classes}
     * @param tasks the tasks (at least one; distinct names)
     * @return the binding
     * @throws IllegalArgumentException if the widths do not match, names repeat or the data's dtype differs
     */
    public static Tasks start(IsotropicMlp net, Task... tasks) {
        Objects.requireNonNull(tasks, "Tasks.start: tasks is null");
        List<Placement> ps = new ArrayList<>();
        int in = 0;
        int out = 0;
        for (Task t : tasks) {
            Objects.requireNonNull(t, "Tasks.start: a task is null");
            ps.add(new Placement(t, in, out, true));
            in += t.features();
            out += t.classes();
        }
        int[] w = Objects.requireNonNull(net, "Tasks.start: net is null").widths();
        if (in != w[0] || out != w[w.length - 1]) {
            throw new IllegalArgumentException("Tasks.start: the tasks have " + in + " features and " + out
                    + " classes in all; the network has " + w[0] + " inputs and " + w[w.length - 1] + " outputs");
        }
        return bind(net, ps);
    }

    /**
     * Binds tasks to a network at explicit places (blocks need not cover the layers, but may not overlap).
     *
     * @param net the network
     * @param placements the tasks and their blocks (at least one; distinct names; at least one active)
     * @return the binding
     * @throws IllegalArgumentException if a block lies outside the layers, two blocks overlap, names repeat, no
     *         task is active, or a task's data are not of the network's dtype
     */
    public static Tasks bind(IsotropicMlp net, List<Placement> placements) {
        Tasks ts = new Tasks(net);
        Objects.requireNonNull(placements, "Tasks.bind: placements is null");
        if (placements.isEmpty()) {
            throw new IllegalArgumentException("Tasks.bind: need at least one task");
        }
        List<Placement> ps = new ArrayList<>(placements);
        validate("Tasks.bind", net, ps);
        ts.placements.addAll(ps);
        return ts;
    }

    private static void validate(String op, IsotropicMlp net, List<Placement> ps) {
        int[] w = net.widths();
        int n0 = w[0];
        int nL = w[w.length - 1];
        boolean anyActive = false;
        for (int i = 0; i < ps.size(); i++) {
            Placement p = Objects.requireNonNull(ps.get(i), op + ": a placement is null");
            Task t = p.task();
            anyActive |= p.active();
            if (t.train().dtype() != net.dtype()) {
                throw new IllegalArgumentException(op + ": task " + t.name() + " has " + t.train().dtype()
                        + " data; the network is " + net.dtype() + " (convert with Dataset.to)");
            }
            if (p.inputOffset() + (long) t.features() > n0 || p.outputOffset() + (long) t.classes() > nL) {
                throw new IllegalArgumentException(op + ": task " + t.name() + " needs inputs " + p.inputOffset() + ".."
                        + (p.inputOffset() + t.features() - 1) + " and outputs " + p.outputOffset() + ".."
                        + (p.outputOffset() + t.classes() - 1) + "; the network has " + n0 + " inputs and " + nL
                        + " outputs");
            }
            for (int j = 0; j < i; j++) {
                Placement q = ps.get(j);
                if (q.task().name().equals(t.name())) {
                    throw new IllegalArgumentException(op + ": two tasks are named " + t.name());
                }
                if (overlap(p.inputOffset(), t.features(), q.inputOffset(), q.task().features())) {
                    throw new IllegalArgumentException(op + ": the input blocks of " + q.task().name() + " ("
                            + q.inputOffset() + ".." + (q.inputOffset() + q.task().features() - 1) + ") and "
                            + t.name() + " (" + p.inputOffset() + ".." + (p.inputOffset() + t.features() - 1)
                            + ") overlap");
                }
                if (overlap(p.outputOffset(), t.classes(), q.outputOffset(), q.task().classes())) {
                    throw new IllegalArgumentException(op + ": the output heads of " + q.task().name() + " ("
                            + q.outputOffset() + ".." + (q.outputOffset() + q.task().classes() - 1) + ") and "
                            + t.name() + " (" + p.outputOffset() + ".." + (p.outputOffset() + t.classes() - 1)
                            + ") overlap");
                }
            }
        }
        if (!anyActive) {
            throw new IllegalArgumentException(op + ": no task is active");
        }
    }

    private static boolean overlap(int a, int na, int b, int nb) {
        return a < b + nb && b < a + na;
    }

    // ================================================================ the live set

    /**
     * The network the tasks are bound to.
     *
     * @return the network
     */
    public IsotropicMlp network() {
        return net;
    }

    /**
     * The tasks and their places, in binding order (the order of the objective's groups).
     *
     * @return an unmodifiable copy
     */
    public List<Placement> placements() {
        return List.copyOf(placements);
    }

    /**
     * The place of a bound task.
     *
     * @param name the task's name
     * @return its placement
     * @throws IllegalArgumentException if no bound task has that name
     */
    public Placement placement(String name) {
        return placements.get(indexOf("placement", name));
    }

    /**
     * Whether a task of that name is bound.
     *
     * @param name the name
     * @return true if bound
     */
    public boolean contains(String name) {
        return placements.stream().anyMatch(p -> p.task().name().equals(name));
    }

    private int indexOf(String op, String name) {
        for (int i = 0; i < placements.size(); i++) {
            if (placements.get(i).task().name().equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("Tasks." + op + ": no task named '" + name + "'; bound tasks: " + names());
    }

    private List<String> names() {
        return placements.stream().map(p -> p.task().name()).toList();
    }

    /**
     * Appends a task: its input block after the last input, its head after the last output (zero weights, so the
     * other tasks' logits are unchanged), active.
     *
     * @param task the task (a name not yet bound; data of the network's dtype)
     * @param opt the optimiser whose state to pad with zeros, or null
     * @throws IllegalArgumentException if the name is bound already, the dtype differs, or the network has
     *         non-finite parameters (nothing changes)
     */
    public void append(Task task, Optimizer opt) {
        Objects.requireNonNull(task, "Tasks.append: task is null");
        if (contains(task.name())) {
            throw new IllegalArgumentException("Tasks.append: a task named " + task.name() + " is bound already");
        }
        if (task.train().dtype() != net.dtype()) {
            throw new IllegalArgumentException("Tasks.append: task " + task.name() + " has " + task.train().dtype()
                    + " data; the network is " + net.dtype() + " (convert with Dataset.to)");
        }
        int[] w = net.widths();
        Restructure.addInputsAndOutputs(net, task.features(), task.classes(), opt);
        placements.add(new Placement(task, w[0], w[w.length - 1], true));
    }

    /**
     * Removes a task: deletes its input block and its head (and their optimiser state); the remaining tasks' blocks
     * move up and their logits are unchanged.
     *
     * @param name the task
     * @param opt the optimiser whose state to shrink, or null
     * @throws IllegalArgumentException if no task has that name, it is the last bound or the last active task, or
     *         its blocks are the whole input or output layer (nothing changes)
     */
    public void remove(String name, Optimizer opt) {
        int i = indexOf("remove", name);
        if (placements.size() == 1) {
            throw new IllegalArgumentException("Tasks.remove: " + name + " is the only task; a network keeps at least "
                    + "one");
        }
        Placement p = placements.get(i);
        if (p.active() && placements.stream().filter(Placement::active).count() == 1) {
            throw new IllegalArgumentException("Tasks.remove: " + name + " is the only active task; activate another "
                    + "first");
        }
        Restructure.removeInputsAndOutputs(net, p.inputOffset(), p.task().features(), p.outputOffset(),
                p.task().classes(), opt);
        placements.remove(i);
        for (int j = 0; j < placements.size(); j++) {
            Placement q = placements.get(j);
            int in = q.inputOffset() > p.inputOffset() ? q.inputOffset() - p.task().features() : q.inputOffset();
            int out = q.outputOffset() > p.outputOffset() ? q.outputOffset() - p.task().classes() : q.outputOffset();
            placements.set(j, new Placement(q.task(), in, out, q.active()));
        }
    }

    /**
     * Makes a bound task trained by the objective again.
     *
     * @param name the task
     * @throws IllegalArgumentException if no task has that name
     */
    public void activate(String name) {
        int i = indexOf("activate", name);
        placements.set(i, placements.get(i).withActive(true));
    }

    /**
     * Keeps a task's blocks but gives it weight 0 in the objective.
     *
     * @param name the task
     * @throws IllegalArgumentException if no task has that name, or it is the last active task
     */
    public void deactivate(String name) {
        int i = indexOf("deactivate", name);
        if (placements.get(i).active() && placements.stream().filter(Placement::active).count() == 1) {
            throw new IllegalArgumentException("Tasks.deactivate: " + name + " is the only active task");
        }
        placements.set(i, placements.get(i).withActive(false));
    }

    /**
     * Changes a task's data, loss or weight, keeping its blocks (the new task has the same name, features and
     * classes).
     *
     * @param task the new definition
     * @throws IllegalArgumentException if no task has its name, or its features, classes or dtype differ
     */
    public void replace(Task task) {
        Objects.requireNonNull(task, "Tasks.replace: task is null");
        int i = indexOf("replace", task.name());
        Placement p = placements.get(i);
        if (task.features() != p.task().features() || task.classes() != p.task().classes()
                || task.train().dtype() != net.dtype()) {
            throw new IllegalArgumentException("Tasks.replace: task " + task.name() + " has " + task.features()
                    + " features, " + task.classes() + " classes, " + task.train().dtype() + "; its blocks hold "
                    + p.task().features() + " and " + p.task().classes() + " in " + net.dtype());
        }
        placements.set(i, new Placement(task, p.inputOffset(), p.outputOffset(), p.active()));
    }

    /**
     * Follows a schedule from now on: at the start of every epoch, {@link #beginEpoch} brings the bound tasks to the
     * epoch's phase, appending tasks from the catalogue.
     *
     * @param s the schedule
     * @param later tasks the schedule may append (not bound yet)
     * @throws IllegalArgumentException if the schedule names a task that is neither bound nor in {@code later}, or a
     *         name is in both
     */
    public void follow(TaskSchedule s, Task... later) {
        Objects.requireNonNull(s, "Tasks.follow: schedule is null");
        Map<String, Task> cat = new LinkedHashMap<>();
        for (Task t : later) {
            Objects.requireNonNull(t, "Tasks.follow: a task is null");
            if (contains(t.name()) || cat.put(t.name(), t) != null) {
                throw new IllegalArgumentException("Tasks.follow: task " + t.name() + " is bound already or listed twice");
            }
        }
        List<String> known = new ArrayList<>(names());
        known.addAll(cat.keySet());
        s.requireKnown(known);
        catalogue.clear();
        catalogue.putAll(cat);
        schedule = s;
    }

    /**
     * Brings the bound tasks to a phase: appends its active tasks that are not bound (from the catalogue), removes
     * the tasks it removes, activates its active tasks and deactivates the others.
     *
     * @param phase the phase
     * @param opt the optimiser whose state follows the changes, or null
     * @throws IllegalArgumentException if the phase names a task that is neither bound nor in the catalogue
     */
    public void apply(TaskSchedule.Phase phase, Optimizer opt) {
        Objects.requireNonNull(phase, "Tasks.apply: phase is null");
        for (String n : phase.active()) {
            if (!contains(n) && !catalogue.containsKey(n)) {
                throw new IllegalArgumentException("Tasks.apply: the phase from epoch " + phase.fromEpoch()
                        + " names unknown task '" + n + "'; bound: " + names() + ", catalogue: " + catalogue.keySet());
            }
        }
        for (String n : phase.active()) {
            if (!contains(n)) {
                append(catalogue.get(n), opt);
            }
            activate(n);
        }
        for (String n : phase.remove()) {
            if (contains(n)) {
                remove(n, opt);
            }
        }
        for (Placement p : placements()) {
            if (!phase.active().contains(p.task().name())) {
                deactivate(p.task().name());
            }
        }
    }

    // ================================================================ curriculum

    @Override
    public void beginEpoch(int epoch, IsotropicMlp network, Optimizer optimizer) {
        requireBound("beginEpoch", network);
        if (schedule != null) {
            apply(schedule.phaseAt(epoch), optimizer);
        }
    }

    @Override
    public void check(String op, IsotropicMlp network) {
        requireBound(op, network);
        validate(op, network, placements);
    }

    private void requireBound(String op, IsotropicMlp network) {
        if (network != net) {
            throw new IllegalArgumentException(op + ": these tasks are bound to another network (" + net + ")");
        }
    }

    @Override
    public Objective objective() {
        double[] w = new double[placements.size()];
        for (int i = 0; i < w.length; i++) {
            w[i] = placements.get(i).active() ? placements.get(i).task().weight() : 0;
        }
        return new TaskObjective(placements, w);
    }

    @Override
    public List<String> groupNames() {
        return names();
    }

    @Override
    public Iterator<Batch> batches(int epoch, long seed, int batchSize, IsotropicMlp network) {
        requireBound("batches", network);
        if (batchSize < 1) {
            throw new IllegalArgumentException("Tasks.batches: batch size must be >= 1, got " + batchSize);
        }
        List<Integer> active = new ArrayList<>();
        int steps = Integer.MAX_VALUE;
        for (int i = 0; i < placements.size(); i++) {
            Placement p = placements.get(i);
            if (p.active()) {
                active.add(i);
                int full = p.task().train().size() / batchSize;
                if (full == 0) {
                    throw new IllegalArgumentException("Tasks.batches: task " + p.task().name() + " has "
                            + p.task().train().size() + " training samples, fewer than one batch of " + batchSize);
                }
                steps = Math.min(steps, full);
            }
        }
        int[][] order = new int[placements.size()][];
        for (int i : active) {
            Task t = placements.get(i).task();
            order[i] = Dataset.permutation(t.train().size(),
                    new SplittableRandom(Seeds.mix(seed, epoch, t.name().hashCode())));
        }
        int totalSteps = steps;
        int inputs = network.widths()[0];
        List<Placement> ps = List.copyOf(placements);
        return new Iterator<>() {
            private int s;

            @Override
            public boolean hasNext() {
                return s < totalSteps;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("no more batches in epoch " + epoch);
                }
                int rows = batchSize * active.size();
                Tensor x = Tensor.zeros(network.dtype(), rows, inputs);
                int[] y = new int[rows];
                int[] g = new int[rows];
                int row = 0;
                for (int i : active) {
                    Placement p = ps.get(i);
                    int[] idx = java.util.Arrays.copyOfRange(order[i], s * batchSize, (s + 1) * batchSize);
                    p.task().train().gatherInto(idx, x, row, p.inputOffset(), y, row);
                    java.util.Arrays.fill(g, row, row + batchSize, i);
                    row += batchSize;
                }
                s++;
                return new Batch(x, y, g);
            }
        };
    }

    @Override
    public List<Evaluation> evaluate(IsotropicMlp network, int batchSize) {
        requireBound("evaluate", network);
        List<Evaluation> out = new ArrayList<>();
        for (Placement p : placements) {
            out.add(p.task().test() == null ? null : evaluate(p, p.task().test(), batchSize));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * Evaluates one task on a data set of its features and classes, placed in its input block, on its head.
     *
     * @param name the task
     * @param data the data (the task's features and classes, the network's dtype)
     * @param batchSize evaluation batch size, {@code >= 1}
     * @return loss and accuracy on the task's head
     * @throws IllegalArgumentException if no task has that name, the data do not fit it or the batch size is below 1
     */
    public Evaluation evaluate(String name, Dataset data, int batchSize) {
        Placement p = placements.get(indexOf("evaluate", name));
        Objects.requireNonNull(data, "Tasks.evaluate: data is null");
        if (data.featureCount() != p.task().features() || data.classes() != p.task().classes()
                || data.dtype() != net.dtype() || data.size() == 0 || batchSize < 1) {
            throw new IllegalArgumentException("Tasks.evaluate: data " + data.name() + " (" + data.featureCount()
                    + " features, " + data.classes() + " classes, " + data.dtype() + ", " + data.size() + " samples) "
                    + "with batch size " + batchSize + " do not fit task " + name);
        }
        return evaluate(p, data, batchSize);
    }

    /**
     * The logits of a task's head for samples of its features.
     *
     * @param name the task
     * @param x samples {@code [n, features]} of the task, the network's dtype
     * @return the head's logits {@code [n, classes]}
     * @throws IllegalArgumentException if no task has that name or x does not fit it
     */
    public Tensor logits(String name, Tensor x) {
        Placement p = placements.get(indexOf("logits", name));
        Objects.requireNonNull(x, "Tasks.logits: x is null");
        if (x.rank() != 2 || x.cols() != p.task().features() || x.dtype() != net.dtype()) {
            throw new IllegalArgumentException("Tasks.logits: x is " + x.dtype() + " " + x.shape() + "; task " + name
                    + " takes [n, " + p.task().features() + "] in " + net.dtype());
        }
        int n = x.rows();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        Dataset d = Dataset.of(name, x, new int[n], p.task().classes());
        return head(p, d, idx);
    }

    private Tensor head(Placement p, Dataset d, int[] idx) {
        int inputs = net.widths()[0];
        Tensor x = Tensor.zeros(net.dtype(), idx.length, inputs);
        d.gatherInto(idx, x, 0, p.inputOffset(), new int[idx.length], 0);
        Tensor all = net.predict(x);
        int k = p.task().classes();
        int cols = all.cols();
        Tensor block = Tensor.zeros(net.dtype(), idx.length, k);
        for (int r = 0; r < idx.length; r++) {
            for (int c = 0; c < k; c++) {
                block.setFlat(r * k + c, all.getFlat(r * cols + p.outputOffset() + c));
            }
        }
        return block;
    }

    private Evaluation evaluate(Placement p, Dataset data, int batchSize) {
        double total = 0;
        int correct = 0;
        for (int start = 0; start < data.size(); start += batchSize) {
            int n = Math.min(batchSize, data.size() - start);
            int[] idx = new int[n];
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = start + i;
                y[i] = data.label(start + i);
            }
            LossValue v = p.task().loss().evaluate(head(p, data, idx), y);
            total += v.loss() * n;
            correct += v.correct();
        }
        return new Evaluation(total / data.size(), (double) correct / data.size(), data.size());
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tasks[");
        for (int i = 0; i < placements.size(); i++) {
            Placement p = placements.get(i);
            sb.append(i == 0 ? "" : ", ").append(p.task().name()).append(p.active() ? "" : " (inactive)").append(" in ")
                    .append(p.inputOffset()).append('+').append(p.task().features()).append(", out ")
                    .append(p.outputOffset()).append('+').append(p.task().classes());
        }
        return sb.append(']').toString();
    }
}
