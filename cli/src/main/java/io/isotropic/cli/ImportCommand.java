package io.isotropic.cli;

import io.isotropic.persist.Checkpoint;
import io.isotropic.persist.PlainMlpImport;
import io.isotropic.persist.Safetensors;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;

/** Imports a plain MLP saved as safetensors (e.g. a PyTorch state_dict) as a model of ours. */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Read a safetensors file of a plain isotropic MLP (per layer a weight [out, in] and a bias; "
                + "optional intrinsic lengths and psi vectors), infer the widths from the shapes, take the modes from "
                + "the options, and write the model into the new directory DIR (model.safetensors, manifest.json). Tensor names are detected (layers.0.weight, fc1.weight, "
                + "net.0.weight, W.0/b.0, weight_parameters.0/bias_parameters.0, psi.0, psi_parameters.0, "
                + "activation.0.intrinsic_length, ...) or given as patterns with {i}.")
final class ImportCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The safetensors file to import.")
    Path file;

    @Mixin
    CommonOptions common;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "New directory for the model "
            + "(model.safetensors, manifest.json).")
    Path out;

    @Option(names = "--force", description = "Replace a previous output in --out.")
    boolean force;

    @Option(names = "--activation", defaultValue = "isotropic", paramLabel = "KIND",
            description = "isotropic (default) or tanh (element-wise).")
    String activation;

    @Option(names = "--intrinsic-length", defaultValue = "none", paramLabel = "MODE",
            description = "none (default), constant, trainable (the file holds ln o) or signed.")
    String lengthMode;

    @Option(names = "--o-init", paramLabel = "O",
            description = "o of every activation when the file has no intrinsic lengths (modes other than none).")
    Double initialLength;

    @Option(names = "--psi", defaultValue = "none", paramLabel = "MODE",
            description = "none (default), constant, trainable, decay or expectation; absent psi vectors are set to 0.")
    String psiMode;

    @Option(names = "--psi-decay", defaultValue = "0.1", paramLabel = "LAMBDA",
            description = "Psi penalty of mode decay (default ${DEFAULT-VALUE}).")
    double psiDecay;

    @Option(names = "--epsilon", defaultValue = "1e-3", paramLabel = "EPS",
            description = "Small-ball radius of the isotropic activation (default ${DEFAULT-VALUE}).")
    double epsilon;

    @Option(names = "--weight-name", paramLabel = "PATTERN", description = "Weight names, with {i} for the index "
            + "(layers in increasing index order), e.g. 'encoder.{i}.weight'.")
    String weightName;

    @Option(names = "--bias-name", paramLabel = "PATTERN",
            description = "Bias names (default: the weight pattern with weight -> bias, or W -> b).")
    String biasName;

    @Option(names = "--psi-name", paramLabel = "PATTERN", description = "Psi names, {i} = activation 0 .. L-2.")
    String psiName;

    @Option(names = "--length-name", paramLabel = "PATTERN", description = "Intrinsic-length names, {i} = activation; "
            + "values are ln o if the pattern contains 'log' or the mode is trainable, else o.")
    String lengthName;

    @Option(names = "--ignore-extra", description = "Skip tensors that are not part of the MLP instead of refusing "
            + "the file.")
    boolean ignoreExtra;

    @Override
    public Integer call() throws Exception {
        OutputSet target = OutputSet.check(out, force, null);
        if (initialLength != null && !Double.isFinite(initialLength)) {
            throw Usage.bad(spec, "--o-init must be finite, got " + initialLength);
        }
        DType dtype = Usage.given(spec, "--dtype") ? common.dtype() : null;
        PlainMlpImport.Options options = new PlainMlpImport.Options(NetworkOptions.activation(activation),
                NetworkOptions.lengthMode(lengthMode), NetworkOptions.psiMode(psiMode), psiDecay, epsilon, dtype,
                initialLength, ignoreExtra, new PlainMlpImport.Names(weightName, biasName, psiName, lengthName));
        PrintWriter w = spec.commandLine().getOut();
        try (Backend backend = common.createBackend()) {
            Safetensors.Contents c = Safetensors.read(file);
            PlainMlpImport.Result r = PlainMlpImport.fromTensors(file.toString(), c.tensors(), options, backend);
            if (initialLength != null && r.notes().stream().noneMatch(n -> n.startsWith("intrinsic lengths: none"))) {
                throw Usage.bad(spec, "--o-init applies only when the file has no intrinsic lengths and the mode has "
                        + "them; " + file + " gives them (or the mode is none)");
            }
            target.write(r.net(), r.standardiser(), null, null, Map.of("imported_from", file.getFileName().toString()));
            for (String n : r.notes()) {
                w.println(n);
            }
            w.printf("imported %s: %s %s, %s, intrinsic length %s, psi %s; wrote %s%n", file,
                    Arrays.toString(r.net().widths()), r.net().dtype(), r.net().activation(),
                    r.net().intrinsicLengthMode(), r.net().linearCorrectionMode(), out.resolve(Checkpoint.MODEL));
            w.flush();
        }
        return 0;
    }
}
