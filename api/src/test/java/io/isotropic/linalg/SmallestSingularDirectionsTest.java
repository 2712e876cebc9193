package io.isotropic.linalg;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmallestSingularDirectionsTest {

    /**
     * The Chebyshev model of the restarted block Krylov iteration, computed by hand for DEPTH = 8: at the soft edge of
     * a 512 x 784 Gaussian layer (plain rate 0.558 per step, gamma = 1 / 0.558 - 1 = 0.792) one outer iteration
     * reduces the angle by T_8(1 + 2 gamma) = cosh(8 acosh 2.584) = 1.9e5 >= 1e4, so a reduction of 1e-4 takes 8
     * steps, where plain block inverse iteration needs ceil(log 1e-4 / log 0.558) = 16; at rate 0.9 (gamma = 0.111)
     * one outer iteration gives cosh(8 acosh 1.222) = 96, and restarted iterations multiply (96^2 = 9.2e3 < 1e4), so
     * three outer iterations, 24 steps against plain iteration's 88.
     */
    @Test
    void stepsFollowTheChebyshevBound() {
        assertEquals(8, SmallestSingularDirections.DEPTH, "the hand-computed values below assume DEPTH = 8");
        assertEquals(8, SmallestSingularDirections.stepsToReduce(0.558, 1e-4));
        assertEquals(24, SmallestSingularDirections.stepsToReduce(0.9, 1e-4));
        assertEquals(SmallestSingularDirections.DEPTH, SmallestSingularDirections.stepsToReduce(0.0, 1e-16));
        assertEquals(Integer.MAX_VALUE, SmallestSingularDirections.stepsToReduce(1.0, 1e-4));
        int previous = 0;
        for (double rate = 0.05; rate < 1; rate += 0.05) {
            int steps = SmallestSingularDirections.stepsToReduce(rate, 1e-16);
            int plain = (int) Math.ceil(Math.log(1e-16) / Math.log(rate));
            assertTrue(steps >= previous, "more steps as the rate approaches 1, at rate " + rate);
            assertTrue(steps <= plain + SmallestSingularDirections.DEPTH,
                    "never worse than plain inverse iteration (by more than the rounding to outer iterations), rate "
                            + rate + ": " + steps + " against " + plain);
            previous = steps;
        }
        assertTrue(SmallestSingularDirections.stepsToReduce(0.95, 1e-16) < 0.3 * Math.log(1e-16) / Math.log(0.95),
                "a slow rate is accelerated by far more than a constant");
    }

    @Test
    void stepsRejectRatesAndTargetsOutOfRange() {
        for (double[] bad : new double[][] {{-0.1, 1e-4}, {1.1, 1e-4}, {Double.NaN, 1e-4}, {0.5, 0}, {0.5, 1},
            {0.5, Double.NaN}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SmallestSingularDirections.stepsToReduce(bad[0], bad[1]));
            assertTrue(e.getMessage().startsWith("SmallestSingularDirections.stepsToReduce")
                    && e.getMessage().contains(String.valueOf(bad[0])), e.getMessage());
        }
    }
}
