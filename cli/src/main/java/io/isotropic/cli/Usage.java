package io.isotropic.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Checks that every option a command was given takes effect: options that would be ignored are rejected. */
final class Usage {
    private Usage() {
    }

    /** Whether an option was given on the command line (not just defaulted). */
    static boolean given(CommandSpec spec, String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /** The options among {@code options} that were given. */
    static List<String> givenAmong(CommandSpec spec, Collection<String> options) {
        List<String> out = new ArrayList<>();
        for (String o : options) {
            if (given(spec, o)) {
                out.add(o);
            }
        }
        return out;
    }

    /**
     * Rejects, as bad usage (exit code 2), an option that was given but would have no effect.
     *
     * @throws CommandLine.ParameterException if the option was given
     */
    static void reject(CommandSpec spec, String option, String why) {
        if (given(spec, option)) {
            throw new CommandLine.ParameterException(spec.commandLine(), option + " " + why);
        }
    }

    /** Bad usage with a message. */
    static CommandLine.ParameterException bad(CommandSpec spec, String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /**
     * Rejects, as bad usage, {@code --dtype} in a command that works on a saved model: the model keeps its own dtype
     * (also when {@code --dtype} names the same one, which would suggest a conversion that does not happen);
     * {@code convert} changes it.
     *
     * @param spec the command
     * @param model the loaded model's dtype, named in the message
     * @throws CommandLine.ParameterException if {@code --dtype} was given
     */
    static void rejectDtype(CommandSpec spec, io.isotropic.tensor.DType model) {
        if (given(spec, "--dtype")) {
            String value = spec.commandLine().getParseResult().matchedOptionValue("--dtype", "");
            throw bad(spec, "--dtype " + value + " does not apply to '" + spec.name() + "': the model holds " + model
                    + " parameters and keeps its own dtype; change it with 'isotropic convert --dtype f32|f64'");
        }
    }
}
