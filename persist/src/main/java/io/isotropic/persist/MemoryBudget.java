package io.isotropic.persist;

import java.util.Locale;

/**
 * How much memory a load or a new network may take: half of the heap that is free now or can still be
 * claimed ({@code maxMemory - used}), so a hostile size fails with a clear message instead of an
 * {@link OutOfMemoryError}.
 */
public final class MemoryBudget {
    private MemoryBudget() {
    }

    /**
     * The current budget in bytes.
     *
     * @return half the heap that is still available, at least 16 MiB
     */
    public static long available() {
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        return Math.max(16L << 20, (rt.maxMemory() - used) / 2);
    }

    /**
     * A byte count for messages: "812 KB", "1.2 GB".
     *
     * @param bytes the count
     * @return the text
     */
    public static String format(long bytes) {
        if (bytes < 1000) {
            return bytes + " bytes";
        }
        String[] units = {"KB", "MB", "GB", "TB", "PB", "EB"};
        double v = bytes;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, v < 10 ? "%.1f %s" : "%.0f %s", v, units[u]);
    }
}
