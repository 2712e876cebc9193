package io.isotropic.backend.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The double-precision reductions whose vector code differs from the single-precision ones ({@link SumsF32}) for
 * numerical reasons, written by hand; the rest of {@code ElementwiseF64} and {@code IsoTanhF64}, which call these,
 * is generated with its F32 twin from one template (backend-vector/README.md, "Generated F64/F32 twins").
 *
 * <p>Doubles are summed in their own type, straight from the array, with four accumulators of {@code L} lanes (the
 * squared norm, and the fused passes of the isotropic tanh, which sum in exactly the order of {@link #sumSquares}).
 * {@link SumsF32} sums floats in double from widened half-width loads with two accumulators. The order of the sums
 * fixes the bits of every result, so the two are kept as they are tuned rather than made alike.
 */
final class SumsF64 {
    private static final VectorSpecies<Double> SP = Lanes.F64;
    private static final int L = SP.length();

    private SumsF64() {
    }

    /** Loads one double vector ({@code L} lanes) at {@code x[i]}. */
    static DoubleVector loadD(double[] x, int i) {
        return DoubleVector.fromArray(SP, x, i);
    }

    /** Stores one double vector ({@code L} lanes) at {@code x[i]}. */
    static void storeD(DoubleVector v, double[] x, int i) {
        v.intoArray(x, i);
    }

    /**
     * Sum of squares of {@code x[off .. off+n)}, accumulated in double.
     *
     * @param x the data
     * @param off first element
     * @param n element count
     * @return {@code sum x_j^2}
     */
    static double sumSquares(double[] x, int off, int n) {
        DoubleVector s0 = DoubleVector.zero(SP);
        DoubleVector s1 = s0;
        DoubleVector s2 = s0;
        DoubleVector s3 = s0;
        int j = 0;
        for (; j + 4 * L <= n; j += 4 * L) {
            DoubleVector v0 = DoubleVector.fromArray(SP, x, off + j);
            DoubleVector v1 = DoubleVector.fromArray(SP, x, off + j + L);
            DoubleVector v2 = DoubleVector.fromArray(SP, x, off + j + 2 * L);
            DoubleVector v3 = DoubleVector.fromArray(SP, x, off + j + 3 * L);
            s0 = v0.fma(v0, s0);
            s1 = v1.fma(v1, s1);
            s2 = v2.fma(v2, s2);
            s3 = v3.fma(v3, s3);
        }
        for (; j + L <= n; j += L) {
            DoubleVector v0 = DoubleVector.fromArray(SP, x, off + j);
            s0 = v0.fma(v0, s0);
        }
        double s = Lanes.sum(s0.add(s1).add(s2.add(s3)));
        for (; j < n; j++) {
            double v = x[off + j];
            s += v * v;
        }
        return s;
    }

    /**
     * {@code h[off ..] = g z[off ..]} over n elements, and returns the squared norm of {@code z[next .. next+n)}
     * summed exactly as {@link #sumSquares} does.
     */
    static double scaleAndSumNext(int n, double g, double[] z, int off, double[] h, int next) {
        DoubleVector s0 = DoubleVector.zero(SP);
        DoubleVector s1 = s0;
        DoubleVector s2 = s0;
        DoubleVector s3 = s0;
        int j = 0;
        for (; j + 4 * L <= n; j += 4 * L) {
            DoubleVector.fromArray(SP, z, off + j).mul(g).intoArray(h, off + j);
            DoubleVector.fromArray(SP, z, off + j + L).mul(g).intoArray(h, off + j + L);
            DoubleVector.fromArray(SP, z, off + j + 2 * L).mul(g).intoArray(h, off + j + 2 * L);
            DoubleVector.fromArray(SP, z, off + j + 3 * L).mul(g).intoArray(h, off + j + 3 * L);
            DoubleVector v0 = DoubleVector.fromArray(SP, z, next + j);
            DoubleVector v1 = DoubleVector.fromArray(SP, z, next + j + L);
            DoubleVector v2 = DoubleVector.fromArray(SP, z, next + j + 2 * L);
            DoubleVector v3 = DoubleVector.fromArray(SP, z, next + j + 3 * L);
            s0 = v0.fma(v0, s0);
            s1 = v1.fma(v1, s1);
            s2 = v2.fma(v2, s2);
            s3 = v3.fma(v3, s3);
        }
        for (; j + L <= n; j += L) {
            DoubleVector.fromArray(SP, z, off + j).mul(g).intoArray(h, off + j);
            DoubleVector v0 = DoubleVector.fromArray(SP, z, next + j);
            s0 = v0.fma(v0, s0);
        }
        double s = Lanes.sum(s0.add(s1).add(s2.add(s3)));
        for (; j < n; j++) {
            h[off + j] = g * z[off + j];
            double v = z[next + j];
            s += v * v;
        }
        return s;
    }

    /**
     * {@code sums = (|z_row|^2, z_row . dh_row)} for the row at {@code next}, four accumulators each; when dz is
     * given, the same pass also writes {@code dz = g dh + c z} for the row at {@code off} (the summation order does
     * not change).
     */
    static void reduce(int n, double[] z, double[] dh, int next, double[] dz, int off, double g, double c,
                       double[] sums) {
        DoubleVector r0 = DoubleVector.zero(SP);
        DoubleVector r1 = r0;
        DoubleVector r2 = r0;
        DoubleVector r3 = r0;
        DoubleVector q0 = r0;
        DoubleVector q1 = r0;
        DoubleVector q2 = r0;
        DoubleVector q3 = r0;
        int j = 0;
        for (; j + 4 * L <= n; j += 4 * L) {
            if (dz != null) {
                for (int u = 0; u < 4; u++) {
                    int o = j + u * L;
                    DoubleVector.fromArray(SP, dh, off + o).mul(g)
                            .add(DoubleVector.fromArray(SP, z, off + o).mul(c)).intoArray(dz, off + o);
                }
            }
            DoubleVector z0 = DoubleVector.fromArray(SP, z, next + j);
            DoubleVector z1 = DoubleVector.fromArray(SP, z, next + j + L);
            DoubleVector z2 = DoubleVector.fromArray(SP, z, next + j + 2 * L);
            DoubleVector z3 = DoubleVector.fromArray(SP, z, next + j + 3 * L);
            r0 = z0.fma(z0, r0);
            r1 = z1.fma(z1, r1);
            r2 = z2.fma(z2, r2);
            r3 = z3.fma(z3, r3);
            q0 = z0.fma(DoubleVector.fromArray(SP, dh, next + j), q0);
            q1 = z1.fma(DoubleVector.fromArray(SP, dh, next + j + L), q1);
            q2 = z2.fma(DoubleVector.fromArray(SP, dh, next + j + 2 * L), q2);
            q3 = z3.fma(DoubleVector.fromArray(SP, dh, next + j + 3 * L), q3);
        }
        if (dz != null) {
            IsoTanhF64.combine(n, g, c, z, dh, off, dz, j);
        }
        for (; j + L <= n; j += L) {
            DoubleVector z0 = DoubleVector.fromArray(SP, z, next + j);
            r0 = z0.fma(z0, r0);
            q0 = z0.fma(DoubleVector.fromArray(SP, dh, next + j), q0);
        }
        double r = Lanes.sum(r0.add(r1).add(r2.add(r3)));
        double zdh = Lanes.sum(q0.add(q1).add(q2.add(q3)));
        for (; j < n; j++) {
            double zv = z[next + j];
            r += zv * zv;
            zdh += zv * dh[next + j];
        }
        sums[0] = r;
        sums[1] = zdh;
    }
}
