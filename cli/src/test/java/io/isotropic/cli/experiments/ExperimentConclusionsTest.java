package io.isotropic.cli.experiments;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The conclusions of Exp. 1, 4, 5 and 6 are computed from the numbers: for every claim, fabricated summaries that
 * support it and that contradict it must give different text, and the text must say which.
 */
class ExperimentConclusionsTest {
    private static final int R = 3;

    /** A value with a small seeded spread over repeats, so standard errors are non-zero. */
    private static double[] around(double m, double spread) {
        return new double[] {m - spread, m, m + spread};
    }

    private static String all(List<String> t) {
        return String.join("\n", t);
    }

    @Nested
    class Invariance {
        private final int[] ks = {5, 0, -1, -5, -25};

        interface Eps {
            double at(int combo, int k);
        }

        private InvarianceExperiment.Summary summary(Eps eps, Eps removed, Eps dacc, int outsideBound, Eps noPsi) {
            int combos = InvarianceExperiment.COMBINATIONS.length;
            double[][] base = new double[combos][];
            double[][][] e = new double[combos][ks.length][];
            double[][][] kl = new double[combos][ks.length][];
            double[][][] da = new double[combos][ks.length][];
            double[][][] ds = new double[combos][ks.length][];
            double[][][] rem = new double[combos][ks.length][];
            int[][] within = new int[combos][ks.length];
            double[][] worst = new double[combos][ks.length];
            for (int c = 0; c < combos; c++) {
                base[c] = around(90, 0.1);
                for (int i = 0; i < ks.length; i++) {
                    double m = c == InvarianceExperiment.NO_PSI && noPsi != null ? noPsi.at(c, ks[i]) : eps.at(c, ks[i]);
                    e[c][i] = new double[] {0.99 * m, m, 1.01 * m};
                    kl[c][i] = around(0, 0);
                    da[c][i] = around(dacc.at(c, ks[i]), 0.01);
                    ds[c][i] = around(0, 0);
                    double rs = removed.at(c, ks[i]);
                    rem[c][i] = new double[] {0.99 * rs, rs, 1.01 * rs};
                    within[c][i] = R;
                    worst[c][i] = 0.1;
                }
            }
            if (outsideBound > 0) {
                within[4][0] = R - outsideBound;
                worst[4][0] = 3.5;
            }
            return new InvarianceExperiment.Summary(ks, base, e, kl, da, ds, within, worst, rem);
        }

        private String text(Eps eps, Eps removed, Eps dacc, int outside, Eps noPsi) {
            return all(InvarianceExperiment.conclusions(summary(eps, removed, dacc, outside, noPsi)));
        }

        private final Eps growing = (c, k) -> k >= 0 ? 1e-6 : -k * 0.1 * (c + 1);
        private final Eps removedGrowing = (c, k) -> k >= 0 ? 0 : -k * 0.01 * (c + 1);
        private final Eps noChange = (c, k) -> 0;

        @Test
        void growthWithinTheBoundOrNot() {
            String ok = text(growing, removedGrowing, noChange, 0, null);
            String bad = text(growing, removedGrowing, noChange, 2, null);
            assertTrue(ok.contains("left the logits within the invariance bound in all 42 cases"), ok);
            assertTrue(bad.contains("did NOT stay within the invariance bound: 2 of 42 cases exceed it"), bad);
        }

        @Test
        void changeGrowsWithTheRemovedCountOrNot() {
            String ok = text(growing, removedGrowing, noChange, 0, null);
            Eps shrinking = (c, k) -> k >= 0 ? 0 : c == 1 ? 10.0 / -k : -k * 0.1;
            String bad = text(shrinking, removedGrowing, noChange, 0, null);
            assertTrue(ok.contains("grows with the number of neurons removed in all 7 combinations"), ok);
            assertTrue(bad.contains("does not always grow with the number of neurons removed in 6 of 7"), bad);
        }

        @Test
        void relationToTheRemovedSingularValues() {
            String ok = text(growing, removedGrowing, noChange, 0, null);
            Eps anti = (c, k) -> k >= 0 ? 0 : 1.0 / (-k * (c + 1));
            String bad = text(growing, anti, noChange, 0, null);
            assertTrue(ok.contains("rises with the sum of the removed singular values"), ok);
            assertTrue(bad.contains("does not rise with the sum of the removed singular values"), bad);
        }

        @Test
        void absorptionByPsi() {
            Eps flat = (c, k) -> k >= 0 ? 0 : -k;
            String same = text(flat, removedGrowing, noChange, 0, null);
            String larger = text(flat, removedGrowing, noChange, 0, (c, k) -> k >= 0 ? 0 : -k * 3.0);
            assertTrue(same.contains("(psi none) the change at k = -25 is indistinguishable"), same);
            assertTrue(larger.contains("(psi none) the change at k = -25 is larger than"), larger);
            assertTrue(larger.contains("psi absorbs part of the removed neurons' bias"), larger);
        }

        @Test
        void accuracyAfterSmallRemovals() {
            String ok = text(growing, removedGrowing, noChange, 0, null);
            String bad = text(growing, removedGrowing, (c, k) -> k < 0 ? -2.0 : 0, 0, null);
            assertTrue(ok.contains("none of the 14 (combination, k) cells differ from zero"), ok);
            assertTrue(bad.contains("by at most 2.00 points"), bad);
            assertTrue(bad.contains("14 of the 14 (combination, k) cells differ from zero"), bad);
        }
    }

    @Nested
    class Abundance {
        private final int[] widths = {10, 20, 30};

        interface Acc {
            double at(int start, int target);
        }

        private String text(Acc acc, boolean reached) {
            int w = widths.length;
            double[][][] fin = new double[w][w][];
            double[][][] nz = new double[w][w][];
            double[][][] ops = new double[w][w][];
            int[][] re = new int[w][w];
            for (int s = 0; s < w; s++) {
                for (int t = 0; t < w; t++) {
                    fin[s][t] = around(acc.at(widths[s], widths[t]), 0.05);
                    nz[s][t] = around(0.999, 0);
                    ops[s][t] = around(Math.abs(widths[s] - widths[t]) * 2, 0);
                    re[s][t] = reached || s != 2 ? R : R - 1;
                }
            }
            return all(AbundanceExperiment.conclusions(new AbundanceExperiment.Summary(widths, fin, fin, nz, ops, re)));
        }

        @Test
        void overAbundanceAtLeastAsGoodOrNot() {
            String ok = text((s, t) -> 80 + t * 0.1 + (s > t ? 1 : 0), true);
            String bad = text((s, t) -> 80 + t * 0.1 - (s > t ? 1 : 0), true);
            assertTrue(ok.contains("better than starting at the target in 3, indistinguishable (two standard errors) in "
                    + "0 and worse in 0 of 3 pairs"), ok);
            assertTrue(ok.contains("holds at this scale"), ok);
            assertTrue(bad.contains("worse in 3 of 3 pairs"), bad);
            assertTrue(bad.contains("does NOT hold for every pair"), bad);
            assertTrue(ok.contains("For all 3 target widths the best mean final accuracy came from a wider start")
                    || ok.contains("For 2 of 3 target widths"), ok);
            assertTrue(bad.contains("For none of the 3 target widths"), bad);
        }

        @Test
        void reachingTheTarget() {
            assertTrue(text((s, t) -> 80, true).contains("in all 27 runs"));
            assertTrue(text((s, t) -> 80, false).contains("in 24 of 27 runs"));
        }
    }

    @Nested
    class Sparsification {
        private String text(double[] removed, double predictedOffset, boolean outside) {
            int nd = removed.length;
            double[][][] rem = new double[1][nd][];
            double[][][] pred = new double[1][nd][];
            double[][][] comp = new double[1][nd][];
            double[][][] dacc = new double[1][nd][];
            double[][][] eps = new double[1][nd][];
            int[][] within = new int[1][nd];
            double[][] worst = new double[1][nd];
            for (int j = 0; j < nd; j++) {
                rem[0][j] = around(removed[j], 0);
                pred[0][j] = around(removed[j] + predictedOffset, 0);
                comp[0][j] = around(60, 0);
                dacc[0][j] = around(0, 0);
                eps[0][j] = around(1e-5, 0);
                within[0][j] = outside && j == 0 ? R - 1 : R;
                worst[0][j] = outside && j == 0 ? 4 : 0.2;
            }
            return all(SparsifyExperiment.conclusions(new SparsifyExperiment.Summary(new int[] {100}, new int[] {2, 3, 4},
                    rem, pred, comp, dacc, eps, within, worst)));
        }

        @Test
        void riseTowardsHalf() {
            String ok = text(new double[] {20, 30, 36}, 0, false);
            String flat = text(new double[] {20, 30, 15}, 0, false);
            assertTrue(ok.contains("rises with depth towards 50%, among depths of the same parity"), ok);
            assertTrue(ok.contains("even depths 20.0% at 2, 36.0% at 4; odd depths 30.0% at 3 hidden layers"), ok);
            assertTrue(flat.contains("does NOT rise with depth"), flat);
        }

        @Test
        void functionAndPrediction() {
            String ok = text(new double[] {20, 30, 36}, 0, false);
            String bad = text(new double[] {20, 30, 36}, 3, true);
            assertTrue(ok.contains("The function is unchanged") && ok.contains("match the count"), ok);
            assertTrue(bad.contains("did NOT leave the function unchanged in 1 of 9"), bad);
            assertTrue(bad.contains("do NOT match the count"), bad);
        }
    }

    @Nested
    class Tanh {
        private String text(double diff) {
            List<TanhExperiment.Cell> cells = List.of(new TanhExperiment.Cell("digits", 32, 2),
                    new TanhExperiment.Cell("digits", 64, 2));
            double[][] iso = {around(90 + diff, 0.1), around(91 + diff, 0.1)};
            double[][] el = {{89.9, 90.05, 90.05}, {90.95, 91.0, 91.1}};
            return all(TanhExperiment.conclusions(new TanhExperiment.Summary(cells, iso, el, iso, el)));
        }

        @Test
        void pairedDifferences() {
            String better = text(2);
            String worse = text(-2);
            String same = text(0);
            assertTrue(better.contains("better than element-wise tanh in 2, indistinguishable (two standard errors of "
                    + "the paired difference) in 0 and worse in 0 of 2 cells"), better);
            assertTrue(worse.contains("in 0, indistinguishable (two standard errors of the paired difference) in 0 and "
                    + "worse in 2 of 2"), worse);
            assertTrue(same.contains("in 0, indistinguishable (two standard errors of the paired difference) in 2 and "
                    + "worse in 0 of 2"), same);
            assertFalse(same.contains("better:"), same);
        }
    }
}
