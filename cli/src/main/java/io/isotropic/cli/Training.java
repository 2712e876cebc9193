package io.isotropic.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.util.List;
import java.util.Set;

/**
 * The {@code train} command run in-process on a list of its arguments, for code that trains many runs (the sweeps
 * of {@link io.isotropic.cli.sweep}): exactly the code path of {@code isotropic train ARGS}, with its validation, run
 * directory, checkpoints, metrics and plots, but with failures thrown as exceptions instead of printed.
 */
public final class Training {
    /** Options a caller may not pass: they would print help instead of training, or continue another run. */
    private static final Set<String> REFUSED = Set.of("--help", "-h", "--version", "-V", "--resume");

    private Training() {
    }

    /**
     * Parses the arguments as {@code train} would, without training: checks option names and value types.
     *
     * @param args the arguments of {@code train} (e.g. {@code --hidden 64,64 --lr 5e-3})
     * @throws IllegalArgumentException naming the offending option or value if {@code train} would refuse to parse
     *         them, or if they ask for help, the version or {@code --resume}
     */
    public static void check(List<String> args) {
        parse(args, new PrintWriter(PrintWriter.nullWriter()), new PrintWriter(PrintWriter.nullWriter()));
    }

    /**
     * Trains one run: {@code isotropic train ARGS} in this JVM, printing what {@code train} prints to {@code out}
     * (the line per epoch and the summary) and {@code err} (progress, unless {@code --no-progress}).
     *
     * @param args the arguments of {@code train}; {@code --out DIR} names the run directory
     * @param out the command's standard output
     * @param err the command's standard error
     * @throws IllegalArgumentException for bad options or values (as {@code train} reports them)
     * @throws io.isotropic.train.TrainingDivergedException if training diverges
     * @throws java.io.IOException if reading data or writing the run directory fails
     * @throws Exception for any other failure of the command
     */
    public static void run(List<String> args, PrintWriter out, PrintWriter err) throws Exception {
        TrainCommand cmd = parse(args, out, err);
        cmd.call();
        out.flush();
        err.flush();
    }

    private static TrainCommand parse(List<String> args, PrintWriter out, PrintWriter err) {
        for (String a : args) {
            if (REFUSED.contains(a) || a.startsWith("--resume=")) {
                throw new IllegalArgumentException("Training: option " + a + " is not allowed here (only the options "
                        + "of a new train run)");
            }
        }
        TrainCommand cmd = new TrainCommand();
        CommandLine cl = new CommandLine(cmd);
        cl.setOut(out);
        cl.setErr(err);
        try {
            cl.parseArgs(args.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException("train " + String.join(" ", args) + ": " + e.getMessage()
                    .replace('\n', ' '), e);
        }
        return cmd;
    }
}
