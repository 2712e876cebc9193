package io.isotropic.backend.ojalgo;

import org.ojalgo.matrix.operation.HouseholderLeft;
import org.ojalgo.matrix.operation.HouseholderRight;
import org.ojalgo.matrix.operation.MultiplyBoth;
import org.ojalgo.matrix.operation.MultiplyLeft;
import org.ojalgo.matrix.operation.MultiplyNeither;
import org.ojalgo.matrix.operation.MultiplyRight;

import java.util.function.IntSupplier;

/**
 * Makes ojAlgo's thread count follow the calling backend's {@code threads()} setting.
 *
 * <p>ojAlgo 57.1 reads the parallelism of its multi-threaded matrix operations from a public static
 * {@link IntSupplier} per operation class ({@code MultiplyNeither.PARALLELISM} and the five others below), by
 * default {@code Parallelism.THREADS}, i.e. every hardware thread, and it reads it in the calling thread when a
 * product is split ({@code DivideAndConquer.Divider.divide}). These fields are process-wide, so this class
 * replaces each of them, once per JVM, by a supplier that returns the limit of the backend call running on the
 * current thread (a thread-local set by {@link #enter}) and delegates to the supplier it replaced otherwise. Two
 * ojAlgo backends with different thread counts in one JVM therefore each get their own count, and ojAlgo users
 * outside a backend call keep ojAlgo's own behaviour. If other code later assigns those fields, {@link #enter}
 * installs the wrapper again around the new value.
 */
final class OjalgoParallelism {
    private static final ThreadLocal<int[]> LIMIT = new ThreadLocal<>();

    /** A supplier that answers the current backend call's limit, else the supplier it replaced. */
    private record Limited(IntSupplier fallback) implements IntSupplier {
        @Override
        public int getAsInt() {
            int[] limit = LIMIT.get();
            return limit != null && limit[0] > 0 ? limit[0] : fallback.getAsInt();
        }
    }

    private OjalgoParallelism() {
    }

    private static IntSupplier wrap(IntSupplier current) {
        return current instanceof Limited ? current : new Limited(current);
    }

    private static boolean installed() {
        return MultiplyNeither.PARALLELISM instanceof Limited && MultiplyLeft.PARALLELISM instanceof Limited
                && MultiplyRight.PARALLELISM instanceof Limited && MultiplyBoth.PARALLELISM instanceof Limited
                && HouseholderLeft.PARALLELISM instanceof Limited && HouseholderRight.PARALLELISM instanceof Limited;
    }

    private static synchronized void install() {
        MultiplyNeither.PARALLELISM = wrap(MultiplyNeither.PARALLELISM);
        MultiplyLeft.PARALLELISM = wrap(MultiplyLeft.PARALLELISM);
        MultiplyRight.PARALLELISM = wrap(MultiplyRight.PARALLELISM);
        MultiplyBoth.PARALLELISM = wrap(MultiplyBoth.PARALLELISM);
        HouseholderLeft.PARALLELISM = wrap(HouseholderLeft.PARALLELISM);
        HouseholderRight.PARALLELISM = wrap(HouseholderRight.PARALLELISM);
    }

    /**
     * Limits ojAlgo's parallelism on the current thread until {@link #exit} is called with the returned token.
     *
     * @param threads the limit, {@code >= 1}
     * @return the previous limit of this thread, to pass to {@link #exit}
     */
    static int enter(int threads) {
        if (!installed()) {
            install();
        }
        int[] limit = LIMIT.get();
        if (limit == null) {
            limit = new int[1];
            LIMIT.set(limit);
        }
        int previous = limit[0];
        limit[0] = threads;
        return previous;
    }

    /**
     * Restores the limit that was in force before the matching {@link #enter}.
     *
     * @param previous the value {@link #enter} returned
     */
    static void exit(int previous) {
        LIMIT.get()[0] = previous;
    }

    /**
     * The parallelism ojAlgo's matrix products would use on this thread now (for tests and diagnostics).
     *
     * @return the value of {@code MultiplyNeither.PARALLELISM}
     */
    static int current() {
        return MultiplyNeither.PARALLELISM.getAsInt();
    }
}
