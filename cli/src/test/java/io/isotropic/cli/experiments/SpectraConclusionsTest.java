package io.isotropic.cli.experiments;

import io.isotropic.Backends;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.spi.Backend;
import io.isotropic.spi.BackendOptions;
import io.isotropic.tensor.DType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exp. 2's conclusions are computed from the numbers: fabricated runs in which element-wise tanh oscillates or not,
 * the isotropic network oscillates or not, singular values blow up, collapse or stay, and the spectra have a common
 * gap or none, must each change the text accordingly.
 */
class SpectraConclusionsTest {
    private static final int E = 10;
    private static final int[] WIDTHS = {20, 8, 8, 4};
    private static final int REPEATS = 3;

    /** Accuracy rising smoothly to about 80 %. */
    private static final AccuracyCurve SMOOTH = (r, e) -> 0.70 + 0.01 * e + 0.002 * r;
    /** Accuracy jumping by about 10 points every other epoch. */
    private static final AccuracyCurve JUMPY = (r, e) -> (e % 2 == 0 ? 0.80 : 0.68) + 0.003 * r;

    /** Test accuracy of repeat {@code r} at epoch {@code e}. */
    private interface AccuracyCurve {
        double at(int r, int e);
    }

    /** Spectrum of layer {@code l} at epoch {@code e} of repeat {@code r} (descending). */
    private interface SpectrumCurve {
        double[] at(int r, int l, int e);
    }

    /** Every singular value multiplied by {@code f} per epoch and repeat, around a geometric spread (no gap). */
    private static SpectrumCurve spread(IntToDoubleFunction growthPerEpoch) {
        return (r, l, e) -> {
            int k = Math.min(WIDTHS[l], WIDTHS[l + 1]);
            double[] s = new double[k];
            for (int i = 0; i < k; i++) {
                s[i] = growthPerEpoch.applyAsDouble(e) * Math.pow(0.9, i) * (1 + 0.01 * r);
            }
            return s;
        };
    }

    /** Half the singular values near 1, half near {@code small}: a gap between them in every run. */
    private static SpectrumCurve gapped(double small) {
        return (r, l, e) -> {
            int k = Math.min(WIDTHS[l], WIDTHS[l + 1]);
            double[] s = new double[k];
            for (int i = 0; i < k; i++) {
                s[i] = (i < k / 2 ? 1.0 - 0.01 * i : small * (1 - 0.01 * i)) * (1 + 0.01 * r);
            }
            return s;
        };
    }

    private static SpectraExperiment.RunRecord run(int r, String model, AccuracyCurve acc, SpectrumCurve spec) {
        int layers = WIDTHS.length - 1;
        double[][] init = new double[layers][];
        double[][][] sigma = new double[E][layers][];
        double[][] bias = new double[E][layers];
        double[][] psi = new double[E][layers - 1];
        double[][] len = new double[E][layers - 1];
        double[] a = new double[E];
        double[] loss = new double[E];
        for (int l = 0; l < layers; l++) {
            init[l] = new double[Math.min(WIDTHS[l], WIDTHS[l + 1])];
            Arrays.fill(init[l], 1.0);
        }
        for (int e = 0; e < E; e++) {
            for (int l = 0; l < layers; l++) {
                sigma[e][l] = spec.at(r, l, e);
                bias[e][l] = 0.1 * e;
            }
            a[e] = acc.at(r, e);
            loss[e] = 1 - a[e];
        }
        return new SpectraExperiment.RunRecord(r, model, WIDTHS, 5e-2, init, sigma, bias, psi, len, a, loss, loss, -1,
                "", 1.0);
    }

    private static String text(AccuracyCurve isoAcc, SpectrumCurve isoSpec, AccuracyCurve tanhAcc,
                               SpectrumCurve tanhSpec) {
        List<SpectraExperiment.RunRecord> runs = new ArrayList<>();
        for (int r = 0; r < REPEATS; r++) {
            runs.add(run(r, "isotropic", isoAcc, isoSpec));
            runs.add(run(r, "tanh", tanhAcc, tanhSpec));
        }
        return String.join("\n", SpectraExperiment.conclusions(SpectraExperiment.summarise(runs)));
    }

    /**
     * Element-wise accuracy jumping 12 points, isotropic smooth, element-wise spectra growing 69-fold, isotropic
     * spectra with a common gap: the claim holds, tanh blows up, a tau is suggested.
     */
    @Test
    void oscillatingTanhAndAStableIsotropicNetworkConfirmTheClaim() {
        String t = text(SMOOTH, gapped(0.01), JUMPY, spread(e -> Math.pow(1.6, e)));
        assertTrue(t.contains("drops +5.0 ± 0.0 (more element-wise drops at two standard errors)"), t);
        assertTrue(t.contains("element-wise oscillates more at two standard errors"), t);
        assertTrue(t.contains("is stable at this raised learning rate where element-wise tanh is not, holds here"), t);
        assertFalse(t.contains("does not hold"), t);
        assertTrue(t.contains("The isotropic network's drops (0.0 per run) are not distinguishable from none"), t);
        // 1.6^9 = 68.7: every element-wise layer blows up, the isotropic ones do not
        assertTrue(t.contains("Blow-up (the largest singular value peaking above 10 times its initial value at two "
                + "standard errors): tanh W_0"), t);
        assertFalse(t.contains("isotropic W_0 (6"), t);
        assertTrue(t.contains("a scaffold threshold tau = 0.0975"), t);
        assertTrue(t.contains("50.0 ± 0.0 % below 0.95"), t);
    }

    /**
     * Both networks smooth with ungapped, steady spectra: the claim does not hold, nothing blows up or collapses, no
     * tau.
     */
    @Test
    void equallyStableNetworksDoNotConfirmTheClaim() {
        String t = text(SMOOTH, spread(e -> 1.0), SMOOTH, spread(e -> 1.0));
        assertTrue(t.contains("does not hold here: element-wise tanh is not less stable on any measure"), t);
        assertTrue(t.contains("Blow-up (the largest singular value peaking above 10 times its initial value at two "
                + "standard errors): none"), t);
        assertTrue(t.contains("Collapse (final effective rank below 50 % of the initial, or singular values below 1 % "
                + "of the largest, at two standard errors): none"), t);
        assertTrue(t.contains("No gap-based scaffold threshold tau is suggested: in some isotropic hidden layer the "
                + "largest ratio of neighbouring final singular values is only 1.11"), t);
    }

    /**
     * The isotropic network oscillating, the element-wise one smooth but collapsed: the claim does not hold, the
     * collapse is tanh's.
     */
    @Test
    void anOscillatingIsotropicNetworkContradictsTheClaim() {
        String t = text(JUMPY, spread(e -> 1.0), SMOOTH, gapped(1e-4));
        assertTrue(t.contains("does not hold here"), t);
        assertTrue(t.contains("the isotropic network is less stable on at least one measure"), t);
        assertTrue(t.contains("fewer element-wise drops at two standard errors"), t);
        assertTrue(t.contains("The isotropic network itself is not free of drops: 5.0"), t);
        // the element-wise spectra collapsed: half their singular values at 1e-4 of the largest
        assertTrue(t.contains("tanh W_0 (effective rank"), t);
        assertFalse(t.contains("isotropic W_0 (effective rank"), t);
    }

    /** Every run has a gap but at a different height: no common tau. */
    @Test
    void gapsThatDoNotOverlapGiveNoTau() {
        // repeat r's small singular values at 10^-(r+1) x, its large ones at 10^-r x: the gaps are disjoint
        SpectrumCurve disjoint = (r, l, e) -> {
            int k = Math.min(WIDTHS[l], WIDTHS[l + 1]);
            double[] s = new double[k];
            for (int i = 0; i < k; i++) {
                s[i] = Math.pow(10, -2 * r) * (i < k / 2 ? 1.0 : 0.01) * (1 - 0.01 * i);
            }
            return s;
        };
        String t = text(SMOOTH, disjoint, SMOOTH, disjoint);
        assertTrue(t.contains("every layer has a gap, but no value lies inside all of them"), t);
        // repeat 2's smallest value: 1e-4 x 0.01 x 0.93
        assertTrue(t.contains("only a tau below 9.30e-07, the smallest final singular value"), t);
    }

    /** The pairing the experiment relies on: both models start from the same weights and zero biases. */
    @Test
    void bothModelsStartFromTheSameWeights() {
        try (Backend be = Backends.create("ejml", BackendOptions.withThreads(1))) {
            int[] w = {12, 7, 7, 3};
            IsotropicMlp iso = SpectraExperiment.build(be, DType.F32, w, 3, "isotropic");
            IsotropicMlp tanh = SpectraExperiment.build(be, DType.F32, w, 3, "tanh");
            for (int l = 0; l < w.length - 1; l++) {
                assertArrayEquals(iso.weight(l).toDoubleArray(), tanh.weight(l).toDoubleArray(), "W_" + l);
                assertArrayEquals(new double[w[l + 1]], tanh.bias(l).toDoubleArray(), "b_" + l);
            }
            assertTrue(iso.psi(0) != null && tanh.psi(0) == null);
        }
    }
}
