package io.isotropic.linalg;

import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HouseholderBasisTest {

    /** Orthonormal columns [m, k]: the rows of a Gaussian [k, m] orthonormalised, transposed. */
    private static Tensor orthonormal(int m, int k, long seed) {
        Tensor rows = Tensor.randomNormal(DType.F64, seed, 1.0, k, m);
        Orthogonal.orthonormaliseRows(rows);
        return rows.transpose();
    }

    /** The last k unit vectors: the reflections may be the identity. */
    private static Tensor lastUnitVectors(int m, int k) {
        double[] a = new double[m * k];
        for (int j = 0; j < k; j++) {
            a[(m - k + j) * k + j] = 1;
        }
        return Tensor.wrap(a, m, k);
    }

    /**
     * The element-wise square of P applied without forming it agrees with the dense {@code P.P}. Both sum at most
     * {@code (k^2 + k + 1) m} products of entries bounded by 4 max|x| (entries of Q.Q and of Y.Y are at most 4), each
     * rounded a few times: tolerance {@code 16 (k^2 + k + 1) m u max|x|}.
     */
    @Test
    void squaredProductsAgreeWithTheDenseSquare() {
        int cases = 0;
        for (int m : new int[] {7, 40}) {
            for (int k : new int[] {1, 2, 3, 5}) {
                for (Tensor dirs : new Tensor[] {orthonormal(m, k, 31L * m + k), lastUnitVectors(m, k)}) {
                    HouseholderBasis hb = HouseholderBasis.ofLastColumns(dirs);
                    double[] p = hb.dense().f64();
                    int n = 6;
                    SplittableRandom rng = new SplittableRandom(m * 100L + k);
                    double[] x = new double[m * n];
                    double[] xr = new double[n * m];
                    double[] xv = new double[m];
                    double max = 0;
                    for (int i = 0; i < x.length; i++) {
                        x[i] = rng.nextDouble();
                        xr[i] = rng.nextDouble();
                        max = Math.max(max, Math.max(x[i], xr[i]));
                    }
                    for (int i = 0; i < m; i++) {
                        xv[i] = rng.nextDouble();
                    }
                    double tol = 16.0 * (k * k + k + 1) * m * DType.F64.unitRoundoff() * max;
                    double[] left = hb.squaredLeftTranspose(Tensor.wrap(x.clone(), m, n)).f64();
                    double[] right = hb.squaredRight(Tensor.wrap(xr.clone(), n, m)).f64();
                    double[] vec = hb.squaredLeftTranspose(Tensor.wrap(xv.clone(), m)).f64();
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double el = 0;
                            double er = 0;
                            for (int t = 0; t < m; t++) {
                                el += p[t * m + i] * p[t * m + i] * x[t * n + j]; // (P.P)^T x
                                er += xr[j * m + t] * p[t * m + i] * p[t * m + i]; // x (P.P)
                            }
                            assertEquals(el, left[i * n + j], tol, "squaredLeftTranspose m " + m + " k " + k);
                            assertEquals(er, right[j * m + i], tol, "squaredRight m " + m + " k " + k);
                        }
                        double ev = 0;
                        for (int t = 0; t < m; t++) {
                            ev += p[t * m + i] * p[t * m + i] * xv[t];
                        }
                        assertEquals(ev, vec[i], tol, "squaredLeftTranspose of a vector m " + m + " k " + k);
                    }
                    cases++;
                }
            }
        }
        assertEquals(16, cases);
    }

    /** The last k columns of the dense basis are the given directions up to sign. */
    @Test
    void lastColumnsAreTheDirections() {
        int m = 12;
        int k = 3;
        Tensor dirs = orthonormal(m, k, 5);
        double[] p = HouseholderBasis.ofLastColumns(dirs).dense().f64();
        for (int j = 0; j < k; j++) {
            double d = 0;
            for (int i = 0; i < m; i++) {
                d += p[i * m + m - k + j] * dirs.f64()[i * k + j];
            }
            assertEquals(1.0, Math.abs(d), 64 * m * DType.F64.unitRoundoff(), "column " + j);
        }
    }

    @Test
    void squaredProductsRejectWrongShapes() {
        HouseholderBasis hb = HouseholderBasis.ofLastColumns(orthonormal(6, 2, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> hb.squaredLeftTranspose(Tensor.zeros(DType.F64, 5, 3)));
        assertTrue(e.getMessage().contains("squaredLeftTranspose") && e.getMessage().contains("6"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> hb.squaredRight(Tensor.zeros(DType.F64, 3, 5)));
        assertTrue(e.getMessage().contains("squaredRight") && e.getMessage().contains("6"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> hb.squaredRight(null));
    }
}
