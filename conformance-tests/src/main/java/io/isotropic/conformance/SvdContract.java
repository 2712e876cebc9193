package io.isotropic.conformance;

import io.isotropic.oracle.Reference;
import io.isotropic.oracle.Tolerance;
import io.isotropic.spi.Svd;
import io.isotropic.spi.SvdLeft;
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
 * Contracts S01-S14: the full SVD, checked by reconstruction, orthogonality, ordering, shape, known singular
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

    /**
     * The exponent {@code e} with {@code max|a_ij| 2^-e} in {@code [1, 2)}, or 0 for a zero matrix; exact for
     * subnormal maxima too. Norms and residuals below are computed on entries scaled by {@code 2^-e}, which is exact,
     * so that their squares neither overflow nor underflow at any scale of the matrix.
     */
    private static int scaleExponent(Tensor a) {
        return Reference.scaleExponent(a);
    }

    /** {@code |A|_F 2^-e}, from exactly scaled entries. */
    private static double scaledFrobenius(Tensor a, int e) {
        return Reference.scaledFrobenius(a, e);
    }

    /** {@code |A|_F} without overflow or underflow of the squares (the result itself is a double). */
    private static double frobenius(Tensor a) {
        int e = scaleExponent(a);
        return Math.scalb(scaledFrobenius(a, e), e);
    }

    /**
     * The exponent {@code h} of half the spacing of a dtype's subnormal numbers, {@code 2^h} being the absolute
     * rounding error of a result there ({@code 2^h} itself is not representable, hence the exponent).
     */
    private static int halfSubnormalSpacingExponent(DType dt) {
        return dt == DType.F64 ? -1075 : -150;
    }

    /** {@code |Q^T Q - I|_max} of a square factor ({@link Reference#orthogonalityError}) within {@code tol}. */
    private static void orthogonal(String what, Tensor q, Tolerance tol) {
        ContractAssertions.atMost(what + ": |Q^T Q - I|_max", Reference.orthogonalityError(q), tol);
    }

    /**
     * {@link #checkedSvd(String, Tensor, boolean)} without singular values in the subnormal range.
     *
     * @param id contract id for messages
     * @param a the matrix
     * @return the decomposition
     */
    private Svd checkedSvd(String id, Tensor a) {
        return checkedSvd(id, a, false);
    }

    /**
     * Checks shape, dtype, ordering, orthogonality and reconstruction of {@code svd(a)}; returns it. The residual
     * {@code |A - U S V^T|_F} is formed from {@code 2^-e A} and {@code 2^-e s} ({@link #scaleExponent}), so the
     * check means the same at every scale of {@code A}: LAPACK's {@code 30 max(m, n) eps |A|_F}, plus, if the
     * singular values are subnormal numbers, their absolute rounding error of up to half the subnormal spacing
     * {@code 2^h} each ({@code |U diag(ds) V^T|_F = |ds|_2 <= sqrt(k) 2^h}).
     *
     * @param id contract id for messages
     * @param a the matrix
     * @param subnormalValues whether singular values may be subnormal (allow for their rounding)
     * @return the decomposition
     */
    private Svd checkedSvd(String id, Tensor a, boolean subnormalValues) {
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
            assertTrue(si >= 0 && si < Double.POSITIVE_INFINITY, what + ": singular value " + i + " is " + si);
            if (i > 0) {
                assertTrue(si <= svd.s().getFlat(i - 1), what + ": singular values not non-increasing at " + i + ": "
                        + svd.s().getFlat(i - 1) + " then " + si);
            }
        }
        double eps = a.dtype().epsilon();
        orthogonal(what + " U", svd.u(), Tolerance.orthogonality(m, a.dtype()));
        orthogonal(what + " V", svd.v(), Tolerance.orthogonality(n, a.dtype()));
        int e = scaleExponent(a);
        ContractAssertions.atMost(what + ": |A - U S V^T|_F / 2^" + e, Reference.scaledSvdResidual(a, svd, e), new Tolerance(
                Tolerance.LAPACK_THRESHOLD * Math.max(m, n) * eps * scaledFrobenius(a, e)
                        + (subnormalValues ? Math.scalb(Math.sqrt(k), halfSubnormalSpacingExponent(a.dtype()) - e) : 0),
                "LAPACK: 30 max(m, n) eps |A|_F" + (subnormalValues ? " + sqrt(k) x half the subnormal spacing"
                        : "") + ", in units of 2^" + e));
        return svd;
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
        Tolerance tol = Tolerance.singularValue(m, n, dt, Reference.frobenius(a));
        for (int i = 0; i < k; i++) {
            ContractAssertions.close("S02 " + dt + " " + m + "x" + n + " sigma_" + i, svd.s().getFlat(i), sigma[i],
                    tol);
        }
        Tensor only = backend().singularValues(a);
        for (int i = 0; i < k; i++) {
            ContractAssertions.close("S02 singularValues() " + dt + " " + m + "x" + n + " sigma_" + i, only.getFlat(i),
                    sigma[i], tol);
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
                Tolerance tol = Tolerance.singularValue(m, n, dt, Reference.frobenius(a));
                for (int i = r; i < Math.min(m, n); i++) {
                    ContractAssertions.atMost("S03 " + dt + " " + m + "x" + n + " rank " + r + ": sigma_" + i,
                            svd.s().getFlat(i),
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
                    ContractAssertions.close("S06 " + dt + " sigma_" + i, svd.s().getFlat(i), 1.0,
                            Tolerance.singularValue(sh[0], sh[1], dt, Reference.frobenius(a)));
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
                Tolerance tol = Tolerance.singularValue(sh[0], sh[1], dt, Reference.frobenius(a))
                        .times(2, "2 (each call within it)");
                for (int i = 0; i < s1.size(); i++) {
                    ContractAssertions.close("S08 " + dt + " " + sh[0] + "x" + sh[1] + " sigma_" + i, s2.getFlat(i),
                            s1.getFlat(i), tol);
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

    /**
     * {@code 2^k A} with every entry rounded to the dtype (exact unless it falls into the subnormal range).
     *
     * @param a the matrix
     * @param k the exponent
     * @return a new matrix of a's dtype
     */
    private static Tensor scaled(Tensor a, int k) {
        Tensor b = a.copy();
        for (int i = 0; i < b.size(); i++) {
            b.setFlat(i, Math.scalb(a.getFlat(i), k));
        }
        return b;
    }

    /**
     * S10: scaling by a power of two scales the singular values and nothing else: {@code s(2^k A) = 2^k s(A)} for
     * {@code k} in {-1060, -1000, -600, 600, 1000} (F64) and {-140, -100, -60, 60, 100} (F32), through
     * {@code svd} and {@code singularValues}, with the full checks of S01 at every scale.
     *
     * <p>Tolerance, for computed values {@code s~}: a backward-stable SVD returns the exact singular values of
     * {@code X + E} with {@code |E|_2 <= c max(m, n) eps |X|_2}, so by Weyl's theorem
     * {@code |s~_i(X) - s_i(X)| <= c max(m, n) eps |X|_2}; here {@code c = 30}, LAPACK's pass threshold for its own SVD
     * tests (the rigorous bounds of Householder bidiagonalisation and bidiagonal QR, Higham 2002 ch. 19 and
     * Demmel-Kahan 1990, are of the same form with a low-degree polynomial in m and n instead of {@code c max(m, n)};
     * LAPACK's linear threshold is the established sharp practical bound). Applied to {@code A} and to
     * {@code B = fl(2^k A)}, with {@code s_i(2^k A) = 2^k s_i(A)} exactly and {@code |B - 2^k A|_F} bounding the
     * input's rounding (Weyl again), {@code |s~_i(B) - 2^k s~_i(A)| <= 2 c max(m, n) eps 2^k |A|_F + |B - 2^k A|_F
     * + 2 h}, where {@code h} is half the subnormal spacing: the absolute rounding of {@code s~_i(B)} and of the
     * reference {@code 2^k s~_i(A)} when they are subnormal. For {@code k} in the normal range the last two terms are
     * 0 and the check is relative to rounding. For {@code 2^-1060 A} (F64) and {@code 2^-140 A} (F32) the entries are
     * subnormal: {@code B} carries an absolute error of up to {@code h} per entry, so its singular values are only
     * determined to {@code |B - 2^k A|_F <= sqrt(m n) h} (about {@code 2^-15 |B|_F} for F64, {@code 2^-10} for F32):
     * the contract then checks that the SVD loses nothing beyond what the subnormal representation of its input
     * already lost, with the input's rounding measured exactly rather than bounded.
     */
    @Test
    default void s10_powerOfTwoScaling() {
        for (DType dt : DType.values()) {
            int[] ks = dt == DType.F64 ? new int[] {-1060, -1000, -600, 600, 1000}
                    : new int[] {-140, -100, -60, 60, 100};
            for (int[] sh : new int[][] {{12, 12}, {17, 9}, {9, 17}}) {
                int m = sh[0];
                int n = sh[1];
                Tensor a = Reference.gaussian(dt, seed("s10", dt, m, n), m, n);
                Tensor sa = checkedSvd("S10", a).s();
                int h = halfSubnormalSpacingExponent(dt);
                double tolA = 2 * Tolerance.LAPACK_THRESHOLD * Math.max(m, n) * dt.epsilon() * frobenius(a);
                for (int k : ks) {
                    Tensor b = scaled(a, k);
                    double inputRounding = 0;
                    for (int i = 0; i < a.size(); i++) {
                        double d = Math.scalb(b.getFlat(i), -k) - a.getFlat(i);
                        inputRounding += d * d;
                    }
                    inputRounding = Math.sqrt(inputRounding);
                    boolean subnormal = Math.scalb(sa.getFlat(0) * 16, k) < (dt == DType.F64 ? Double.MIN_NORMAL
                            : Float.MIN_NORMAL);
                    Tensor sb = checkedSvd("S10 2^" + k, b, subnormal).s();
                    Tensor vb = backend().singularValues(b);
                    // in units of 2^k: every term above divided by 2^k (exact)
                    Tolerance tol = new Tolerance(tolA + inputRounding + Math.scalb(2.0, h - k),
                            "2 x 30 max(m, n) eps |A|_F (backward stability at both scales) + |B - 2^k A|_F / 2^k "
                                    + "(input rounding) + 2 h / 2^k (output rounding)");
                    for (int i = 0; i < sa.size(); i++) {
                        String what = "S10 " + dt + " " + m + "x" + n + " k=" + k + " sigma_" + i + " / 2^k";
                        ContractAssertions.close(what + " (svd)", Math.scalb(sb.getFlat(i), -k), sa.getFlat(i), tol);
                        ContractAssertions.close(what + " (singularValues)", Math.scalb(vb.getFlat(i), -k),
                                sa.getFlat(i), tol);
                    }
                }
            }
        }
    }

    /**
     * S11: matrices with subnormal entries: next to normal ones ({@code [[1, 0], [t, 1]]} with {@code t} subnormal,
     * and a Gaussian matrix with every fifth entry replaced by a subnormal number), and entirely subnormal ones
     * (small integers times the smallest subnormal power of two that keeps them exact). Tolerances as in S01 and
     * S10; the subnormal entries next to normal ones perturb the singular values by less than their rounding.
     */
    @Test
    default void s11_subnormalEntries() {
        for (DType dt : DType.values()) {
            double tiny = dt == DType.F64 ? 1e-310 : 1e-40;
            double eps = dt.epsilon();
            Tensor t = Tensor.zeros(dt, 2, 2);
            t.set(1.0, 0, 0);
            t.set(tiny, 1, 0);
            t.set(1.0, 1, 1);
            for (Tensor x : new Tensor[] {t, transposeOf(t)}) {
                Svd svd = checkedSvd("S11", x);
                Tensor only = backend().singularValues(x);
                Tolerance tol = new Tolerance(Tolerance.LAPACK_THRESHOLD * 2 * eps * frobenius(x),
                        "Weyl: 30 max(m, n) eps |A|_F; the exact values are 1 +- t/2");
                for (int i = 0; i < 2; i++) {
                    ContractAssertions.close("S11 " + dt + " [[1, 0], [" + tiny + ", 1]] sigma_" + i,
                            svd.s().getFlat(i), 1.0, tol);
                    ContractAssertions.close("S11 " + dt + " singularValues sigma_" + i, only.getFlat(i), 1.0, tol);
                }
            }
            Tensor mixed = Reference.gaussian(dt, seed("s11", dt), 20, 15);
            for (int i = 0; i < mixed.size(); i += 5) {
                mixed.setFlat(i, (i % 2 == 0 ? 1 : -1) * tiny * (1 + i % 7));
            }
            Svd ms = checkedSvd("S11 mixed", mixed);
            Tensor mv = backend().singularValues(mixed);
            Tolerance mtol = new Tolerance(2 * Tolerance.LAPACK_THRESHOLD * 20 * eps * frobenius(mixed),
                    "twice the Weyl bound");
            for (int i = 0; i < 15; i++) {
                ContractAssertions.close("S11 " + dt + " mixed singularValues sigma_" + i, mv.getFlat(i),
                        ms.s().getFlat(i), mtol);
            }
            // entirely subnormal: integers below 2^10 times 2^(MIN_EXPONENT - 20), exactly representable
            int lowest = dt == DType.F64 ? Double.MIN_EXPONENT - 20 : Float.MIN_EXPONENT - 20;
            java.util.SplittableRandom rng = new java.util.SplittableRandom(seed("s11 all", dt));
            for (int[] sh : new int[][] {{9, 9}, {13, 6}, {6, 13}}) {
                Tensor ints = Tensor.zeros(dt, sh[0], sh[1]);
                for (int i = 0; i < ints.size(); i++) {
                    ints.setFlat(i, rng.nextInt(-1023, 1024));
                }
                Tensor sub = scaled(ints, lowest);
                int h = halfSubnormalSpacingExponent(dt);
                Svd ss = checkedSvd("S11 subnormal", sub, true);
                Tensor si = checkedSvd("S11 integers", ints).s();
                Tolerance tol = new Tolerance(2 * Tolerance.LAPACK_THRESHOLD * Math.max(sh[0], sh[1]) * eps
                        * frobenius(ints) + Math.scalb(2.0, h - lowest),
                        "as S10: 2 x 30 max(m, n) eps |A|_F + 2 h / 2^k; the input is exact");
                for (int i = 0; i < si.size(); i++) {
                    ContractAssertions.close("S11 " + dt + " " + sh[0] + "x" + sh[1] + " subnormal sigma_" + i
                            + " / 2^k",
                            Math.scalb(ss.s().getFlat(i), -lowest), si.getFlat(i), tol);
                }
            }
        }
    }

    private static Tensor transposeOf(Tensor a) {
        Tensor t = Tensor.zeros(a.dtype(), a.cols(), a.rows());
        for (int i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                t.set(a.get(i, j), j, i);
            }
        }
        return t;
    }

    /**
     * S12: columns (and, transposed, rows) graded over 300 decades in F64 ({@code 10^200} down to {@code 10^-100},
     * where cross products of neighbouring columns such as {@code 10^200 x 10^130} overflow unless the matrix is
     * scaled, and {@code 1} down to {@code 10^-300}, where squares underflow) and 40 decades in F32: the checks of S01
     * with scale-independent norms, {@code singularValues} within twice the Weyl bound of {@code svd().s()}, and the
     * largest singular value at least the norm of the largest column (less the Weyl bound).
     */
    @Test
    default void s12_gradedColumns() {
        for (DType dt : DType.values()) {
            double[][] ranges = dt == DType.F64 ? new double[][] {{200, -100}, {0, -300}} : new double[][] {{20, -20}};
            for (double[] range : ranges) {
                for (int[] sh : new int[][] {{40, 30}, {30, 40}, {24, 24}}) {
                    int m = sh[0];
                    int n = sh[1];
                    Tensor g = Reference.gaussian(DType.F64, seed("s12", m, n, range[0]), m, n);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double decade = range[0] + (range[1] - range[0]) * j / (n - 1);
                            g.set(g.get(i, j) * Math.pow(10, decade), i, j);
                        }
                    }
                    for (Tensor a : new Tensor[] {g.to(dt), transposeOf(g).to(dt)}) {
                        Svd svd = checkedSvd("S12 graded 10^" + range[0] + "..10^" + range[1], a);
                        Tensor only = backend().singularValues(a);
                        int mm = a.rows();
                        int nn = a.cols();
                        double weyl = Tolerance.LAPACK_THRESHOLD * Math.max(mm, nn) * dt.epsilon() * frobenius(a);
                        String what = "S12 " + dt + " " + mm + "x" + nn + " graded 10^" + range[0] + "..10^" + range[1];
                        for (int i = 0; i < only.size(); i++) {
                            ContractAssertions.close(what + " singularValues sigma_" + i, only.getFlat(i),
                                    svd.s().getFlat(i),
                                    new Tolerance(2 * weyl, "twice the Weyl bound"));
                        }
                        double largest = 0;
                        for (int j = 0; j < nn; j++) {
                            Tensor col = Tensor.zeros(DType.F64, mm, 1);
                            for (int i = 0; i < mm; i++) {
                                col.set(a.get(i, j), i, 0);
                            }
                            largest = Math.max(largest, frobenius(col));
                        }
                        ContractAssertions.atMost(what + ": largest column norm - sigma_0",
                                largest - svd.s().getFlat(0),
                                new Tolerance(weyl, "sigma_0 = max |A x| / |x| >= |A e_j|, less the Weyl bound"));
                    }
                }
            }
        }
    }

    /**
     * S13: a matrix whose largest singular value exceeds the dtype's range (all entries {@code 0.9 x} the largest
     * finite value in a 2 x 2 matrix: {@code sigma_0 = 1.8 x} that) is rejected by {@code svd} and
     * {@code singularValues} with an {@link ArithmeticException} naming the operation, not answered with infinity.
     */
    @Test
    default void s13_unrepresentableSingularValues() {
        for (DType dt : DType.values()) {
            double big = 0.9 * (dt == DType.F64 ? Double.MAX_VALUE : Float.MAX_VALUE);
            Tensor a = Tensor.zeros(dt, 2, 2).fill(big);
            ArithmeticException e1 = org.junit.jupiter.api.Assertions.assertThrows(ArithmeticException.class,
                    () -> backend().svd(a), "S13 " + dt + " svd of a matrix with sigma_0 beyond the dtype's range");
            assertTrue(e1.getMessage() != null && e1.getMessage().startsWith("svd"), "S13 message: " + e1.getMessage());
            ArithmeticException e2 = org.junit.jupiter.api.Assertions.assertThrows(ArithmeticException.class,
                    () -> backend().singularValues(a), "S13 " + dt + " singularValues beyond the dtype's range");
            assertTrue(e2.getMessage() != null && e2.getMessage().startsWith("singularValues"),
                    "S13 message: " + e2.getMessage());
        }
    }

    /**
     * S14: {@code svdLeft} returns the left half of {@code svd}: shapes and dtype, {@code s} within twice the Weyl
     * bound of {@code svd().s()}, {@code U} orthogonal (LAPACK's {@code 30 m eps}), and {@code U^T A} with mutually
     * orthogonal rows whose norms are the singular values (zero rows past {@code min(m, n)}: method.md 13.3 item 10,
     * the left-partially diagonalised layer, which is what the left factor is for), on square, tall, wide,
     * rank-deficient and empty matrices, and on a tall and a wide one large enough for a backend's
     * divide and conquer to merge three levels while forming one factor (104 x 120: a merged node with the extra
     * column is the right child of another).
     *
     * <p>Tolerance of the last check, with {@code A + E = U S V^T} ({@code |E|_2 <= delta = 30 max(m, n) eps |A|_F},
     * backward stability) and {@code U^T U = I + F}: {@code (U^T A)(U^T A)^T - S S^T = F S S^T + S S^T F^T
     * + F S S^T F^T - (I + F) S V^T E^T U - U^T E V S^T (I + F)^T + U^T E E^T U}, so its largest entry is at most
     * {@code (2 f + f^2) s_1^2 + 2 (1 + f)^2 s_1 delta + (1 + f) delta^2} with {@code f = m |F|_max >= |F|_2}
     * measured on the returned {@code U} and {@code s_1 <= |A|_F}, plus the rounding of the check's own products in
     * double ({@code 2 gamma_(m+n) |A|_F^2}).
     */
    @Test
    default void s14_leftFactorOnly() {
        Tensor nan = Tensor.zeros(DType.F64, 3, 3);
        nan.set(Double.NaN, 1, 2);
        org.junit.jupiter.api.Assertions.assertThrows(io.isotropic.tensor.NonFiniteValueException.class,
                () -> backend().svdLeft(nan), "S14 svdLeft of a matrix with NaN");
        org.junit.jupiter.api.Assertions.assertThrows(io.isotropic.tensor.ShapeMismatchException.class,
                () -> backend().svdLeft(Tensor.zeros(DType.F64, 4)), "S14 svdLeft of a vector");
        org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class, () -> backend().svdLeft(null),
                "S14 svdLeft of null");
        for (DType dt : DType.values()) {
            for (int[] sh : new int[][] {{1, 1}, {7, 7}, {9, 4}, {4, 9}, {33, 17}, {17, 33}, {64, 64}, {20, 15},
                {15, 20}, {0, 3}, {3, 0}, {120, 104}, {104, 120}}) {
                int m = sh[0];
                int n = sh[1];
                int k = Math.min(m, n);
                Tensor a = Reference.gaussian(dt, seed("s14", dt, m, n), m, n);
                if (m == 20 || m == 15) {
                    // rank 5, as in S03
                    Tensor b = Reference.gaussian(DType.F64, seed("s14b", m, n), m, 5);
                    Tensor c = Reference.gaussian(DType.F64, seed("s14c", m, n), 5, n);
                    a = Tensor.wrap(Reference.multiply(b.f64(), c.f64(), m, 5, n), m, n).to(dt);
                }
                String what = "S14 svdLeft " + dt + " " + m + "x" + n;
                Tensor before = a.copy();
                SvdLeft left = backend().svdLeft(a);
                assertTrue(a.contentEquals(before), what + ": the input was modified");
                assertEquals(Tensor.zeros(dt, m, m).shape(), left.u().shape(), what + ": U shape");
                assertEquals(Tensor.zeros(dt, k).shape(), left.s().shape(), what + ": s shape");
                assertEquals(dt, left.u().dtype(), what + ": dtype of U");
                assertEquals(dt, left.s().dtype(), what + ": dtype of s");
                if (m == 0 || n == 0) {
                    assertTrue(left.u().contentEquals(Tensor.identity(dt, m)), what + ": U must be the identity");
                    continue;
                }
                Tensor full = backend().svd(a).s();
                double eps = dt.epsilon();
                double norm = frobenius(a);
                double delta = Tolerance.LAPACK_THRESHOLD * Math.max(m, n) * eps * norm;
                for (int i = 0; i < k; i++) {
                    ContractAssertions.close(what + " sigma_" + i + " against svd()", left.s().getFlat(i),
                            full.getFlat(i),
                            new Tolerance(2 * delta, "twice the Weyl bound"));
                    if (i > 0) {
                        assertTrue(left.s().getFlat(i) <= left.s().getFlat(i - 1), what + ": not non-increasing at "
                                + i);
                    }
                }
                orthogonal(what + " U", left.u(), Tolerance.orthogonality(m, dt));
                double fmax = 0;
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < m; j++) {
                        double d = 0;
                        for (int p = 0; p < m; p++) {
                            d += left.u().get(p, i) * left.u().get(p, j);
                        }
                        fmax = Math.max(fmax, Math.abs(d - (i == j ? 1 : 0)));
                    }
                }
                double f = m * fmax;
                double[] ua = new double[m * n];
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double d = 0;
                        for (int p = 0; p < m; p++) {
                            d += left.u().get(p, i) * a.get(p, j);
                        }
                        ua[i * n + j] = d;
                    }
                }
                double s1 = left.s().getFlat(0);
                Tolerance tol = new Tolerance((2 * f + f * f) * s1 * s1 + 2 * (1 + f) * (1 + f) * s1 * delta
                        + (1 + f) * delta * delta + 2 * Tolerance.gamma(m + n, DType.F64.unitRoundoff()) * norm * norm,
                        "(2f + f^2) s_1^2 + 2 (1 + f)^2 s_1 delta + (1 + f) delta^2 + 2 gamma_(m+n) |A|_F^2");
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < m; j++) {
                        double g = 0;
                        for (int p = 0; p < n; p++) {
                            g += ua[i * n + p] * ua[j * n + p];
                        }
                        double want = i == j && i < k ? left.s().getFlat(i) * left.s().getFlat(i) : 0;
                        ContractAssertions.close(what + ": ((U^T A)(U^T A)^T)[" + i + ", " + j + "]", g, want, tol);
                    }
                }
            }
        }
    }
}
