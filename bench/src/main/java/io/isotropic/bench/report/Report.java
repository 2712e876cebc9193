package io.isotropic.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The report's command line: reads JMH's JSON results ({@link ResultFiles}) and the peers' files of
 * {@code bench/peers}, arranges them ({@link Comparison}) and writes {@code docs/benchmarks.md}
 * ({@link Markdown}) with a PNG chart per operation ({@link Charts}).
 *
 * <pre>
 * Report --input results.json [--input more.json] [--peers peer.json ...] --markdown docs/benchmarks.md
 *        [--charts docs/benchmarks] [--title TEXT] [--note TEXT] [--command TEXT]
 * </pre>
 */
public final class Report {
    private Report() {
    }

    /**
     * Renders the report.
     *
     * @param comparison the arranged results
     * @param markdown the Markdown file to write
     * @param chartDir directory for the charts (created), or null for none
     * @param title the document title
     * @param note a paragraph placed under the title (e.g. the machine's load), or null
     * @param command the command that produced the results, or null
     * @throws IOException if a file cannot be written
     */
    public static void render(Comparison comparison, Path markdown, Path chartDir, String title, String note,
                              String command) throws IOException {
        Map<String, Path> charts = chartDir == null ? Map.of() : new Charts(comparison).write(chartDir);
        String md = new Markdown(comparison).render(title, note, command, markdown, charts);
        Files.createDirectories(markdown.toAbsolutePath().getParent());
        Files.writeString(markdown, md);
    }

    /**
     * Command-line entry point (the run script calls it after JMH and the peers).
     *
     * @param args see the class description
     * @throws IOException if reading or writing fails
     * @throws IllegalArgumentException if an option is unknown or lacks its value, a required one is missing, or
     *                                  an input is not a JMH or peer file
     */
    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<Path> inputs = new ArrayList<>();
        List<Path> peers = new ArrayList<>();
        Path markdown = null;
        Path charts = null;
        String title = "Benchmarks";
        String note = null;
        String command = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("Report: option " + a + " needs a value; " + usage());
            }
            String v = args[++i];
            switch (a) {
                case "--input" -> inputs.add(Path.of(v));
                case "--peers" -> peers.add(Path.of(v));
                case "--markdown" -> markdown = Path.of(v);
                case "--charts" -> charts = Path.of(v);
                case "--title" -> title = v;
                case "--note" -> note = v;
                case "--command" -> command = v;
                default -> throw new IllegalArgumentException("Report: unknown option '" + a + "'; " + usage());
            }
        }
        if (inputs.isEmpty() || markdown == null) {
            throw new IllegalArgumentException("Report: --input and --markdown are required; " + usage());
        }
        List<Result> all = new ArrayList<>();
        for (Path in : inputs) {
            all.addAll(ResultFiles.readJmh(in));
        }
        List<ResultFiles.PeerRun> peerRuns = new ArrayList<>();
        for (Path p : peers) {
            peerRuns.add(ResultFiles.readPeer(p));
        }
        render(new Comparison(all, peerRuns), markdown, charts, title, note, command);
        System.out.println("Report: wrote " + markdown + (charts == null ? "" : " and charts in " + charts));
    }

    private static String usage() {
        return "usage: Report --input FILE.json [--input ...] [--peers PEER.json ...] --markdown OUT.md "
                + "[--charts DIR] [--title T] [--note TEXT] [--command TEXT]";
    }
}
