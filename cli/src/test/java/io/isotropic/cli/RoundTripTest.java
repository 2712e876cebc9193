package io.isotropic.cli;

import io.isotropic.Backends;
import io.isotropic.adapt.Growth;
import io.isotropic.adapt.Restructure;
import io.isotropic.persist.ModelFile;
import io.isotropic.persist.OptimizerSpec;
import io.isotropic.persist.Safetensors;
import io.isotropic.data.Dataset;
import io.isotropic.data.Datasets;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.nn.Parameter;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import io.isotropic.train.Optimizer;
import io.isotropic.train.ParameterState;
import io.isotropic.train.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Save, load, restructure and resume round-trip bit for bit. */
class RoundTripTest {
    @TempDir
    Path dir;

    private static void assertSameNetworks(IsotropicMlp a, IsotropicMlp b, String when) {
        assertEquals(a.parameters().size(), b.parameters().size(), when);
        for (int i = 0; i < a.parameters().size(); i++) {
            Parameter p = a.parameters().get(i);
            Parameter q = b.parameters().get(i);
            assertEquals(p.name(), q.name(), when);
            assertTrue(p.value().contentEquals(q.value()), when + ": " + p.name() + " differs");
        }
    }

    private static void assertSameStates(Optimizer a, Optimizer b, String when) {
        assertEquals(a.steps(), b.steps(), when + ": global steps");
        assertEquals(a.states().keySet(), b.states().keySet(), when);
        for (Map.Entry<String, ParameterState> e : a.states().entrySet()) {
            ParameterState s = b.states().get(e.getKey());
            assertEquals(e.getValue().step(), s.step(), when + ": step of " + e.getKey());
            assertTrue(e.getValue().first().contentEquals(s.first()), when + ": m of " + e.getKey());
            assertTrue(e.getValue().second().contentEquals(s.second()), when + ": v of " + e.getKey());
        }
    }

    @Test
    void saveLoadRestructureResumeAreBitExact() throws Exception {
        Backend be = Backends.get("ejml");
        Dataset data = Datasets.digits(DType.F32).head(400);
        data = data.standardise(data.fitStandardiser());
        OptimizerSpec spec = new OptimizerSpec("adamw", 3e-3, 1e-3, 0.9, "cosine", 100, 1e-4);
        IsotropicMlp net = IsotropicMlp.builder(64, 24, 20, 10).seed(3).build(be);
        Optimizer opt = spec.build();
        Trainer.builder().epochs(2).batchSize(32).seed(5).build().fit(net, opt, data, null);

        ModelFile.save(dir.resolve("model.safetensors"), net, data.fitStandardiser(), Map.of());
        ModelFile.saveOptimizer(dir.resolve("optimizer.safetensors"), opt, spec, Map.of());
        IsotropicMlp loaded = ModelFile.load(dir.resolve("model.safetensors"), be).net();
        Optimizer loadedOpt = ModelFile.loadOptimizer(dir.resolve("optimizer.safetensors"), loaded).optimizer();
        assertSameNetworks(net, loaded, "after load");
        assertSameStates(opt, loadedOpt, "after load");
        assertTrue(net.predict(data.features()).contentEquals(loaded.predict(data.features())), "outputs after load");

        for (IsotropicMlp[] pair : new IsotropicMlp[][] {{net, loaded}}) {
            Restructure.neurodegeneration(pair[0], 1, 3, opt, null);
            Restructure.neurodegeneration(pair[1], 1, 3, loadedOpt, null);
            Restructure.neurogenesis(pair[0], 0, 2, Growth.reference(9), opt);
            Restructure.neurogenesis(pair[1], 0, 2, Growth.reference(9), loadedOpt);
        }
        assertSameNetworks(net, loaded, "after restructuring");
        assertSameStates(opt, loadedOpt, "after restructuring");

        // resume: save the restructured pair, load again, train both for two more epochs
        ModelFile.save(dir.resolve("model.safetensors"), loaded, null, Map.of());
        ModelFile.saveOptimizer(dir.resolve("optimizer.safetensors"), loadedOpt, spec, Map.of());
        IsotropicMlp again = ModelFile.load(dir.resolve("model.safetensors"), be).net();
        Optimizer againOpt = ModelFile.loadOptimizer(dir.resolve("optimizer.safetensors"), again).optimizer();
        Trainer.builder().epochs(4).startEpoch(2).batchSize(32).seed(5).build().fit(net, opt, data, null);
        Trainer.builder().epochs(4).startEpoch(2).batchSize(32).seed(5).build().fit(again, againOpt, data, null);
        assertSameNetworks(net, again, "after resuming");
        assertSameStates(opt, againOpt, "after resuming");
    }

    @Test
    void commandLineResumeEqualsAnUninterruptedRun() throws Exception {
        String[] common = {"--hidden", "24,20", "--adapt", "2", "--tau", "0.3", "--limit", "500", "--no-progress",
            "--backend", "ejml", "--threads", "1", "--batch-size", "40"};
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        assertEquals(0, run(concat(new String[] {"train", "--epochs", "4", "--out", a.toString()}, common)));
        assertEquals(0, run(concat(new String[] {"train", "--epochs", "2", "--out", b.toString()}, common)));
        assertEquals(0, run("train", "--resume", b.toString(), "--epochs", "4", "--no-progress"));
        for (String f : new String[] {"model.safetensors", "optimizer.safetensors"}) {
            Safetensors.Contents ca = Safetensors.read(a.resolve(f));
            Safetensors.Contents cb = Safetensors.read(b.resolve(f));
            assertEquals(ca.tensors().keySet(), cb.tensors().keySet(), f);
            for (String k : ca.tensors().keySet()) {
                assertTrue(ca.tensors().get(k).contentEquals(cb.tensors().get(k)), f + ": " + k + " differs");
            }
        }
    }

    static int run(String... args) {
        picocli.CommandLine cl = new picocli.CommandLine(new Main());
        cl.setOut(new java.io.PrintWriter(new java.io.StringWriter()));
        return cl.execute(args);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
