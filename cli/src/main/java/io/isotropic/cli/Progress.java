package io.isotropic.cli;

import io.isotropic.nn.IsotropicMlp;
import io.isotropic.train.EpochMetrics;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;
import java.util.Arrays;

/** Progress bars (one per epoch, on stderr) and a summary line per epoch (on the command's output). */
final class Progress {
    private final PrintWriter out;
    private final long stepsPerEpoch;
    private final int epochs;
    private final boolean plain;
    private ProgressBar bar;
    private int barEpoch = -1;
    private double lossSum;
    private int lossCount;

    Progress(PrintWriter out, long stepsPerEpoch, int epochs, boolean plain) {
        this.out = out;
        this.stepsPerEpoch = stepsPerEpoch;
        this.epochs = epochs;
        this.plain = plain;
    }

    void step(int epoch, double loss) {
        lossSum += loss;
        lossCount++;
        if (plain) {
            return;
        }
        if (bar == null || barEpoch != epoch) {
            if (bar != null) {
                bar.close();
            }
            bar = new ProgressBarBuilder().setTaskName(String.format("epoch %d/%d", epoch + 1, epochs))
                    .setInitialMax(stepsPerEpoch).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                    .setMaxRenderedLength(110).build();
            barEpoch = epoch;
        }
        bar.step();
        if (lossCount % 10 == 0) {
            bar.setExtraMessage(String.format("loss %.4f", lossSum / lossCount));
        }
    }

    void endEpoch(EpochMetrics m, IsotropicMlp net) {
        if (bar != null) {
            bar.setExtraMessage(String.format("loss %.4f", lossSum / Math.max(1, lossCount)));
            bar.close();
            bar = null;
        }
        lossSum = 0;
        lossCount = 0;
        out.printf("epoch %3d  train loss %.4f acc %6.2f%%  test loss %.4f acc %6.2f%%  widths %s%s  %.1f s%n",
                m.epoch() + 1, m.trainLoss(), 100 * m.trainAccuracy(), m.test().loss(), 100 * m.test().accuracy(),
                Arrays.toString(m.widths()), Arrays.equals(m.widths(), net.widths()) ? ""
                        : " -> " + Arrays.toString(net.widths()), m.millis() / 1000.0);
        out.flush();
    }

    void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
