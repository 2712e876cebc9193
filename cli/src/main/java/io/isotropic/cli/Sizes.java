package io.isotropic.cli;

import io.isotropic.tensor.DType;

import java.util.Arrays;
import java.util.Locale;

/** Pre-flight size checks: refuse a network before allocating it when it cannot fit in memory. */
final class Sizes {
    /** The most elements one tensor can hold (a Java array). */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private Sizes() {
    }

    /**
     * Parameters of an MLP with the given widths (weights, biases, psi and intrinsic lengths, an upper bound).
     *
     * @param widths n_0 .. n_L
     * @return the count
     */
    static long parameters(int[] widths) {
        long p = 0;
        for (int l = 0; l + 1 < widths.length; l++) {
            p += (long) widths[l] * widths[l + 1] + widths[l + 1];
        }
        for (int l = 2; l < widths.length; l++) {
            p += widths[l] + 1;
        }
        return p;
    }

    /**
     * Checks that a network with these widths can be built and trained here.
     *
     * @param what the option or input the widths come from, e.g. "--hidden 40000,40000"
     * @param widths n_0 .. n_L
     * @param dtype the element type
     * @param copies how many parameter-sized arrays the command needs (parameters, gradients, optimiser state...)
     * @throws IllegalArgumentException naming the size if a layer is too large or memory is insufficient
     */
    static void checkNetwork(String what, int[] widths, DType dtype, int copies) {
        for (int l = 0; l + 1 < widths.length; l++) {
            long n = (long) widths[l] * widths[l + 1];
            if (n > MAX_ELEMENTS) {
                throw new IllegalArgumentException(what + ": layer " + l + " would be a " + widths[l + 1] + " x "
                        + widths[l] + " matrix of " + String.format(Locale.ROOT, "%,d", n) + " weights, more than the "
                        + String.format(Locale.ROOT, "%,d", MAX_ELEMENTS) + " one tensor can hold; use smaller widths");
            }
        }
        long params = parameters(widths);
        int widest = Arrays.stream(widths).max().orElse(0);
        long bytes = params * dtype.bytes() * copies + 4L * 1000 * widest * dtype.bytes();
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        if (bytes > free) {
            throw new IllegalArgumentException(what + ": a network with widths " + Arrays.toString(widths) + " has "
                    + String.format(Locale.ROOT, "%,d", params) + " parameters and needs about "
                    + io.isotropic.persist.MemoryBudget.format(bytes) + " of memory here, but only "
                    + io.isotropic.persist.MemoryBudget.format(free) + " of the Java heap is free; use smaller widths "
                    + "or give Java more memory (e.g. ISOTROPIC_JAVA_OPTS=-Xmx16g)");
        }
    }
}
