package io.isotropic.backend.vector;

import io.isotropic.activation.IsoTanh;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fused isotropic tanh on float rows, mirroring {@link IsoTanhF64}: the squared norm and {@code z . dh} accumulate in
 * double (widened loads, as {@link ElementwiseF32} does), the gain and slope come from {@link IsoTanh} once per row,
 * and the scaling pass runs in float with the roundings of {@link io.isotropic.spi.ScalarKernels}.
 */
final class IsoTanhF32 {
    private static final VectorSpecies<Float> SP = Lanes.F32;
    private static final int L = SP.length();
    private static final VectorSpecies<Double> DSP = Lanes.F64;
    private static final int LH = Lanes.F32_HALF.length();

    private IsoTanhF32() {
    }

    /**
     * Forward pass; h may be z.
     *
     * @param par the workers (rows are split when the batch is large)
     * @param rows rows
     * @param n row length
     * @param z pre-activations
     * @param o intrinsic length
     * @param eps small-ball radius
     * @param gains output gains
     * @param h output activations
     */
    static void forward(Parallel par, int rows, int n, float[] z, double o, double eps, float[] gains, float[] h) {
        int parts = par.streamParts((long) rows * n, rows);
        par.run(parts, part -> forwardRows(Parallel.start(rows, part, parts), Parallel.start(rows, part + 1, parts), n,
                z, o, eps, gains, h));
    }

    private static void forwardRows(int from, int to, int n, float[] z, double o, double eps, float[] gains,
                                    float[] h) {
        if (from >= to) {
            return;
        }
        // software-pipelined as in IsoTanhF64: scaling row i and summing row i+1 share one pass
        double r = ElementwiseF32.sumSquares(z, from * n, n);
        for (int i = from; i < to; i++) {
            int off = i * n;
            float g = (float) IsoTanh.gain(r, o, eps);
            gains[i] = g;
            if (i + 1 < to) {
                r = scaleAndSumNext(n, g, z, off, h, off + n);
            } else {
                scale(n, g, z, off, h, 0);
            }
        }
    }

    /** {@code h[off + j] = g z[off + j]} for {@code j >= from}. */
    private static void scale(int n, float g, float[] z, int off, float[] h, int from) {
        int j = from;
        for (; j + L <= n; j += L) {
            FloatVector.fromArray(SP, z, off + j).mul(g).intoArray(h, off + j);
        }
        for (; j < n; j++) {
            h[off + j] = g * z[off + j];
        }
    }

    /**
     * {@code h[off ..] = g z[off ..]} over n elements, and returns the squared norm of {@code z[next .. next+n)}
     * in double, summed exactly as {@link ElementwiseF32#sumSquares} does.
     */
    private static double scaleAndSumNext(int n, float g, float[] z, int off, float[] h, int next) {
        DoubleVector s0 = DoubleVector.zero(DSP);
        DoubleVector s1 = s0;
        int j = 0;
        for (; j + 2 * LH <= n; j += 2 * LH) {
            FloatVector.fromArray(SP, z, off + j).mul(g).intoArray(h, off + j);
            DoubleVector v0 = ElementwiseF32.widen(z, next + j);
            DoubleVector v1 = ElementwiseF32.widen(z, next + j + LH);
            s0 = v0.fma(v0, s0);
            s1 = v1.fma(v1, s1);
        }
        scale(n, g, z, off, h, j);
        if (j + LH <= n) {
            DoubleVector v0 = ElementwiseF32.widen(z, next + j);
            s0 = v0.fma(v0, s0);
            j += LH;
        }
        double s = Lanes.sum(s0.add(s1));
        for (; j < n; j++) {
            double v = z[next + j];
            s += v * v;
        }
        return s;
    }

    /**
     * Backward pass; dz may be dh.
     *
     * @param par the workers
     * @param rows rows
     * @param n row length
     * @param z pre-activations
     * @param gains forward gains
     * @param dh upstream gradient
     * @param gainGrad extra gain gradient per row, or null
     * @param o intrinsic length
     * @param eps small-ball radius
     * @param dz output gradient
     * @return {@code dL/do}, summed over rows (per part, then over parts in order)
     */
    static double backward(Parallel par, int rows, int n, float[] z, float[] gains, float[] dh, float[] gainGrad,
                           double o, double eps, float[] dz) {
        int parts = par.streamParts((long) rows * n, rows);
        if (parts == 1) {
            return backwardRows(0, rows, n, z, gains, dh, gainGrad, o, eps, dz);
        }
        double[] partial = new double[parts];
        par.run(parts, part -> partial[part] = backwardRows(Parallel.start(rows, part, parts),
                Parallel.start(rows, part + 1, parts), n, z, gains, dh, gainGrad, o, eps, dz));
        double dO = 0;
        for (double d : partial) {
            dO += d;
        }
        return dO;
    }

    private static double backwardRows(int from, int to, int n, float[] z, float[] gains, float[] dh,
                                       float[] gainGrad, double o, double eps, float[] dz) {
        if (from >= to) {
            return 0;
        }
        double[] sums = new double[2];
        reduce(n, z, dh, from * n, null, 0, 0, 0, sums);
        double dO = 0;
        for (int i = from; i < to; i++) {
            int off = i * n;
            double gs = sums[1] + (gainGrad == null ? 0 : gainGrad[i]);
            double slope = IsoTanh.gainSlope(sums[0], o, eps);
            float g = gains[i];
            float c = (float) (2 * gs * slope);
            if (i + 1 < to) {
                reduce(n, z, dh, off + n, dz, off, g, c, sums);
            } else {
                combine(n, g, c, z, dh, off, dz, 0);
            }
            dO += gs * slope;
        }
        return dO;
    }

    /** {@code dz[off + j] = g dh[off + j] + c z[off + j]} for {@code j >= from}. */
    private static void combine(int n, float g, float c, float[] z, float[] dh, int off, float[] dz, int from) {
        int j = from;
        for (; j + L <= n; j += L) {
            FloatVector.fromArray(SP, dh, off + j).mul(g)
                    .add(FloatVector.fromArray(SP, z, off + j).mul(c)).intoArray(dz, off + j);
        }
        for (; j < n; j++) {
            dz[off + j] = g * dh[off + j] + c * z[off + j];
        }
    }

    /**
     * {@code sums = (|z_row|^2, z_row . dh_row)} in double for the row at {@code next}; when dz is given, the same
     * pass also writes {@code dz = g dh + c z} for the row at {@code off} (the summation order does not change).
     */
    private static void reduce(int n, float[] z, float[] dh, int next, float[] dz, int off, float g, float c,
                               double[] sums) {
        DoubleVector r0 = DoubleVector.zero(DSP);
        DoubleVector r1 = r0;
        DoubleVector q0 = r0;
        DoubleVector q1 = r0;
        int j = 0;
        for (; j + 2 * LH <= n; j += 2 * LH) {
            if (dz != null) {
                FloatVector.fromArray(SP, dh, off + j).mul(g)
                        .add(FloatVector.fromArray(SP, z, off + j).mul(c)).intoArray(dz, off + j);
            }
            DoubleVector z0 = ElementwiseF32.widen(z, next + j);
            DoubleVector z1 = ElementwiseF32.widen(z, next + j + LH);
            r0 = z0.fma(z0, r0);
            r1 = z1.fma(z1, r1);
            q0 = z0.fma(ElementwiseF32.widen(dh, next + j), q0);
            q1 = z1.fma(ElementwiseF32.widen(dh, next + j + LH), q1);
        }
        if (dz != null) {
            combine(n, g, c, z, dh, off, dz, j);
        }
        if (j + LH <= n) {
            DoubleVector z0 = ElementwiseF32.widen(z, next + j);
            r0 = z0.fma(z0, r0);
            q0 = z0.fma(ElementwiseF32.widen(dh, next + j), q0);
            j += LH;
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
