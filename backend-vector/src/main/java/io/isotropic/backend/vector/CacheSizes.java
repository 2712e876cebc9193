package io.isotropic.backend.vector;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Per-core data cache sizes of this machine, read once when the matrix products initialise, from which they choose
 * their cache blocks. On Linux they come from {@code /sys/devices/system/cpu/cpu0/cache/index*} (level, type and
 * size of each cache of the first CPU); where that is missing (another OS, a container hiding it) the defaults are
 * {@value #DEFAULT_L1D} B, {@value #DEFAULT_L2} B and {@value #DEFAULT_L3} B, modest values for which the blocks
 * are still fast on current x86 and ARM cores.
 *
 * <p>For tuning experiments, the system properties {@code isotropic.vector.l1d}, {@code isotropic.vector.l2} and
 * {@code isotropic.vector.l3} (bytes, with an optional {@code K} or {@code M} suffix) replace the detected sizes,
 * e.g. to try on one machine the blocks another machine's caches would give.
 *
 * @param l1d level-1 data cache of one core, bytes
 * @param l2 level-2 cache of one core, bytes
 * @param l3 level-3 cache (shared), bytes; 0 if there is none
 * @param source where the values came from, for the probe's description
 */
record CacheSizes(long l1d, long l2, long l3, String source) {
    static final long DEFAULT_L1D = 32 * 1024;
    static final long DEFAULT_L2 = 512 * 1024;
    static final long DEFAULT_L3 = 8 * 1024 * 1024;

    /** This machine's caches, detected once. */
    static final CacheSizes MACHINE = detect(Path.of("/sys/devices/system/cpu/cpu0/cache"));

    /**
     * Reads the caches below a sysfs cache folder, then applies the override properties.
     *
     * @param sysfs e.g. {@code /sys/devices/system/cpu/cpu0/cache}
     * @return the sizes
     */
    static CacheSizes detect(Path sysfs) {
        long l1 = 0;
        long l2 = 0;
        long l3 = 0;
        for (int i = 0; i < 16; i++) {
            Path dir = sysfs.resolve("index" + i);
            if (!Files.isDirectory(dir)) {
                break;
            }
            String type = read(dir.resolve("type"));
            String level = read(dir.resolve("level"));
            long size = parseSize(read(dir.resolve("size")));
            if (type == null || level == null || size <= 0 || type.equals("Instruction")) {
                continue;
            }
            switch (level) {
                case "1" -> l1 = size;
                case "2" -> l2 = size;
                case "3" -> l3 = size;
                default -> {
                }
            }
        }
        boolean found = l1 > 0 && l2 > 0;
        String source = found ? "sysfs" : "defaults";
        if (!found) {
            l1 = DEFAULT_L1D;
            l2 = DEFAULT_L2;
            l3 = DEFAULT_L3;
        }
        long o1 = property("isotropic.vector.l1d");
        long o2 = property("isotropic.vector.l2");
        long o3 = property("isotropic.vector.l3");
        if (o1 > 0 || o2 > 0 || o3 > 0) {
            source += ", overridden by isotropic.vector.l1d/l2/l3";
        }
        return new CacheSizes(o1 > 0 ? o1 : l1, o2 > 0 ? o2 : l2, o3 > 0 ? o3 : l3, source);
    }

    /**
     * Describes the sizes.
     *
     * @return e.g. {@code "L1d 48 KB, L2 2048 KB, L3 491520 KB (sysfs)"}
     */
    String describe() {
        return "L1d " + l1d / 1024 + " KB, L2 " + l2 / 1024 + " KB, L3 " + l3 / 1024 + " KB (" + source + ")";
    }

    private static long property(String name) {
        String v = System.getProperty(name);
        if (v == null || v.isBlank()) {
            return 0;
        }
        long size = parseSize(v);
        if (size <= 0) {
            throw new IllegalStateException("system property " + name + "='" + v + "' is not a size in bytes");
        }
        return size;
    }

    /**
     * Parses {@code 48K}, {@code 2048K}, {@code 2M} or a plain byte count.
     *
     * @param s the text, or null
     * @return bytes, or -1 if s is not a size
     */
    static long parseSize(String s) {
        if (s == null) {
            return -1;
        }
        String t = s.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("K")) {
            unit = 1024;
        } else if (t.endsWith("M")) {
            unit = 1024 * 1024;
        }
        if (unit > 1) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            return Long.parseLong(t) * unit;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException | SecurityException e) {
            return null;
        }
    }
}
