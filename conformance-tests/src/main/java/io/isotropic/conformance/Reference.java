package io.isotropic.conformance;

import io.isotropic.activation.IsoTanh;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * Plain scalar reference loops in double precision, the oracle the contracts compare backends against. Inputs
 * are read as doubles (F32 values widen exactly), so for F32 data the reference is accurate to double precision.
 */
public final class Reference {
    private Reference() {
    }

    /**
     * {@code alpha op(A) op(B) + beta C} and the magnitude {@code |alpha| |op(A)| |op(B)| + |beta| |C|} used to
     * bound rounding errors.
     *
     * @param alpha product scale
     * @param a A
     * @param transA use A transposed
     * @param b B
     * @param transB use B transposed
     * @param beta scale of C
     * @param c old C (not modified)
     * @return {value, magnitude}, each {@code m x n} row-major
     */
    public static double[][] gemm(double alpha, Tensor a, boolean transA, Tensor b, boolean transB, double beta,
                                  Tensor c) {
        int m = transA ? a.cols() : a.rows();
        int k = transA ? a.rows() : a.cols();
        int n = transB ? b.rows() : b.cols();
        double[] val = new double[m * n];
        double[] mag = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                double sa = 0;
                for (int p = 0; p < k; p++) {
                    double x = transA ? a.get(p, i) : a.get(i, p);
                    double y = transB ? b.get(j, p) : b.get(p, j);
                    s += x * y;
                    sa += Math.abs(x * y);
                }
                double old = beta == 0 ? 0 : c.get(i, j);
                val[i * n + j] = alpha * s + beta * old;
                mag[i * n + j] = Math.abs(alpha) * sa + Math.abs(beta * old);
            }
        }
        return new double[][] {val, mag};
    }

    /**
     * Random dense matrix with i.i.d. standard normal entries.
     *
     * @param dtype dtype
     * @param seed seed
     * @param rows rows
     * @param cols columns
     * @return the matrix
     */
    public static Tensor gaussian(DType dtype, long seed, int rows, int cols) {
        return Tensor.randomNormal(dtype, seed, 1.0, rows, cols);
    }

    /**
     * Random orthogonal {@code n x n} matrix (Gram-Schmidt, applied twice, of a Gaussian matrix), in double.
     *
     * @param n order
     * @param rng random source
     * @return row-major {@code n x n} array
     */
    public static double[] randomOrthogonal(int n, SplittableRandom rng) {
        double[] q = new double[n * n];
        for (int i = 0; i < q.length; i++) {
            q[i] = rng.nextGaussian();
        }
        // orthonormalise the columns
        for (int j = 0; j < n; j++) {
            for (int pass = 0; pass < 2; pass++) {
                for (int p = 0; p < j; p++) {
                    double d = 0;
                    for (int i = 0; i < n; i++) {
                        d += q[i * n + p] * q[i * n + j];
                    }
                    for (int i = 0; i < n; i++) {
                        q[i * n + j] -= d * q[i * n + p];
                    }
                }
            }
            double norm = 0;
            for (int i = 0; i < n; i++) {
                norm += q[i * n + j] * q[i * n + j];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                q[i * n + j] /= norm;
            }
        }
        return q;
    }

    /**
     * Dense product of row-major double arrays.
     *
     * @param a {@code m x k}
     * @param b {@code k x n}
     * @param m rows of a
     * @param k inner size
     * @param n columns of b
     * @return {@code m x n}
     */
    public static double[] multiply(double[] a, double[] b, int m, int k, int n) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                double x = a[i * k + p];
                for (int j = 0; j < n; j++) {
                    c[i * n + j] += x * b[p * n + j];
                }
            }
        }
        return c;
    }

    /**
     * Builds {@code U diag(s) V^T} with the given singular values and random orthogonal factors.
     *
     * @param dtype dtype of the result
     * @param seed seed
     * @param m rows
     * @param n columns
     * @param s singular values, {@code min(m, n)} of them
     * @return the matrix (rounded to dtype)
     */
    public static Tensor withSingularValues(DType dtype, long seed, int m, int n, double[] s) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] u = randomOrthogonal(m, rng);
        double[] v = randomOrthogonal(n, rng);
        double[] us = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < Math.min(m, n); j++) {
                us[i * n + j] = u[i * m + j] * s[j];
            }
        }
        double[] vt = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                vt[i * n + j] = v[j * n + i];
            }
        }
        return Tensor.wrap(multiply(us, vt, m, n, n), m, n).to(dtype);
    }

    /**
     * Isotropic tanh forward in double: gains and activations.
     *
     * @param z pre-activations {@code [rows, n]}
     * @param o intrinsic length
     * @param eps small-ball radius
     * @return {gains (rows), h (rows * n)}
     */
    public static double[][] isoTanh(Tensor z, double o, double eps) {
        int rows = z.rows();
        int n = z.cols();
        double[] g = new double[rows];
        double[] h = new double[rows * n];
        for (int i = 0; i < rows; i++) {
            double r = 0;
            for (int j = 0; j < n; j++) {
                r += z.get(i, j) * z.get(i, j);
            }
            g[i] = IsoTanh.gain(r, o, eps);
            for (int j = 0; j < n; j++) {
                h[i * n + j] = g[i] * z.get(i, j);
            }
        }
        return new double[][] {g, h};
    }

    /**
     * Isotropic tanh backward in double, with an error-scale estimate per element.
     *
     * @param z pre-activations
     * @param gains gains of the forward pass (as the backend returned them)
     * @param dh upstream gradient
     * @param gainGrad extra gain gradient or null
     * @param o intrinsic length
     * @param eps small-ball radius
     * @return {dz (rows * n), magnitude (rows * n), {dO, |dO| magnitude}}
     */
    public static double[][] isoTanhBackward(Tensor z, Tensor gains, Tensor dh, Tensor gainGrad, double o, double eps) {
        int rows = z.rows();
        int n = z.cols();
        double[] dz = new double[rows * n];
        double[] mag = new double[rows * n];
        double dO = 0;
        double dOmag = 0;
        for (int i = 0; i < rows; i++) {
            double r = 0;
            double zdh = 0;
            double zdhAbs = 0;
            for (int j = 0; j < n; j++) {
                r += z.get(i, j) * z.get(i, j);
                zdh += z.get(i, j) * dh.get(i, j);
                zdhAbs += Math.abs(z.get(i, j) * dh.get(i, j));
            }
            double extra = gainGrad == null ? 0 : gainGrad.getFlat(i);
            double gs = zdh + extra;
            double gsAbs = zdhAbs + Math.abs(extra);
            double slope = IsoTanh.gainSlope(r, o, eps);
            double g = gains.getFlat(i);
            for (int j = 0; j < n; j++) {
                dz[i * n + j] = g * dh.get(i, j) + 2 * gs * slope * z.get(i, j);
                mag[i * n + j] = Math.abs(g * dh.get(i, j)) + 2 * gsAbs * Math.abs(slope * z.get(i, j));
            }
            dO += gs * slope;
            dOmag += gsAbs * Math.abs(slope);
        }
        return new double[][] {dz, mag, {dO, dOmag}};
    }
}
