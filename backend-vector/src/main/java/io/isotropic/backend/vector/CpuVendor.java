package io.isotropic.backend.vector;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether this machine's processor is an AMD one, read once from {@code /proc/cpuinfo} ({@code vendor_id}); false
 * where that file is missing or says otherwise. It chooses the F64 register tile on 256-bit vectors (see
 * {@code GemmF64.MR}): AMD Zen's FMA latency of 5 wants 10 accumulators, Intel's 4 is covered by 8.
 */
final class CpuVendor {
    /** This machine: true on an AMD processor. */
    static final boolean AMD = isAmd(Path.of("/proc/cpuinfo"));

    private CpuVendor() {
    }

    /**
     * Whether the first {@code vendor_id} line of a cpuinfo file names AMD.
     *
     * @param cpuinfo e.g. {@code /proc/cpuinfo}
     * @return true for {@code AuthenticAMD}; false for any other vendor, no such line or an unreadable file
     */
    static boolean isAmd(Path cpuinfo) {
        try (BufferedReader r = Files.newBufferedReader(cpuinfo, StandardCharsets.US_ASCII)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith("vendor_id")) {
                    int colon = line.indexOf(':');
                    return colon >= 0 && line.substring(colon + 1).trim().equals("AuthenticAMD");
                }
            }
            return false;
        } catch (IOException | SecurityException | java.io.UncheckedIOException e) {
            return false;
        }
    }
}
