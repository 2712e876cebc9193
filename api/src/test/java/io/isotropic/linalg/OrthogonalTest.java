package io.isotropic.linalg;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OrthogonalTest {

    @Test
    void rowsOrColumnsAreOrthonormal() {
        for (int[] sh : new int[][] {{5, 5}, {3, 8}, {8, 3}, {1, 4}, {4, 1}}) {
            int r = sh[0];
            int c = sh[1];
            // the Householder fallback of Orthogonal.random on a Gaussian matrix (the CholeskyQR2 path runs on every
            // backend in the conformance suite, contract N09)
            boolean wide = r <= c;
            int m = Math.max(r, c);
            int n = Math.min(r, c);
            SplittableRandom rng = new SplittableRandom(r * 31 + c);
            double[] a = new double[m * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = rng.nextGaussian();
            }
            double[] tall = Orthogonal.householderQ(a, m, n);
            double[] q = new double[r * c];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    q[wide ? j * c + i : i * c + j] = tall[i * n + j];
                }
            }
            int k = wide ? r : c;
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    double d = 0;
                    for (int p = 0; p < (wide ? c : r); p++) {
                        d += wide ? q[i * c + p] * q[j * c + p] : q[p * c + i] * q[p * c + j];
                    }
                    // Householder QR in double: orthogonality error a few units of 1e-16 times the size
                    assertEquals(i == j ? 1 : 0, d, 64 * 0x1.0p-53 * Math.max(r, c), r + "x" + c);
                }
            }
        }
    }

    @Test
    void householderRejectsWideOrShortInput() {
        assertThrows(IllegalArgumentException.class, () -> Householder.factor(new double[6], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> Householder.factor(new double[5], 3, 2));
        assertThrows(IllegalArgumentException.class, () -> Householder.factor(null, 3, 2));
    }
}
