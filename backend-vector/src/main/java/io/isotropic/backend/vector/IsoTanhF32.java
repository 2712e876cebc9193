package io.isotropic.backend.vector;

import io.isotropic.math.IsoTanh;
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
        par.run(parts, part -> forwardRows(rows * part / parts, rows * (part + 1) / parts, n, z, o, eps, gains, h));
    }

    private static void forwardRows(int from, int to, int n, float[] z, double o, double eps, float[] gains,
                                    float[] h) {
        for (int i = from; i < to; i++) {
            int off = i * n;
            float g = (float) IsoTanh.gain(ElementwiseF32.sumSquares(z, off, n), o, eps);
            gains[i] = g;
            int j = 0;
            for (; j + L <= n; j += L) {
                FloatVector.fromArray(SP, z, off + j).mul(g).intoArray(h, off + j);
            }
            for (; j < n; j++) {
                h[off + j] = g * z[off + j];
            }
        }
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
        par.run(parts, part -> partial[part] = backwardRows(rows * part / parts, rows * (part + 1) / parts, n, z,
                gains, dh, gainGrad, o, eps, dz));
        double dO = 0;
        for (double d : partial) {
            dO += d;
        }
        return dO;
    }

    private static double backwardRows(int from, int to, int n, float[] z, float[] gains, float[] dh,
                                       float[] gainGrad, double o, double eps, float[] dz) {
        double dO = 0;
        for (int i = from; i < to; i++) {
            int off = i * n;
            DoubleVector r0 = DoubleVector.zero(DSP);
            DoubleVector r1 = r0;
            DoubleVector q0 = r0;
            DoubleVector q1 = r0;
            int j = 0;
            for (; j + 2 * LH <= n; j += 2 * LH) {
                DoubleVector z0 = ElementwiseF32.widen(z, off + j);
                DoubleVector z1 = ElementwiseF32.widen(z, off + j + LH);
                r0 = z0.fma(z0, r0);
                r1 = z1.fma(z1, r1);
                q0 = z0.fma(ElementwiseF32.widen(dh, off + j), q0);
                q1 = z1.fma(ElementwiseF32.widen(dh, off + j + LH), q1);
            }
            if (j + LH <= n) {
                DoubleVector z0 = ElementwiseF32.widen(z, off + j);
                r0 = z0.fma(z0, r0);
                q0 = z0.fma(ElementwiseF32.widen(dh, off + j), q0);
                j += LH;
            }
            double r = Lanes.sum(r0.add(r1));
            double zdh = Lanes.sum(q0.add(q1));
            for (int t = j; t < n; t++) {
                double zv = z[off + t];
                r += zv * zv;
                zdh += zv * dh[off + t];
            }
            double gs = zdh + (gainGrad == null ? 0 : gainGrad[i]);
            double slope = IsoTanh.gainSlope(r, o, eps);
            float g = gains[i];
            float c = (float) (2 * gs * slope);
            j = 0;
            for (; j + L <= n; j += L) {
                FloatVector.fromArray(SP, dh, off + j).mul(g)
                        .add(FloatVector.fromArray(SP, z, off + j).mul(c)).intoArray(dz, off + j);
            }
            for (; j < n; j++) {
                dz[off + j] = g * dh[off + j] + c * z[off + j];
            }
            dO += gs * slope;
        }
        return dO;
    }
}
