package io.isotropic.linalg;

import io.isotropic.spi.AbstractBackend;
import io.isotropic.spi.RawKernels;
import io.isotropic.spi.RawSvd;
import io.isotropic.spi.ScalarKernels;

/** A backend whose products are the textbook loops of {@link ScalarKernels#gemm}: blocked algorithms must agree. */
final class LoopBackend extends AbstractBackend {
    LoopBackend() {
        super("loops", 1, new RawKernels() {
            @Override
            public void gemmF64(boolean ta, boolean tb, int m, int n, int k, double alpha, double[] a, double[] b,
                                double beta, double[] c) {
                ScalarKernels.gemm(ta, tb, m, n, k, alpha, a, b, beta, c);
            }

            @Override
            public void gemmF32(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, float[] b,
                                float beta, float[] c) {
                throw new UnsupportedOperationException("not needed here");
            }

            @Override
            public RawSvd svdF64(int m, int n, double[] a) {
                throw new UnsupportedOperationException("not needed here");
            }

            @Override
            public void close() {
            }
        });
    }
}
