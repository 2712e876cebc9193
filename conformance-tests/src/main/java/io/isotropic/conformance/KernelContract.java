package io.isotropic.conformance;

import io.isotropic.oracle.Reference;
import io.isotropic.oracle.Tolerance;
import io.isotropic.spi.AdamStep;
import io.isotropic.spi.Backend;
import io.isotropic.spi.SgdStep;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Objects;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Contracts K01-K11: the linear-algebra and element-wise kernels against plain scalar loops at awkward sizes, in
 * both dtypes.
 *
 * <p>Tolerances: an inner product of {@code k} terms computed in any order has error at most
 * {@code gamma_k |x|.|y|} (Higham, Thm 3.5), with {@code gamma_k = k u/(1 - k u)}; the F64 reference has an
 * error of the same bound, so products are compared with {@code 2 gamma_(k+2)} times the magnitude
 * {@code |alpha||A||B| + |beta||C|} (the +2 covers the alpha and beta roundings; {@link Tolerance#product}).
 * Element-wise kernels with
 * {@code j} roundings are compared with {@code 2 j u} times the magnitude of their terms.
 */
public interface KernelContract extends BackendFixture {

    private static long seed(Object... parts) {
        return Objects.hash(parts) * 0x9E3779B97F4A7C15L;
    }

    private static double[] scaled(double[] mag, double factor) {
        double[] out = new double[mag.length];
        for (int i = 0; i < mag.length; i++) {
            out[i] = factor * mag[i];
        }
        return out;
    }

    /**
     * K01: {@code C = alpha op(A) op(B) + beta C} matches the scalar reference for every transpose combination.
     *
     * @param dt dtype
     * @param ta transpose A
     * @param tb transpose B
     * @param m rows of C
     * @param n columns of C
     * @param k inner size
     */
    @ParameterizedTest(name = "{0} transA={1} transB={2} m={3} n={4} k={5}")
    @MethodSource("io.isotropic.conformance.Cases#gemm")
    default void k01_gemmMatchesReference(DType dt, boolean ta, boolean tb, int m, int n, int k) {
        Backend be = backend();
        long s = seed("k01", dt, ta, tb, m, n, k);
        Tensor a = ta ? Reference.gaussian(dt, s, k, m) : Reference.gaussian(dt, s, m, k);
        Tensor b = tb ? Reference.gaussian(dt, s + 1, n, k) : Reference.gaussian(dt, s + 2, k, n);
        Tensor c = Reference.gaussian(dt, s + 3, m, n);
        double alpha = (m + n + k) % 2 == 0 ? 1.25 : -0.5;
        double beta = (m + n + k) % 3 == 0 ? 0.0 : 0.75;
        double[][] ref = Reference.gemm(alpha, a, ta, b, tb, beta, c);
        be.gemm(alpha, a, ta, b, tb, beta, c);
        ContractAssertions.close("K01 gemm " + dt + " transA=" + ta + " transB=" + tb + " m=" + m + " n=" + n + " k=" + k, c,
                ref, Tolerance.product(k, dt));
    }

    /** K02: with {@code beta = 0} the old C is not read (NaN there vanishes); {@code k = 0} gives {@code beta C}. */
    @Test
    default void k02_gemmBetaZeroAndEmptyInnerDimension() {
        Backend be = backend();
        for (DType dt : DType.values()) {
            Tensor a = Reference.gaussian(dt, 21, 5, 4);
            Tensor b = Reference.gaussian(dt, 22, 4, 3);
            Tensor c = Tensor.zeros(dt, 5, 3).fill(Double.NaN);
            be.gemm(1.0, a, false, b, false, 0.0, c);
            assertEquals(-1, c.firstNonFinite(), "K02 " + dt + ": beta = 0 must not read C, got " + c);
            Tensor c2 = Reference.gaussian(dt, 23, 5, 3);
            Tensor expected = c2.copy();
            be.gemm(1.0, Tensor.zeros(dt, 5, 0), false, Tensor.zeros(dt, 0, 3), false, 0.5, c2);
            for (int i = 0; i < c2.size(); i++) {
                assertEquals((dt == DType.F32 ? (float) (0.5 * expected.getFlat(i)) : 0.5 * expected.getFlat(i)),
                        c2.getFlat(i), "K02 " + dt + ": k = 0 must give beta C exactly at " + i);
            }
        }
    }

    /**
     * K03: the batched affine map {@code X W^T + b} matches the reference, with and without bias.
     *
     * @param dt dtype
     * @param rows batch size
     * @param cols output width (the input width varies with it)
     */
    @ParameterizedTest(name = "{0} rows={1} out={2}")
    @MethodSource("io.isotropic.conformance.Cases#rows")
    default void k03_affineMatchesReference(DType dt, int rows, int cols) {
        Backend be = backend();
        int in = (cols * 7 + 3) % 40;
        long s = seed("k03", dt, rows, cols);
        Tensor x = Reference.gaussian(dt, s, rows, in);
        Tensor w = Reference.gaussian(dt, s + 1, cols, in);
        Tensor bias = Tensor.randomNormal(dt, s + 2, 1.0, cols);
        for (boolean withBias : new boolean[] {true, false}) {
            Tensor y = Tensor.zeros(dt, rows, cols).fill(Double.NaN);
            be.affineInto(x, w, withBias ? bias : null, y);
            ContractAssertions.close("K03 affine " + dt + " rows=" + rows + " in=" + in + " out=" + cols + " bias=" + withBias, y,
                    Reference.affine(x, w, withBias ? bias : null), Tolerance.affine(in, dt));
        }
    }

    /**
     * K04: row squared norms match the reference within {@code 2 gamma_(n+1) r}.
     *
     * @param dt dtype
     * @param rows rows
     * @param cols row length
     */
    @ParameterizedTest(name = "{0} rows={1} cols={2}")
    @MethodSource("io.isotropic.conformance.Cases#rows")
    default void k04_rowSquaredNormsMatchReference(DType dt, int rows, int cols) {
        Tensor x = Reference.gaussian(dt, seed("k04", dt, rows, cols), rows, cols);
        Tensor out = Tensor.zeros(dt, rows).fill(Double.NaN);
        backend().rowSquaredNormsInto(x, out);
        double[] ref = new double[rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                ref[i] += x.get(i, j) * x.get(i, j);
            }
        }
        ContractAssertions.close("K04 rowSquaredNorms " + dt + " rows=" + rows + " cols=" + cols, out, ref,
                scaled(ref, 2 * Tolerance.gamma(cols + 1, dt.unitRoundoff())), "2 gamma_(n+1) r");
    }

    /**
     * K05: column sums match the reference, overwriting and accumulating.
     *
     * @param dt dtype
     * @param rows rows
     * @param cols columns
     */
    @ParameterizedTest(name = "{0} rows={1} cols={2}")
    @MethodSource("io.isotropic.conformance.Cases#rows")
    default void k05_columnSumsMatchReference(DType dt, int rows, int cols) {
        Tensor x = Reference.gaussian(dt, seed("k05", dt, rows, cols), rows, cols);
        Tensor start = Tensor.randomNormal(dt, seed("k05b", rows, cols), 1.0, cols);
        for (boolean acc : new boolean[] {false, true}) {
            Tensor out = acc ? start.copy() : Tensor.zeros(dt, cols).fill(Double.NaN);
            backend().columnSumsInto(x, out, acc);
            double[] ref = new double[cols];
            double[] mag = new double[cols];
            for (int j = 0; j < cols; j++) {
                ref[j] = acc ? start.getFlat(j) : 0;
                mag[j] = Math.abs(ref[j]);
                for (int i = 0; i < rows; i++) {
                    ref[j] += x.get(i, j);
                    mag[j] += Math.abs(x.get(i, j));
                }
            }
            ContractAssertions.close("K05 columnSums " + dt + " rows=" + rows + " cols=" + cols + " accumulate=" + acc, out, ref,
                    scaled(mag, 2 * Tolerance.gamma(rows + 1, dt.unitRoundoff())), "2 gamma_(rows+1) sum |x|");
        }
    }

    /**
     * K06: axpy, scale and dot match the reference; dot accumulates in double precision for both dtypes.
     *
     * @param dt dtype
     * @param n length
     */
    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("io.isotropic.conformance.Cases#lengths")
    default void k06_axpyScaleDotMatchReference(DType dt, int n) {
        Backend be = backend();
        long s = seed("k06", dt, n);
        Tensor x = Tensor.randomNormal(dt, s, 1.0, n);
        Tensor y = Tensor.randomNormal(dt, s + 1, 1.0, n);
        double alpha = -0.375;
        double u = dt.unitRoundoff();
        double[] ref = new double[n];
        double[] tol = new double[n];
        for (int i = 0; i < n; i++) {
            ref[i] = y.getFlat(i) + alpha * x.getFlat(i);
            tol[i] = 4 * u * (Math.abs(y.getFlat(i)) + Math.abs(alpha * x.getFlat(i)));
        }
        double refDot = 0;
        double magDot = 0;
        for (int i = 0; i < n; i++) {
            refDot += x.getFlat(i) * y.getFlat(i);
            magDot += Math.abs(x.getFlat(i) * y.getFlat(i));
        }
        double dot = be.dot(x, y);
        ContractAssertions.close("K06 dot " + dt + " n=" + n, dot, refDot,
                new Tolerance(2 * Tolerance.gamma(n, 0x1.0p-53) * magDot, "2 gamma_n(F64) sum |x y|: double accumulation"));
        Tensor yy = y.copy();
        be.axpy(alpha, x, yy);
        ContractAssertions.close("K06 axpy " + dt + " n=" + n, yy, ref, tol, "2 roundings, doubled for the reference");
        Tensor xs = x.copy();
        be.scale(alpha, xs);
        double[] refS = new double[n];
        double[] tolS = new double[n];
        for (int i = 0; i < n; i++) {
            refS[i] = alpha * x.getFlat(i);
            tolS[i] = 2 * u * Math.abs(refS[i]);
        }
        ContractAssertions.close("K06 scale " + dt + " n=" + n, xs, refS, tolS, "1 rounding, doubled for the reference");
    }

    /**
     * K07: element-wise tanh and its backward pass {@code dh (1 - h^2)} match the reference.
     *
     * @param dt dtype
     * @param n length
     */
    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("io.isotropic.conformance.Cases#lengths")
    default void k07_tanhForwardBackwardMatchReference(DType dt, int n) {
        Backend be = backend();
        long s = seed("k07", dt, n);
        Tensor z = Tensor.randomNormal(dt, s, 2.0, 3, n);
        Tensor h = Tensor.zeros(dt, 3, n);
        be.tanhForwardInto(z, h);
        double u = dt.unitRoundoff();
        double[] ref = new double[3 * n];
        double[] tol = new double[3 * n];
        for (int i = 0; i < ref.length; i++) {
            ref[i] = Math.tanh(z.getFlat(i));
            tol[i] = 8 * u * Math.abs(ref[i]);
        }
        ContractAssertions.close("K07 tanh " + dt + " n=" + n, h, ref, tol,
                "8u |tanh|: Math.tanh is within 2.5 ulp = 5u, plus one rounding to the dtype and the reference");
        Tensor dh = Tensor.randomNormal(dt, s + 1, 1.0, 3, n);
        Tensor dz = Tensor.zeros(dt, 3, n);
        be.tanhBackwardInto(h, dh, dz);
        for (int i = 0; i < ref.length; i++) {
            double hv = h.getFlat(i);
            ref[i] = dh.getFlat(i) * (1 - hv * hv);
            tol[i] = 8 * u * (Math.abs(ref[i]) + Math.abs(dh.getFlat(i)) * hv * hv);
        }
        ContractAssertions.close("K07 tanhBackward " + dt + " n=" + n, dz, ref, tol, "3 roundings, doubled, on |dz| + |dh| h^2");
    }

    /**
     * K08: one Adam and one AdamW step match the reference formula of {@link AdamStep} element by element.
     *
     * @param dt dtype
     * @param n length
     */
    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("io.isotropic.conformance.Cases#lengths")
    default void k08_adamStepMatchesReference(DType dt, int n) {
        Backend be = backend();
        long s = seed("k08", dt, n);
        SplittableRandom rng = new SplittableRandom(s);
        for (boolean decoupled : new boolean[] {true, false}) {
            AdamStep st = new AdamStep(1e-2, 0.9, 0.999, 1e-8, 0.1, decoupled, 3);
            Tensor p = Tensor.randomNormal(dt, rng, 1.0, n);
            Tensor g = Tensor.randomNormal(dt, rng, 1.0, n);
            Tensor m = Tensor.randomNormal(dt, rng, 0.1, n);
            Tensor v = Tensor.randomUniform(dt, rng, 0.0, 0.01, n);
            double[] rp = new double[n];
            double[] rm = new double[n];
            double[] rv = new double[n];
            double[] tp = new double[n];
            double[] tm = new double[n];
            double[] tv = new double[n];
            double u = dt.unitRoundoff();
            double gam = Tolerance.gamma(16, u);
            for (int i = 0; i < n; i++) {
                double pi = p.getFlat(i);
                double gi = g.getFlat(i) + (decoupled ? 0 : st.weightDecay() * pi);
                double pd = decoupled ? pi * (1 - st.lr() * st.weightDecay()) : pi;
                rm[i] = st.beta1() * m.getFlat(i) + (1 - st.beta1()) * gi;
                rv[i] = st.beta2() * v.getFlat(i) + (1 - st.beta2()) * gi * gi;
                double upd = st.lr() / st.biasCorrection1() * rm[i]
                        / (Math.sqrt(rv[i]) / Math.sqrt(st.biasCorrection2()) + st.epsilon());
                rp[i] = pd - upd;
                tm[i] = gam * (Math.abs(st.beta1() * m.getFlat(i)) + Math.abs((1 - st.beta1()) * gi));
                tv[i] = gam * (st.beta2() * v.getFlat(i) + (1 - st.beta2()) * gi * gi);
                tp[i] = gam * (Math.abs(pd) + Math.abs(upd));
            }
            be.adamStep(st, p, g, m, v);
            String what = "K08 adam" + (decoupled ? "W" : "") + " " + dt + " n=" + n;
            String why = "gamma_16 on the magnitude of the terms: at most 8 roundings per element, doubled";
            ContractAssertions.close(what + " m", m, rm, tm, why);
            ContractAssertions.close(what + " v", v, rv, tv, why);
            ContractAssertions.close(what + " param", p, rp, tp, why);
        }
    }

    /** K09: Adam on a hand-computed example (p = 1, g = 0.5, first step) gives p = 1 - 0.1 * 0.5 / (0.5 + 1e-8). */
    @Test
    default void k09_adamHandComputedFirstStep() {
        for (DType dt : DType.values()) {
            Tensor p = Tensor.zeros(dt, 1).fill(1.0);
            Tensor g = Tensor.zeros(dt, 1).fill(0.5);
            Tensor m = Tensor.zeros(dt, 1);
            Tensor v = Tensor.zeros(dt, 1);
            backend().adamStep(new AdamStep(0.1, 0.9, 0.999, 1e-8, 0, true, 1), p, g, m, v);
            double u = dt.unitRoundoff();
            // m = 0.05, v = 0.00025, m_hat = 0.5, sqrt(v_hat) = 0.5: update = 0.1 * 0.5 / (0.5 + 1e-8)
            // 0.9 and 0.999 are not binary numbers: representing beta costs u beta/(1 - beta) relative in 1 - beta
            double c1 = 0.9 / 0.1;
            double c2 = 0.999 / 0.001;
            ContractAssertions.close("K09 " + dt + " m", m.getFlat(0), 0.05, new Tolerance((4 + 2 * c1) * u * 0.05,
                    "2 roundings and the representation of beta1 amplified by beta1/(1 - beta1), doubled"));
            ContractAssertions.close("K09 " + dt + " v", v.getFlat(0), 0.00025, new Tolerance((4 + 2 * c2) * u * 0.00025,
                    "2 roundings and the representation of beta2 amplified by beta2/(1 - beta2), doubled"));
            ContractAssertions.close("K09 " + dt + " param", p.getFlat(0), 1 - 0.1 * 0.5 / (0.5 + 1e-8),
                    new Tolerance(16 * u, "8 roundings on values of order 1"));
        }
    }

    /**
     * K10: SGD with momentum (plain and Nesterov) and without momentum matches the reference of {@link SgdStep}.
     *
     * @param dt dtype
     * @param n length
     */
    @ParameterizedTest(name = "{0} n={1}")
    @MethodSource("io.isotropic.conformance.Cases#lengths")
    default void k10_sgdStepMatchesReference(DType dt, int n) {
        Backend be = backend();
        SplittableRandom rng = new SplittableRandom(seed("k10", dt, n));
        for (int variant = 0; variant < 3; variant++) {
            SgdStep st = switch (variant) {
                case 0 -> new SgdStep(0.05, 0.9, 0.01, false);
                case 1 -> new SgdStep(0.05, 0.9, 0.01, true);
                default -> new SgdStep(0.05, 0.0, 0.01, false);
            };
            Tensor p = Tensor.randomNormal(dt, rng, 1.0, n);
            Tensor g = Tensor.randomNormal(dt, rng, 1.0, n);
            Tensor buf = Tensor.randomNormal(dt, rng, 0.5, n);
            double[] rp = new double[n];
            double[] rb = new double[n];
            double[] tp = new double[n];
            double[] tb = new double[n];
            double gam = Tolerance.gamma(10, dt.unitRoundoff());
            for (int i = 0; i < n; i++) {
                double d = g.getFlat(i) + st.weightDecay() * p.getFlat(i);
                double dmag = Math.abs(g.getFlat(i)) + Math.abs(st.weightDecay() * p.getFlat(i));
                rb[i] = buf.getFlat(i);
                if (st.momentum() != 0) {
                    rb[i] = st.momentum() * buf.getFlat(i) + d;
                    tb[i] = gam * (Math.abs(st.momentum() * buf.getFlat(i)) + dmag);
                    double bmag = Math.abs(st.momentum() * buf.getFlat(i)) + dmag;
                    dmag = st.nesterov() ? dmag + st.momentum() * bmag : bmag;
                    d = st.nesterov() ? d + st.momentum() * rb[i] : rb[i];
                }
                rp[i] = p.getFlat(i) - st.lr() * d;
                tp[i] = gam * (Math.abs(p.getFlat(i)) + st.lr() * dmag);
            }
            be.sgdStep(st, p, g, st.momentum() == 0 ? null : buf);
            String what = "K10 sgd " + st + " " + dt + " n=" + n;
            ContractAssertions.close(what + " param", p, rp, tp, "gamma_10 on the magnitude of the terms (5 roundings, doubled)");
            ContractAssertions.close(what + " buffer", buf, rb, tb, "gamma_10 on the magnitude of the terms; unchanged without momentum");
        }
    }

    /**
     * K11: F32 products are computed in float arithmetic, as the F32 contract of the raw kernels says (and as
     * float32 training elsewhere does), not in double rounded once at the end. The case is an inner product of two
     * terms {@code a1 b1 + a2 b2} whose products need 48 bits, chosen so that every float evaluation gives one and
     * the same value {@code R}: products rounded to float and then added, or either product fused into the other by
     * an FMA, in either order ({@code fl(fl(p1) + fl(p2))}, {@code fl(p1 + fl(p2))}, {@code fl(p2 + fl(p1))}; the
     * contract verifies this itself), while the exactly computed sum rounds to a different float. Every element of
     * C must be {@code R}, for every transpose combination and for shapes that reach vector, tail and
     * multi-threaded code. This is exact by construction, not a tolerance: with {@code k = 2} these are all the
     * evaluation orders of plain float arithmetic. (A float kernel with compensated, error-free summation would
     * also get the exact sum and fail here; none of the backends does that, and the raw-kernel contract promises
     * plain float arithmetic for F32.)
     */
    @Test
    default void k11_f32ProductsAreComputedInFloat() {
        float a1 = 4193 / 4096f;
        float b1 = 4873 / 4096f;
        float a2 = 7533 / 4096f;
        float b2 = 5745 / 4096f;
        float r = a1 * b1 + a2 * b2;
        assertEquals(r, Math.fma(a1, b1, a2 * b2), "K11 self-check: fl(p1 + fl(p2)) = fl(fl(p1) + fl(p2))");
        assertEquals(r, Math.fma(a2, b2, a1 * b1), "K11 self-check: fl(p2 + fl(p1)) = fl(fl(p1) + fl(p2))");
        assertEquals(r, a2 * b2 + a1 * b1, "K11 self-check: the order of the rounded products");
        float exact = (float) ((double) a1 * b1 + (double) a2 * b2);
        org.junit.jupiter.api.Assertions.assertNotEquals(r, exact, "K11 self-check: the exact sum rounds elsewhere");
        for (int[] sh : new int[][] {{1, 1}, {3, 37}, {40, 40}, {70, 5}}) {
            int m = sh[0];
            int n = sh[1];
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0;
                boolean tb = (t & 2) != 0;
                Tensor a = ta ? Tensor.zeros(DType.F32, 2, m) : Tensor.zeros(DType.F32, m, 2);
                Tensor b = tb ? Tensor.zeros(DType.F32, n, 2) : Tensor.zeros(DType.F32, 2, n);
                for (int i = 0; i < m; i++) {
                    a.set(a1, ta ? 0 : i, ta ? i : 0);
                    a.set(a2, ta ? 1 : i, ta ? i : 1);
                }
                for (int j = 0; j < n; j++) {
                    b.set(b1, tb ? j : 0, tb ? 0 : j);
                    b.set(b2, tb ? j : 1, tb ? 1 : j);
                }
                Tensor c = Tensor.zeros(DType.F32, m, n);
                backend().gemm(1.0, a, ta, b, tb, 0.0, c);
                for (int i = 0; i < c.size(); i++) {
                    if (c.getFlat(i) != r) {
                        org.junit.jupiter.api.Assertions.fail("K11 gemm F32 " + m + "x" + n + " transA=" + ta
                                + " transB=" + tb + ": element " + i + " is " + c.getFlat(i) + ", every float"
                                + " evaluation of a1 b1 + a2 b2 gives " + r + " (the exact sum rounds to " + exact
                                + "): the product was not computed in float arithmetic");
                    }
                }
            }
        }
    }
}
