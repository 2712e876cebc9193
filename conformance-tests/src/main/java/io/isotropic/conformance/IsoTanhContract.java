package io.isotropic.conformance;

import io.isotropic.oracle.Reference;
import io.isotropic.oracle.Tolerance;
import io.isotropic.spi.ActivationOutput;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Objects;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Contracts A01-A08: the fused isotropic-tanh kernels (method.md 2.2 and 13.1).
 *
 * <p>Tolerances: the squared norm {@code r} of an {@code n}-row has relative error at most {@code gamma_n}; the
 * gain {@code G = tanh(rho)/rho} has {@code |d ln G / d ln r| <= 1/2}, so it inherits at most half of that, plus
 * at most 8 roundings (tanh within 2.5 ulp, a square root, a division, rounding to the dtype, the product
 * {@code G z}). Backends and the reference each make such errors, so the forward pass is compared with
 * {@code (gamma_n + 16u)} relative to the magnitude, and the backward pass the same on the magnitude of its terms
 * ({@link Tolerance#isoTanhForward}, {@link Tolerance#isoTanhBackward}).
 */
public interface IsoTanhContract extends BackendFixture {

    private static long seed(Object... parts) {
        return Objects.hash(parts) * 0x9E3779B97F4A7C15L;
    }

    /** Rows whose norms spread over [0.01, 10] (all outside the small ball). */
    private static Tensor spreadRows(DType dt, long seed, int rows, int n) {
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor z = Tensor.zeros(dt, rows, n);
        for (int i = 0; i < rows; i++) {
            double[] row = new double[n];
            double norm = 0;
            for (int j = 0; j < n; j++) {
                row[j] = rng.nextGaussian();
                norm += row[j] * row[j];
            }
            double target = Math.pow(10, rng.nextDouble(-2, 1));
            double f = norm == 0 ? 0 : target / Math.sqrt(norm);
            for (int j = 0; j < n; j++) {
                z.set(row[j] * f, i, j);
            }
        }
        return z;
    }

    /** A01: with {@code o = 0}, {@code G = tanh|z| / |z|}, computed here directly from the norm. */
    @Test
    default void a01_gainIsTanhOfNormOverNorm() {
        for (DType dt : DType.values()) {
            int n = 33;
            Tensor z = spreadRows(dt, 101, 40, n);
            ActivationOutput out = backend().isoTanhForward(z, 0.0, 1e-3);
            for (int i = 0; i < z.rows(); i++) {
                double r = 0;
                for (int j = 0; j < n; j++) {
                    r += z.get(i, j) * z.get(i, j);
                }
                double norm = Math.sqrt(r);
                double want = Math.tanh(norm) / norm;
                ContractAssertions.close("A01 gain " + dt + " row " + i + " |z|=" + norm, out.gains().getFlat(i), want,
                        Tolerance.isoTanhForward(n, dt).times(want, "G"));
            }
        }
    }

    /** A02: {@code G} lies in (0, 1] and {@code |f(z)| < 1} up to rounding, for norms up to 1e15. */
    @Test
    default void a02_gainInUnitIntervalAndOutputNormBelowOne() {
        for (DType dt : DType.values()) {
            int n = 17;
            Tensor z = Tensor.randomNormal(dt, 102, 1.0, 30, n);
            for (int i = 0; i < 30; i++) {
                double scale = Math.pow(10, -4 + i * (dt == DType.F64 ? 19.0 : 12.0) / 29);
                for (int j = 0; j < n; j++) {
                    z.set(z.get(i, j) * scale, i, j);
                }
            }
            for (double o : new double[] {0, 1e-6, 0.5}) {
                ActivationOutput out = backend().isoTanhForward(z, o, 1e-3);
                for (int i = 0; i < 30; i++) {
                    double g = out.gains().getFlat(i);
                    assertTrue(g > 0 && g <= 1, "A02 " + dt + " o=" + o + " row " + i + ": gain " + g
                            + " outside (0, 1]");
                    double norm2 = 0;
                    for (int j = 0; j < n; j++) {
                        norm2 += out.h().get(i, j) * out.h().get(i, j);
                    }
                    ContractAssertions.atMost("A02 " + dt + " o=" + o + " row " + i + ": |f(z)|", Math.sqrt(norm2),
                            new Tolerance(1 + Tolerance.gamma(n + 4, dt.unitRoundoff()),
                                    "1 + gamma_(n+4): tanh(rho) < rho, rounded"));
                }
            }
        }
    }

    /** A03: rotation equivariance {@code f(O z) = O f(z)} for a random orthogonal {@code O}. */
    @Test
    default void a03_rotationEquivariance() {
        Backend be = backend();
        for (DType dt : DType.values()) {
            for (int n : new int[] {2, 9, 64}) {
                SplittableRandom rng = new SplittableRandom(seed("a03", dt, n));
                double[] o = Reference.randomOrthogonal(n, rng);
                Tensor ot = Tensor.wrap(o, n, n).to(dt);
                Tensor z = spreadRows(dt, rng.nextLong(), 12, n);
                // rows are vectors: (O z)^T = z^T O^T
                Tensor zo = be.matmul(z, false, ot, true);
                Tensor fzo = be.isoTanhForward(zo, 1e-6, 1e-3).h();
                Tensor ofz = be.matmul(be.isoTanhForward(z, 1e-6, 1e-3).h(), false, ot, true);
                double scale = 1 + Math.max(fzo.maxAbs(), ofz.maxAbs());
                double diff = 0;
                for (int i = 0; i < fzo.size(); i++) {
                    diff = Math.max(diff, Math.abs(fzo.getFlat(i) - ofz.getFlat(i)));
                }
                ContractAssertions.atMost("A03 " + dt + " n=" + n + ": |f(Oz) - O f(z)|_inf", diff,
                        new Tolerance(4 * (n + 8) * dt.unitRoundoff() * scale,
                                "c n u (1 + |y|_inf), c = 4: two products with O (gamma_n each) and the gain"));
            }
        }
    }

    /** A04: the small-ball branch and reference values of method.md 13.1 item 3. */
    @Test
    default void a04_smallBallAndReferenceValues() {
        Backend be = backend();
        for (DType dt : DType.values()) {
            double tol = 1e-9 + 2 * dt.unitRoundoff();
            String why = "values quoted to 9 digits, plus one rounding to the dtype";
            Tensor zero = Tensor.zeros(dt, 1, 4);
            assertEquals(1.0, be.isoTanhForward(zero, 1e-6, 1e-3).gains().getFlat(0),
                    "A04 " + dt + ": z = 0, o = 1e-6 is in the small ball, so G = 1 exactly");
            Tensor tiny = Tensor.zeros(dt, 1, 3);
            tiny.set(4e-4, 0, 0);
            tiny.set(3e-4, 0, 1);
            assertEquals(1.0, be.isoTanhForward(tiny, 0.0, 1e-3).gains().getFlat(0),
                    "A04 " + dt + ": |z|^2 + o <= eps^2 gives G = 1 exactly");
            Tensor r1e8 = Tensor.zeros(dt, 1, 2);
            r1e8.set(1e-4, 0, 0);
            ContractAssertions.close("A04 " + dt + " o=1, |z|^2=1e-8", be.isoTanhForward(r1e8, 1.0, 1e-3).gains().getFlat(0),
                    0.761594154, new Tolerance(tol, why));
            ContractAssertions.close("A04 " + dt + " o=0.01, z=0", be.isoTanhForward(zero, 0.01, 1e-3).gains().getFlat(0),
                    0.996679946, new Tolerance(tol, why));
            Tensor unit = Tensor.zeros(dt, 1, 5);
            unit.set(0.6, 0, 1);
            unit.set(0.8, 0, 3);
            ContractAssertions.close("A04 " + dt + " o=1e-6, |z|^2=1", be.isoTanhForward(unit, 1e-6, 1e-3).gains().getFlat(0),
                    0.761593985, new Tolerance(tol, why));
            // inside the ball the gain is constant: the backward pass is exactly G dh, and dL/do = 0
            Tensor dh = Tensor.randomNormal(dt, 7, 1.0, 1, 3);
            Tensor dz = Tensor.zeros(dt, 1, 3);
            Tensor gains = be.isoTanhForward(tiny, 0.0, 1e-3).gains();
            double dO = be.isoTanhBackwardInto(tiny, gains, dh, null, 0.0, 1e-3, dz);
            assertEquals(0.0, dO, "A04 " + dt + ": dL/do inside the small ball");
            for (int j = 0; j < 3; j++) {
                assertEquals(dh.getFlat(j), dz.getFlat(j), "A04 " + dt + ": dz = G dh = dh inside the small ball");
            }
        }
    }

    /**
     * A05: the forward pass matches the reference at awkward sizes, for several intrinsic lengths.
     *
     * @param dt dtype
     * @param rows rows
     * @param n row length
     */
    @ParameterizedTest(name = "{0} rows={1} n={2}")
    @MethodSource("io.isotropic.conformance.Cases#rows")
    default void a05_forwardMatchesReference(DType dt, int rows, int n) {
        Tensor z = Tensor.randomNormal(dt, seed("a05", dt, rows, n), 0.7, rows, n);
        Tolerance rel = Tolerance.isoTanhForward(n, dt);
        for (double o : new double[] {0.0, 1e-6, 0.3}) {
            ActivationOutput out = backend().isoTanhForward(z, o, 1e-3);
            double[][] ref = Reference.isoTanh(z, o, 1e-3);
            double[] absH = ref[1].clone();
            for (int i = 0; i < absH.length; i++) {
                absH[i] = Math.abs(absH[i]);
            }
            String what = "A05 isoTanhForward " + dt + " rows=" + rows + " n=" + n + " o=" + o;
            ContractAssertions.close(what + " gains", out.gains(), ref[0], rel.bounds(ref[0]), rel.reason() + ", times G");
            ContractAssertions.close(what + " h", out.h(), ref[1], rel.bounds(absH), rel.reason() + ", times |h|");
        }
    }

    /**
     * A06: the backward pass (with and without an extra gain gradient) matches the reference at awkward sizes.
     *
     * @param dt dtype
     * @param rows rows
     * @param n row length
     */
    @ParameterizedTest(name = "{0} rows={1} n={2}")
    @MethodSource("io.isotropic.conformance.Cases#rows")
    default void a06_backwardMatchesReference(DType dt, int rows, int n) {
        Backend be = backend();
        long s = seed("a06", dt, rows, n);
        Tensor z = Tensor.randomNormal(dt, s, 0.7, rows, n);
        Tensor dh = Tensor.randomNormal(dt, s + 1, 1.0, rows, n);
        Tensor gg = Tensor.randomNormal(dt, s + 2, 1.0, rows);
        double u = dt.unitRoundoff();
        for (double o : new double[] {0.0, 0.3}) {
            Tensor gains = be.isoTanhForward(z, o, 1e-3).gains();
            for (Tensor gainGrad : new Tensor[] {null, gg}) {
                Tensor dz = Tensor.zeros(dt, rows, n).fill(Double.NaN);
                double dO = be.isoTanhBackwardInto(z, gains, dh, gainGrad, o, 1e-3, dz);
                double[][] ref = Reference.isoTanhBackward(z, gains, dh, gainGrad, o, 1e-3);
                String what = "A06 isoTanhBackward " + dt + " rows=" + rows + " n=" + n + " o=" + o + " gainGrad="
                        + (gainGrad != null);
                ContractAssertions.close(what + " dz", dz, ref, Tolerance.isoTanhBackward(n, dt));
                ContractAssertions.close(what + " dL/do", dO, ref[2][0], new Tolerance(
                        2 * (Tolerance.gamma(n + rows, u) + 16 * u) * ref[2][1], "2 (gamma_(n+rows) + 16u) sum |gs G'|"));
            }
        }
    }

    /** A07: the backward pass equals central finite differences of {@code L = sum w.h + sum v.G} (F64). */
    @Test
    default void a07_gradientMatchesFiniteDifferences() {
        Backend be = backend();
        int rows = 4;
        int n = 7;
        double eps = 1e-3;
        Tensor z = Tensor.randomNormal(DType.F64, 107, 0.6, rows, n);
        Tensor w = Tensor.randomNormal(DType.F64, 108, 1.0, rows, n);
        Tensor v = Tensor.randomNormal(DType.F64, 109, 1.0, rows);
        for (double o : new double[] {0.0, 0.05, 2.0}) {
            Tensor gains = be.isoTanhForward(z, o, eps).gains();
            Tensor dz = Tensor.zeros(DType.F64, rows, n);
            double dO = be.isoTanhBackwardInto(z, gains, w, v, o, eps, dz);
            double delta = 1e-5;
            // central differences: error <= delta^2/6 |L'''| + u |L| / delta, about 1e-10 here; 1e-8 leaves margin
            double tol = 1e-8 * (1 + dz.maxAbs() + Math.abs(dO));
            for (int i = 0; i < z.size(); i++) {
                double old = z.getFlat(i);
                z.setFlat(i, old + delta);
                double lp = loss(be, z, w, v, o, eps);
                z.setFlat(i, old - delta);
                double lm = loss(be, z, w, v, o, eps);
                z.setFlat(i, old);
                ContractAssertions.close("A07 dL/dz[" + i + "] o=" + o, dz.getFlat(i), (lp - lm) / (2 * delta),
                        new Tolerance(tol, "central differences, delta = 1e-5: truncation + cancellation ~1e-10"));
            }
            if (o > 0) {
                double fd = (loss(be, z, w, v, o + delta, eps) - loss(be, z, w, v, o - delta, eps)) / (2 * delta);
                ContractAssertions.close("A07 dL/do o=" + o, dO, fd, new Tolerance(tol, "central differences, delta = 1e-5"));
            }
        }
    }

    private static double loss(Backend be, Tensor z, Tensor w, Tensor v, double o, double eps) {
        ActivationOutput out = be.isoTanhForward(z, o, eps);
        return be.dot(out.h(), w) + be.dot(out.gains(), v);
    }

    /** A08: in-place use ({@code h} = {@code z} forward, {@code dz} = {@code dh} backward) gives identical results. */
    @Test
    default void a08_inPlaceEqualsOutOfPlace() {
        Backend be = backend();
        for (DType dt : DType.values()) {
            Tensor z = Tensor.randomNormal(dt, 110, 0.8, 9, 17);
            ActivationOutput ref = be.isoTanhForward(z, 1e-6, 1e-3);
            Tensor zz = z.copy();
            Tensor g = Tensor.zeros(dt, 9);
            be.isoTanhForwardInto(zz, 1e-6, 1e-3, g, zz);
            assertTrue(zz.contentEquals(ref.h()) && g.contentEquals(ref.gains()),
                    "A08 " + dt + ": in-place forward differs from out-of-place");
            Tensor dh = Tensor.randomNormal(dt, 111, 1.0, 9, 17);
            Tensor dz = Tensor.zeros(dt, 9, 17);
            double dO = be.isoTanhBackwardInto(z, ref.gains(), dh, null, 1e-6, 1e-3, dz);
            Tensor dh2 = dh.copy();
            double dO2 = be.isoTanhBackwardInto(z, ref.gains(), dh2, null, 1e-6, 1e-3, dh2);
            assertTrue(dh2.contentEquals(dz) && dO == dO2, "A08 " + dt + ": in-place backward differs");
        }
    }
}
