package io.isotropic.backend.vector;

import io.isotropic.spi.AdamStep;
import io.isotropic.spi.SgdStep;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-precision row-wise and element-wise kernels, mirroring {@link ElementwiseF64}. Reductions (squared norms,
 * inner products, column sums) accumulate in double, as {@link io.isotropic.spi.ScalarKernels} does: float data is
 * loaded with a half-width species and widened to a full double vector ({@code F2D}); products of two floats are
 * exact in double, so each FMA step rounds exactly as the scalar {@code s += (double) x * y}. Element-wise updates
 * use float arithmetic with the scalar kernels' roundings.
 */
final class ElementwiseF32 {
    private static final VectorSpecies<Float> SP = Lanes.F32;
    private static final int L = SP.length();
    private static final VectorSpecies<Float> HALF = Lanes.F32_HALF;
    private static final VectorSpecies<Double> DSP = Lanes.F64;
    private static final int LH = HALF.length();

    private ElementwiseF32() {
    }

    /** Loads {@code LH} floats at {@code x[i]} as one double vector. */
    static DoubleVector widen(float[] x, int i) {
        return (DoubleVector) FloatVector.fromArray(HALF, x, i).convertShape(VectorOperators.F2D, DSP, 0);
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
        for (; j + 2 * LH <= n; j += 2 * LH) {
            DoubleVector v0 = widen(x, off + j);
            DoubleVector v1 = widen(x, off + j + LH);
            s0 = v0.fma(v0, s0);
            s1 = v1.fma(v1, s1);
        }
        if (j + LH <= n) {
            DoubleVector v0 = widen(x, off + j);
            s0 = v0.fma(v0, s0);
            j += LH;
        }
        double s = Lanes.sum(s0.add(s1));
        for (; j < n; j++) {
            double v = x[off + j];
            s += v * v;
        }
        return s;
    }

    /**
     * Inner product accumulated in double.
     *
     * @param n element count
     * @param x first operand
     * @param xo its offset
     * @param y second operand
     * @param yo its offset
     * @return {@code sum x_j y_j}
     */
    static double dot(int n, float[] x, int xo, float[] y, int yo) {
        DoubleVector s0 = DoubleVector.zero(DSP);
        DoubleVector s1 = s0;
        int j = 0;
        for (; j + 2 * LH <= n; j += 2 * LH) {
            s0 = widen(x, xo + j).fma(widen(y, yo + j), s0);
            s1 = widen(x, xo + j + LH).fma(widen(y, yo + j + LH), s1);
        }
        if (j + LH <= n) {
            s0 = widen(x, xo + j).fma(widen(y, yo + j), s0);
            j += LH;
        }
        double s = Lanes.sum(s0.add(s1));
        for (; j < n; j++) {
            s += (double) x[xo + j] * y[yo + j];
        }
        return s;
    }

    /**
     * Squared norm of every row (in double, rounded once), split over rows when the matrix is large.
     *
     * @param par the workers
     * @param rows rows
     * @param cols columns
     * @param x the matrix
     * @param out one value per row
     */
    static void rowSquaredNorms(Parallel par, int rows, int cols, float[] x, float[] out) {
        int parts = par.streamParts((long) rows * cols, rows);
        par.run(parts, part -> {
            int end = Parallel.start(rows, part + 1, parts);
            for (int i = Parallel.start(rows, part, parts); i < end; i++) {
                out[i] = (float) sumSquares(x, i * cols, cols);
            }
        });
    }

    /**
     * {@code y[i, j] += b[j]} for every row.
     *
     * @param rows rows of y
     * @param cols columns of y, length of b
     * @param b the row vector
     * @param y the matrix
     */
    static void addRowVector(int rows, int cols, float[] b, float[] y) {
        for (int i = 0; i < rows; i++) {
            int off = i * cols;
            int j = 0;
            for (; j + L <= cols; j += L) {
                FloatVector.fromArray(SP, y, off + j).add(FloatVector.fromArray(SP, b, j)).intoArray(y, off + j);
            }
            for (; j < cols; j++) {
                y[off + j] += b[j];
            }
        }
    }

    /**
     * Copies the row vector b into every row of y.
     *
     * @param rows rows of y
     * @param cols columns of y, length of b
     * @param b the row vector
     * @param y the matrix (overwritten)
     */
    static void fillRows(int rows, int cols, float[] b, float[] y) {
        for (int i = 0; i < rows; i++) {
            System.arraycopy(b, 0, y, i * cols, cols);
        }
    }

    /**
     * {@code y += alpha x}.
     *
     * @param n element count
     * @param alpha scale
     * @param x addend
     * @param y accumulator
     */
    static void axpy(int n, float alpha, float[] x, float[] y) {
        int i = 0;
        for (int bound = SP.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(SP, x, i).mul(alpha).add(FloatVector.fromArray(SP, y, i)).intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] += alpha * x[i];
        }
    }

    /**
     * {@code x *= alpha}.
     *
     * @param n element count
     * @param alpha scale
     * @param x the data
     */
    static void scale(int n, float alpha, float[] x) {
        int i = 0;
        for (int bound = SP.loopBound(n); i < bound; i += L) {
            FloatVector.fromArray(SP, x, i).mul(alpha).intoArray(x, i);
        }
        for (; i < n; i++) {
            x[i] *= alpha;
        }
    }

    /**
     * Element-wise tanh through scalar {@code Math.tanh} (within 2.5 ulp), rounded to float.
     *
     * @param n element count
     * @param z input
     * @param h output (may be z)
     */
    static void tanh(int n, float[] z, float[] h) {
        for (int i = 0; i < n; i++) {
            h[i] = (float) Math.tanh(z[i]);
        }
    }

    /**
     * {@code dz = dh (1 - h^2)} in float; dz may alias h or dh.
     *
     * @param n element count
     * @param h forward output
     * @param dh upstream gradient
     * @param dz output
     */
    static void tanhBackward(int n, float[] h, float[] dh, float[] dz) {
        int i = 0;
        for (int bound = SP.loopBound(n); i < bound; i += L) {
            FloatVector hv = FloatVector.fromArray(SP, h, i);
            FloatVector.fromArray(SP, dh, i).mul(hv.mul(hv).neg().add(1.0f)).intoArray(dz, i);
        }
        for (; i < n; i++) {
            float hv = h[i];
            dz[i] = dh[i] * (1 - hv * hv);
        }
    }

    /**
     * Column sums accumulated in double and rounded once: {@code out[j] = (float) (sum_i x[i, j] (+ out[j]))}.
     *
     * @param rows rows
     * @param cols columns
     * @param x the matrix
     * @param out output
     * @param accumulate add to out instead of overwriting
     */
    static void columnSums(int rows, int cols, float[] x, float[] out, boolean accumulate) {
        int j = 0;
        for (; j + 4 * LH <= cols; j += 4 * LH) {
            DoubleVector s0 = DoubleVector.zero(DSP);
            DoubleVector s1 = s0;
            DoubleVector s2 = s0;
            DoubleVector s3 = s0;
            for (int i = 0, o = j; i < rows; i++, o += cols) {
                s0 = s0.add(widen(x, o));
                s1 = s1.add(widen(x, o + LH));
                s2 = s2.add(widen(x, o + 2 * LH));
                s3 = s3.add(widen(x, o + 3 * LH));
            }
            store(s0, out, j, accumulate);
            store(s1, out, j + LH, accumulate);
            store(s2, out, j + 2 * LH, accumulate);
            store(s3, out, j + 3 * LH, accumulate);
        }
        for (; j + LH <= cols; j += LH) {
            DoubleVector s0 = DoubleVector.zero(DSP);
            for (int i = 0, o = j; i < rows; i++, o += cols) {
                s0 = s0.add(widen(x, o));
            }
            store(s0, out, j, accumulate);
        }
        for (; j < cols; j++) {
            double s = 0;
            for (int i = 0, o = j; i < rows; i++, o += cols) {
                s += x[o];
            }
            out[j] = (float) (accumulate ? out[j] + s : s);
        }
    }

    private static void store(DoubleVector s, float[] out, int j, boolean accumulate) {
        DoubleVector t = accumulate ? s.add(widen(out, j)) : s;
        ((FloatVector) t.convertShape(VectorOperators.D2F, HALF, 0)).intoArray(out, j);
    }

    /**
     * One Adam/AdamW update in float, with the roundings of {@link io.isotropic.spi.ScalarKernels#adam}
     * (including {@code 1 - beta} formed in double).
     *
     * @param s hyper-parameters
     * @param n element count
     * @param p parameter
     * @param g gradient
     * @param m first moment
     * @param v second moment
     */
    static void adam(AdamStep s, int n, float[] p, float[] g, float[] m, float[] v) {
        float b1 = (float) s.beta1();
        float b2 = (float) s.beta2();
        float c1 = (float) (1 - s.beta1());
        float c2 = (float) (1 - s.beta2());
        float stepSize = (float) (s.lr() / s.biasCorrection1());
        float sqrtBc2 = (float) Math.sqrt(s.biasCorrection2());
        float decay = (float) (s.decoupled() ? 1 - s.lr() * s.weightDecay() : 1);
        float l2 = (float) (s.decoupled() ? 0 : s.weightDecay());
        float eps = (float) s.epsilon();
        int i = 0;
        for (int bound = SP.loopBound(n); i < bound; i += L) {
            FloatVector pv = FloatVector.fromArray(SP, p, i);
            FloatVector gi = FloatVector.fromArray(SP, g, i).add(pv.mul(l2));
            FloatVector pi = pv.mul(decay);
            FloatVector mi = FloatVector.fromArray(SP, m, i).mul(b1).add(gi.mul(c1));
            FloatVector vi = FloatVector.fromArray(SP, v, i).mul(b2).add(gi.mul(c2).mul(gi));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            pi.sub(mi.mul(stepSize).div(vi.sqrt().div(sqrtBc2).add(eps))).intoArray(p, i);
        }
        for (; i < n; i++) {
            float gi = g[i] + l2 * p[i];
            float pi = p[i] * decay;
            float mi = b1 * m[i] + c1 * gi;
            float vi = b2 * v[i] + c2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            p[i] = pi - stepSize * mi / ((float) Math.sqrt(vi) / sqrtBc2 + eps);
        }
    }

    /**
     * One SGD-with-momentum update in float, with the roundings of {@link io.isotropic.spi.ScalarKernels#sgd}.
     *
     * @param s hyper-parameters
     * @param n element count
     * @param p parameter
     * @param g gradient
     * @param buf momentum buffer, or null when momentum is 0
     */
    static void sgd(SgdStep s, int n, float[] p, float[] g, float[] buf) {
        float mu = (float) s.momentum();
        float wd = (float) s.weightDecay();
        float lr = (float) s.lr();
        boolean nesterov = s.nesterov();
        int i = 0;
        int bound = SP.loopBound(n);
        if (mu == 0) {
            for (; i < bound; i += L) {
                FloatVector pv = FloatVector.fromArray(SP, p, i);
                FloatVector d = FloatVector.fromArray(SP, g, i).add(pv.mul(wd));
                pv.sub(d.mul(lr)).intoArray(p, i);
            }
        } else {
            for (; i < bound; i += L) {
                FloatVector pv = FloatVector.fromArray(SP, p, i);
                FloatVector d = FloatVector.fromArray(SP, g, i).add(pv.mul(wd));
                FloatVector b = FloatVector.fromArray(SP, buf, i).mul(mu).add(d);
                b.intoArray(buf, i);
                d = nesterov ? d.add(b.mul(mu)) : b;
                pv.sub(d.mul(lr)).intoArray(p, i);
            }
        }
        for (; i < n; i++) {
            float d = g[i] + wd * p[i];
            if (mu != 0) {
                float b = mu * buf[i] + d;
                buf[i] = b;
                d = nesterov ? d + mu * b : b;
            }
            p[i] -= lr * d;
        }
    }
}
