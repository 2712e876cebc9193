package io.isotropic.backend.vector;

import io.isotropic.spi.AdamStep;
import io.isotropic.spi.RawKernels;
import io.isotropic.spi.RawSvd;
import io.isotropic.spi.SgdStep;

/**
 * The vector backend's raw kernels: every kernel of {@link RawKernels} in both dtypes with the Vector API, the
 * products, row-wise kernels and optimiser steps split over the workers of one {@link Parallel}, which
 * {@link #close()} shuts down.
 */
final class VectorKernels implements RawKernels {
    private final Parallel par;

    /**
     * Creates the kernels over a set of workers.
     *
     * @param par the workers (owned from now on)
     */
    VectorKernels(Parallel par) {
        this.par = par;
    }

    @Override
    public void gemmF64(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, double[] b,
                        double beta, double[] c) {
        GemmF64.gemm(par, transA, transB, m, n, k, alpha, a, b, beta, c);
    }

    @Override
    public void gemmF32(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, float[] b,
                        float beta, float[] c) {
        GemmF32.gemm(par, transA, transB, m, n, k, alpha, a, b, beta, c);
    }

    @Override
    public void affineF64(int rows, int in, int out, double[] x, double[] w, double[] b, double[] y) {
        if (b == null) {
            GemmF64.gemm(par, false, true, rows, out, in, 1.0, x, w, 0.0, y);
        } else {
            ElementwiseF64.fillRows(rows, out, b, y);
            GemmF64.gemm(par, false, true, rows, out, in, 1.0, x, w, 1.0, y);
        }
    }

    @Override
    public void affineF32(int rows, int in, int out, float[] x, float[] w, float[] b, float[] y) {
        if (b == null) {
            GemmF32.gemm(par, false, true, rows, out, in, 1.0f, x, w, 0.0f, y);
        } else {
            ElementwiseF32.fillRows(rows, out, b, y);
            GemmF32.gemm(par, false, true, rows, out, in, 1.0f, x, w, 1.0f, y);
        }
    }

    @Override
    public RawSvd svdF64(int m, int n, double[] a) {
        return SvdF64.svd(par, m, n, a);
    }

    @Override
    public RawSvd svdLeftF64(int m, int n, double[] a) {
        return SvdF64.svdLeft(par, m, n, a);
    }

    @Override
    public double[] singularValuesF64(int m, int n, double[] a) {
        return SvdF64.singularValues(m, n, a);
    }

    @Override
    public void rowSquaredNormsF64(int rows, int cols, double[] x, double[] out) {
        ElementwiseF64.rowSquaredNorms(par, rows, cols, x, out);
    }

    @Override
    public void rowSquaredNormsF32(int rows, int cols, float[] x, float[] out) {
        ElementwiseF32.rowSquaredNorms(par, rows, cols, x, out);
    }

    @Override
    public void isoTanhForwardF64(int rows, int n, double[] z, double o, double eps, double[] gains, double[] h) {
        IsoTanhF64.forward(par, rows, n, z, o, eps, gains, h);
    }

    @Override
    public void isoTanhForwardF32(int rows, int n, float[] z, double o, double eps, float[] gains, float[] h) {
        IsoTanhF32.forward(par, rows, n, z, o, eps, gains, h);
    }

    @Override
    public double isoTanhBackwardF64(int rows, int n, double[] z, double[] gains, double[] dh, double[] gainGrad,
                                     double o, double eps, double[] dz) {
        return IsoTanhF64.backward(par, rows, n, z, gains, dh, gainGrad, o, eps, dz);
    }

    @Override
    public double isoTanhBackwardF32(int rows, int n, float[] z, float[] gains, float[] dh, float[] gainGrad,
                                     double o, double eps, float[] dz) {
        return IsoTanhF32.backward(par, rows, n, z, gains, dh, gainGrad, o, eps, dz);
    }

    @Override
    public void tanhF64(int n, double[] z, double[] h) {
        ElementwiseF64.tanh(n, z, h);
    }

    @Override
    public void tanhF32(int n, float[] z, float[] h) {
        ElementwiseF32.tanh(n, z, h);
    }

    @Override
    public void tanhBackwardF64(int n, double[] h, double[] dh, double[] dz) {
        ElementwiseF64.tanhBackward(n, h, dh, dz);
    }

    @Override
    public void tanhBackwardF32(int n, float[] h, float[] dh, float[] dz) {
        ElementwiseF32.tanhBackward(n, h, dh, dz);
    }

    @Override
    public void axpyF64(int n, double alpha, double[] x, double[] y) {
        ElementwiseF64.axpy(n, alpha, x, y);
    }

    @Override
    public void axpyF32(int n, float alpha, float[] x, float[] y) {
        ElementwiseF32.axpy(n, alpha, x, y);
    }

    @Override
    public void scaleF64(int n, double alpha, double[] x) {
        ElementwiseF64.scale(n, alpha, x);
    }

    @Override
    public void scaleF32(int n, float alpha, float[] x) {
        ElementwiseF32.scale(n, alpha, x);
    }

    @Override
    public double dotF64(int n, double[] x, double[] y) {
        return ElementwiseF64.dot(n, x, 0, y, 0);
    }

    @Override
    public double dotF32(int n, float[] x, float[] y) {
        return ElementwiseF32.dot(n, x, 0, y, 0);
    }

    @Override
    public void columnSumsF64(int rows, int cols, double[] x, double[] out, boolean accumulate) {
        ElementwiseF64.columnSums(rows, cols, x, out, accumulate);
    }

    @Override
    public void columnSumsF32(int rows, int cols, float[] x, float[] out, boolean accumulate) {
        ElementwiseF32.columnSums(rows, cols, x, out, accumulate);
    }

    @Override
    public void adamF64(AdamStep s, int n, double[] p, double[] g, double[] m, double[] v) {
        ElementwiseF64.adam(par, s, n, p, g, m, v);
    }

    @Override
    public void adamF32(AdamStep s, int n, float[] p, float[] g, float[] m, float[] v) {
        ElementwiseF32.adam(par, s, n, p, g, m, v);
    }

    @Override
    public void sgdF64(SgdStep s, int n, double[] p, double[] g, double[] buf) {
        ElementwiseF64.sgd(par, s, n, p, g, buf);
    }

    @Override
    public void sgdF32(SgdStep s, int n, float[] p, float[] g, float[] buf) {
        ElementwiseF32.sgd(par, s, n, p, g, buf);
    }

    @Override
    public void close() {
        par.close();
    }
}
