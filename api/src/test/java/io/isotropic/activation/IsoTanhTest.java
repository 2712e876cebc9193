package io.isotropic.activation;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class IsoTanhTest {

    @Test
    void slopeMatchesFiniteDifferencesAcrossTheSeriesBoundary() {
        for (double u : new double[] {1e-4, 9.99e-4, 1.001e-3, 0.1, 1, 30, 400}) {
            double h = 1e-3 * u;
            double fd = (IsoTanh.gain(u + h, 0, 1e-3) - IsoTanh.gain(u - h, 0, 1e-3)) / (2 * h);
            // central differences: truncation h^2 |G'''| / 6 below 1e-7 relative, cancellation 1e-16 / h below 1e-8
            assertEquals(fd, IsoTanh.gainSlope(u, 0, 1e-3), 1e-6 * Math.abs(fd) + 1e-12, "u = " + u);
        }
        // near 0 the slope tends to -1/3 with first correction 4u/15
        assertEquals(-1.0 / 3 + 4 * 2e-6 / 15, IsoTanh.gainSlope(2e-6, 0, 1e-3), 1e-12);
    }

    @Test
    void slopeIsAccurateToAFewUlpOnBothSidesOfTheSeriesSwitch() {
        // exact values of d/du tanh(sqrt u)/sqrt u from 40-digit arithmetic (mpmath); the former switch at 1e-3
        // erred by 3e-13 relative just above it, 1e3 times the conformance tolerance of the backward pass
        double[][] exact = {
            {1.0001e-3, -0.33306680184968458839}, {2e-3, -0.3328006469199323557}, {1e-2, -0.33068277010591964176},
            {0.1, -0.30820246216106502099}, {0.9, -0.18087074565352332242}, {1.1, -0.16158080896208837621},
        };
        for (double[] e : exact) {
            assertEquals(e[1], IsoTanh.gainSlope(e[0], 0, 1e-3), 4 * Math.ulp(e[1]), "u = " + e[0]);
        }
        double below = IsoTanh.gainSlope(Math.nextDown(0.5), 0, 1e-9);
        double above = IsoTanh.gainSlope(0.5, 0, 1e-9);
        assertEquals(below, above, 8 * Math.ulp(above), "series and closed form meet at the switch");
    }

    @Test
    void negativeIntrinsicLengthUsesAbsoluteValue() {
        // u = |r + o| = |0.5 - 1.5| = 1; the slope flips sign because d|s|/ds = -1 there
        assertEquals(Math.tanh(1), IsoTanh.gain(0.5, -1.5, 1e-3), 1e-15);
        assertEquals(-IsoTanh.gainSlope(1, 0, 1e-3), IsoTanh.gainSlope(0.5, -1.5, 1e-3), 1e-15);
        assertEquals(Math.tanh(0.5) / 0.5, IsoTanh.smallBallFactor(-0.25), 1e-15);
        assertEquals(1.0, IsoTanh.smallBallFactor(0.005));
    }
}
