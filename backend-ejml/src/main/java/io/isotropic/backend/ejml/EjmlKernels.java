package io.isotropic.backend.ejml;

import io.isotropic.spi.RawKernels;
import io.isotropic.spi.RawSvd;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.CommonOps_MT_DDRM;
import org.ejml.dense.row.CommonOps_MT_FDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_MT_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

import java.util.Arrays;

/**
 * The EJML backend's raw kernels: products through {@code CommonOps_DDRM}/{@code CommonOps_FDRM} (their {@code _MT_}
 * variants above {@link #PARALLEL_WORK} multiply-adds when more than one thread is allowed) on matrices that wrap the
 * arrays, and EJML's full SVD; everything else is the scalar default.
 */
final class EjmlKernels implements RawKernels {
    /** Below this many multiply-adds a product is done on one thread even when more are allowed. */
    private static final long PARALLEL_WORK = 64L * 64 * 64;

    private final int threads;

    /**
     * Creates the kernels.
     *
     * @param threads threads per kernel call, {@code >= 1}
     */
    EjmlKernels(int threads) {
        this.threads = threads;
    }

    private boolean parallel(int m, int n, int k) {
        return threads > 1 && (long) m * n * k >= PARALLEL_WORK;
    }

    @Override
    public void gemmF64(boolean transA, boolean transB, int m, int n, int k, double alpha, double[] a, double[] b,
                        double beta, double[] c) {
        DMatrixRMaj cm = DMatrixRMaj.wrap(m, n, c);
        if (k == 0 || alpha == 0) {
            if (beta == 0) {
                Arrays.fill(c, 0, m * n, 0.0);
            } else if (beta != 1) {
                CommonOps_DDRM.scale(beta, cm);
            }
            return;
        }
        DMatrixRMaj am = transA ? DMatrixRMaj.wrap(k, m, a) : DMatrixRMaj.wrap(m, k, a);
        DMatrixRMaj bm = transB ? DMatrixRMaj.wrap(n, k, b) : DMatrixRMaj.wrap(k, n, b);
        boolean mt = parallel(m, n, k);
        if (beta == 0) {
            if (mt) {
                if (transA && transB) {
                    CommonOps_MT_DDRM.multTransAB(alpha, am, bm, cm);
                } else if (transA) {
                    CommonOps_MT_DDRM.multTransA(alpha, am, bm, cm);
                } else if (transB) {
                    CommonOps_MT_DDRM.multTransB(alpha, am, bm, cm);
                } else {
                    CommonOps_MT_DDRM.mult(alpha, am, bm, cm);
                }
            } else {
                if (transA && transB) {
                    CommonOps_DDRM.multTransAB(alpha, am, bm, cm);
                } else if (transA) {
                    CommonOps_DDRM.multTransA(alpha, am, bm, cm);
                } else if (transB) {
                    CommonOps_DDRM.multTransB(alpha, am, bm, cm);
                } else {
                    CommonOps_DDRM.mult(alpha, am, bm, cm);
                }
            }
            return;
        }
        if (beta != 1) {
            CommonOps_DDRM.scale(beta, cm);
        }
        if (mt) {
            if (transA && transB) {
                CommonOps_MT_DDRM.multAddTransAB(alpha, am, bm, cm);
            } else if (transA) {
                CommonOps_MT_DDRM.multAddTransA(alpha, am, bm, cm);
            } else if (transB) {
                CommonOps_MT_DDRM.multAddTransB(alpha, am, bm, cm);
            } else {
                CommonOps_MT_DDRM.multAdd(alpha, am, bm, cm);
            }
        } else {
            if (transA && transB) {
                CommonOps_DDRM.multAddTransAB(alpha, am, bm, cm);
            } else if (transA) {
                CommonOps_DDRM.multAddTransA(alpha, am, bm, cm);
            } else if (transB) {
                CommonOps_DDRM.multAddTransB(alpha, am, bm, cm);
            } else {
                CommonOps_DDRM.multAdd(alpha, am, bm, cm);
            }
        }
    }

    @Override
    public void gemmF32(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, float[] b,
                        float beta, float[] c) {
        FMatrixRMaj cm = FMatrixRMaj.wrap(m, n, c);
        if (k == 0 || alpha == 0) {
            if (beta == 0) {
                Arrays.fill(c, 0, m * n, 0.0f);
            } else if (beta != 1) {
                CommonOps_FDRM.scale(beta, cm);
            }
            return;
        }
        FMatrixRMaj am = transA ? FMatrixRMaj.wrap(k, m, a) : FMatrixRMaj.wrap(m, k, a);
        FMatrixRMaj bm = transB ? FMatrixRMaj.wrap(n, k, b) : FMatrixRMaj.wrap(k, n, b);
        boolean mt = parallel(m, n, k);
        if (beta == 0) {
            if (mt) {
                if (transA && transB) {
                    CommonOps_MT_FDRM.multTransAB(alpha, am, bm, cm);
                } else if (transA) {
                    CommonOps_MT_FDRM.multTransA(alpha, am, bm, cm);
                } else if (transB) {
                    CommonOps_MT_FDRM.multTransB(alpha, am, bm, cm);
                } else {
                    CommonOps_MT_FDRM.mult(alpha, am, bm, cm);
                }
            } else {
                if (transA && transB) {
                    CommonOps_FDRM.multTransAB(alpha, am, bm, cm);
                } else if (transA) {
                    CommonOps_FDRM.multTransA(alpha, am, bm, cm);
                } else if (transB) {
                    CommonOps_FDRM.multTransB(alpha, am, bm, cm);
                } else {
                    CommonOps_FDRM.mult(alpha, am, bm, cm);
                }
            }
            return;
        }
        if (beta != 1) {
            CommonOps_FDRM.scale(beta, cm);
        }
        if (mt) {
            if (transA && transB) {
                CommonOps_MT_FDRM.multAddTransAB(alpha, am, bm, cm);
            } else if (transA) {
                CommonOps_MT_FDRM.multAddTransA(alpha, am, bm, cm);
            } else if (transB) {
                CommonOps_MT_FDRM.multAddTransB(alpha, am, bm, cm);
            } else {
                CommonOps_MT_FDRM.multAdd(alpha, am, bm, cm);
            }
        } else {
            if (transA && transB) {
                CommonOps_FDRM.multAddTransAB(alpha, am, bm, cm);
            } else if (transA) {
                CommonOps_FDRM.multAddTransA(alpha, am, bm, cm);
            } else if (transB) {
                CommonOps_FDRM.multAddTransB(alpha, am, bm, cm);
            } else {
                CommonOps_FDRM.multAdd(alpha, am, bm, cm);
            }
        }
    }

    private SingularValueDecomposition_F64<DMatrixRMaj> decomposition(int m, int n, boolean wantU, boolean wantV) {
        boolean mt = threads > 1 && (long) m * n >= 128L * 128;
        return mt ? DecompositionFactory_MT_DDRM.svd(m, n, wantU, wantV, false)
                : DecompositionFactory_DDRM.svd(m, n, wantU, wantV, false);
    }

    @Override
    public RawSvd svdF64(int m, int n, double[] a) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd = decomposition(m, n, true, true);
        if (!svd.decompose(DMatrixRMaj.wrap(m, n, a))) {
            throw new ArithmeticException("svd: EJML's SVD did not converge on a " + m + " x " + n + " matrix");
        }
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj v = svd.getV(null, false);
        int k = Math.min(m, n);
        if (u.numRows != m || u.numCols != m || v.numRows != n || v.numCols != n || svd.numberOfSingularValues() != k) {
            throw new IllegalStateException("svd: EJML returned factors U " + u.numRows + "x" + u.numCols + ", V "
                    + v.numRows + "x" + v.numCols + " and " + svd.numberOfSingularValues()
                    + " singular values for a " + m + " x " + n + " matrix");
        }
        double[] s = Arrays.copyOf(svd.getSingularValues(), k);
        return new RawSvd(u.data.length == m * m ? u.data : Arrays.copyOf(u.data, m * m), s,
                v.data.length == n * n ? v.data : Arrays.copyOf(v.data, n * n));
    }

    /** EJML's full SVD asked for U only ({@code needV = false}): it then neither forms nor rotates V. */
    @Override
    public RawSvd svdLeftF64(int m, int n, double[] a) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd = decomposition(m, n, true, false);
        if (!svd.decompose(DMatrixRMaj.wrap(m, n, a))) {
            throw new ArithmeticException("svdLeft: EJML's SVD did not converge on a " + m + " x " + n + " matrix");
        }
        DMatrixRMaj u = svd.getU(null, false);
        int k = Math.min(m, n);
        if (u.numRows != m || u.numCols != m || svd.numberOfSingularValues() != k) {
            throw new IllegalStateException("svdLeft: EJML returned U " + u.numRows + "x" + u.numCols + " and "
                    + svd.numberOfSingularValues() + " singular values for a " + m + " x " + n + " matrix");
        }
        return new RawSvd(u.data.length == m * m ? u.data : Arrays.copyOf(u.data, m * m),
                Arrays.copyOf(svd.getSingularValues(), k), null);
    }

    @Override
    public double[] singularValuesF64(int m, int n, double[] a) {
        SingularValueDecomposition_F64<DMatrixRMaj> svd = decomposition(m, n, false, false);
        if (!svd.decompose(DMatrixRMaj.wrap(m, n, a))) {
            throw new ArithmeticException("singularValues: EJML's SVD did not converge on a " + m + " x " + n
                    + " matrix");
        }
        return Arrays.copyOf(svd.getSingularValues(), Math.min(m, n));
    }
}
