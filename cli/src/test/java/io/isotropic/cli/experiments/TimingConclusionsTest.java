package io.isotropic.cli.experiments;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exp. 0's conclusions are computed from the numbers: fabricated timings in which the neuro-operations are cheap or
 * dear, the epochs with operations longer or not, the SVD most or little of an operation, and the default
 * neurodegeneration faster or slower than the full-SVD one, must each change the text accordingly.
 */
class TimingConclusionsTest {
    private static final int WARMUP = 2;
    private static final int TIMED = 6;
    private static final int E = WARMUP + TIMED;

    /**
     * A fabricated run: baseline training {@code 5 s} (+-1 % by epoch), each neuro case's training pass
     * {@code 5 s + extraTrain}, operations {@code op[c]} seconds (+-5 % by epoch, case 0 none), the SVD probe
     * {@code svdShare} of the operation. Warm-up epochs get absurd values, which the summary must drop.
     */
    private static TimingExperiment.RunRecord record(double[] op, double extraTrain, double trainNoise,
                                                     double svdShare) {
        return record(op, extraTrain, trainNoise, svdShare, 1.0);
    }

    /** As above, with the machine's load average near {@code load} (+-0.1 by epoch) on 2 cores. */
    private static TimingExperiment.RunRecord record(double[] op, double extraTrain, double trainNoise,
                                                     double svdShare, double load) {
        int n = TimingExperiment.CASES.length;
        double[][] tr = new double[n][E];
        double[][] te = new double[n][E];
        double[][] o = new double[n][E];
        double[][] svd = new double[n][E];
        int[][] width = new int[n][E];
        double[][] acc = new double[n][E];
        String[][] method = new String[n][E];
        double[][] cpu = new double[n][E];
        double[] loads = new double[E];
        for (int e = 0; e < E; e++) {
            loads[e] = load + 0.1 * (e % 3 - 1);
        }
        for (int c = 0; c < n; c++) {
            for (int e = 0; e < E; e++) {
                double wiggle = (e % 2 == 0 ? 1 : -1) * (1 + e % 3) / 3.0;
                boolean warm = e < WARMUP;
                tr[c][e] = warm ? 100 : 5 * (1 + 0.01 * wiggle) + (c == 0 ? 0 : extraTrain)
                        + trainNoise * (c == 0 ? 0 : ((e * 7 + c) % 5 - 2));
                te[c][e] = warm ? 100 : 0.5 * (1 + 0.01 * wiggle);
                o[c][e] = c == 0 ? 1e-5 : warm ? 100 : op[c] * (1 + 0.05 * wiggle);
                svd[c][e] = warm ? 100 : svdShare * (c == 0 ? op[3] : op[c]) * (1 + 0.02 * wiggle);
                width[c][e] = 500 + (c == 3 ? e + 1 : c == 0 ? 0 : -(e + 1));
                acc[c][e] = 0.8;
                method[c][e] = c == 1 ? "INVERSE_ITERATION" : c == 2 ? "SVD" : "";
                cpu[c][e] = 1.9 * tr[c][e];
            }
        }
        return new TimingExperiment.RunRecord(List.of(TimingExperiment.CASES), new int[] {784, 500, 500, 10}, WARMUP,
                E, 2, "vector", 60000, 10000, tr, te, o, svd, width, acc, method, cpu, loads, 2, 100);
    }

    private static String text(TimingExperiment.RunRecord r) {
        return String.join("\n", TimingExperiment.conclusions(TimingExperiment.summarise(r)));
    }

    /** Operations of 8-12 ms against 5 s epochs: below 1 %, epochs unchanged, the SVD most of a neurogenesis. */
    @Test
    void cheapOperationsAreBelowOnePercentAndLeaveTheEpochAlone() {
        String t = text(record(new double[] {0, 0.010, 0.012, 0.008}, 0, 0, 0.8));
        assertTrue(t.contains("One neurogenesis of hidden layer 2 (width 500 at the start) took 8.0"), t);
        assertTrue(t.contains("0.16 ± 0.00 % of a baseline training epoch"), t);
        assertTrue(t.contains("below 1 % of an epoch at two standard errors"), t);
        assertFalse(t.contains("above 1 %"), t);
        assertTrue(t.contains("the training epochs were not different beyond two standard errors"), t);
        assertTrue(t.contains("the SVD is most of the operation"), t);
        assertTrue(t.contains("(INVERSE_ITERATION in 6 of 6 timed epochs) took 0.83 ± 0.00 times as long as "
                + "the full-SVD one"), t);
        assertTrue(t.contains("faster at two standard errors"), t);
        assertTrue(t.contains("A baseline training epoch took 5.000 ± "), t);
        assertTrue(t.contains("neurogenesis: width 508"), t);
        assertTrue(t.contains("load average over the timed epochs was 1.00 ± 0.04 on 2 cores: fewer runnable "
                + "tasks"), t);
        assertTrue(t.contains("the process used 1.90 ± 0.00 CPU seconds per second with 2 backend thread(s)"), t);
    }

    /** A load average of 6 on 2 cores is reported as an oversubscribed machine. */
    @Test
    void aBusyMachineIsReported() {
        String t = text(record(new double[] {0, 0.010, 0.012, 0.008}, 0, 0, 0.8, 6.0));
        assertTrue(t.contains("more runnable work than cores at two standard errors, so the times include waiting"), t);
        assertFalse(t.contains("fewer runnable tasks"), t);
    }

    /** Operations of 200-300 ms and epochs 0.5 s longer: above 1 %, longer epochs, the SVD a small part. */
    @Test
    void dearOperationsAreAboveOnePercentAndLengthenTheEpoch() {
        String t = text(record(new double[] {0, 0.300, 0.200, 0.250}, 0.5, 0, 0.2));
        assertTrue(t.contains("above 1 % of an epoch at two standard errors"), t);
        assertFalse(t.contains("below 1 %"), t);
        assertTrue(t.contains("the training epochs were longer at two standard errors: +0.500"), t);
        assertTrue(t.contains("the whole epoch (train + test + operation) longer"), t);
        assertTrue(t.contains("the SVD is less than half of the operation"), t);
        assertTrue(t.contains("slower at two standard errors"), t);
    }

    /** Operations at 1 % with jitter and training passes that differ by noise: nothing is claimed. */
    @Test
    void noisyDifferencesAreNotClaimed() {
        // operations near 1 % with 5 % jitter, and training passes that differ by noise alone
        String t = text(record(new double[] {0, 0.050, 0.050, 0.050}, 0, 0.3, 0.5));
        assertTrue(t.contains("not distinguishable from 1 % of an epoch at two standard errors"), t);
        assertTrue(t.contains("the training epochs were not different beyond two standard errors"), t);
        assertTrue(t.contains("about half (not distinguishable from 50 %"), t);
        assertTrue(t.contains("full-SVD one (difference +0.0 ± 0.0 ms): not different beyond two standard "
                + "errors."), t);
    }
}
