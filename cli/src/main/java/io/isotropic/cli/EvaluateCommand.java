package io.isotropic.cli;

import io.isotropic.persist.ModelFile;
import io.isotropic.spi.Backend;
import io.isotropic.train.Evaluation;
import io.isotropic.train.Loss;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** Evaluates a saved model on the training and test parts of a data set. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Accuracy and loss of a saved model on a data set (standardised with the model's statistics).")
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;
    @Mixin
    ModelOptions model;
    @Mixin
    CommonOptions common;
    @Mixin
    DataOptions data;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        try (Backend backend = common.createBackend()) {
            ModelFile.Loaded m = model.load(backend);
            Usage.rejectDtype(spec, m.net().dtype());
            Activity.now("loading the data set " + data.dataset);
            DataOptions.Loaded d = data.loadForModel(spec, m.net().dtype(), m.standardiser(), m.net().widths()[0]);
            Activity.now("evaluating the model");
            for (var part : new Object[][] {{"train", d.train()}, {"test", d.test()}}) {
                Evaluation e = Evaluation.of(m.net(), (io.isotropic.data.Dataset) part[1], 1000, Loss.CROSS_ENTROPY);
                w.printf("%-5s %6d samples  accuracy %6.2f%%  loss %.4f%n", part[0], e.samples(), 100 * e.accuracy(),
                        e.loss());
            }
            w.flush();
        }
        return 0;
    }
}
