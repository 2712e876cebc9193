package io.isotropic.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code isotropic} command-line tool. */
@Command(name = "isotropic", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Isotropic neural networks with adaptive topology.",
        subcommands = {TrainCommand.class, BackendsCommand.class, CommandLine.HelpCommand.class})
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
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("error: " + ex.getMessage());
            return 1;
        });
        return cl.execute(args);
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
