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
            double[] q = Orthogonal.random(r, c, new SplittableRandom(r * 31 + c));
            boolean wide = r <= c;
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
