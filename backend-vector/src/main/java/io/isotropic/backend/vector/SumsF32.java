package io.isotropic.backend.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The single-precision reductions whose vector code differs from the double-precision ones ({@link SumsF64}) for
 * numerical reasons, written by hand; the rest of {@code ElementwiseF32} and {@code IsoTanhF32}, which call these,
 * is generated with its F64 twin from one template (backend-vector/README.md, "Generated F64/F32 twins").
 *
 * <p>Floats are summed in double, as {@link io.isotropic.spi.ScalarKernels} does: {@link #loadD} loads {@code DL}
 * floats with a half-width species and widens them to one full double vector ({@code F2D}); a product of two floats
 * is exact in double, so each FMA step rounds exactly as the scalar {@code s += (double) x * y}. Two accumulators
 * of {@code DL} lanes, where {@link SumsF64} has four of {@code L}; the fused passes of the isotropic tanh sum in
 * exactly the order of {@link #sumSquares}. The order of the sums fixes the bits of every result, so the two are
 * kept as they are tuned rather than made alike.
 */
final class SumsF32 {
    private static final VectorSpecies<Float> SP = Lanes.F32;
    /** Species of the double accumulators. */
    private static final VectorSpecies<Double> DSP = Lanes.F64;
    /** Elements per accumulator (a double vector's lanes). */
    private static final int DL = DSP.length();
    /** Half-width float species with {@code DL} lanes. */
    private static final VectorSpecies<Float> HALF = Lanes.F32_HALF;

    private SumsF32() {
    }

    /** Loads {@code DL} floats at {@code x[i]} as one double vector. */
    static DoubleVector loadD(float[] x, int i) {
        return (DoubleVector) FloatVector.fromArray(HALF, x, i).convertShape(VectorOperators.F2D, DSP, 0);
    }

    /** Rounds the {@code DL} doubles of v to float and stores them at {@code x[i]}. */
    static void storeD(DoubleVector v, float[] x, int i) {
        ((FloatVector) v.convertShape(VectorOperators.D2F, HALF, 0)).intoArray(x, i);
    }

    /**
     * Sum of squares of {@code x[off .. off+n)}, accumulated in double.
     *
     * @param x the data
     * @param off first element
     * @param n element count
     * @return {@code sum x_j^2}
     */
    static double sumSquares(float[] x, int off, int n) {
        DoubleVector s0 = DoubleVector.zero(DSP);
        DoubleVector s1 = s0;
        int j = 0;
        for (; j + 2 * DL <= n; j += 2 * DL) {
            DoubleVector v0 = loadD(x, off + j);
            DoubleVector v1 = loadD(x, off + j + DL);
            s0 = v0.fma(v0, s0);
            s1 = v1.fma(v1, s1);
        }
        if (j + DL <= n) {
            DoubleVector v0 = loadD(x, off + j);
            s0 = v0.fma(v0, s0);
            j += DL;
        }
        double s = Lanes.sum(s0.add(s1));
        for (; j < n; j++) {
            double v = x[off + j];
            s += v * v;
        }
        return s;
    }

    /**
     * {@code h[off ..] = g z[off ..]} over n elements, and returns the squared norm of {@code z[next .. next+n)}
     * in double, summed exactly as {@link #sumSquares} does.
     */
    static double scaleAndSumNext(int n, float g, float[] z, int off, float[] h, int next) {
        DoubleVector s0 = DoubleVector.zero(DSP);
        DoubleVector s1 = s0;
        int j = 0;
        for (; j + 2 * DL <= n; j += 2 * DL) {
            FloatVector.fromArray(SP, z, off + j).mul(g).intoArray(h, off + j);
            DoubleVector v0 = loadD(z, next + j);
            DoubleVector v1 = loadD(z, next + j + DL);
            s0 = v0.fma(v0, s0);
            s1 = v1.fma(v1, s1);
        }
        IsoTanhF32.scale(n, g, z, off, h, j);
        if (j + DL <= n) {
            DoubleVector v0 = loadD(z, next + j);
            s0 = v0.fma(v0, s0);
            j += DL;
        }
        double s = Lanes.sum(s0.add(s1));
        for (; j < n; j++) {
            double v = z[next + j];
            s += v * v;
        }
        return s;
    }

    /**
     * {@code sums = (|z_row|^2, z_row . dh_row)} in double for the row at {@code next}; when dz is given, the same
     * pass also writes {@code dz = g dh + c z} for the row at {@code off} (the summation order does not change).
     */
    static void reduce(int n, float[] z, float[] dh, int next, float[] dz, int off, float g, float c,
                       double[] sums) {
        DoubleVector r0 = DoubleVector.zero(DSP);
        DoubleVector r1 = r0;
        DoubleVector q0 = r0;
        DoubleVector q1 = r0;
        int j = 0;
        for (; j + 2 * DL <= n; j += 2 * DL) {
            if (dz != null) {
                FloatVector.fromArray(SP, dh, off + j).mul(g)
                        .add(FloatVector.fromArray(SP, z, off + j).mul(c)).intoArray(dz, off + j);
            }
            DoubleVector z0 = loadD(z, next + j);
            DoubleVector z1 = loadD(z, next + j + DL);
            r0 = z0.fma(z0, r0);
            r1 = z1.fma(z1, r1);
            q0 = z0.fma(loadD(dh, next + j), q0);
            q1 = z1.fma(loadD(dh, next + j + DL), q1);
        }
        if (dz != null) {
            IsoTanhF32.combine(n, g, c, z, dh, off, dz, j);
        }
        if (j + DL <= n) {
            DoubleVector z0 = loadD(z, next + j);
            r0 = z0.fma(z0, r0);
            q0 = z0.fma(loadD(dh, next + j), q0);
            j += DL;
        }
        double r = Lanes.sum(r0.add(r1));
        double zdh = Lanes.sum(q0.add(q1));
        for (; j < n; j++) {
            double zv = z[next + j];
            r += zv * zv;
            zdh += zv * dh[next + j];
        }
        sums[0] = r;
        sums[1] = zdh;
    }
}
