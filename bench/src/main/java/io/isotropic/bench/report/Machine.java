package io.isotropic.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Describes the machine the report is rendered on (the one that ran the benchmarks) from {@code /proc}. */
final class Machine {
    private Machine() {
    }

    /**
     * The CPU model from {@code /proc/cpuinfo}, with the number of logical processors listed there.
     *
     * @return e.g. {@code "AMD EPYC (2 logical processors)"}, or {@code os.arch} where /proc is absent
     */
    static String cpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            String model = null;
            int count = 0;
            for (String l : lines) {
                if (l.startsWith("model name") && l.contains(":")) {
                    count++;
                    if (model == null) {
                        model = l.substring(l.indexOf(':') + 1).trim();
                    }
                }
            }
            String flags = lines.stream().filter(l -> l.startsWith("flags")).findFirst().orElse("");
            String simd = flags.contains(" avx512f") ? ", AVX-512" : flags.contains(" avx2") ? ", AVX2" : "";
            String fma = flags.contains(" fma") ? ", FMA" : "";
            return (model == null ? System.getProperty("os.arch") : model) + " (" + count + " logical processors"
                    + simd + fma + ")";
        } catch (IOException | RuntimeException e) {
            return System.getProperty("os.arch") + " (/proc/cpuinfo unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * Total memory from {@code /proc/meminfo}.
     *
     * @return e.g. {@code "23.4 GiB"}, or "unknown"
     */
    static String memory() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(l.replaceAll("[^0-9]", ""));
                    return String.format(java.util.Locale.ROOT, "%.1f GiB", kb / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        return "unknown";
    }
}
