package io.isotropic.conformance;

import io.isotropic.spi.AdamStep;
import io.isotropic.spi.Backend;
import io.isotropic.spi.RawSvd;
import io.isotropic.spi.ScalarKernels;

/**
 * Deliberately broken backends for {@link SuiteMetaTest}: each is the reference front over reference kernels with
 * one raw hook broken, below the validating front, where a real backend's bug would be. Their suite classes are
 * named without a {@code Test} suffix so that surefire does not run them directly, and implement only the contract
 * interfaces the meta-test needs (running the whole suite per specimen would take minutes).
 */
final class BrokenSpecimens {
    private BrokenSpecimens() {
    }

    /**
     * Not broken: a valid raw SVD returned unsorted (ascending) and with every column of U and V negated, as a raw
     * EJML SVD may come; the front must normalise it, so the SVD contracts must all pass.
     */
    static final class UnnormalisedSvdKernels extends ReferenceBackend.Kernels {
        @Override
        public RawSvd svdF64(int m, int n, double[] a) {
            RawSvd r = super.svdF64(m, n, a);
            int k = r.s().length;
            double[] s = new double[k];
            double[] u = new double[m * m];
            double[] v = new double[n * n];
            double[] sorted = r.s().clone();
            Integer[] order = new Integer[k];
            for (int i = 0; i < k; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (x, y) -> Double.compare(sorted[x], sorted[y]));
            for (int dst = 0; dst < k; dst++) {
                int src = order[dst];
                s[dst] = r.s()[src];
                for (int i = 0; i < m; i++) {
                    u[i * m + dst] = -r.u()[i * m + src];
                }
                for (int i = 0; i < n; i++) {
                    v[i * n + dst] = -r.v()[i * n + src];
                }
            }
            for (int c = k; c < m; c++) {
                for (int i = 0; i < m; i++) {
                    u[i * m + c] = -r.u()[i * m + c];
                }
            }
            for (int c = k; c < n; c++) {
                for (int i = 0; i < n; i++) {
                    v[i * n + c] = -r.v()[i * n + c];
                }
            }
            return new RawSvd(u, s, v);
        }
    }

    /**
     * A raw SVD whose singular values are off by a relative {@code 10^-6}, alternately up and down (an iteration
     * that stopped too early); values-only takes them from it.
     */
    static final class NoisySvdKernels extends ReferenceBackend.Kernels {
        @Override
        public RawSvd svdF64(int m, int n, double[] a) {
            RawSvd r = super.svdF64(m, n, a);
            double[] s = r.s().clone();
            for (int i = 0; i < s.length; i++) {
                s[i] *= 1 + (i % 2 == 0 ? 1e-6 : -1e-6);
            }
            return new RawSvd(r.u(), s, r.v());
        }
    }

    /** Drops the remainder columns when n is not a multiple of 8, as a SIMD kernel without a tail loop would. */
    static final class TailDroppingKernels extends ReferenceBackend.Kernels {
        @Override
        public void gemmF64(boolean ta, boolean tb, int m, int n, int k, double alpha, double[] a, double[] b,
                            double beta, double[] c) {
            double[] full = c.clone();
            super.gemmF64(ta, tb, m, n, k, alpha, a, b, beta, full);
            int body = n - n % 8;
            for (int i = 0; i < m; i++) {
                System.arraycopy(full, i * n, c, i * n, body);
            }
        }

        @Override
        public void rowSquaredNormsF32(int rows, int cols, float[] x, float[] out) {
            int body = cols - cols % 8;
            for (int i = 0; i < rows; i++) {
                double s = 0;
                for (int j = 0; j < body; j++) {
                    s += (double) x[i * cols + j] * x[i * cols + j];
                }
                out[i] = (float) s;
            }
        }
    }

    /** Forgets the {@code 2 gs G' z} term of the isotropic-tanh backward pass (treats the gain as a constant). */
    static final class WrongGradientKernels extends ReferenceBackend.Kernels {
        @Override
        public double isoTanhBackwardF64(int rows, int n, double[] z, double[] gains, double[] dh,
                                         double[] gainGrad, double o, double eps, double[] dz) {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < n; j++) {
                    dz[i * n + j] = gains[i] * dh[i * n + j];
                }
            }
            return 0;
        }
    }

    /** The forward activation ignores the intrinsic length {@code o} (computes the gain as if {@code o = 0}). */
    static final class IgnoresIntrinsicLengthKernels extends ReferenceBackend.Kernels {
        @Override
        public void isoTanhForwardF64(int rows, int n, double[] z, double o, double eps, double[] gains, double[] h) {
            ScalarKernels.isoTanhForward(rows, n, z, 0.0, eps, gains, h);
        }

        @Override
        public void isoTanhForwardF32(int rows, int n, float[] z, double o, double eps, float[] gains, float[] h) {
            ScalarKernels.isoTanhForward(rows, n, z, 0.0, eps, gains, h);
        }
    }

    /**
     * The forward activation ignores the small-ball branch: {@code G = tanh(rho) / rho} for every {@code rho > 0}
     * (and 1 at {@code rho = 0}, so that it does not fail merely by producing NaN).
     */
    static final class IgnoresSmallBallKernels extends ReferenceBackend.Kernels {
        private static double gain(double r, double o) {
            double rho = Math.sqrt(Math.abs(r + o));
            return rho == 0 ? 1.0 : Math.tanh(rho) / rho;
        }

        @Override
        public void isoTanhForwardF64(int rows, int n, double[] z, double o, double eps, double[] gains, double[] h) {
            for (int i = 0; i < rows; i++) {
                double r = 0;
                for (int j = 0; j < n; j++) {
                    r += z[i * n + j] * z[i * n + j];
                }
                double g = gain(r, o);
                gains[i] = g;
                for (int j = 0; j < n; j++) {
                    h[i * n + j] = g * z[i * n + j];
                }
            }
        }

        @Override
        public void isoTanhForwardF32(int rows, int n, float[] z, double o, double eps, float[] gains, float[] h) {
            for (int i = 0; i < rows; i++) {
                double r = 0;
                for (int j = 0; j < n; j++) {
                    r += (double) z[i * n + j] * z[i * n + j];
                }
                float g = (float) gain(r, o);
                gains[i] = g;
                for (int j = 0; j < n; j++) {
                    h[i * n + j] = g * z[i * n + j];
                }
            }
        }
    }

    /** The F32 product is computed in double and rounded to float only at the end (more accurate, but not F32). */
    static final class F32ProductInF64Kernels extends ReferenceBackend.Kernels {
        @Override
        public void gemmF32(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, float[] b,
                            float beta, float[] c) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += (double) (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                    }
                    c[i * n + j] = (float) (alpha * s + (beta == 0 ? 0 : (double) beta * c[i * n + j]));
                }
            }
        }
    }

    /** Adam without bias correction: the step is {@code lr m / (sqrt(v) + eps)} with the raw moments. */
    static final class AdamWithoutBiasCorrectionKernels extends ReferenceBackend.Kernels {
        @Override
        public void adamF64(AdamStep s, int n, double[] p, double[] g, double[] m, double[] v) {
            double decay = s.decoupled() ? 1 - s.lr() * s.weightDecay() : 1;
            double l2 = s.decoupled() ? 0 : s.weightDecay();
            for (int i = 0; i < n; i++) {
                double gi = g[i] + l2 * p[i];
                m[i] = s.beta1() * m[i] + (1 - s.beta1()) * gi;
                v[i] = s.beta2() * v[i] + (1 - s.beta2()) * gi * gi;
                p[i] = p[i] * decay - s.lr() * m[i] / (Math.sqrt(v[i]) + s.epsilon());
            }
        }

        @Override
        public void adamF32(AdamStep s, int n, float[] p, float[] g, float[] m, float[] v) {
            double[] pd = new double[n];
            double[] gd = new double[n];
            double[] md = new double[n];
            double[] vd = new double[n];
            for (int i = 0; i < n; i++) {
                pd[i] = p[i];
                gd[i] = g[i];
                md[i] = m[i];
                vd[i] = v[i];
            }
            adamF64(s, n, pd, gd, md, vd);
            for (int i = 0; i < n; i++) {
                p[i] = (float) pd[i];
                m[i] = (float) md[i];
                v[i] = (float) vd[i];
            }
        }
    }

    /** A fixture over one specimen. */
    private abstract static class Specimen implements BackendFixture {
        private final Backend backend;

        Specimen(ReferenceBackend.Kernels kernels) {
            this.backend = new ReferenceBackend(kernels);
        }

        @Override
        public Backend backend() {
            return backend;
        }

        @Override
        public String providerName() {
            return ReferenceBackend.NAME;
        }
    }

    /** The SVD contracts over {@link UnnormalisedSvdKernels}. */
    static final class UnnormalisedSvdSuite extends Specimen implements SvdContract {
        UnnormalisedSvdSuite() {
            super(new UnnormalisedSvdKernels());
        }
    }

    /** The SVD contracts over {@link NoisySvdKernels}. */
    static final class NoisySvdSuite extends Specimen implements SvdContract {
        NoisySvdSuite() {
            super(new NoisySvdKernels());
        }
    }

    /** The kernel contracts over {@link TailDroppingKernels}. */
    static final class TailDroppingSuite extends Specimen implements KernelContract {
        TailDroppingSuite() {
            super(new TailDroppingKernels());
        }
    }

    /** The activation and network contracts over {@link WrongGradientKernels}. */
    static final class WrongGradientSuite extends Specimen implements IsoTanhContract, NetworkContract {
        WrongGradientSuite() {
            super(new WrongGradientKernels());
        }
    }

    /** The activation contracts over {@link IgnoresIntrinsicLengthKernels}. */
    static final class IgnoresIntrinsicLengthSuite extends Specimen implements IsoTanhContract {
        IgnoresIntrinsicLengthSuite() {
            super(new IgnoresIntrinsicLengthKernels());
        }
    }

    /** The activation contracts over {@link IgnoresSmallBallKernels}. */
    static final class IgnoresSmallBallSuite extends Specimen implements IsoTanhContract {
        IgnoresSmallBallSuite() {
            super(new IgnoresSmallBallKernels());
        }
    }

    /** The kernel contracts over {@link F32ProductInF64Kernels}. */
    static final class F32ProductInF64Suite extends Specimen implements KernelContract {
        F32ProductInF64Suite() {
            super(new F32ProductInF64Kernels());
        }
    }

    /** The kernel contracts over {@link AdamWithoutBiasCorrectionKernels}. */
    static final class AdamWithoutBiasCorrectionSuite extends Specimen implements KernelContract {
        AdamWithoutBiasCorrectionSuite() {
            super(new AdamWithoutBiasCorrectionKernels());
        }
    }
}
