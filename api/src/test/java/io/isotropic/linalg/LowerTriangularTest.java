package io.isotropic.linalg;

import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LowerTriangularTest {

    /** A random lower-triangular matrix with garbage above the diagonal (which must be ignored). */
    private static Tensor lower(int m, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor l = Tensor.zeros(DType.F64, m, m);
        for (int i = 0; i < m * m; i++) {
            l.f64()[i] = i / m >= i % m ? rng.nextGaussian() : 1e6;
        }
        return l;
    }

    /**
     * Against the dense products of the triangle (upper part zeroed): each entry is one sum of at most m products,
     * so both are within {@code gamma_m (|L| |X|)_ij} of the exact value and differ by at most twice that
     * ({@code gamma_m = m u / (1 - m u)}); sizes straddle the block size.
     */
    @Test
    void blockedProductsAgreeWithDenseOnes() {
        LoopBackend be = new LoopBackend();
        double u = DType.F64.unitRoundoff();
        for (int m : new int[] {1, 5, LowerTriangular.BLOCK - 1, LowerTriangular.BLOCK, LowerTriangular.BLOCK + 1,
                                2 * LowerTriangular.BLOCK + 7}) {
            Tensor l = lower(m, m);
            Tensor dense = l.copy();
            for (int i = 0; i < m; i++) {
                for (int j = i + 1; j < m; j++) {
                    dense.f64()[i * m + j] = 0;
                }
            }
            Tensor abs = dense.copy();
            for (int i = 0; i < m * m; i++) {
                abs.f64()[i] = Math.abs(abs.f64()[i]);
            }
            Tensor x = Tensor.randomNormal(DType.F64, new SplittableRandom(7 * m), 1.0, m, 3);
            Tensor absX = x.copy();
            for (int i = 0; i < absX.size(); i++) {
                absX.f64()[i] = Math.abs(absX.f64()[i]);
            }
            double gamma = 2 * m * u / (1 - m * u);
            LowerTriangular lt = LowerTriangular.of(l);
            close("L X, m = " + m, lt.times(be, x), be.matmul(dense, x), be.matmul(abs, absX), gamma);
            close("L^T X, m = " + m, lt.transposeTimes(be, x), be.matmul(dense, true, x, false),
                    be.matmul(abs, true, absX, false), gamma);
        }
    }

    private static void close(String what, Tensor got, Tensor want, Tensor bound, double gamma) {
        int cols = want.cols();
        for (int i = 0; i < want.rows(); i++) {
            for (int j = 0; j < cols; j++) {
                double g = got.f64()[i * cols + j];
                double w = want.f64()[i * cols + j];
                double tol = gamma * bound.f64()[i * cols + j];
                assertTrue(Math.abs(g - w) <= tol, what + ": entry (" + i + ", " + j + ") is " + g + ", dense "
                        + w + ", tolerance 2 gamma_m (|L||X|) = " + tol);
            }
        }
    }

    @Test
    void rejectsBadShapes() {
        LoopBackend be = new LoopBackend();
        LowerTriangular lt = LowerTriangular.of(lower(4, 1));
        assertThrows(IllegalArgumentException.class, () -> LowerTriangular.of(Tensor.zeros(DType.F64, 3, 4)));
        assertThrows(IllegalArgumentException.class, () -> LowerTriangular.of(Tensor.zeros(DType.F32, 3, 3)));
        assertThrows(IllegalArgumentException.class, () -> lt.times(be, Tensor.zeros(DType.F64, 5, 2)));
        assertThrows(IllegalArgumentException.class, () -> lt.transposeTimes(be, Tensor.zeros(DType.F32, 4, 2)));
    }
}
