package io.isotropic.backend.vector;

import io.isotropic.math.IsoTanh;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Fused isotropic tanh on double rows: per row one vectorised pass for the squared norm (and, backward, the inner
 * product {@code z . dh} in the same pass), the gain and its slope in scalar code through {@link IsoTanh} (one
 * tanh per row, so a vectorised tanh would not pay), then one vectorised pass for the scaling.
 */
final class IsoTanhF64 {
    private static final VectorSpecies<Double> SP = Lanes.F64;
    private static final int L = SP.length();

    private IsoTanhF64() {
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
    static void forward(Parallel par, int rows, int n, double[] z, double o, double eps, double[] gains,
                        double[] h) {
        int parts = par.streamParts((long) rows * n, rows);
        par.run(parts, part -> forwardRows(rows * part / parts, rows * (part + 1) / parts, n, z, o, eps, gains, h));
    }

    private static void forwardRows(int from, int to, int n, double[] z, double o, double eps, double[] gains,
                                    double[] h) {
        for (int i = from; i < to; i++) {
            int off = i * n;
            double g = IsoTanh.gain(ElementwiseF64.sumSquares(z, off, n), o, eps);
            gains[i] = g;
            int j = 0;
            for (; j + L <= n; j += L) {
                DoubleVector.fromArray(SP, z, off + j).mul(g).intoArray(h, off + j);
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
    static double backward(Parallel par, int rows, int n, double[] z, double[] gains, double[] dh, double[] gainGrad,
                           double o, double eps, double[] dz) {
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

    private static double backwardRows(int from, int to, int n, double[] z, double[] gains, double[] dh,
                                       double[] gainGrad, double o, double eps, double[] dz) {
        double dO = 0;
        for (int i = from; i < to; i++) {
            int off = i * n;
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
                DoubleVector z0 = DoubleVector.fromArray(SP, z, off + j);
                DoubleVector z1 = DoubleVector.fromArray(SP, z, off + j + L);
                DoubleVector z2 = DoubleVector.fromArray(SP, z, off + j + 2 * L);
                DoubleVector z3 = DoubleVector.fromArray(SP, z, off + j + 3 * L);
                r0 = z0.fma(z0, r0);
                r1 = z1.fma(z1, r1);
                r2 = z2.fma(z2, r2);
                r3 = z3.fma(z3, r3);
                q0 = z0.fma(DoubleVector.fromArray(SP, dh, off + j), q0);
                q1 = z1.fma(DoubleVector.fromArray(SP, dh, off + j + L), q1);
                q2 = z2.fma(DoubleVector.fromArray(SP, dh, off + j + 2 * L), q2);
                q3 = z3.fma(DoubleVector.fromArray(SP, dh, off + j + 3 * L), q3);
            }
            for (; j + L <= n; j += L) {
                DoubleVector z0 = DoubleVector.fromArray(SP, z, off + j);
                r0 = z0.fma(z0, r0);
                q0 = z0.fma(DoubleVector.fromArray(SP, dh, off + j), q0);
            }
            double r = Lanes.sum(r0.add(r1).add(r2.add(r3)));
            double zdh = Lanes.sum(q0.add(q1).add(q2.add(q3)));
            for (int t = j; t < n; t++) {
                r += z[off + t] * z[off + t];
                zdh += z[off + t] * dh[off + t];
            }
            double gs = zdh + (gainGrad == null ? 0 : gainGrad[i]);
            double slope = IsoTanh.gainSlope(r, o, eps);
            double g = gains[i];
            double c = 2 * gs * slope;
            j = 0;
            for (; j + L <= n; j += L) {
                DoubleVector.fromArray(SP, dh, off + j).mul(g)
                        .add(DoubleVector.fromArray(SP, z, off + j).mul(c)).intoArray(dz, off + j);
            }
            for (; j < n; j++) {
                dz[off + j] = g * dh[off + j] + c * z[off + j];
            }
            dO += gs * slope;
        }
        return dO;
    }
}
