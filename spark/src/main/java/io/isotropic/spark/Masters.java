package io.isotropic.spark;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Spark master URLs: which ones a sweep accepts, and how retries are written into a local one. */
public final class Masters {
    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|[1-9]\\d{0,5})(?:,\\s*([1-9]\\d{0,3}))?])?");
    private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[[1-9]\\d*,\\s*[1-9]\\d*,\\s*[1-9]\\d*]");
    private static final Pattern HOST_PORT = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?:(\\d{1,5})");
    private static final Pattern K8S = Pattern.compile("k8s://(https?://)?[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?"
            + "(:\\d{1,5})?(/.*)?");

    private Masters() {
    }

    /**
     * Checks a master URL.
     *
     * @param master {@code local}, {@code local[N]}, {@code local[*]}, {@code local[N,F]}, {@code local-cluster[N,C,M]},
     *               {@code spark://HOST:PORT[,HOST:PORT...]}, {@code yarn} or {@code k8s://[https://]HOST[:PORT]}
     * @return the URL, trimmed
     * @throws IllegalArgumentException naming the URL and the accepted forms if it is none of these
     */
    public static String check(String master) {
        String m = master == null ? "" : master.strip();
        boolean ok = LOCAL.matcher(m).matches() || LOCAL_CLUSTER.matcher(m).matches() || m.equals("yarn")
                || K8S.matcher(m).matches() || standalone(m);
        if (!ok) {
            throw new IllegalArgumentException("sweep --master '" + master + "': not a Spark master URL; use local[N] "
                    + "(in-process, N threads), local[N,F] (F attempts per task), spark://HOST:PORT, yarn or "
                    + "k8s://HOST:PORT");
        }
        return m;
    }

    private static boolean standalone(String m) {
        if (!m.startsWith("spark://") || m.length() == "spark://".length()) {
            return false;
        }
        for (String hp : m.substring("spark://".length()).split(",", -1)) {
            Matcher x = HOST_PORT.matcher(hp);
            if (!x.matches()) {
                return false;
            }
            int port = Integer.parseInt(x.group(2));
            if (port < 1 || port > 65535) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a (checked) master runs everything in this JVM.
     *
     * @param master a checked master URL
     * @return true for {@code local}, {@code local[...]}
     */
    public static boolean isLocal(String master) {
        return LOCAL.matcher(master).matches();
    }

    /**
     * A local master with the attempts per task written in ({@code local[N]} becomes {@code local[N,F]}: in local
     * mode Spark reads the attempts from the URL, not from {@code spark.task.maxFailures}).
     *
     * @param master a checked master URL
     * @param attempts attempts per task, {@code >= 1}
     * @return the URL with {@code F = attempts} if it is local without an F, else unchanged
     */
    public static String withAttempts(String master, int attempts) {
        Matcher x = LOCAL.matcher(master);
        if (!x.matches() || x.group(2) != null) {
            return master;
        }
        return "local[" + (x.group(1) == null ? "1" : x.group(1)) + "," + attempts + "]";
    }

    /**
     * The attempts per task a local master allows.
     *
     * @param master a checked master URL
     * @return F of {@code local[N,F]}, or -1 if the URL does not say
     */
    public static int localAttempts(String master) {
        Matcher x = LOCAL.matcher(master);
        return x.matches() && x.group(2) != null ? Integer.parseInt(x.group(2)) : -1;
    }
}
