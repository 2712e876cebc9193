package io.isotropic.backend.vector;

import io.isotropic.conformance.ContractAssertions;
import io.isotropic.conformance.Reference;
import io.isotropic.conformance.Tolerance;
import io.isotropic.spi.Svd;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SVD on matrices chosen to reach its less common paths (deflation at zero diagonal entries, graded and
 * clustered spectra, extreme scaling, the two-thread path), checked with the conformance suite's LAPACK bounds, and
 * the sweep cap's error.
 */
class SvdRobustnessTest {
    private static final Backend ONE = new VectorBackend(1);
    private static final Backend TWO = new VectorBackend(2);

    @AfterAll
    static void close() {
        ONE.close();
        TWO.close();
    }

    private static void check(String what, Backend be, Tensor a) {
        Svd svd = be.svd(a);
        int m = a.rows();
        int n = a.cols();
        int k = Math.min(m, n);
        double eps = DType.F64.epsilon();
        double norm = 0;
        for (int i = 0; i < a.size(); i++) {
            norm += a.getFlat(i) * a.getFlat(i);
        }
        norm = Math.sqrt(norm);
        double err = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double r = 0;
                for (int p = 0; p < k; p++) {
                    r += svd.u().get(i, p) * svd.s().getFlat(p) * svd.v().get(j, p);
                }
                err += (r - a.get(i, j)) * (r - a.get(i, j));
            }
        }
        ContractAssertions.atMost(what + " |A - U S V^T|_F", Math.sqrt(err),
                new Tolerance(Tolerance.LAPACK_THRESHOLD * Math.max(m, n) * eps * norm,
                        "LAPACK 30 max(m,n) eps |A|_F"));
        orthogonal(what + " U", svd.u(), Tolerance.LAPACK_THRESHOLD * m * eps);
        orthogonal(what + " V", svd.v(), Tolerance.LAPACK_THRESHOLD * n * eps);
        for (int i = 1; i < k; i++) {
            assertTrue(svd.s().getFlat(i) <= svd.s().getFlat(i - 1), what + ": not sorted at " + i);
        }
        Tensor only = be.singularValues(a);
        for (int i = 0; i < k; i++) {
            ContractAssertions.close(what + " singularValues " + i, only.getFlat(i), svd.s().getFlat(i),
                    new Tolerance(2 * Tolerance.LAPACK_THRESHOLD * Math.max(m, n) * eps * norm,
                            "twice the Weyl bound"));
        }
    }

    private static void orthogonal(String what, Tensor q, double tol) {
        int n = q.rows();
        double worst = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double d = 0;
                for (int p = 0; p < n; p++) {
                    d += q.get(p, i) * q.get(p, j);
                }
                worst = Math.max(worst, Math.abs(d - (i == j ? 1 : 0)));
            }
        }
        ContractAssertions.atMost(what + " |Q^T Q - I|_max", worst, new Tolerance(tol, "LAPACK 30 n eps"));
    }

    @Test
    void bidiagonalWithZeroDiagonalEntriesDeflates() {
        for (int n : new int[] {2, 5, 12, 40}) {
            for (int zeroAt : new int[] {0, n / 2, n - 1}) {
                Tensor a = Tensor.zeros(DType.F64, n, n);
                for (int i = 0; i < n; i++) {
                    a.set(i == zeroAt ? 0.0 : 1.0 + i, i, i);
                    if (i + 1 < n) {
                        a.set(0.5 + 0.1 * i, i, i + 1);
                    }
                }
                check("bidiagonal n=" + n + " zero at " + zeroAt, ONE, a);
            }
        }
    }

    @Test
    void gradedClusteredAndScaledSpectra() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int[] sh : new int[][] {{60, 60}, {90, 50}, {50, 90}, {130, 130}}) {
            int k = Math.min(sh[0], sh[1]);
            double[] graded = new double[k];
            double[] clustered = new double[k];
            for (int i = 0; i < k; i++) {
                graded[i] = Math.pow(10, -12.0 * i / (k - 1));
                clustered[i] = 1 + 1e-13 * rng.nextDouble();
            }
            for (double[] sigma : new double[][] {graded, clustered}) {
                Tensor a = Reference.withSingularValues(DType.F64, rng.nextLong(), sh[0], sh[1], sigma);
                check("spectrum " + sh[0] + "x" + sh[1], ONE, a);
                for (double scale : new double[] {1e-290, 1e290}) {
                    Tensor s = a.copy();
                    for (int i = 0; i < s.size(); i++) {
                        s.setFlat(i, s.getFlat(i) * scale);
                    }
                    check("scaled by " + scale + " " + sh[0] + "x" + sh[1], ONE, s);
                }
            }
        }
    }

    @Test
    void rankOneIdentityAndZeroColumns() {
        int n = 70;
        Tensor rank1 = Tensor.zeros(DType.F64, n, n + 9);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n + 9; j++) {
                rank1.set(Math.sin(i + 1) * Math.cos(j), i, j);
            }
        }
        check("rank one", ONE, rank1);
        check("identity", ONE, Tensor.identity(DType.F64, n));
        Tensor cols = Reference.gaussian(DType.F64, 3, n, n);
        for (int i = 0; i < n; i++) {
            cols.set(0.0, i, 3);
            cols.set(0.0, i, n - 1);
        }
        check("zero columns", ONE, cols);
    }

    @Test
    void twoThreadsGiveTheSameFactorsAsOne() {
        for (int[] sh : new int[][] {{200, 200}, {260, 130}, {130, 260}}) {
            Tensor a = Reference.gaussian(DType.F64, sh[0] * 7L + sh[1], sh[0], sh[1]);
            check("two threads " + sh[0] + "x" + sh[1], TWO, a);
            Svd one = ONE.svd(a);
            Svd two = TWO.svd(a);
            assertTrue(one.u().contentEquals(two.u()) && one.s().contentEquals(two.s())
                    && one.v().contentEquals(two.v()), "two threads do the same operations in the same order");
        }
    }

    @Test
    void theSweepCapRaisesAClearError() {
        double[] a = Reference.gaussian(DType.F64, 11, 6, 6).toDoubleArray();
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> SvdF64.svd(null, 6, 6, a, 0));
        assertTrue(e.getMessage().contains("did not converge") && e.getMessage().contains("6 x 6"), e.getMessage());
        assertEquals(75 * 100 + 100, SvdF64.maxSweeps(100));
    }
}
