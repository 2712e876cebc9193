package io.isotropic.cli;

import io.isotropic.onnx.OnnxExporter;
import io.isotropic.persist.ModelFile;
import io.isotropic.spi.Backend;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

/** Exports a saved model as an ONNX model of standard operators. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Export a saved model (with its input standardisation) as an ONNX model (opset "
                + OnnxExporter.OPSET + ", standard operators, the model's dtype): input '" + OnnxExporter.INPUT
                + "' [batch, n_0] of raw features, output '" + OnnxExporter.OUTPUT + "' [batch, n_L].")
final class ExportCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;
    @Mixin
    ModelOptions model;
    @Mixin
    CommonOptions common;

    @Option(names = "--onnx", required = true, paramLabel = "FILE", description = "The ONNX file to write (not "
            + "overwritten unless --force).")
    Path onnx;

    @Option(names = "--no-standardiser", description = "Leave the model's input standardisation out of the graph (the "
            + "input is then the standardised features).")
    boolean noStandardiser;

    @Option(names = "--force", description = "Overwrite an existing --onnx file.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        if (Files.exists(onnx) && !force) {
            throw new IllegalArgumentException("--onnx " + onnx + " exists; pass --force to overwrite it");
        }
        try (Backend backend = common.createBackend()) {
            ModelFile.Loaded m = model.load(backend);
            Usage.rejectDtype(spec, m.net().dtype());
            if (noStandardiser && m.standardiser() == null) {
                throw Usage.bad(spec, "--no-standardiser: the model " + model.file() + " has no standardisation");
            }
            Activity.now("writing " + onnx);
            OnnxExporter.write(m.net(), noStandardiser ? null : m.standardiser(), onnx);
            PrintWriter w = spec.commandLine().getOut();
            w.printf("wrote %s: %s %s, input '%s' [batch, %d]%s, output '%s' [batch, %d]%n", onnx,
                    Arrays.toString(m.net().widths()), m.net().dtype(), OnnxExporter.INPUT, m.net().widths()[0],
                    m.standardiser() != null && !noStandardiser ? " (raw features, standardised in the graph)" : "",
                    OnnxExporter.OUTPUT, m.net().widths()[m.net().depth()]);
            w.flush();
        }
        return 0;
    }
}
