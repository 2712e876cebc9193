package io.isotropic.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code isotropic} command-line tool. */
@Command(name = "isotropic", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Isotropic neural networks with adaptive topology.",
        subcommands = {TrainCommand.class, RestructureCommand.class, EvaluateCommand.class, PredictCommand.class,
            InspectCommand.class, ImportCommand.class, ConvertCommand.class, ExportCommand.class, io.isotropic.cli.experiments.ExperimentCommand.class, BackendsCommand.class,
            CommandLine.HelpCommand.class})
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
        CommandLine cl = new CommandLine(new Main());
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

    /** One-line description of a failure, naming the file for I/O problems. */
    static String describe(Throwable ex) {
        Throwable t = ex;
        while ((t instanceof java.io.UncheckedIOException || t instanceof java.lang.reflect.InvocationTargetException)
                && t.getCause() != null) {
            t = t.getCause();
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
