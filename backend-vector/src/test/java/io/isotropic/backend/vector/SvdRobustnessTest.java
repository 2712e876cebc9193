package io.isotropic.backend.vector;

import io.isotropic.conformance.ContractAssertions;
import io.isotropic.oracle.Reference;
import io.isotropic.oracle.Tolerance;
import io.isotropic.spi.Backend;
import io.isotropic.spi.RawSvd;
import io.isotropic.spi.Svd;
import io.isotropic.spi.SvdNormaliser;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The SVD on matrices chosen to reach its less common paths (deflation at zero diagonal entries, graded and
 * clustered spectra, extreme scales, subnormal entries, graded columns, the two-thread path), checked with the
 * conformance suite's LAPACK bounds, both through the backend (whose front scales the matrix by a power of two
 * first) and on the raw kernel {@link SvdF64} directly (which must be right on its own), and the sweep cap's error.
 *
 * <p>Every norm is computed on the entries scaled by {@code 2^-e}, {@code 2^e <= max |a_ij| < 2^(e+1)}, which is
 * exact: unscaled, the squares of a matrix scaled by {@code 10^-290} underflow to 0 (the check was then 0 <= 0) and
 * those of one scaled by {@code 10^290} overflow (the tolerance was infinite). {@link #theChecksRejectWrongSvds}
 * shows the checks fail at those scales for an error of {@code 10^-6 |A|_F}.
 */
class SvdRobustnessTest {
    private static final Backend ONE = new VectorBackend(1);
    private static final Backend TWO = new VectorBackend(2);

    @AfterAll
    static void close() {
        ONE.close();
        TWO.close();
    }

    /** {@code e} with {@code 2^e <= max |a_ij| < 2^(e+1)} (also for a subnormal maximum); 0 for a zero matrix. */
    private static int exponent(Tensor a) {
        return Reference.scaleExponent(a);
    }

    /** {@code |A|_F / 2^e}, from exactly scaled entries. */
    private static double scaledNorm(Tensor a, int e) {
        return Reference.scaledFrobenius(a, e);
    }

    /** The raw kernel's factors, normalised as the front would (but without the front's scaling). */
    private static Svd raw(Tensor a) {
        RawSvd r = SvdF64.svd(null, a.rows(), a.cols(), a.toDoubleArray());
        return SvdNormaliser.normalise(a.rows(), a.cols(), r.u(), r.s(), r.v(), DType.F64);
    }

    private static Tensor rawValues(Tensor a) {
        double[] s = SvdF64.singularValues(a.rows(), a.cols(), a.toDoubleArray());
        return Tensor.wrap(SvdNormaliser.sortDescending(s), s.length);
    }

    /** Checks the backend's {@code svd} and {@code singularValues} and the raw kernel's of the same matrix. */
    private static void check(String what, Backend be, Tensor a) {
        check(what, a, be.svd(a), be.singularValues(a));
        check(what + " (raw kernel)", a, raw(a), rawValues(a));
    }

    /**
     * Reconstruction {@code |A - U S V^T|_F <= 30 max(m, n) eps |A|_F}, orthogonality {@code 30 n eps}, ordering,
     * and values-only within twice the Weyl bound of {@code svd().s()}, all in units of {@code 2^e}; where singular
     * values are subnormal numbers their rounding (half the subnormal spacing each) is allowed for too.
     */
    static void check(String what, Tensor a, Svd svd, Tensor values) {
        int m = a.rows();
        int n = a.cols();
        int k = Math.min(m, n);
        double eps = DType.F64.epsilon();
        int e = exponent(a);
        double norm = scaledNorm(a, e);
        double[] s = new double[k];
        for (int p = 0; p < k; p++) {
            s[p] = Math.scalb(svd.s().getFlat(p), -e);
        }
        double residual = Reference.scaledSvdResidual(a, svd, e);
        // singular values that are subnormal numbers carry an absolute rounding error of up to MIN_VALUE / 2 each
        ContractAssertions.atMost(what + " |A - U S V^T|_F / 2^" + e, residual,
                new Tolerance(Tolerance.LAPACK_THRESHOLD * Math.max(m, n) * eps * norm
                        + Math.scalb(Math.sqrt(k), -1075 - e),
                        "LAPACK 30 max(m,n) eps |A|_F + sqrt(k) MIN_VALUE / 2, in units of 2^" + e));
        orthogonal(what + " U", svd.u(), Tolerance.LAPACK_THRESHOLD * m * eps);
        orthogonal(what + " V", svd.v(), Tolerance.LAPACK_THRESHOLD * n * eps);
        for (int i = 1; i < k; i++) {
            assertTrue(svd.s().getFlat(i) <= svd.s().getFlat(i - 1), what + ": not sorted at " + i);
        }
        for (int i = 0; i < k; i++) {
            ContractAssertions.close(what + " singularValues " + i + " / 2^" + e, Math.scalb(values.getFlat(i), -e), s[i],
                    new Tolerance(2 * Tolerance.LAPACK_THRESHOLD * Math.max(m, n) * eps * norm
                            + Math.scalb(Double.MIN_VALUE, -e), "twice the Weyl bound + MIN_VALUE, / 2^" + e));
        }
    }

    private static void orthogonal(String what, Tensor q, double tol) {
        ContractAssertions.atMost(what + " |Q^T Q - I|_max", Reference.orthogonalityError(q),
                new Tolerance(tol, "LAPACK 30 n eps"));
    }

    private static Tensor times(Tensor a, double c) {
        Tensor s = a.copy();
        for (int i = 0; i < s.size(); i++) {
            s.setFlat(i, s.getFlat(i) * c);
        }
        return s;
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

    /**
     * Graded (12 decades) and clustered spectra at scales from {@code 10^-310} (subnormal entries) to
     * {@code 10^300}: the checks above, and the singular values of {@code fl(c A)} equal {@code c} times those of
     * {@code A} within twice the Weyl bound plus what rounding {@code c A} to doubles changed (measured:
     * {@code |fl(c A) / c - A|_F}) plus the rounding of results that are subnormal.
     */
    @Test
    void gradedClusteredAndScaledSpectra() {
        SplittableRandom rng = new SplittableRandom(5);
        double eps = DType.F64.epsilon();
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
                String name = (sigma == graded ? "graded " : "clustered ") + sh[0] + "x" + sh[1];
                check(name, ONE, a);
                Tensor sa = ONE.singularValues(a);
                double norm = scaledNorm(a, 0);
                for (double c : new double[] {1e-290, 1e-300, 1e-310, 1e290, 1e300}) {
                    Tensor b = times(a, c);
                    check(name + " scaled by " + c, ONE, b);
                    double rounding = 0;
                    for (int i = 0; i < a.size(); i++) {
                        double d = b.getFlat(i) / c - a.getFlat(i);
                        rounding += d * d;
                    }
                    Tolerance tol = new Tolerance(2 * Tolerance.LAPACK_THRESHOLD * Math.max(sh[0], sh[1]) * eps * norm
                            + Math.sqrt(rounding) + Double.MIN_VALUE / c / 2,
                            "twice the Weyl bound + |fl(c A) / c - A|_F + half the subnormal spacing / c");
                    Tensor sb = ONE.singularValues(b);
                    Tensor rb = rawValues(b);
                    for (int i = 0; i < k; i++) {
                        ContractAssertions.close(name + " scaled by " + c + " sigma_" + i + " / c", sb.getFlat(i) / c,
                                sa.getFlat(i), tol);
                        ContractAssertions.close(name + " scaled by " + c + " (raw kernel) sigma_" + i + " / c", rb.getFlat(i) / c,
                                sa.getFlat(i), tol);
                    }
                }
            }
        }
    }

    /**
     * Subnormal entries next to normal ones: {@code [[1, 0], [t, 1]]} ended in NaN and "did not converge" when
     * {@code norm()} computed {@code 1 / max} of a subnormal maximum.
     */
    @Test
    void subnormalEntries() {
        for (double t : new double[] {1e-310, 4.9e-324}) {
            for (Tensor a : new Tensor[] {Tensor.of(new double[] {1, 0, t, 1}, 2, 2),
                Tensor.of(new double[] {1, t, 0, 1}, 2, 2), Tensor.of(new double[] {t, 0, 0, t, t, t}, 3, 2)}) {
                check("subnormal " + t + " " + a, ONE, a);
            }
        }
    }

    /**
     * Columns of very different scales: {@code 10^200} next to {@code 10^130} (their cross products overflowed the
     * fused bidiagonalisation's sums), and columns graded from 1 down to {@code 10^-300}.
     */
    @Test
    void gradedColumns() {
        for (int[] sh : new int[][] {{30, 20}, {20, 30}, {64, 64}}) {
            Tensor alt = Reference.gaussian(DType.F64, 17L * sh[0] + sh[1], sh[0], sh[1]);
            Tensor graded = alt.copy();
            for (int i = 0; i < sh[0]; i++) {
                for (int j = 0; j < sh[1]; j++) {
                    alt.set(alt.get(i, j) * (j % 2 == 0 ? 1e200 : 1e130), i, j);
                    graded.set(graded.get(i, j) * Math.pow(10, -300.0 * j / (sh[1] - 1)), i, j);
                }
            }
            check("columns 1e200 / 1e130 " + sh[0] + "x" + sh[1], ONE, alt);
            check("columns 1 .. 1e-300 " + sh[0] + "x" + sh[1], ONE, graded);
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

    /**
     * The checks can fail: a decomposition whose singular values are off by {@code 10^-6 |A|_F} is rejected at the
     * scales where the unscaled norms underflowed ({@code 10^-290}) or overflowed ({@code 10^290}), and at 1.
     */
    @Test
    void theChecksRejectWrongSvds() {
        Tensor a = Reference.gaussian(DType.F64, 99, 40, 30);
        for (double c : new double[] {1, 1e-290, 1e290}) {
            Tensor b = times(a, c);
            Svd svd = ONE.svd(b);
            Tensor values = ONE.singularValues(b);
            check("control, scale " + c, b, svd, values);
            double off = 1e-6 * scaledNorm(b, exponent(b));
            Tensor s = svd.s().copy();
            s.setFlat(5, Math.scalb(Math.scalb(s.getFlat(5), -exponent(b)) + off, exponent(b)));
            Svd wrong = new Svd(svd.u(), s, svd.v());
            AssertionFailedError e1 = assertThrows(AssertionFailedError.class,
                    () -> check("wrong s, scale " + c, b, wrong, s), "a wrong sigma_5 passed at scale " + c);
            assertTrue(e1.getMessage().contains("|A - U S V^T|_F"), e1.getMessage());
            AssertionFailedError e2 = assertThrows(AssertionFailedError.class,
                    () -> check("wrong values, scale " + c, b, svd, s), "wrong values-only passed at scale " + c);
            assertTrue(e2.getMessage().contains("singularValues 5"), e2.getMessage());
        }
    }

    @Test
    void twoThreadsGiveTheSameFactorsAsOne() {
        for (int[] sh : new int[][] {{200, 200}, {260, 130}, {130, 260}}) {
            Tensor a = Reference.gaussian(DType.F64, sh[0] * 7L + sh[1], sh[0], sh[1]);
            check("two threads " + sh[0] + "x" + sh[1], a, TWO.svd(a), TWO.singularValues(a));
            Svd one = ONE.svd(a);
            Svd two = TWO.svd(a);
            assertTrue(sameFactors(one, two), "below the parallel thresholds two threads do the same operations in "
                    + "the same order");
        }
    }

    /**
     * Above the threshold of row-wise kernels the bidiagonalisation's trailing pass is split over the threads, each
     * summing its own part of the next step's column sums: a different rounding than one thread, so the factors are
     * checked against the LAPACK bounds, and two runs on two threads must agree bit for bit (the parts are added in
     * a fixed order).
     */
    @Test
    void splitBidiagonalisationIsAccurateAndDeterministic() {
        Backend split = new VectorBackend(2, 1, 1);
        try {
            for (int[] sh : new int[][] {{300, 200}, {200, 300}, {257, 257}}) {
                Tensor a = Reference.gaussian(DType.F64, sh[0] * 11L + sh[1], sh[0], sh[1]);
                check("split bidiagonalisation " + sh[0] + "x" + sh[1], a, split.svd(a), split.singularValues(a));
                Svd first = split.svd(a);
                Svd again = split.svd(a);
                assertTrue(sameFactors(first, again), "two threads: the same result every time");
            }
        } finally {
            split.close();
        }
    }

    /** Whether two decompositions have bit-identical factors. */
    private static boolean sameFactors(Svd x, Svd y) {
        return x.u().contentEquals(y.u()) && x.s().contentEquals(y.s()) && x.v().contentEquals(y.v());
    }

    @Test
    void theSweepCapRaisesAClearError() {
        double[] a = Reference.gaussian(DType.F64, 11, 6, 6).toDoubleArray();
        ArithmeticException e = assertThrows(ArithmeticException.class, () -> SvdF64.svd(null, 6, 6, a, 0));
        assertTrue(e.getMessage().contains("did not converge") && e.getMessage().contains("6 x 6"), e.getMessage());
        assertEquals(75 * 100 + 100, SvdF64.maxSweeps(100));
    }
}
