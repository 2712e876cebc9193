package io.isotropic.cli;

import io.isotropic.nn.IsotropicMlp;
import io.isotropic.train.EpochMetrics;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;

/**
 * Progress of a training run: a bar redrawn in place on stderr when stderr is a terminal, a plain line every
 * {@value #PLAIN_INTERVAL_MILLIS} ms otherwise (so logs hold no {@code \r} fragments), nothing with
 * {@code --no-progress}; plus a summary line per epoch on the command's output.
 */
final class Progress {
    /** Interval of the plain progress lines when stderr is not a terminal. */
    static final long PLAIN_INTERVAL_MILLIS = 30_000;
    /** Set by bin/isotropic: whether stderr is a terminal ("true" or "false"). */
    static final String TTY_PROPERTY = "isotropic.stderr.tty";

    private final PrintWriter out;
    private final PrintWriter err;
    private long stepsPerEpoch;
    private final int epochs;
    private final boolean enabled;
    private final boolean terminal;
    private int epoch = -1;
    private long stepsDone;
    private double lossSum;
    private int lossCount;
    private long lastDraw;
    private boolean drawn;

    Progress(PrintWriter out, PrintWriter err, long stepsPerEpoch, int epochs, boolean noProgress) {
        this.out = out;
        this.err = err;
        this.stepsPerEpoch = stepsPerEpoch;
        this.epochs = epochs;
        this.enabled = !noProgress;
        this.terminal = stderrIsTerminal();
        this.lastDraw = System.currentTimeMillis();
    }

    /**
     * Whether stderr is a terminal: as the launcher says, else whether the JVM has an interactive console.
     *
     * @return true to draw bars in place
     */
    static boolean stderrIsTerminal() {
        String p = System.getProperty(TTY_PROPERTY);
        if (p != null) {
            return Boolean.parseBoolean(p);
        }
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    void step(int e, double loss) {
        if (e != epoch) {
            epoch = e;
            stepsDone = 0;
        }
        stepsDone++;
        lossSum += loss;
        lossCount++;
        if (!enabled) {
            return;
        }
        long now = System.currentTimeMillis();
        if (terminal && now - lastDraw >= 200) {
            lastDraw = now;
            int width = 30;
            int filled = (int) (width * Math.min(1.0, (double) stepsDone / stepsPerEpoch));
            err.print(String.format(Locale.ROOT, "\repoch %d/%d [%s%s] %3.0f%% %d/%d loss %.4f ", e + 1, epochs,
                    "=".repeat(filled), " ".repeat(width - filled), 100.0 * stepsDone / stepsPerEpoch, stepsDone,
                    stepsPerEpoch, lossSum / lossCount));
            err.flush();
            drawn = true;
        } else if (!terminal && now - lastDraw >= PLAIN_INTERVAL_MILLIS) {
            lastDraw = now;
            err.println(String.format(Locale.ROOT, "epoch %d/%d: %d of %d steps, loss %.4f", e + 1, epochs, stepsDone,
                    stepsPerEpoch, lossSum / lossCount));
            err.flush();
        }
    }

    void endEpoch(EpochMetrics m, IsotropicMlp net) {
        clear();
        lossSum = 0;
        lossCount = 0;
        String test = m.test() != null ? String.format(java.util.Locale.ROOT, "test loss %.4f acc %6.2f%%",
                m.test().loss(), 100 * m.test().accuracy()) : "test acc " + perTask(m);
        out.printf("epoch %3d  train loss %.4f acc %6.2f%%  %s  widths %s  %.1f s%n", m.epoch() + 1, m.trainLoss(),
                100 * m.trainAccuracy(), test, Arrays.toString(net.widths()), m.millis() / 1000.0);
        out.flush();
    }

    /** The steps of the next epoch (a multi-task epoch has as many as its smallest active task has batches). */
    void stepsNextEpoch(long steps) {
        this.stepsPerEpoch = Math.max(1, steps);
    }

    /**
     * Each task's test accuracy, e.g. {@code [fashion 85.10%, permuted 80.02% (inactive)]}.
     *
     * @param m the epoch's metrics
     * @return the list
     */
    static String perTask(EpochMetrics m) {
        StringBuilder sb = new StringBuilder("[");
        for (io.isotropic.train.GroupMetrics g : m.groups()) {
            sb.append(sb.length() == 1 ? "" : ", ").append(g.name()).append(' ');
            sb.append(g.test() == null ? "-" : String.format(java.util.Locale.ROOT, "%.2f%%", 100 * g.test().accuracy()));
            if (g.trainSamples() == 0) {
                sb.append(" (inactive)");
            }
        }
        return sb.append(']').toString();
    }

    private void clear() {
        if (drawn) {
            err.print("\r" + " ".repeat(100) + "\r");
            err.flush();
            drawn = false;
        }
    }

    void close() {
        clear();
    }
}
