package io.isotropic.backend.vector;

import io.isotropic.spi.AdamStep;
import io.isotropic.spi.SgdStep;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Double-precision row-wise and element-wise kernels: full vectors through the main loops, a scalar loop for the
 * remaining {@code n mod L} elements. Each kernel performs the same roundings in the same order as its
 * {@link io.isotropic.spi.ScalarKernels} counterpart, except that sums are split over several vector accumulators.
 */
final class ElementwiseF64 {
    private static final VectorSpecies<Double> SP = Lanes.F64;
    private static final int L = SP.length();

    private ElementwiseF64() {
    }

    /**
     * Sum of squares of {@code x[off .. off+n)}.
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
     * Inner product of {@code x[xo ..]} and {@code y[yo ..]} over n elements.
     *
     * @param n element count
     * @param x first operand
     * @param xo its offset
     * @param y second operand
     * @param yo its offset
     * @return {@code sum x_j y_j}
     */
    static double dot(int n, double[] x, int xo, double[] y, int yo) {
        DoubleVector s0 = DoubleVector.zero(SP);
        DoubleVector s1 = s0;
        int j = 0;
        for (; j + 2 * L <= n; j += 2 * L) {
            s0 = DoubleVector.fromArray(SP, x, xo + j).fma(DoubleVector.fromArray(SP, y, yo + j), s0);
            s1 = DoubleVector.fromArray(SP, x, xo + j + L).fma(DoubleVector.fromArray(SP, y, yo + j + L), s1);
        }
        if (j + L <= n) {
            s0 = DoubleVector.fromArray(SP, x, xo + j).fma(DoubleVector.fromArray(SP, y, yo + j), s0);
            j += L;
        }
        double s = Lanes.sum(s0.add(s1));
        for (; j < n; j++) {
            s += x[xo + j] * y[yo + j];
        }
        return s;
    }

    /**
     * Squared norm of every row, split over rows when the matrix is large.
     *
     * @param par the workers
     * @param rows rows
     * @param cols columns
     * @param x the matrix
     * @param out one value per row
     */
    static void rowSquaredNorms(Parallel par, int rows, int cols, double[] x, double[] out) {
        int parts = par.streamParts((long) rows * cols, rows);
        par.run(parts, part -> {
            int end = Parallel.start(rows, part + 1, parts);
            for (int i = Parallel.start(rows, part, parts); i < end; i++) {
                out[i] = sumSquares(x, i * cols, cols);
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
    static void addRowVector(int rows, int cols, double[] b, double[] y) {
        for (int i = 0; i < rows; i++) {
            int off = i * cols;
            int j = 0;
            for (; j + L <= cols; j += L) {
                DoubleVector.fromArray(SP, y, off + j).add(DoubleVector.fromArray(SP, b, j)).intoArray(y, off + j);
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
    static void fillRows(int rows, int cols, double[] b, double[] y) {
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
    static void axpy(int n, double alpha, double[] x, double[] y) {
        int i = 0;
        for (int bound = SP.loopBound(n); i < bound; i += L) {
            DoubleVector.fromArray(SP, x, i).mul(alpha).add(DoubleVector.fromArray(SP, y, i)).intoArray(y, i);
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
    static void scale(int n, double alpha, double[] x) {
        int i = 0;
        for (int bound = SP.loopBound(n); i < bound; i += L) {
            DoubleVector.fromArray(SP, x, i).mul(alpha).intoArray(x, i);
        }
        for (; i < n; i++) {
            x[i] *= alpha;
        }
    }

    /**
     * Element-wise tanh: scalar {@code Math.tanh}, which on this JDK beats the vectorised {@code lanewise(TANH)}
     * for doubles and is within 2.5 ulp.
     *
     * @param n element count
     * @param z input
     * @param h output (may be z)
     */
    static void tanh(int n, double[] z, double[] h) {
        for (int i = 0; i < n; i++) {
            h[i] = Math.tanh(z[i]);
        }
    }

    /**
     * {@code dz = dh (1 - h^2)}; dz may alias h or dh.
     *
     * @param n element count
     * @param h forward output
     * @param dh upstream gradient
     * @param dz output
     */
    static void tanhBackward(int n, double[] h, double[] dh, double[] dz) {
        int i = 0;
        for (int bound = SP.loopBound(n); i < bound; i += L) {
            DoubleVector hv = DoubleVector.fromArray(SP, h, i);
            DoubleVector.fromArray(SP, dh, i).mul(hv.mul(hv).neg().add(1.0)).intoArray(dz, i);
        }
        for (; i < n; i++) {
            double hv = h[i];
            dz[i] = dh[i] * (1 - hv * hv);
        }
    }

    /**
     * Column sums {@code out[j] (+)= sum_i x[i, j]}, four vectors of columns at a time held in registers.
     *
     * @param rows rows
     * @param cols columns
     * @param x the matrix
     * @param out output
     * @param accumulate add to out instead of overwriting
     */
    static void columnSums(int rows, int cols, double[] x, double[] out, boolean accumulate) {
        int j = 0;
        for (; j + 4 * L <= cols; j += 4 * L) {
            DoubleVector s0 = DoubleVector.zero(SP);
            DoubleVector s1 = s0;
            DoubleVector s2 = s0;
            DoubleVector s3 = s0;
            for (int i = 0, o = j; i < rows; i++, o += cols) {
                s0 = s0.add(DoubleVector.fromArray(SP, x, o));
                s1 = s1.add(DoubleVector.fromArray(SP, x, o + L));
                s2 = s2.add(DoubleVector.fromArray(SP, x, o + 2 * L));
                s3 = s3.add(DoubleVector.fromArray(SP, x, o + 3 * L));
            }
            store(s0, out, j, accumulate);
            store(s1, out, j + L, accumulate);
            store(s2, out, j + 2 * L, accumulate);
            store(s3, out, j + 3 * L, accumulate);
        }
        for (; j + L <= cols; j += L) {
            DoubleVector s0 = DoubleVector.zero(SP);
            for (int i = 0, o = j; i < rows; i++, o += cols) {
                s0 = s0.add(DoubleVector.fromArray(SP, x, o));
            }
            store(s0, out, j, accumulate);
        }
        for (; j < cols; j++) {
            double s = 0;
            for (int i = 0, o = j; i < rows; i++, o += cols) {
                s += x[o];
            }
            out[j] = accumulate ? out[j] + s : s;
        }
    }

    private static void store(DoubleVector s, double[] out, int j, boolean accumulate) {
        (accumulate ? s.add(DoubleVector.fromArray(SP, out, j)) : s).intoArray(out, j);
    }

    /**
     * One Adam/AdamW update, with the roundings of {@link io.isotropic.spi.ScalarKernels#adam}.
     *
     * @param s hyper-parameters
     * @param n element count
     * @param p parameter
     * @param g gradient
     * @param m first moment
     * @param v second moment
     */
    static void adam(AdamStep s, int n, double[] p, double[] g, double[] m, double[] v) {
        double b1 = s.beta1();
        double b2 = s.beta2();
        double c1 = 1 - b1;
        double c2 = 1 - b2;
        double stepSize = s.lr() / s.biasCorrection1();
        double sqrtBc2 = Math.sqrt(s.biasCorrection2());
        double decay = s.decoupled() ? 1 - s.lr() * s.weightDecay() : 1;
        double l2 = s.decoupled() ? 0 : s.weightDecay();
        double eps = s.epsilon();
        int i = 0;
        for (int bound = SP.loopBound(n); i < bound; i += L) {
            DoubleVector pv = DoubleVector.fromArray(SP, p, i);
            DoubleVector gi = DoubleVector.fromArray(SP, g, i).add(pv.mul(l2));
            DoubleVector pi = pv.mul(decay);
            DoubleVector mi = DoubleVector.fromArray(SP, m, i).mul(b1).add(gi.mul(c1));
            DoubleVector vi = DoubleVector.fromArray(SP, v, i).mul(b2).add(gi.mul(c2).mul(gi));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            pi.sub(mi.mul(stepSize).div(vi.sqrt().div(sqrtBc2).add(eps))).intoArray(p, i);
        }
        for (; i < n; i++) {
            double gi = g[i] + l2 * p[i];
            double pi = p[i] * decay;
            double mi = b1 * m[i] + c1 * gi;
            double vi = b2 * v[i] + c2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            p[i] = pi - stepSize * mi / (Math.sqrt(vi) / sqrtBc2 + eps);
        }
    }

    /**
     * One SGD-with-momentum update, with the roundings of {@link io.isotropic.spi.ScalarKernels#sgd}.
     *
     * @param s hyper-parameters
     * @param n element count
     * @param p parameter
     * @param g gradient
     * @param buf momentum buffer, or null when momentum is 0
     */
    static void sgd(SgdStep s, int n, double[] p, double[] g, double[] buf) {
        double mu = s.momentum();
        double wd = s.weightDecay();
        double lr = s.lr();
        boolean nesterov = s.nesterov();
        int i = 0;
        int bound = SP.loopBound(n);
        if (mu == 0) {
            for (; i < bound; i += L) {
                DoubleVector pv = DoubleVector.fromArray(SP, p, i);
                DoubleVector d = DoubleVector.fromArray(SP, g, i).add(pv.mul(wd));
                pv.sub(d.mul(lr)).intoArray(p, i);
            }
        } else {
            for (; i < bound; i += L) {
                DoubleVector pv = DoubleVector.fromArray(SP, p, i);
                DoubleVector d = DoubleVector.fromArray(SP, g, i).add(pv.mul(wd));
                DoubleVector b = DoubleVector.fromArray(SP, buf, i).mul(mu).add(d);
                b.intoArray(buf, i);
                d = nesterov ? d.add(b.mul(mu)) : b;
                pv.sub(d.mul(lr)).intoArray(p, i);
            }
        }
        for (; i < n; i++) {
            double d = g[i] + wd * p[i];
            if (mu != 0) {
                double b = mu * buf[i] + d;
                buf[i] = b;
                d = nesterov ? d + mu * b : b;
            }
            p[i] -= lr * d;
        }
    }
}
