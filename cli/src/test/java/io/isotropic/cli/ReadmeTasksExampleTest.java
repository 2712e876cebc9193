package io.isotropic.cli;

import io.isotropic.Backends;
import io.isotropic.adapt.Controller;
import io.isotropic.adapt.Growth;
import io.isotropic.data.Dataset;
import io.isotropic.data.Datasets;
import io.isotropic.data.Standardiser;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.spi.Backend;
import io.isotropic.task.Task;
import io.isotropic.task.TaskSchedule.Phase;
import io.isotropic.task.TaskSchedule;
import io.isotropic.task.Tasks;
import io.isotropic.tensor.DType;
import io.isotropic.train.Adam;
import io.isotropic.train.EpochMetrics;
import io.isotropic.train.Optimizer;
import io.isotropic.train.Trainer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's multi-task example, run as written; the README must hold these lines verbatim. */
class ReadmeTasksExampleTest {

    private static List<EpochMetrics> example() {
        // README:begin
        Backend be = Backends.get();
        Dataset.Split s = Datasets.digits(DType.F32).split(0.2, 1);
        Standardiser st = s.train().fitStandardiser();
        Dataset train = s.train().standardise(st);
        Dataset test = s.test().standardise(st);
        Task digits = Task.of("digits", train, test);                  // 64 features, 10 classes
        Task parity = Task.of("parity", train.relabel("parity", y -> y % 2, 2), test.relabel("parity", y -> y % 2, 2));

        IsotropicMlp net = IsotropicMlp.builder(64, 64, 64, 10).seed(1).build(be);
        Tasks tasks = Tasks.start(net, digits);                        // inputs 0..63, logits 0..9
        tasks.follow(TaskSchedule.of(
                Phase.of(0, "digits"),                                 // epochs 0-9: digits
                Phase.of(10, "digits", "parity"),                      // epoch 10: parity appended, 64 inputs + 2 logits
                Phase.of(20, "parity").removing("digits")), parity);  // epoch 20: digits' blocks removed
        Optimizer opt = Adam.adamW(5e-3, 1e-3);
        Trainer trainer = Trainer.builder().epochs(30)
                .listener(new Controller(4, 0.5, Growth.reference(7)))  // widths follow the tasks
                .build();
        List<EpochMetrics> history = trainer.fit(net, opt, tasks);
        for (EpochMetrics m : history) {
            System.out.println(m.epoch() + " widths " + Arrays.toString(m.widths()) + " " + m.groups().stream()
                    .map(g -> g.name() + " " + g.test().accuracy()).toList());
        }
        // README:end
        return history;
    }

    @Test
    void theExampleTrainsAppendsAndRemoves() {
        List<EpochMetrics> h = example();
        assertEquals(30, h.size());
        assertEquals(List.of("digits"), h.get(9).groups().stream().map(g -> g.name()).toList());
        assertEquals(List.of("digits", "parity"), h.get(10).groups().stream().map(g -> g.name()).toList());
        assertEquals(List.of("parity"), h.get(29).groups().stream().map(g -> g.name()).toList());
        int[] w = h.get(29).widths();
        assertEquals(64, w[0], "only the parity task's 64 inputs are left");
        assertEquals(2, w[w.length - 1], "only the parity task's 2 logits are left");
        assertTrue(h.get(19).groups().get(0).test().accuracy() > 0.9, "digits learnt: " + h.get(19).groups());
        assertTrue(h.get(29).groups().get(0).test().accuracy() > 0.9, "parity learnt: " + h.get(29).groups());
    }

    @Test
    void theReadmeShowsThisCode() throws IOException {
        Path self = Path.of("src/test/java/io/isotropic/cli/ReadmeTasksExampleTest.java");
        String src = Files.readString(self, StandardCharsets.UTF_8);
        String code = src.substring(src.indexOf("// README:begin") + "// README:begin".length(),
                src.indexOf("        // README:end"));
        String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
        for (String line : code.strip().split("\n")) {
            String l = line.strip();
            assertTrue(readme.contains(l), "README.md lacks the example line: " + l);
        }
        long lines = code.strip().lines().count();
        assertTrue(lines < 30, "the example has " + lines + " lines; keep it under 30");
    }
}
