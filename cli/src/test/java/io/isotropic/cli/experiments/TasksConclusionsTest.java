package io.isotropic.cli.experiments;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exp. 3's conclusions are computed from the numbers: fabricated runs in which the widths grow, shrink or stay, and in
 * which the adaptive network is better or worse than the control, must each change the text accordingly.
 */
class TasksConclusionsTest {
    private static final int P = 2;
    private static final int E = 4 * P;

    /** A run whose total width per phase is {@code phaseTotals} (layer 1 carries the change) and accuracy {@code acc}. */
    private static TasksExperiment.RunRecord run(String setting, int repeat, boolean adaptive, int[] phaseTotals,
                                                 double acc, int aboveAtBoundary) {
        int[][] w = new int[E][];
        double[][] a = new double[E][3];
        double[][][] sm = new double[E][3][];
        int[][] above = new int[E][3];
        for (int e = 0; e < E; e++) {
            int ph = e / P;
            w[e] = new int[] {phaseTotals[ph] - 40, 20, 20};
            Arrays.fill(a[e], Double.NaN);
            for (int t = 0; t <= Math.min(ph, 2); t++) {
                a[e][t] = acc;
            }
            for (int l = 0; l < 3; l++) {
                sm[e][l] = new double[] {0.1, 0.2};
                above[e][l] = w[e][l] - 5 + (e % P == 0 && e > 0 && l == 0 ? aboveAtBoundary : 0);
            }
        }
        return new TasksExperiment.RunRecord(setting, repeat, adaptive, P, new int[] {100, 100, 100}, w, a, sm, above,
                adaptive ? 1000 : 2000, 1.0);
    }

    private static List<String> text(int[][] adaptiveTotals, double[] adaptiveAcc, double[] controlAcc, int above) {
        List<TasksExperiment.RunRecord> main = new ArrayList<>();
        List<TasksExperiment.RunRecord> varied = new ArrayList<>();
        for (int r = 0; r < adaptiveTotals.length; r++) {
            main.add(run("baseline", r, true, adaptiveTotals[r], adaptiveAcc[r], above));
            main.add(run("baseline", r, false, new int[] {300, 300, 300, 300}, controlAcc[r], 0));
            varied.add(run("baseline", r, true, adaptiveTotals[r], adaptiveAcc[r], above));
        }
        TasksExperiment.Setting base = TasksExperiment.baseline(false);
        return TasksExperiment.conclusions(TasksExperiment.summarise(main, varied, List.of(base), base));
    }

    private static String all(List<String> t) {
        return String.join("\n", t);
    }

    @Test
    void growingWidthsAreReportedAsGrowth() {
        String t = all(text(new int[][] {{100, 130, 160, 150}, {100, 128, 162, 149}, {101, 131, 159, 151}},
                new double[] {0.80, 0.81, 0.80}, new double[] {0.80, 0.81, 0.80}, 7));
        assertTrue(t.contains("After appending task B (fashion-perm-a), the network grew"), t);
        assertTrue(t.contains("After appending task C (fashion-perm-b), the network grew"), t);
        assertTrue(t.contains("After going down to task B alone, the network shrank"), t);
        assertTrue(t.contains("the controller then restored the buffer"), t);
        assertTrue(t.contains("grew over both appended phases (changes over phases 2 and 3): baseline"), t);
        assertTrue(t.contains("0 lower"), t);
    }

    @Test
    void shrinkingWidthsAreReportedAsShrinkage() {
        String t = all(text(new int[][] {{100, 90, 80, 80}, {100, 88, 79, 80}, {101, 91, 81, 80}},
                new double[] {0.70, 0.71, 0.72}, new double[] {0.80, 0.81, 0.80}, 0));
        assertTrue(t.contains("After appending task B (fashion-perm-a), the network shrank"), t);
        assertTrue(t.contains("After appending task C (fashion-perm-b), the network shrank"), t);
        assertTrue(t.contains("none can be said to have been recruited"), t);
        assertTrue(t.contains("both appended phases (changes over phases 2 and 3): none"), t);
        assertTrue(t.contains("0 within two standard errors of zero, 9 lower"), t);
    }

    @Test
    void noisyChangesAreNotClaimed() {
        String t = all(text(new int[][] {{100, 110, 100, 100}, {100, 90, 100, 100}, {100, 101, 100, 100}},
                new double[] {0.80, 0.82, 0.78}, new double[] {0.81, 0.79, 0.80}, 0));
        assertTrue(t.contains("After appending task B (fashion-perm-a), the width did not change beyond two standard"
                + " errors"), t);
        assertTrue(t.contains("9 within two standard errors of zero, 0 lower"), t);
    }
}
