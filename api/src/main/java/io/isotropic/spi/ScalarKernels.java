package io.isotropic.spi;

import io.isotropic.activation.IsoTanh;

/**
 * Portable scalar implementations of the element-wise and row-wise kernels, the defaults of {@link RawKernels}
 * when a backend has nothing faster. Arrays are dense row-major; lengths are validated by the caller.
 * Reductions over float data accumulate in double precision.
 *
 * <p>These loops are code under test, not an oracle: every backend inherits them as its default, so the
 * conformance suite checks them (through each backend) against the separate reference loops of the
 * {@code isotropic-oracle} module ({@code io.isotropic.oracle.Reference}). The two must stay independent: the
 * oracle depends on the api and never calls these, and these must never call the oracle, or a mistake common to
 * both would pass unseen.
 */
public final class ScalarKernels {
    private ScalarKernels() {
    }

    /**
     * The textbook matrix product {@code C = alpha op(A) op(B) + beta C}, one dot product per entry (with
     * {@code beta == 0} C is not read), for a backend or test that needs products and nothing fast.
     *
     * @param ta A is stored transposed ({@code k x m})
     * @param tb B is stored transposed ({@code n x k})
     * @param m rows of C
     * @param n columns of C
     * @param k inner dimension
     * @param alpha product scale
     * @param a A, row-major
     * @param b B, row-major
     * @param beta scale of the old C
     * @param c C, row-major {@code m x n}; distinct from a and b
     */
    public static void gemm(boolean ta, boolean tb, int m, int n, int k, double alpha, double[] a, double[] b,
                            double beta, double[] c) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                }
                c[i * n + j] = alpha * s + (beta == 0 ? 0 : beta * c[i * n + j]);
            }
        }
    }

    /**
     * F32 twin of {@link #gemm(boolean, boolean, int, int, int, double, double[], double[], double, double[])},
     * accumulating in float as an F32 product does.
     *
     * @param ta A is stored transposed ({@code k x m})
     * @param tb B is stored transposed ({@code n x k})
     * @param m rows of C
     * @param n columns of C
     * @param k inner dimension
     * @param alpha product scale
     * @param a A, row-major
     * @param b B, row-major
     * @param beta scale of the old C
     * @param c C, row-major {@code m x n}; distinct from a and b
     */
    public static void gemm(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, float[] b,
                            float beta, float[] c) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0;
                for (int p = 0; p < k; p++) {
                    s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                }
                c[i * n + j] = alpha * s + (beta == 0 ? 0 : beta * c[i * n + j]);
            }
        }
    }

    /**
     * Adds a bias vector to every row: {@code y[i, j] += b[j]}.
     *
     * @param rows rows of y
     * @param cols columns of y and length of b
     * @param b the bias (not modified)
     * @param y the matrix (modified)
     */
    public static void addRowVector(int rows, int cols, double[] b, double[] y) {
        for (int i = 0; i < rows; i++) {
            int off = i * cols;
            for (int j = 0; j < cols; j++) {
                y[off + j] += b[j];
            }
        }
    }

    /**
     * Adds a bias vector to every row: {@code y[i, j] += b[j]}.
     *
     * @param rows rows of y
     * @param cols columns of y and length of b
     * @param b the bias (not modified)
     * @param y the matrix (modified)
     */
    public static void addRowVector(int rows, int cols, float[] b, float[] y) {
        for (int i = 0; i < rows; i++) {
            int off = i * cols;
            for (int j = 0; j < cols; j++) {
                y[off + j] += b[j];
            }
        }
    }

    /**
     * Squared norm of every row.
     *
     * @param rows number of rows
     * @param cols number of columns
     * @param x the matrix
     * @param out output, one value per row
     */
    public static void rowSquaredNorms(int rows, int cols, double[] x, double[] out) {
        for (int i = 0; i < rows; i++) {
            double s = 0;
            for (int j = 0, off = i * cols; j < cols; j++) {
                s += x[off + j] * x[off + j];
            }
            out[i] = s;
        }
    }

    /**
     * Squared norm of every row, accumulated in double.
     *
     * @param rows number of rows
     * @param cols number of columns
     * @param x the matrix
     * @param out output, one value per row
     */
    public static void rowSquaredNorms(int rows, int cols, float[] x, float[] out) {
        for (int i = 0; i < rows; i++) {
            double s = 0;
            for (int j = 0, off = i * cols; j < cols; j++) {
                double v = x[off + j];
                s += v * v;
            }
            out[i] = (float) s;
        }
    }

    /**
     * Isotropic-tanh forward pass; h may be the same array as z.
     *
     * @param rows number of rows
     * @param n row length
     * @param z pre-activations
     * @param o intrinsic length
     * @param eps small-ball radius
     * @param gains output gains, one per row
     * @param h output activations
     */
    public static void isoTanhForward(int rows, int n, double[] z, double o, double eps, double[] gains, double[] h) {
        for (int i = 0; i < rows; i++) {
            int off = i * n;
            double r = 0;
            for (int j = 0; j < n; j++) {
                r += z[off + j] * z[off + j];
            }
            double g = IsoTanh.gain(r, o, eps);
            gains[i] = g;
            for (int j = 0; j < n; j++) {
                h[off + j] = g * z[off + j];
            }
        }
    }

    /**
     * Isotropic-tanh forward pass in float storage (norm and gain computed in double); h may be z.
     *
     * @param rows number of rows
     * @param n row length
     * @param z pre-activations
     * @param o intrinsic length
     * @param eps small-ball radius
     * @param gains output gains, one per row
     * @param h output activations
     */
    public static void isoTanhForward(int rows, int n, float[] z, double o, double eps, float[] gains, float[] h) {
        for (int i = 0; i < rows; i++) {
            int off = i * n;
            double r = 0;
            for (int j = 0; j < n; j++) {
                double v = z[off + j];
                r += v * v;
            }
            float g = (float) IsoTanh.gain(r, o, eps);
            gains[i] = g;
            for (int j = 0; j < n; j++) {
                h[off + j] = g * z[off + j];
            }
        }
    }

    /**
     * Isotropic-tanh vector-Jacobian product; dz may be the same array as dh.
     *
     * @param rows number of rows
     * @param n row length
     * @param z pre-activations
     * @param gains forward gains
     * @param dh upstream gradient
     * @param gainGrad extra gradient per row with respect to the gain, or null
     * @param o intrinsic length
     * @param eps small-ball radius
     * @param dz output gradient
     * @return the gradient with respect to o
     */
    public static double isoTanhBackward(int rows, int n, double[] z, double[] gains, double[] dh, double[] gainGrad,
                                         double o, double eps, double[] dz) {
        double dO = 0;
        for (int i = 0; i < rows; i++) {
            int off = i * n;
            double r = 0;
            double zdh = 0;
            for (int j = 0; j < n; j++) {
                r += z[off + j] * z[off + j];
                zdh += z[off + j] * dh[off + j];
            }
            double gs = zdh + (gainGrad == null ? 0 : gainGrad[i]);
            double slope = IsoTanh.gainSlope(r, o, eps);
            double g = gains[i];
            double c = 2 * gs * slope;
            for (int j = 0; j < n; j++) {
                dz[off + j] = g * dh[off + j] + c * z[off + j];
            }
            dO += gs * slope;
        }
        return dO;
    }

    /**
     * Isotropic-tanh vector-Jacobian product in float storage (reductions in double); dz may be dh.
     *
     * @param rows number of rows
     * @param n row length
     * @param z pre-activations
     * @param gains forward gains
     * @param dh upstream gradient
     * @param gainGrad extra gradient per row with respect to the gain, or null
     * @param o intrinsic length
     * @param eps small-ball radius
     * @param dz output gradient
     * @return the gradient with respect to o
     */
    public static double isoTanhBackward(int rows, int n, float[] z, float[] gains, float[] dh, float[] gainGrad,
                                         double o, double eps, float[] dz) {
        double dO = 0;
        for (int i = 0; i < rows; i++) {
            int off = i * n;
            double r = 0;
            double zdh = 0;
            for (int j = 0; j < n; j++) {
                double zv = z[off + j];
                r += zv * zv;
                zdh += zv * dh[off + j];
            }
            double gs = zdh + (gainGrad == null ? 0 : gainGrad[i]);
            double slope = IsoTanh.gainSlope(r, o, eps);
            float g = gains[i];
            float c = (float) (2 * gs * slope);
            for (int j = 0; j < n; j++) {
                dz[off + j] = g * dh[off + j] + c * z[off + j];
            }
            dO += gs * slope;
        }
        return dO;
    }

    /**
     * Element-wise tanh; h may be z.
     *
     * @param n element count
     * @param z input
     * @param h output
     */
    public static void tanh(int n, double[] z, double[] h) {
        for (int i = 0; i < n; i++) {
            h[i] = Math.tanh(z[i]);
        }
    }

    /**
     * Element-wise tanh; h may be z.
     *
     * @param n element count
     * @param z input
     * @param h output
     */
    public static void tanh(int n, float[] z, float[] h) {
        for (int i = 0; i < n; i++) {
            h[i] = (float) Math.tanh(z[i]);
        }
    }

    /**
     * Element-wise tanh backward {@code dz = dh (1 - h^2)}; dz may alias h or dh.
     *
     * @param n element count
     * @param h forward output
     * @param dh upstream gradient
     * @param dz output
     */
    public static void tanhBackward(int n, double[] h, double[] dh, double[] dz) {
        for (int i = 0; i < n; i++) {
            double hv = h[i];
            dz[i] = dh[i] * (1 - hv * hv);
        }
    }

    /**
     * Element-wise tanh backward {@code dz = dh (1 - h^2)}; dz may alias h or dh.
     *
     * @param n element count
     * @param h forward output
     * @param dh upstream gradient
     * @param dz output
     */
    public static void tanhBackward(int n, float[] h, float[] dh, float[] dz) {
        for (int i = 0; i < n; i++) {
            float hv = h[i];
            dz[i] = dh[i] * (1 - hv * hv);
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
    public static void axpy(int n, double alpha, double[] x, double[] y) {
        for (int i = 0; i < n; i++) {
            y[i] += alpha * x[i];
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
    public static void axpy(int n, float alpha, float[] x, float[] y) {
        for (int i = 0; i < n; i++) {
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
    public static void scale(int n, double alpha, double[] x) {
        for (int i = 0; i < n; i++) {
            x[i] *= alpha;
        }
    }

    /**
     * {@code x *= alpha}.
     *
     * @param n element count
     * @param alpha scale
     * @param x the data
     */
    public static void scale(int n, float alpha, float[] x) {
        for (int i = 0; i < n; i++) {
            x[i] *= alpha;
        }
    }

    /**
     * Inner product.
     *
     * @param n element count
     * @param x first operand
     * @param y second operand
     * @return the sum of products
     */
    public static double dot(int n, double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += x[i] * y[i];
        }
        return s;
    }

    /**
     * Inner product accumulated in double.
     *
     * @param n element count
     * @param x first operand
     * @param y second operand
     * @return the sum of products
     */
    public static double dot(int n, float[] x, float[] y) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (double) x[i] * y[i];
        }
        return s;
    }

    /**
     * Column sums {@code out[j] (+)= sum_i x[i, j]}.
     *
     * @param rows rows of x
     * @param cols columns of x
     * @param x the matrix
     * @param out output
     * @param accumulate add to out instead of overwriting
     */
    public static void columnSums(int rows, int cols, double[] x, double[] out, boolean accumulate) {
        if (!accumulate) {
            java.util.Arrays.fill(out, 0, cols, 0.0);
        }
        for (int i = 0; i < rows; i++) {
            int off = i * cols;
            for (int j = 0; j < cols; j++) {
                out[j] += x[off + j];
            }
        }
    }

    /**
     * Column sums {@code out[j] (+)= sum_i x[i, j]}, accumulated in double.
     *
     * @param rows rows of x
     * @param cols columns of x
     * @param x the matrix
     * @param out output
     * @param accumulate add to out instead of overwriting
     */
    public static void columnSums(int rows, int cols, float[] x, float[] out, boolean accumulate) {
        double[] acc = new double[cols];
        for (int i = 0; i < rows; i++) {
            int off = i * cols;
            for (int j = 0; j < cols; j++) {
                acc[j] += x[off + j];
            }
        }
        for (int j = 0; j < cols; j++) {
            out[j] = (float) (accumulate ? out[j] + acc[j] : acc[j]);
        }
    }

    /**
     * One Adam/AdamW update (see {@link AdamStep}).
     *
     * @param s hyper-parameters
     * @param n element count
     * @param p parameter
     * @param g gradient
     * @param m first moment
     * @param v second moment
     */
    public static void adam(AdamStep s, int n, double[] p, double[] g, double[] m, double[] v) {
        double b1 = s.beta1();
        double b2 = s.beta2();
        double stepSize = s.lr() / s.biasCorrection1();
        double sqrtBc2 = Math.sqrt(s.biasCorrection2());
        double decay = s.decoupled() ? 1 - s.lr() * s.weightDecay() : 1;
        double l2 = s.decoupled() ? 0 : s.weightDecay();
        for (int i = 0; i < n; i++) {
            double gi = g[i] + l2 * p[i];
            double pi = p[i] * decay;
            double mi = b1 * m[i] + (1 - b1) * gi;
            double vi = b2 * v[i] + (1 - b2) * gi * gi;
            m[i] = mi;
            v[i] = vi;
            p[i] = pi - stepSize * mi / (Math.sqrt(vi) / sqrtBc2 + s.epsilon());
        }
    }

    /**
     * One Adam/AdamW update in float storage (arithmetic in float, as PyTorch does for float32).
     *
     * @param s hyper-parameters
     * @param n element count
     * @param p parameter
     * @param g gradient
     * @param m first moment
     * @param v second moment
     */
    public static void adam(AdamStep s, int n, float[] p, float[] g, float[] m, float[] v) {
        float b1 = (float) s.beta1();
        float b2 = (float) s.beta2();
        // 1 - beta is formed in double: in float, 1 - 0.999f has a relative error of 1.3e-5 (cancellation)
        float c1 = (float) (1 - s.beta1());
        float c2 = (float) (1 - s.beta2());
        float stepSize = (float) (s.lr() / s.biasCorrection1());
        float sqrtBc2 = (float) Math.sqrt(s.biasCorrection2());
        float decay = (float) (s.decoupled() ? 1 - s.lr() * s.weightDecay() : 1);
        float l2 = (float) (s.decoupled() ? 0 : s.weightDecay());
        float eps = (float) s.epsilon();
        for (int i = 0; i < n; i++) {
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
     * One SGD-with-momentum update (see {@link SgdStep}).
     *
     * @param s hyper-parameters
     * @param n element count
     * @param p parameter
     * @param g gradient
     * @param buf momentum buffer, or null when momentum is 0
     */
    public static void sgd(SgdStep s, int n, double[] p, double[] g, double[] buf) {
        double mu = s.momentum();
        for (int i = 0; i < n; i++) {
            double d = g[i] + s.weightDecay() * p[i];
            if (mu != 0) {
                double b = mu * buf[i] + d;
                buf[i] = b;
                d = s.nesterov() ? d + mu * b : b;
            }
            p[i] -= s.lr() * d;
        }
    }

    /**
     * One SGD-with-momentum update in float storage.
     *
     * @param s hyper-parameters
     * @param n element count
     * @param p parameter
     * @param g gradient
     * @param buf momentum buffer, or null when momentum is 0
     */
    public static void sgd(SgdStep s, int n, float[] p, float[] g, float[] buf) {
        float mu = (float) s.momentum();
        float wd = (float) s.weightDecay();
        float lr = (float) s.lr();
        for (int i = 0; i < n; i++) {
            float d = g[i] + wd * p[i];
            if (mu != 0) {
                float b = mu * buf[i] + d;
                buf[i] = b;
                d = s.nesterov() ? d + mu * b : b;
            }
            p[i] -= lr * d;
        }
    }
}
