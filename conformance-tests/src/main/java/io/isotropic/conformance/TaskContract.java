package io.isotropic.conformance;

import io.isotropic.oracle.Invariance;
import io.isotropic.data.Dataset;
import io.isotropic.nn.ActivationKind;
import io.isotropic.nn.IntrinsicLengthMode;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.nn.LinearCorrectionMode;
import io.isotropic.nn.Parameter;
import io.isotropic.nn.ParameterNames;
import io.isotropic.task.Task;
import io.isotropic.task.TaskSchedule;
import io.isotropic.task.Tasks;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import io.isotropic.train.Adam;
import io.isotropic.train.EpochMetrics;
import io.isotropic.train.Loss;
import io.isotropic.train.Optimizer;
import io.isotropic.train.ParameterState;
import io.isotropic.train.Trainer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Contracts T01-T05: tasks that come and go on a live network (method.md 6.3 and 11.3), in F32 and F64.
 *
 * <p>Appending a task adds zero columns to {@code W_0} and zero rows to {@code W_{L-1}}: an existing task's samples
 * are zero on the new columns, so every product only gains terms {@code 0 * 0}, and its head's rows are untouched.
 * The logits are therefore unchanged up to the order in which a backend sums the (now longer) inner products, which
 * may change with the inner dimension; the bound asserted is {@link Invariance#of}, and the contracts also report
 * when the logits are bit-identical.
 */
public interface TaskContract extends BackendFixture {

    private IsotropicMlp taskNet(DType dt, long seed, int... widths) {
        // orthogonal init as in training, then the trained-like biases, psi and o of Nets
        return Nets.random(backend(), dt, seed, ActivationKind.ISOTROPIC_TANH, IntrinsicLengthMode.TRAINABLE,
                LinearCorrectionMode.TRAINABLE_DECAY, widths);
    }

    private static Task task(String name, DType dt, long seed, int samples, int features, int classes) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] y = new int[samples];
        for (int i = 0; i < samples; i++) {
            y[i] = rng.nextInt(classes);
        }
        Dataset train = Dataset.of(name, Nets.inputs(dt, seed + 1, samples, features), y, classes);
        int[] yt = new int[samples / 2];
        for (int i = 0; i < yt.length; i++) {
            yt[i] = rng.nextInt(classes);
        }
        Dataset test = Dataset.of(name + "-test", Nets.inputs(dt, seed + 2, yt.length, features), yt, classes);
        return Task.of(name, train, test);
    }

    private static Map<String, Tensor> momentsSnapshot(Optimizer opt) {
        Map<String, Tensor> m = new HashMap<>();
        for (Map.Entry<String, ParameterState> e : opt.states().entrySet()) {
            m.put(e.getKey() + ".first", e.getValue().first().copy());
            m.put(e.getKey() + ".second", e.getValue().second().copy());
        }
        return m;
    }

    /**
     * T01 and T02: appending a task leaves the logits of the existing tasks unchanged and gives the new head zero
     * logits; removing it restores the earlier network (shapes, logits) and keeps the optimiser moments of the
     * surviving entries; T03: removing a task that was bound first (not last) keeps the other task's logits.
     *
     * @param dt the dtype
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.isotropic.conformance.Cases#dtypes")
    default void t01_appendAndRemoveKeepOtherTasks(DType dt) {
        Task a = task("a", dt, 11, 40, 7, 3);
        Task b = task("b", dt, 21, 40, 5, 4);
        IsotropicMlp net = taskNet(dt, 31, 7, 9, 8, 3);
        Tasks tasks = Tasks.start(net, a);
        Optimizer opt = Adam.adamW(1e-2, 1e-3);
        Trainer.builder().epochs(2).batchSize(8).seed(5).build().fit(net, opt, tasks);
        Tensor xa = a.test().features();
        Tensor ya = tasks.logits("a", xa);
        Map<String, Tensor> moments = momentsSnapshot(opt);
        IsotropicMlp before = net.copy();

        tasks.append(b, opt);
        assertEquals(List.of(12, 9, 8, 7), java.util.Arrays.stream(net.widths()).boxed().toList(),
                "T01: widths after appending a 5-feature, 4-class task");
        Tensor ya2 = tasks.logits("a", xa);
        ContractAssertions.atMost("T01 " + dt + " logits of task a after appending b", Invariance.maxDiff(ya, ya2),
                Invariance.of(net, ya));
        Tensor yb = tasks.logits("b", b.test().features());
        assertEquals(0.0, yb.maxAbs(), "T01: the new head's logits start at exactly 0 (zero rows and biases)");
        for (Parameter p : net.parameters()) {
            ParameterState s = opt.states().get(p.name());
            assertEquals(p.value().shape(), s.first().shape(), "T01: first moment of " + p.name() + " follows its shape");
            assertEquals(p.value().shape(), s.second().shape(), "T01: second moment of " + p.name() + " follows");
        }
        Tensor m0 = opt.states().get(ParameterNames.weightName(0)).first();
        for (int r = 0; r < m0.rows(); r++) {
            for (int c = 0; c < m0.cols(); c++) {
                double want = c < 7 ? moments.get(ParameterNames.weightName(0) + ".first").get(r, c) : 0.0;
                assertEquals(want, m0.get(r, c), "T01: W_0 moments: old columns kept, new columns zero");
            }
        }

        tasks.remove("b", opt);
        assertEquals(List.of(7, 9, 8, 3), java.util.Arrays.stream(net.widths()).boxed().toList(),
                "T02: widths restored");
        for (Parameter p : net.parameters()) {
            Tensor old = before.parameters().stream().filter(q -> q.name().equals(p.name())).findFirst().orElseThrow()
                    .value();
            assertTrue(old.contentEquals(p.value()), "T02: " + p.name() + " restored exactly");
            assertTrue(moments.get(p.name() + ".first").contentEquals(opt.states().get(p.name()).first()),
                    "T02: first moment of " + p.name() + " restored exactly");
            assertTrue(moments.get(p.name() + ".second").contentEquals(opt.states().get(p.name()).second()),
                    "T02: second moment of " + p.name() + " restored exactly");
        }
        assertTrue(tasks.logits("a", xa).contentEquals(ya), "T02: logits of task a restored bit for bit");

        // T03: remove the first-bound task instead; the other moves up and keeps its logits
        tasks.append(b, opt);
        Tensor yb1 = tasks.logits("b", b.test().features());
        tasks.remove("a", opt);
        assertEquals(0, tasks.placement("b").inputOffset(), "T03: b's input block moves to the front");
        assertEquals(0, tasks.placement("b").outputOffset(), "T03: b's head moves to the front");
        assertEquals(List.of(5, 9, 8, 4), java.util.Arrays.stream(net.widths()).boxed().toList(), "T03: widths");
        Tensor yb2 = tasks.logits("b", b.test().features());
        ContractAssertions.atMost("T03 " + dt + " logits of b after removing a", Invariance.maxDiff(yb1, yb2),
                Invariance.of(net, yb1));
    }

    /**
     * T04: a schedule appends, deactivates and removes tasks at phase boundaries while the trainer runs; every epoch
     * reports each bound task, inactive tasks train on no rows, and the optimiser keeps working across the changes.
     *
     * @param dt the dtype
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.isotropic.conformance.Cases#dtypes")
    default void t04_scheduleDrivesTheTasks(DType dt) {
        Task a = task("a", dt, 41, 48, 6, 3);
        Task b = task("b", dt, 51, 48, 4, 2);
        IsotropicMlp net = taskNet(dt, 61, 6, 8, 7, 3);
        Tasks tasks = Tasks.start(net, a);
        tasks.follow(TaskSchedule.of(TaskSchedule.Phase.of(0, "a"), TaskSchedule.Phase.of(2, "a", "b"),
                TaskSchedule.Phase.of(3, "b"), TaskSchedule.Phase.of(4, "b").removing("a")), b);
        Optimizer opt = Adam.adamW(1e-2, 1e-3);
        List<EpochMetrics> h = Trainer.builder().epochs(5).batchSize(8).seed(7).build().fit(net, opt, tasks);
        assertEquals(List.of("a"), h.get(1).groups().stream().map(g -> g.name()).toList(), "T04: epoch 1 has task a");
        assertEquals(List.of("a", "b"), h.get(2).groups().stream().map(g -> g.name()).toList(), "T04: b appended");
        assertEquals(0, h.get(3).groups().get(0).trainSamples(), "T04: deactivated a trains on no rows");
        assertEquals(48, h.get(3).groups().get(1).trainSamples(), "T04: b trains on all its full batches");
        assertTrue(h.get(3).groups().get(0).test() != null, "T04: a deactivated task is still evaluated");
        assertEquals(List.of("b"), h.get(4).groups().stream().map(g -> g.name()).toList(), "T04: a removed");
        assertEquals(List.of(4, 8, 7, 2), java.util.Arrays.stream(net.widths()).boxed().toList(), "T04: widths");
        assertEquals(48 / 8 * 5 - 0, opt.steps(), "T04: one step per full batch of the smallest active task");
    }

    /**
     * T05: bad input is rejected with a clear message and leaves network, tasks and optimiser unchanged: an unknown
     * task, overlapping blocks, data that do not fit the network, removing or deactivating the last task, a schedule
     * that names an unknown task.
     *
     * @param dt the dtype
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.isotropic.conformance.Cases#dtypes")
    default void t05_badInputChangesNothing(DType dt) {
        Task a = task("a", dt, 71, 24, 6, 3);
        Task b = task("b", dt, 81, 24, 4, 2);
        IsotropicMlp net = taskNet(dt, 91, 10, 8, 7, 5);
        Tasks tasks = Tasks.bind(net, List.of(new Tasks.Placement(a, 0, 0, true), new Tasks.Placement(b, 6, 3, true)));
        Optimizer opt = Adam.adamW(1e-2, 1e-3);
        Trainer.builder().epochs(1).batchSize(8).build().fit(net, opt, tasks);
        IsotropicMlp snapshot = net.copy();
        Map<String, Tensor> moments = momentsSnapshot(opt);
        String layout = tasks.toString();
        Task wrongDtype = task("c", dt == DType.F64 ? DType.F32 : DType.F64, 101, 24, 3, 2);
        List<Executable> bad = List.of(
                () -> tasks.remove("nope", opt),
                () -> tasks.activate("nope"),
                () -> tasks.append(a, opt),
                () -> tasks.append(wrongDtype, opt),
                () -> Tasks.bind(net, List.of(new Tasks.Placement(a, 0, 0, true), new Tasks.Placement(b, 5, 3, true))),
                () -> Tasks.bind(net, List.of(new Tasks.Placement(a, 0, 0, true), new Tasks.Placement(b, 6, 2, true))),
                () -> Tasks.bind(net, List.of(new Tasks.Placement(a, 5, 0, true))),
                () -> Tasks.start(net, a),
                () -> Tasks.bind(snapshot, List.of(new Tasks.Placement(a, 0, 0, false))),
                () -> {
                    Tasks one = Tasks.start(IsotropicMlp.builder(6, 4, 3).dtype(dt).build(backend()), a);
                    one.remove("a", null);
                },
                () -> {
                    tasks.deactivate("a");
                    try {
                        tasks.deactivate("b");
                    } finally {
                        tasks.activate("a");
                    }
                },
                () -> tasks.follow(TaskSchedule.of(TaskSchedule.Phase.of(0, "a", "z"))),
                () -> tasks.logits("a", Nets.inputs(dt, 3, 2, 5)));
        for (int i = 0; i < bad.size(); i++) {
            int k = i;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> bad.get(k).execute(),
                    "T05 case " + i + " must be rejected");
            assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "T05 case " + i + ": a message");
        }
        assertEquals(layout, tasks.toString(), "T05: the task layout is unchanged");
        for (Parameter p : net.parameters()) {
            Tensor old = snapshot.parameters().stream().filter(q -> q.name().equals(p.name())).findFirst().orElseThrow()
                    .value();
            assertTrue(old.contentEquals(p.value()), "T05: " + p.name() + " unchanged");
            assertTrue(moments.get(p.name() + ".first").contentEquals(opt.states().get(p.name()).first()),
                    "T05: moments of " + p.name() + " unchanged");
        }
        assertThrows(IllegalArgumentException.class, () -> new TaskSchedule(List.of(TaskSchedule.Phase.of(1, "a"))),
                "T05: a schedule must start at epoch 0");
        assertThrows(IllegalArgumentException.class, () -> Task.of("x", a.train(), b.test()),
                "T05: test data with other features than the training data");
        assertThrows(IllegalArgumentException.class, () -> new Task("x", a.train(), null, Loss.CROSS_ENTROPY, 0),
                "T05: weight 0");
    }
}
