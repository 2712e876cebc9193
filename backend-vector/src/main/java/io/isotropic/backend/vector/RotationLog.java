package io.isotropic.backend.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The rotations of consecutive QR sweeps, kept until a batch is full and then applied to both factors strip by
 * strip: a strip of {@code 4 L} columns of the active rows is copied into a contiguous buffer (it fits in L2),
 * every logged sweep runs down it with the running row held in four vector registers (four independent chains
 * hide the latency of each step), and the strip is copied back. A factor is thus read and written once per
 * batch instead of once per sweep, which matters once it no longer fits in cache (n = 512 is 2 MB).
 */
final class RotationLog {
    private static final VectorSpecies<Double> SP = Lanes.F64;
    private static final int L = SP.length();
    private static final int MAX_SWEEPS = 32;
    private static final int SW = 4 * L;
    final int[] ks = new int[MAX_SWEEPS];
    final int[] ps = new int[MAX_SWEEPS];
    final int[] offs = new int[MAX_SWEEPS];
    final double[] cv;
    final double[] sv;
    final double[] cu;
    final double[] su;
    final int capacity;
    int count;
    int used;
    private final double[][] bufs = {new double[0], new double[0]};
    private final Parallel par;
    private final boolean twoThreads;

    RotationLog(int n, Parallel par, boolean twoThreads) {
        this.par = par;
        this.twoThreads = twoThreads;
        capacity = Math.max(1, MAX_SWEEPS * Math.max(1, n - 1));
        cv = new double[capacity];
        sv = new double[capacity];
        cu = new double[capacity];
        su = new double[capacity];
    }

    /**
     * Logs a sweep on [k, p) and returns where its p - k - 1 rotations go, flushing first if full; either factor
     * may be null (not wanted), here and in {@link #flush}.
     */
    int reserve(int k, int p, double[] ut, int m, double[] vt, int n) {
        if (count == MAX_SWEEPS || used + p - k > capacity) {
            flush(ut, m, vt, n);
        }
        ks[count] = k;
        ps[count] = p;
        offs[count] = used;
        count++;
        used += p - k - 1;
        return used - (p - k - 1);
    }

    void flush(double[] ut, int m, double[] vt, int n) {
        if (count == 0) {
            return;
        }
        if (twoThreads && ut != null && vt != null) {
            par.run(2, part -> {
                if (part == 0) {
                    apply(vt, n, cv, sv, 0);
                } else {
                    apply(ut, m, cu, su, 1);
                }
            });
        } else {
            if (vt != null) {
                apply(vt, n, cv, sv, 0);
            }
            if (ut != null) {
                apply(ut, m, cu, su, 1);
            }
        }
        count = 0;
        used = 0;
    }

    private void apply(double[] q, int cols, double[] c, double[] s, int which) {
        int lo = Integer.MAX_VALUE;
        int hi = 0;
        for (int i = 0; i < count; i++) {
            lo = Math.min(lo, ks[i]);
            hi = Math.max(hi, ps[i]);
        }
        int rows = hi - lo;
        if (bufs[which].length < rows * SW) {
            bufs[which] = new double[rows * SW];
        }
        double[] b = bufs[which];
        int j0 = 0;
        for (; j0 + SW <= cols; j0 += SW) {
            for (int r = 0; r < rows; r++) {
                System.arraycopy(q, (lo + r) * cols + j0, b, r * SW, SW);
            }
            for (int i = 0; i < count; i++) {
                chain4(b, (ks[i] - lo) * SW, ps[i] - ks[i], c, s, offs[i]);
            }
            for (int r = 0; r < rows; r++) {
                System.arraycopy(b, r * SW, q, (lo + r) * cols + j0, SW);
            }
        }
        for (; j0 + L <= cols; j0 += L) {
            for (int i = 0; i < count; i++) {
                chain1(q, ks[i] * cols + j0, cols, ps[i] - ks[i], c, s, offs[i]);
            }
        }
        for (; j0 < cols; j0++) {
            for (int i = 0; i < count; i++) {
                int o = ks[i] * cols + j0;
                double x = q[o];
                for (int t = 0, off = offs[i]; t < ps[i] - ks[i] - 1; t++, off++) {
                    int o2 = o + cols;
                    double y = q[o2];
                    q[o] = Math.fma(x, c[off], s[off] * y);
                    x = Math.fma(y, c[off], -(s[off] * x));
                    o = o2;
                }
                q[o] = x;
            }
        }
    }

    /** One sweep of {@code len - 1} rotations down a strip of SW contiguous columns (row stride SW). */
    private static void chain4(double[] b, int o, int len, double[] c, double[] s, int off) {
        DoubleVector x0 = DoubleVector.fromArray(SP, b, o);
        DoubleVector x1 = DoubleVector.fromArray(SP, b, o + L);
        DoubleVector x2 = DoubleVector.fromArray(SP, b, o + 2 * L);
        DoubleVector x3 = DoubleVector.fromArray(SP, b, o + 3 * L);
        for (int t = 0; t < len - 1; t++, off++) {
            int o2 = o + SW;
            DoubleVector cs = DoubleVector.broadcast(SP, c[off]);
            DoubleVector sn = DoubleVector.broadcast(SP, s[off]);
            DoubleVector ns = sn.neg();
            DoubleVector y0 = DoubleVector.fromArray(SP, b, o2);
            DoubleVector y1 = DoubleVector.fromArray(SP, b, o2 + L);
            DoubleVector y2 = DoubleVector.fromArray(SP, b, o2 + 2 * L);
            DoubleVector y3 = DoubleVector.fromArray(SP, b, o2 + 3 * L);
            x0.fma(cs, y0.mul(sn)).intoArray(b, o);
            x1.fma(cs, y1.mul(sn)).intoArray(b, o + L);
            x2.fma(cs, y2.mul(sn)).intoArray(b, o + 2 * L);
            x3.fma(cs, y3.mul(sn)).intoArray(b, o + 3 * L);
            x0 = y0.fma(cs, x0.mul(ns));
            x1 = y1.fma(cs, x1.mul(ns));
            x2 = y2.fma(cs, x2.mul(ns));
            x3 = y3.fma(cs, x3.mul(ns));
            o = o2;
        }
        x0.intoArray(b, o);
        x1.intoArray(b, o + L);
        x2.intoArray(b, o + 2 * L);
        x3.intoArray(b, o + 3 * L);
    }

    /** One sweep down one vector of columns in place (row stride {@code stride}). */
    private static void chain1(double[] q, int o, int stride, int len, double[] c, double[] s, int off) {
        DoubleVector x0 = DoubleVector.fromArray(SP, q, o);
        for (int t = 0; t < len - 1; t++, off++) {
            int o2 = o + stride;
            DoubleVector cs = DoubleVector.broadcast(SP, c[off]);
            DoubleVector sn = DoubleVector.broadcast(SP, s[off]);
            DoubleVector y0 = DoubleVector.fromArray(SP, q, o2);
            x0.fma(cs, y0.mul(sn)).intoArray(q, o);
            x0 = y0.fma(cs, x0.mul(sn.neg()));
            o = o2;
        }
        x0.intoArray(q, o);
    }
}
