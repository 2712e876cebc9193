package io.isotropic.conformance;

import io.isotropic.linalg.Svd;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.Tensor;

/**
 * Deliberately broken backends. Their suite classes are named without a {@code Test} suffix so that surefire
 * does not run them directly; {@link SuiteMetaTest} runs them and requires the suite to fail.
 */
final class BrokenSpecimens {
    private BrokenSpecimens() {
    }

    /** Returns singular values in ascending order (forgets to normalise, as a raw EJML SVD would). */
    static final class UnsortedSvdBackend extends ReferenceBackend {
        @Override
        public Svd svd(Tensor a) {
            Svd s = super.svd(a);
            int k = s.s().size();
            int m = s.u().rows();
            int n = s.v().rows();
            Tensor u = s.u().copy();
            Tensor v = s.v().copy();
            Tensor sv = s.s().copy();
            for (int i = 0; i < k; i++) {
                sv.setFlat(i, s.s().getFlat(k - 1 - i));
                for (int r = 0; r < m; r++) {
                    u.set(s.u().get(r, k - 1 - i), r, i);
                }
                for (int r = 0; r < n; r++) {
                    v.set(s.v().get(r, k - 1 - i), r, i);
                }
            }
            return new Svd(u, sv, v);
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

    /** Suite run of {@link UnsortedSvdBackend}. */
    static final class UnsortedSvdSuite implements BackendConformance {
        private final Backend backend = new UnsortedSvdBackend();

        @Override
        public Backend backend() {
            return backend;
        }

        @Override
        public String providerName() {
            return ReferenceBackend.NAME;
        }
    }

    /** Suite run of {@link TailDroppingKernels}. */
    static final class TailDroppingSuite implements BackendConformance {
        private final Backend backend = new ReferenceBackend(new TailDroppingKernels());

        @Override
        public Backend backend() {
            return backend;
        }

        @Override
        public String providerName() {
            return ReferenceBackend.NAME;
        }
    }

    /** Suite run of {@link WrongGradientKernels}. */
    static final class WrongGradientSuite implements BackendConformance {
        private final Backend backend = new ReferenceBackend(new WrongGradientKernels());

        @Override
        public Backend backend() {
            return backend;
        }

        @Override
        public String providerName() {
            return ReferenceBackend.NAME;
        }
    }
}
