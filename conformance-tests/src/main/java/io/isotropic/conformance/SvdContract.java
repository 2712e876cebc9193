package io.isotropic.conformance;

import io.isotropic.spi.Svd;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Contracts S01-S09: the full SVD, checked by reconstruction, orthogonality, ordering, shape, known singular
 * values and the sign convention, never by raw entries (factors are unique only up to signs and rotations within
 * repeated singular values).
 *
 * <p>Tolerances follow LAPACK's SVD tests: {@code |A - U S V^T|_F <= 30 max(m, n) eps |A|_F} and
 * {@code |U^T U - I|_max <= 30 m eps}, with {@code eps} the dtype's machine epsilon; by Weyl's theorem singular
 * values then lie within {@code 30 max(m, n) eps |A|_F} of the exact ones, which also covers rounding {@code A}
 * to the dtype.
 */
public interface SvdContract extends BackendFixture {

    private static long seed(Object... parts) {
        return Objects.hash(parts) * 0x9E3779B97F4A7C15L;
    }

    private static double frobenius(Tensor a) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += a.getFlat(i) * a.getFlat(i);
        }
        return Math.sqrt(s);
    }

    /**
     * Checks shape, dtype, ordering, orthogonality and reconstruction of {@code svd(a)}; returns it.
     *
     * @param id contract id for messages
     * @param a the matrix
     * @return the decomposition
     */
    private Svd checkedSvd(String id, Tensor a) {
        Tensor before = a.copy();
        Svd svd = backend().svd(a);
        int m = a.rows();
        int n = a.cols();
        int k = Math.min(m, n);
        String what = id + " svd " + a.dtype() + " " + m + "x" + n;
        assertTrue(a.contentEquals(before), what + ": the input was modified");
        assertEquals(Tensor.zeros(a.dtype(), m, m).shape(), svd.u().shape(), what + ": U shape");
        assertEquals(Tensor.zeros(a.dtype(), k).shape(), svd.s().shape(), what + ": s shape");
        assertEquals(Tensor.zeros(a.dtype(), n, n).shape(), svd.v().shape(), what + ": V shape");
        assertEquals(a.dtype(), svd.u().dtype(), what + ": dtype of U");
        assertEquals(a.dtype(), svd.s().dtype(), what + ": dtype of s");
        assertEquals(a.dtype(), svd.v().dtype(), what + ": dtype of V");
        for (int i = 0; i < k; i++) {
            double si = svd.s().getFlat(i);
            assertTrue(si >= 0, what + ": singular value " + i + " is " + si + " < 0");
            if (i > 0) {
                assertTrue(si <= svd.s().getFlat(i - 1), what + ": singular values not non-increasing at " + i + ": "
                        + svd.s().getFlat(i - 1) + " then " + si);
            }
        }
        double eps = a.dtype().epsilon();
        orthogonal(what + " U", svd.u(), new Tolerance(Tolerance.LAPACK_THRESHOLD * Math.max(1, m) * eps,
                "LAPACK: 30 m eps"));
        orthogonal(what + " V", svd.v(), new Tolerance(Tolerance.LAPACK_THRESHOLD * Math.max(1, n) * eps,
                "LAPACK: 30 n eps"));
        double err = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double r = 0;
                for (int p = 0; p < k; p++) {
                    r += svd.u().get(i, p) * svd.s().getFlat(p) * svd.v().get(j, p);
                }
                double d = r - a.get(i, j);
                err += d * d;
            }
        }
        ContractAssertions.atMost(what + ": |A - U S V^T|_F", Math.sqrt(err), new Tolerance(
                Tolerance.LAPACK_THRESHOLD * Math.max(m, n) * eps * frobenius(a), "LAPACK: 30 max(m, n) eps |A|_F"));
        return svd;
    }

    private static void orthogonal(String what, Tensor q, Tolerance tol) {
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
        ContractAssertions.atMost(what + ": |Q^T Q - I|_max", worst, tol);
    }

    /**
     * S01: random dense matrices of every shape class decompose with orthogonal factors, sorted values and an
     * accurate reconstruction.
     *
     * @param dt dtype
     * @param m rows
     * @param n columns
     */
    @ParameterizedTest(name = "{0} {1}x{2}")
    @MethodSource("io.isotropic.conformance.Cases#svdShapes")
    default void s01_reconstructionOrthogonalityOrdering(DType dt, int m, int n) {
        checkedSvd("S01", Reference.gaussian(dt, seed("s01", dt, m, n), m, n));
    }

    /**
     * S02: singular values equal known ones ({@code A = U0 diag(sigma) V0^T}, sigma spread over three decades with
     * a repeated value).
     *
     * @param dt dtype
     * @param m rows
     * @param n columns
     */
    @ParameterizedTest(name = "{0} {1}x{2}")
    @MethodSource("io.isotropic.conformance.Cases#svdShapes")
    default void s02_knownSingularValues(DType dt, int m, int n) {
        int k = Math.min(m, n);
        double[] sigma = new double[k];
        for (int i = 0; i < k; i++) {
            sigma[i] = i == 1 ? sigma[0] : Math.pow(10, -3.0 * i / Math.max(1, k - 1));
        }
        Tensor a = Reference.withSingularValues(dt, seed("s02", dt, m, n), m, n, sigma);
        Svd svd = checkedSvd("S02", a);
        Tolerance tol = new Tolerance(Tolerance.LAPACK_THRESHOLD * Math.max(m, n) * dt.epsilon() * frobenius(a),
                "Weyl: |sigma_i - s_i| <= |E|_2 <= 30 max(m, n) eps |A|_F");
        for (int i = 0; i < k; i++) {
            ContractAssertions.close("S02 " + dt + " " + m + "x" + n + " sigma_" + i, svd.s().getFlat(i), sigma[i], tol);
        }
        Tensor only = backend().singularValues(a);
        for (int i = 0; i < k; i++) {
            ContractAssertions.close("S02 singularValues() " + dt + " " + m + "x" + n + " sigma_" + i, only.getFlat(i), sigma[i],
                    tol);
        }
    }

    /** S03: rank-deficient matrices (rank 5 of 20 x 15, 15 x 20, 33 x 33) have tiny trailing singular values. */
    @Test
    default void s03_rankDeficient() {
        for (DType dt : DType.values()) {
            for (int[] sh : new int[][] {{20, 15}, {15, 20}, {33, 33}, {12, 1}}) {
                int m = sh[0];
                int n = sh[1];
                int r = Math.min(5, Math.min(m, n) - 1);
                Tensor b = Reference.gaussian(DType.F64, seed("s03", m, n), m, Math.max(r, 1));
                Tensor c = Reference.gaussian(DType.F64, seed("s03c", m, n), Math.max(r, 1), n);
                double[] prod = Reference.multiply(b.f64(), c.f64(), m, Math.max(r, 1), n);
                if (r == 0) {
                    java.util.Arrays.fill(prod, 0.0);
                }
                Tensor a = Tensor.wrap(prod, m, n).to(dt);
                Svd svd = checkedSvd("S03", a);
                Tolerance tol = new Tolerance(Tolerance.LAPACK_THRESHOLD * Math.max(m, n) * dt.epsilon() * frobenius(a),
                        "exact value 0; Weyl bound 30 max(m, n) eps |A|_F");
                for (int i = r; i < Math.min(m, n); i++) {
                    ContractAssertions.atMost("S03 " + dt + " " + m + "x" + n + " rank " + r + ": sigma_" + i, svd.s().getFlat(i),
                            tol);
                }
            }
        }
    }

    /** S04: zero matrices give exactly zero singular values with orthogonal factors. */
    @Test
    default void s04_zeroMatrices() {
        for (DType dt : DType.values()) {
            for (int[] sh : new int[][] {{1, 1}, {4, 4}, {5, 3}, {3, 5}, {1, 6}, {6, 1}}) {
                Svd svd = checkedSvd("S04", Tensor.zeros(dt, sh[0], sh[1]));
                for (int i = 0; i < svd.s().size(); i++) {
                    assertEquals(0.0, svd.s().getFlat(i), "S04 " + dt + " zero " + sh[0] + "x" + sh[1] + " sigma_" + i);
                }
            }
        }
    }

    /** S05: empty matrices ({@code 0 x n}, {@code m x 0}) give identity factors and no singular values. */
    @Test
    default void s05_emptyMatrices() {
        for (DType dt : DType.values()) {
            for (int[] sh : new int[][] {{0, 0}, {0, 3}, {4, 0}}) {
                Svd svd = backend().svd(Tensor.zeros(dt, sh[0], sh[1]));
                assertEquals(0, svd.s().size(), "S05 " + dt + " " + sh[0] + "x" + sh[1] + ": no singular values");
                assertTrue(svd.u().contentEquals(Tensor.identity(dt, sh[0])), "S05 U must be the identity");
                assertTrue(svd.v().contentEquals(Tensor.identity(dt, sh[1])), "S05 V must be the identity");
                assertEquals(0, backend().singularValues(Tensor.zeros(dt, sh[0], sh[1])).size(), "S05 singularValues");
            }
        }
    }

    /** S06: orthogonal and semi-orthogonal matrices (a fully repeated spectrum, as after orthogonal init). */
    @Test
    default void s06_repeatedSpectrum() {
        for (DType dt : DType.values()) {
            for (int[] sh : new int[][] {{16, 16}, {10, 24}, {24, 10}}) {
                int k = Math.min(sh[0], sh[1]);
                double[] ones = new double[k];
                java.util.Arrays.fill(ones, 1.0);
                Tensor a = Reference.withSingularValues(dt, seed("s06", dt, sh[0]), sh[0], sh[1], ones);
                Svd svd = checkedSvd("S06", a);
                for (int i = 0; i < k; i++) {
                    ContractAssertions.close("S06 " + dt + " sigma_" + i, svd.s().getFlat(i), 1.0, new Tolerance(
                            Tolerance.LAPACK_THRESHOLD * Math.max(sh[0], sh[1]) * dt.epsilon() * frobenius(a),
                            "Weyl bound"));
                }
            }
        }
    }

    /** S07: sign convention: the largest-magnitude entry of each column of U (and of V's null-space columns) is positive. */
    @Test
    default void s07_signConvention() {
        for (DType dt : DType.values()) {
            for (int[] sh : new int[][] {{6, 6}, {4, 9}, {9, 4}}) {
                Svd svd = backend().svd(Reference.gaussian(dt, seed("s07", dt, sh[0], sh[1]), sh[0], sh[1]));
                positiveLargest("S07 " + dt + " U", svd.u(), 0);
                positiveLargest("S07 " + dt + " V (null space)", svd.v(), Math.min(sh[0], sh[1]));
            }
        }
    }

    private static void positiveLargest(String what, Tensor q, int firstColumn) {
        for (int c = firstColumn; c < q.cols(); c++) {
            double best = 0;
            double val = 0;
            for (int r = 0; r < q.rows(); r++) {
                if (Math.abs(q.get(r, c)) > best) {
                    best = Math.abs(q.get(r, c));
                    val = q.get(r, c);
                }
            }
            if (val < 0) {
                fail(what + ": column " + c + " has its largest-magnitude entry " + val + " negative");
            }
        }
    }

    /** S08: {@code singularValues} agrees with {@code svd().s()} on random, tall and wide matrices. */
    @Test
    default void s08_singularValuesAgreeWithSvd() {
        for (DType dt : DType.values()) {
            for (int[] sh : new int[][] {{5, 5}, {3, 11}, {11, 3}, {40, 40}}) {
                Tensor a = Reference.gaussian(dt, seed("s08", dt, sh[0], sh[1]), sh[0], sh[1]);
                Tensor s1 = backend().svd(a).s();
                Tensor s2 = backend().singularValues(a);
                Tolerance tol = new Tolerance(2 * Tolerance.LAPACK_THRESHOLD * Math.max(sh[0], sh[1]) * dt.epsilon()
                        * frobenius(a), "twice the Weyl bound");
                for (int i = 0; i < s1.size(); i++) {
                    ContractAssertions.close("S08 " + dt + " " + sh[0] + "x" + sh[1] + " sigma_" + i, s2.getFlat(i), s1.getFlat(i), tol);
                }
            }
        }
    }

    /** S09: a larger decomposition (257 x 129 and its transpose, F64) keeps the LAPACK bounds. */
    @Test
    default void s09_largerMatrices() {
        checkedSvd("S09", Reference.gaussian(DType.F64, 257, 257, 129));
        checkedSvd("S09", Reference.gaussian(DType.F64, 258, 129, 257));
    }
}
