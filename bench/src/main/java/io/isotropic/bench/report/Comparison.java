package io.isotropic.bench.report;

import io.isotropic.BackendInfo;
import io.isotropic.Backends;
import io.isotropic.bench.Workload;
import io.isotropic.bench.Workloads;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The results of one run arranged for the report: one operation per {@link Workload#operation()}, one row per
 * case and dtype, one column per backend and then per peer, plus this machine's FMA peak and the threads of the
 * run. Rendering is {@link Markdown}'s and {@link Charts}'s.
 */
public final class Comparison {
    static final String FMA_CLASS = "io.isotropic.bench.FmaPeakBenchmark";

    /** A table row: one case of one operation in one dtype. */
    record RowKey(String label, String dtype) {
    }

    /** One measured cell. */
    record Cell(Result result, double seconds, double flops, double samples) {
        double gflops() {
            return Double.isNaN(flops) ? Double.NaN : flops / seconds / 1e9;
        }

        double samplesPerSecond() {
            return Double.isNaN(samples) ? Double.NaN : samples / seconds;
        }
    }

    private final List<Result> results;
    private final List<Peer> peers;
    private final Map<String, Double> peakPerCore = new LinkedHashMap<>();
    private final Map<String, Map<RowKey, Map<String, Cell>>> operations = new LinkedHashMap<>();
    private final List<String> backends = new ArrayList<>();
    private final List<String> peerColumns = new ArrayList<>();

    /**
     * Arranges the results.
     *
     * @param results the JMH results of the backends (and the FMA peak), in run order
     * @param peerRuns the peers' results and descriptions (measured or skipped), possibly none
     * @throws IllegalArgumentException if there are no JMH results, a result has no {@code backend} parameter or
     *                                  its class has no registered workload
     */
    public Comparison(List<Result> results, List<ResultFiles.PeerRun> peerRuns) {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("Report: no JMH results to render");
        }
        this.results = List.copyOf(results);
        this.peers = peerRuns.stream().map(ResultFiles.PeerRun::peer).toList();
        Set<String> seen = new LinkedHashSet<>();
        for (Result r : results) {
            if (r.benchmarkClass().equals(FMA_CLASS)) {
                if (r.secondary().containsKey("flops")) {
                    // the best iteration: the peak is a ceiling, and a busy machine only lowers an iteration's rate
                    double perSecond = Result.perSecond(r.secondaryBest().get("flops"),
                            r.secondaryUnits().get("flops"));
                    peakPerCore.put(r.params().getOrDefault("dtype", "?"), perSecond / 1e9);
                }
                continue;
            }
            seen.add(add(r));
        }
        for (BackendInfo i : Backends.describe()) {
            if (seen.contains(i.name())) {
                backends.add(i.name());
            }
        }
        seen.stream().filter(b -> !backends.contains(b)).forEach(backends::add);
        for (ResultFiles.PeerRun run : peerRuns) {
            for (Result r : run.results()) {
                String key = operationOf(r);
                if (operations.containsKey(key)) { // a peer only joins operations the backends were measured in
                    add(r);
                    if (!peerColumns.contains(run.peer().name())) {
                        peerColumns.add(run.peer().name());
                    }
                }
            }
        }
    }

    private static String operationOf(Result r) {
        return Workloads.of(r.benchmarkClass(), r.method(), r.params()).operation();
    }

    private String add(Result r) {
        String column = r.params().get("backend");
        if (column == null) {
            throw new IllegalArgumentException("Report: " + r.benchmarkClass() + "." + r.method()
                    + " has no 'backend' parameter; every benchmark but the FMA peak compares backends");
        }
        Workload w = Workloads.of(r.benchmarkClass(), r.method(), r.params());
        operations.computeIfAbsent(w.operation(), k -> new LinkedHashMap<>())
                .computeIfAbsent(new RowKey(w.label(), r.params().getOrDefault("dtype", "-")),
                        k -> new LinkedHashMap<>())
                .put(column, new Cell(r, r.secondsPerOp(), w.flops(), w.samples()));
        return column;
    }

    /**
     * Threads per kernel call in the benchmark forks: the {@code -Disotropic.threads=N} flag, else the processors
     * visible to this JVM (the benchmarks' default).
     *
     * @return the thread count
     * @throws IllegalArgumentException if the flag is malformed
     */
    public int threads() {
        for (String a : results.getFirst().run().jvmArgs()) {
            if (a.startsWith("-Disotropic.threads=")) {
                try {
                    return Integer.parseInt(a.substring("-Disotropic.threads=".length()).trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("Report: bad flag " + a, e);
                }
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** @return the run settings of the first JMH result */
    Result.RunInfo run() {
        return results.getFirst().run();
    }

    /** @return the measured one-core FMA peak in GFLOP/s per dtype, empty if not measured */
    Map<String, Double> peakPerCore() {
        return peakPerCore;
    }

    /** @return operation title to rows to column to cell, in run order */
    Map<String, Map<RowKey, Map<String, Cell>>> operations() {
        return operations;
    }

    /** @return the backend columns, in {@link Backends#describe()} order */
    List<String> backends() {
        return backends;
    }

    /** @return the peer columns that have at least one result, in the order of the peer files */
    List<String> peerColumns() {
        return peerColumns;
    }

    /** @return every column: backends, then peers */
    List<String> columns() {
        List<String> all = new ArrayList<>(backends);
        all.addAll(peerColumns);
        return all;
    }

    /** @return every peer given, measured or skipped */
    List<Peer> peers() {
        return peers;
    }

    /**
     * Whether a column is a peer's.
     *
     * @param column a column name
     * @return true for a peer
     */
    boolean isPeer(String column) {
        return peerColumns.contains(column);
    }

    /**
     * The fastest backend (peers excluded) of a row.
     *
     * @param cells the row's cells
     * @return its column, or null if no backend has a result there
     */
    String fastestBackend(Map<String, Cell> cells) {
        String fastest = null;
        double best = Double.POSITIVE_INFINITY;
        for (String b : backends) {
            Cell c = cells.get(b);
            if (c != null && c.seconds() < best) {
                best = c.seconds();
                fastest = b;
            }
        }
        return fastest;
    }

    /**
     * Threads one cell's result used: its own {@code threads} parameter (1, or 0 for the run's), else the run's.
     *
     * @param c the cell
     * @return the thread count
     */
    int threadsOf(Cell c) {
        String own = c.result().params().get("threads");
        return own == null || own.equals("0") ? threads() : Integer.parseInt(own);
    }
}
