package io.isotropic.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in-process for the tests, capturing what it prints. */
final class Cli {
    private Cli() {
    }

    /**
     * Runs one command.
     *
     * @param args the arguments
     * @return {exit code, stdout, stderr}
     */
    static String[] exec(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }
}
