package io.isotropic.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code isotropic} command-line tool. */
@Command(name = "isotropic", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Isotropic neural networks with adaptive topology.",
        subcommands = {TrainCommand.class, RestructureCommand.class, EvaluateCommand.class, PredictCommand.class,
            InspectCommand.class, ImportCommand.class, ConvertCommand.class, ExportCommand.class,
            io.isotropic.cli.experiments.ExperimentCommand.class, io.isotropic.cli.sweep.SweepCommand.class,
            BackendsCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Creates the root command (picocli instantiates it). */
    public Main() {
    }

    /**
     * Runs the tool and exits with its exit code.
     *
     * @param args command-line arguments
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the tool without exiting (for tests and embedding).
     *
     * @param args command-line arguments
     * @return the exit code: 0 on success, 1 on a failed operation, 2 on bad usage
     */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /**
     * The configured command line: every failure prints exactly one line {@code error: ...} on stderr and exits
     * non-zero (1 for a failed operation, 2 for bad usage).
     *
     * @return the command line
     */
    public static CommandLine commandLine() {
        System.setProperty("java.awt.headless", "true");
        Activity.now("starting");
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionStrategy(parsed -> {
            try {
                return new CommandLine.RunLast().execute(parsed);
            } catch (VirtualMachineError e) {
                throw new CommandLine.ExecutionException(parsed.commandSpec().commandLine(), "", e);
            }
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("error: " + describe(ex));
            cmd.getErr().flush();
            return 1;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("error: " + ex.getMessage().replace('\n', ' ') + " (see 'isotropic "
                    + (cmd.getCommandName().equals("isotropic") ? "" : cmd.getCommandName() + " ") + "--help')");
            cmd.getErr().flush();
            return 2;
        });
        return cl;
    }

    /**
     * One-line description of a failure: the message of an expected failure (bad input, a file problem, naming the
     * file), or for an {@link OutOfMemoryError} and unexpected exceptions a sentence saying what was being done.
     */
    static String describe(Throwable ex) {
        Throwable t = ex;
        while ((t instanceof java.io.UncheckedIOException || t instanceof java.lang.reflect.InvocationTargetException
                || t instanceof CommandLine.ExecutionException) && t.getCause() != null) {
            if (t instanceof java.io.UncheckedIOException u && u.getMessage() != null
                    && !u.getMessage().equals(String.valueOf(u.getCause()))) {
                return u.getMessage().replace('\n', ' '); // a message of our own, which names the file
            }
            t = t.getCause();
        }
        if (t instanceof OutOfMemoryError) {
            long max = Runtime.getRuntime().maxMemory();
            return "ran out of memory while " + Activity.current() + " (the Java heap holds at most "
                    + io.isotropic.persist.MemoryBudget.format(max) + "); use smaller sizes or give Java more memory, "
                    + "e.g. ISOTROPIC_JAVA_OPTS=-Xmx8g";
        }
        if (t instanceof StackOverflowError) {
            return "the call stack overflowed while " + Activity.current() + "; the input is too deeply nested or too "
                    + "large";
        }
        if (t instanceof Error || !(t instanceof java.io.IOException || t instanceof IllegalArgumentException
                || t instanceof IllegalStateException || t instanceof UnsupportedOperationException
                || t instanceof io.isotropic.train.TrainingDivergedException)) {
            return "internal error while " + Activity.current() + ": " + t.getClass().getSimpleName()
                    + (t.getMessage() == null ? "" : ": " + firstLine(t.getMessage())) + " (please report this)";
        }
        if (t instanceof java.nio.file.NoSuchFileException nsf) {
            return "no such file: " + nsf.getFile() + (nsf.getReason() != null ? " (" + nsf.getReason() + ")" : "");
        }
        if (t instanceof java.nio.file.AccessDeniedException ade) {
            return "permission denied: " + ade.getFile();
        }
        String msg = t.getMessage();
        return (msg == null || msg.isBlank() ? t.getClass().getSimpleName() : msg).replace('\n', ' ');
    }

    private static String firstLine(String s) {
        return s.lines().findFirst().orElse("");
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Reports the version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"isotropic " + (v == null ? "(development build)" : v)};
        }
    }
}
