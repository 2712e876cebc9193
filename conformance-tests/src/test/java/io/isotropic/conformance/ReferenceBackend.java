package io.isotropic.conformance;

import io.isotropic.spi.AbstractBackend;
import io.isotropic.spi.RawKernels;
import io.isotropic.spi.RawSvd;
import io.isotropic.spi.ScalarKernels;

/**
 * A deliberately plain backend for testing the suite itself: triple-loop products ({@link ScalarKernels#gemm})
 * and a one-sided Jacobi SVD (Hestenes), all in double precision ({@link Kernels}). The meta-tests' specimens
 * subclass the kernels and break one raw hook each, below the validating front, where a real backend's bug would be.
 */
class ReferenceBackend extends AbstractBackend {
    static final String NAME = "reference";

    ReferenceBackend() {
        this(new Kernels());
    }

    /**
     * The reference front over other kernels (a broken specimen).
     *
     * @param kernels the kernels
     */
    ReferenceBackend(Kernels kernels) {
        super(NAME, 1, kernels);
    }

    /** The reference raw kernels: the scalar defaults plus plain products and a Jacobi SVD. */
    static class Kernels implements RawKernels {
        @Override
        public void gemmF64(boolean ta, boolean tb, int m, int n, int k, double alpha, double[] a, double[] b,
                            double beta, double[] c) {
            ScalarKernels.gemm(ta, tb, m, n, k, alpha, a, b, beta, c);
        }

        @Override
        public void gemmF32(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, float[] b,
                            float beta, float[] c) {
            ScalarKernels.gemm(ta, tb, m, n, k, alpha, a, b, beta, c);
        }

        @Override
        public RawSvd svdF64(int m, int n, double[] a) {
            if (m < n) {
                double[] at = new double[n * m];
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        at[j * m + i] = a[i * n + j];
                    }
                }
                RawSvd t = tallSvd(n, m, at);
                return new RawSvd(t.v(), t.s(), t.u());
            }
            return tallSvd(m, n, a);
        }

        /** One-sided Jacobi on the columns of a tall (m >= n) matrix: A V = U S. */
        private static RawSvd tallSvd(int m, int n, double[] a) {
            double[] v = new double[n * n];
            for (int i = 0; i < n; i++) {
                v[i * n + i] = 1;
            }
            for (int sweep = 0; sweep < 60; sweep++) {
                boolean rotated = false;
                for (int p = 0; p < n - 1; p++) {
                    for (int q = p + 1; q < n; q++) {
                        double alpha = 0;
                        double beta = 0;
                        double gamma = 0;
                        for (int i = 0; i < m; i++) {
                            double x = a[i * n + p];
                            double y = a[i * n + q];
                            alpha += x * x;
                            beta += y * y;
                            gamma += x * y;
                        }
                        if (Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta) || gamma == 0) {
                            continue;
                        }
                        rotated = true;
                        double zeta = (beta - alpha) / (2 * gamma);
                        double t = Math.signum(zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                        if (zeta == 0) {
                            t = 1;
                        }
                        double c = 1 / Math.sqrt(1 + t * t);
                        double s = c * t;
                        for (int i = 0; i < m; i++) {
                            double x = a[i * n + p];
                            double y = a[i * n + q];
                            a[i * n + p] = c * x - s * y;
                            a[i * n + q] = s * x + c * y;
                        }
                        for (int i = 0; i < n; i++) {
                            double x = v[i * n + p];
                            double y = v[i * n + q];
                            v[i * n + p] = c * x - s * y;
                            v[i * n + q] = s * x + c * y;
                        }
                    }
                }
                if (!rotated) {
                    break;
                }
            }
            double[] s = new double[n];
            double[] u = new double[m * m];
            boolean[] filled = new boolean[m];
            double maxNorm = 0;
            for (int j = 0; j < n; j++) {
                double norm = 0;
                for (int i = 0; i < m; i++) {
                    norm += a[i * n + j] * a[i * n + j];
                }
                norm = Math.sqrt(norm);
                s[j] = norm;
                maxNorm = Math.max(maxNorm, norm);
            }
            for (int j = 0; j < n; j++) {
                double norm = s[j];
                // columns at rounding level carry no reliable direction: complete U there instead
                if (norm > 1e-14 * maxNorm * Math.max(m, n)) {
                    for (int i = 0; i < m; i++) {
                        u[i * m + j] = a[i * n + j] / norm;
                    }
                    filled[j] = true;
                }
            }
            completeBasis(u, m, filled);
            return new RawSvd(u, s, v);
        }

        /**
         * Fills the unfilled columns of U with an orthonormal complement: each time the unit vector with the largest
         * component outside the filled columns (at least sqrt((m - f)/m) of it, so never zero), orthogonalised twice.
         */
        private static void completeBasis(double[] u, int m, boolean[] filled) {
            for (int col = 0; col < m; col++) {
                if (filled[col]) {
                    continue;
                }
                double[] best = null;
                double bestNorm = -1;
                for (int e = 0; e < m; e++) {
                    double[] cand = new double[m];
                    cand[e] = 1;
                    for (int pass = 0; pass < 2; pass++) {
                        for (int j = 0; j < m; j++) {
                            if (!filled[j]) {
                                continue;
                            }
                            double d = 0;
                            for (int i = 0; i < m; i++) {
                                d += u[i * m + j] * cand[i];
                            }
                            for (int i = 0; i < m; i++) {
                                cand[i] -= d * u[i * m + j];
                            }
                        }
                    }
                    double norm = 0;
                    for (double x : cand) {
                        norm += x * x;
                    }
                    if (norm > bestNorm) {
                        bestNorm = norm;
                        best = cand;
                    }
                }
                double norm = Math.sqrt(bestNorm);
                for (int i = 0; i < m; i++) {
                    u[i * m + col] = best[i] / norm;
                }
                filled[col] = true;
            }
        }
    }
}
