package io.isotropic.cli;

import io.isotropic.persist.Checkpoint;
import io.isotropic.persist.ModelFile;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.nn.Parameter;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import io.isotropic.train.Optimizer;
import io.isotropic.train.ParameterState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** Converts a saved model (and its optimiser state) between F32 and F64. */
@Command(name = "convert", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Convert a saved model, and the optimiser state next to it, to another dtype (--dtype f32 or "
                + "f64) and write both as one set into the new directory --out. F32 -> F64 is exact; F64 -> F32 rounds each value to nearest and fails if "
                + "one overflows.")
final class ConvertCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;
    @Mixin
    ModelOptions model;
    @Mixin
    CommonOptions common;

    @Option(names = "--optimizer", paramLabel = "FILE", description = "Optimiser state to convert along "
            + "(default: optimizer.safetensors next to the model, if present).")
    Path optimizerFile;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "New directory for the converted "
            + "model and optimiser, written as one set (model.safetensors, optimizer.safetensors, manifest.json).")
    Path out;

    @Option(names = "--force", description = "Replace a previous output in --out.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        if (!Usage.given(spec, "--dtype")) {
            throw Usage.bad(spec, "convert needs --dtype f32 or --dtype f64");
        }
        DType target = common.dtype();
        Path optIn = optimizerFile != null ? optimizerFile : model.file().resolveSibling(Checkpoint.OPTIMIZER);
        boolean withOpt = optimizerFile != null || Files.exists(optIn);
        OutputSet output = OutputSet.check(out, force, model.file());
        PrintWriter w = spec.commandLine().getOut();
        try (Backend backend = common.createBackend()) {
            ModelFile.Loaded m = model.load(backend);
            IsotropicMlp net = m.net();
            Activity.now("loading the optimiser state " + optIn);
            ModelFile.LoadedOptimizer lo = withOpt ? ModelFile.loadOptimizer(optIn, m) : null;
            DType source = net.dtype();
            IsotropicMlp converted = convert(net, target, backend);
            Map<String, String> meta = new LinkedHashMap<>();
            if (m.metadata().containsKey("epochs_completed")) {
                meta.put("epochs_completed", m.metadata().get("epochs_completed"));
            }
            meta.put("converted_from", source.name());
            Optimizer opt = null;
            if (lo != null) {
                opt = lo.spec().build();
                opt.setSteps(lo.optimizer().steps());
                for (Map.Entry<String, ParameterState> e : lo.optimizer().states().entrySet()) {
                    ParameterState s = e.getValue();
                    opt.putState(e.getKey(), new ParameterState(to(s.first(), target, e.getKey() + " (optimiser)"),
                            to(s.second(), target, e.getKey() + " (optimiser)"), s.step()));
                }
            }
            long bytes = OutputSet.bytes(output.write(converted, m.standardiser(), opt, lo == null ? null : lo.spec(),
                    meta));
            w.printf("converted %s from %s to %s; wrote %s (%s%s, %s)%n", model.file(), source, target, out,
                    Checkpoint.MODEL, opt != null ? ", " + Checkpoint.OPTIMIZER : "",
                    io.isotropic.persist.MemoryBudget.format(bytes));
            w.flush();
        }
        return 0;
    }

    /**
     * The same network in another dtype (a copy; F64 -> F32 rounds to nearest).
     *
     * @throws IllegalArgumentException if a value overflows the target dtype
     */
    static IsotropicMlp convert(IsotropicMlp net, DType target, Backend backend) {
        Map<String, Tensor> params = new LinkedHashMap<>();
        for (Parameter p : net.parameters()) {
            params.put(p.name(), to(p.value(), target, p.name()));
        }
        return IsotropicMlp.fromParameters(net.spec().withDtype(target), params, backend);
    }

    private static Tensor to(Tensor t, DType target, String name) {
        if (t == null) {
            return null;
        }
        Tensor c = t.to(target);
        int bad = c.firstNonFinite();
        if (bad >= 0) {
            throw new IllegalArgumentException("convert: " + name + " " + java.util.Arrays.toString(t.unravel(bad)) + " = "
                    + t.getFlat(bad) + " does not fit in " + target);
        }
        return c;
    }
}
