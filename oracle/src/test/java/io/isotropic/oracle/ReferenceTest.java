package io.isotropic.oracle;

import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The oracle against values known independently of it: closed forms, method.md's reference values, constructions. */
class ReferenceTest {

    @Test
    void gainMatchesMethodReferenceValues() {
        // method.md 13.1 item 3, quoted to 9 digits
        assertEquals(0.761594154, Reference.gain(1e-8, 1.0, 1e-3), 1e-9);
        assertEquals(0.996679946, Reference.gain(0, 0.01, 1e-3), 1e-9);
        assertEquals(0.761593985, Reference.gain(1, 1e-6, 1e-3), 1e-9);
        assertEquals(1.0, Reference.gain(0, 1e-6, 1e-3), "rho = eps is inside the small ball");
        assertEquals(Math.tanh(0.2) / 0.2, Reference.gain(0, -0.04, 1e-3), 1e-16, "rho = sqrt|r + o|");
        assertEquals(Math.tanh(0.2) / 0.2, Reference.gain(0.04, -0.04, 1e-3), 1e-16, "c(o) inside the ball");
    }

    @Test
    void gainSlopeMatchesHighOrderDifferencesAcrossTheSeriesBoundary() {
        // fourth-order central differences of G(u); truncation h^4 G^(5) / 30, rounding ~ eps / h
        for (double u : new double[] {1e-3, 0.01, 0.3, 0.999, 1.0, 1.001, 2.5, 30, 400}) {
            double h = 1e-3 * u;
            double fd = (-Reference.gain(u + 2 * h, 0, 0) + 8 * Reference.gain(u + h, 0, 0)
                    - 8 * Reference.gain(u - h, 0, 0) + Reference.gain(u - 2 * h, 0, 0)) / (12 * h);
            double slope = Reference.gainSlope(u, 0, 0);
            assertEquals(fd, slope, 2e-9 * Math.abs(slope), "u = " + u);
        }
        assertEquals(-1.0 / 3, Reference.gainSlope(1e-12, 0, 0), 1e-12, "the limit at u -> 0");
        assertEquals(0.0, Reference.gainSlope(0, 1e-7, 1e-3), "constant inside the small ball");
        assertEquals(-Reference.gainSlope(0.5, 0, 0), Reference.gainSlope(0, -0.5, 0), "sign(r + o)");
    }

    @Test
    void jacobiFindsConstructedSingularValues() {
        for (int[] sh : new int[][] {{30, 30}, {40, 17}, {17, 40}, {1, 9}, {9, 1}}) {
            int k = Math.min(sh[0], sh[1]);
            double[] sigma = new double[k];
            for (int i = 0; i < k; i++) {
                sigma[i] = i == 1 ? sigma[0] : Math.pow(10, -6.0 * i / Math.max(1, k - 1));
            }
            Tensor a = Reference.withSingularValues(DType.F64, 5 + sh[0], sh[0], sh[1], sigma);
            double[] s = Reference.singularValues(a);
            for (int i = 0; i < k; i++) {
                // the construction itself errs by about n eps in F64
                assertEquals(sigma[i], s[i], 100 * Math.max(sh[0], sh[1]) * DType.F64.epsilon(),
                        sh[0] + "x" + sh[1] + " sigma_" + i);
            }
        }
        assertEquals(0, Reference.singularValues(Tensor.zeros(DType.F64, 0, 4)).length);
        assertEquals(0.0, Reference.singularValues(Tensor.zeros(DType.F64, 3, 4))[2]);
        Tensor nan = Tensor.zeros(DType.F64, 2, 2).fill(Double.NaN);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Reference.singularValues(nan)).getMessage()
                .contains("non-finite"));
    }

    @Test
    void gemmRowsAndAffineAgreeWithHandComputedProducts() {
        Tensor a = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.of(new double[] {1, 0, -1, 1, 2, -2}, 3, 2);
        double[][] ab = Reference.gemm(1, a, false, b, false, 0, null);
        assertEquals(5, ab[0][0]);
        assertEquals(-4, ab[0][1]);
        assertEquals(11, ab[0][2]);
        assertEquals(-7, ab[0][3]);
        assertEquals(21, ab[1][2], "magnitude: |4 * 1| + |5 * -1| + |6 * 2|");
        double[][] row1 = Reference.gemmRows(2, a, false, b, false, 0, null, new int[] {1});
        assertEquals(22, row1[0][0]);
        double[][] y = Reference.affine(a, Tensor.of(new double[] {1, 1, 1}, 1, 3), Tensor.of(new double[] {-6}, 1));
        assertEquals(0, y[0][0]);
        assertEquals(9, y[0][1]);
        assertEquals(12, y[1][0], "|1| + |2| + |3| + |-6|");
    }

    @Test
    void compareNamesTheFirstOffendingElement() {
        Tensor got = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
        Optional<String> d = Compare.elementwise("t", got, new double[] {1, 2, 3, 4.5}, new double[] {0, 0, 0, 0.1}, "r");
        assertTrue(d.isPresent() && d.get().contains("element [1, 1]") && d.get().contains("(r)"), d.toString());
        assertTrue(Compare.elementwise("t", got, got.toDoubleArray(), new double[4], "r").isEmpty());
        assertTrue(Compare.scalar("t", Double.NaN, 0, new Tolerance(1, "r")).isPresent(), "NaN is outside");
        assertThrows(IllegalArgumentException.class, () -> new Tolerance(Double.NaN, "r"));
    }
}
