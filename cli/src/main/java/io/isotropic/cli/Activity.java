package io.isotropic.cli;

/**
 * What the tool is doing now ("loading the data set digits", "building the network [64, 40000, 10]"), so that an
 * {@link OutOfMemoryError} or an unexpected exception can be reported as one sentence about the user's input.
 */
final class Activity {
    private static volatile String current = "starting";

    private Activity() {
    }

    /**
     * Records the current activity.
     *
     * @param what a gerund phrase, e.g. "training"
     */
    static void now(String what) {
        current = what;
    }

    /**
     * The current activity.
     *
     * @return the phrase last recorded
     */
    static String current() {
        return current;
    }
}
