package io.isotropic.backend.vector;

import io.isotropic.activation.IsoTanh;
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
        par.run(parts, part -> forwardRows(Parallel.start(rows, part, parts), Parallel.start(rows, part + 1, parts), n,
                z, o, eps, gains, h));
    }

    private static void forwardRows(int from, int to, int n, double[] z, double o, double eps, double[] gains,
                                    double[] h) {
        if (from >= to) {
            return;
        }
        // software-pipelined: the pass that scales row i also sums the squares of row i+1, so the memory system
        // streams without a gap while the scalar gain is computed; the sum has exactly the order of sumSquares
        double r = ElementwiseF64.sumSquares(z, from * n, n);
        for (int i = from; i < to; i++) {
            int off = i * n;
            double g = IsoTanh.gain(r, o, eps);
            gains[i] = g;
            if (i + 1 < to) {
                r = scaleAndSumNext(n, g, z, off, h, off + n);
            } else {
                int j = 0;
                for (; j + L <= n; j += L) {
                    DoubleVector.fromArray(SP, z, off + j).mul(g).intoArray(h, off + j);
                }
                for (; j < n; j++) {
                    h[off + j] = g * z[off + j];
                }
            }
        }
    }

    /**
     * {@code h[off ..] = g z[off ..]} over n elements, and returns the squared norm of {@code z[next .. next+n)}
     * summed exactly as {@link ElementwiseF64#sumSquares} does.
     */
    private static double scaleAndSumNext(int n, double g, double[] z, int off, double[] h, int next) {
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
        par.run(parts, part -> partial[part] = backwardRows(Parallel.start(rows, part, parts),
                Parallel.start(rows, part + 1, parts), n, z, gains, dh, gainGrad, o, eps, dz));
        double dO = 0;
        for (double d : partial) {
            dO += d;
        }
        return dO;
    }

    private static double backwardRows(int from, int to, int n, double[] z, double[] gains, double[] dh,
                                       double[] gainGrad, double o, double eps, double[] dz) {
        if (from >= to) {
            return 0;
        }
        // software-pipelined as forwardRows: the pass writing dz of row i reduces row i+1
        double[] sums = new double[2];
        reduceRow(n, z, dh, from * n, sums);
        double dO = 0;
        for (int i = from; i < to; i++) {
            int off = i * n;
            double r = sums[0];
            double gs = sums[1] + (gainGrad == null ? 0 : gainGrad[i]);
            double slope = IsoTanh.gainSlope(r, o, eps);
            double g = gains[i];
            double c = 2 * gs * slope;
            if (i + 1 < to) {
                combineAndReduceNext(n, g, c, z, dh, off, dz, off + n, sums);
            } else {
                int j = 0;
                for (; j + L <= n; j += L) {
                    DoubleVector.fromArray(SP, dh, off + j).mul(g)
                            .add(DoubleVector.fromArray(SP, z, off + j).mul(c)).intoArray(dz, off + j);
                }
                for (; j < n; j++) {
                    dz[off + j] = g * dh[off + j] + c * z[off + j];
                }
            }
            dO += gs * slope;
        }
        return dO;
    }

    /** {@code sums = (|z_row|^2, z_row . dh_row)} for the row at {@code off}, four accumulators each. */
    private static void reduceRow(int n, double[] z, double[] dh, int off, double[] sums) {
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
        for (; j < n; j++) {
            r += z[off + j] * z[off + j];
            zdh += z[off + j] * dh[off + j];
        }
        sums[0] = r;
        sums[1] = zdh;
    }

    /**
     * {@code dz[off ..] = g dh[off ..] + c z[off ..]} over n elements, and {@link #reduceRow} of the row at
     * {@code next} in the same pass, with the same order of summation.
     */
    private static void combineAndReduceNext(int n, double g, double c, double[] z, double[] dh, int off,
                                             double[] dz, int next, double[] sums) {
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
            for (int u = 0; u < 4; u++) {
                int o = j + u * L;
                DoubleVector.fromArray(SP, dh, off + o).mul(g)
                        .add(DoubleVector.fromArray(SP, z, off + o).mul(c)).intoArray(dz, off + o);
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
        for (; j + L <= n; j += L) {
            DoubleVector.fromArray(SP, dh, off + j).mul(g)
                    .add(DoubleVector.fromArray(SP, z, off + j).mul(c)).intoArray(dz, off + j);
            DoubleVector z0 = DoubleVector.fromArray(SP, z, next + j);
            r0 = z0.fma(z0, r0);
            q0 = z0.fma(DoubleVector.fromArray(SP, dh, next + j), q0);
        }
        double r = Lanes.sum(r0.add(r1).add(r2.add(r3)));
        double zdh = Lanes.sum(q0.add(q1).add(q2.add(q3)));
        for (; j < n; j++) {
            dz[off + j] = g * dh[off + j] + c * z[off + j];
            double zv = z[next + j];
            r += zv * zv;
            zdh += zv * dh[next + j];
        }
        sums[0] = r;
        sums[1] = zdh;
    }
}
