package io.isotropic.backend.vector;

import io.isotropic.conformance.ContractAssertions;
import io.isotropic.oracle.Reference;
import io.isotropic.oracle.Tolerance;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Matrix products whose sizes cross the cache blocks (KC, MC, NC) and the thread split, which the conformance
 * suite's sizes (up to 257) do not all reach; and the strided sub-matrix entry point the SVD uses.
 */
class GemmBlockingTest {
    private static final Backend ONE = new VectorBackend(1);
    private static final Backend TWO = new VectorBackend(2, 1, 1);

    @AfterAll
    static void close() {
        ONE.close();
        TWO.close();
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        int[][] shapes = {
            // each block crossed with the other dimensions small, so that the scalar reference stays cheap (the
            // blocks come from this machine's caches: MC is thousands of rows, NC hundreds of columns)
            {GemmF64.MC + 3, 37, GemmF64.KC + 7},
            {2 * GemmF64.MC + 1, 17, 2 * GemmF64.KC + 1},
            {5, 2 * GemmF64.NC + 3, GemmF64.KC - 1},
            {3 * GemmF64.MR + 1, GemmF64.NC + 5, GemmF64.KC + 7},
            {13, GemmF32.NC + 1, GemmF32.KC + 2},
            {GemmF32.MC + 9, 2 * GemmF32.NR + 1, 35},
            // skinny products, A read in place (at most DIRECT_TILES column tiles): full and partial micro-panels,
            // one and two column tiles, k across a KC block, and the first width that packs again
            {7 * GemmF64.MR + 5, GemmF64.NR, GemmF64.KC + 9},
            {4 * GemmF64.MR, GemmF64.DIRECT_TILES * GemmF64.NR, 61},
            {3 * GemmF64.MR + 1, GemmF64.NR + 3, 2 * GemmF64.KC + 5},
            {GemmF64.MR - 1, 5, 40},
            {5 * GemmF64.MR + 2, GemmF64.DIRECT_TILES * GemmF64.NR + 1, 77},
            {6 * GemmF32.MR + 7, GemmF32.NR - 1, GemmF32.KC + 3},
        };
        for (DType dt : DType.values()) {
            for (int[] s : shapes) {
                for (int t = 0; t < 4; t++) {
                    out.add(Arguments.of(dt, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2]));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} transA={1} transB={2} {3}x{4}x{5}")
    @MethodSource("cases")
    void largeProductsMatchTheReference(DType dt, boolean ta, boolean tb, int m, int n, int k) {
        long seed = 31L * m + 7L * n + k + (ta ? 1 : 0) + (tb ? 2 : 0);
        Tensor a = ta ? Reference.gaussian(dt, seed, k, m) : Reference.gaussian(dt, seed, m, k);
        Tensor b = tb ? Reference.gaussian(dt, seed + 1, n, k) : Reference.gaussian(dt, seed + 1, k, n);
        Tensor c0 = Reference.gaussian(dt, seed + 2, m, n);
        double[][] ref = Reference.gemm(-0.75, a, ta, b, tb, 0.5, c0);
        for (Backend be : new Backend[] {ONE, TWO}) {
            Tensor c = c0.copy();
            be.gemm(-0.75, a, ta, b, tb, 0.5, c);
            ContractAssertions.close("gemm " + be + " " + dt + " " + m + "x" + n + "x" + k + " (as K01)", c, ref,
                    Tolerance.product(k, dt));
        }
    }

    @Test
    void subMatrixProductLeavesTheRestOfCUntouched() {
        // C[2.., 3..] (5 x 6 inside an 9 x 11 array) = A[1.., 2..] (5 x 4 inside 7 x 8) * B^T (B: 6 x 4 inside 6 x 10)
        double[] a = new double[7 * 8];
        double[] b = new double[6 * 10];
        double[] c = new double[9 * 11];
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.sin(i + 1);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = Math.cos(i + 1);
        }
        java.util.Arrays.fill(c, 42.0);
        GemmF64.gemm(null, false, true, 5, 6, 4, 1.0, a, 1 * 8 + 2, 8, b, 3, 10, 0.0, c, 2 * 11 + 3, 11);
        for (int i = 0; i < 9; i++) {
            for (int j = 0; j < 11; j++) {
                double want = 42.0;
                if (i >= 2 && i < 7 && j >= 3 && j < 9) {
                    want = 0;
                    for (int p = 0; p < 4; p++) {
                        want += a[(i - 2 + 1) * 8 + 2 + p] * b[(j - 3) * 10 + 3 + p];
                    }
                }
                assertEquals(want, c[i * 11 + j], 1e-14, "C[" + i + "," + j + "]");
            }
        }
    }

    /**
     * A skinny product on sub-matrices whose rows are longer than the product's extent: the in-place reads of A must
     * follow lda (a full micro-panel read as if packed would take the wrong elements), in both storage orders of A.
     */
    @ParameterizedTest(name = "transA={0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void skinnySubMatrixProductReadsAInPlaceWithItsStride(boolean ta) {
        int m = 3 * GemmF64.MR + 2;
        int n = GemmF64.NR + 1;
        int k = 45;
        int lda = (ta ? m : k) + 7;
        int rowsA = (ta ? k : m) + 3;
        int ldb = n + 4;
        int ldc = n + 5;
        double[] a = new double[rowsA * lda];
        double[] b = new double[(k + 2) * ldb];
        double[] c = new double[(m + 4) * ldc];
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.sin(0.7 * i + 1);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = Math.cos(1.3 * i + 1);
        }
        java.util.Arrays.fill(c, 42.0);
        int aOff = 2 * lda + 3;
        int bOff = ldb + 2;
        int cOff = 3 * ldc + 1;
        GemmF64.gemm(null, ta, false, m, n, k, 2.0, a, aOff, lda, b, bOff, ldb, 0.5, c, cOff, ldc);
        for (int i = 0; i < m + 4; i++) {
            for (int j = 0; j < ldc; j++) {
                double want = 42.0;
                int ci = i - 3;
                int cj = j - 1;
                if (ci >= 0 && ci < m && cj >= 0 && cj < n) {
                    double sum = 0;
                    for (int p = 0; p < k; p++) {
                        double ap = ta ? a[aOff + p * lda + ci] : a[aOff + ci * lda + p];
                        sum += ap * b[bOff + p * ldb + cj];
                    }
                    want = 2.0 * sum + 0.5 * 42.0;
                }
                // k = 45 terms of size 1: the sums' rounding is below 45 * 2 u * 2 = 2e-14
                assertEquals(want, c[i * ldc + j], 4e-14, "C[" + i + "," + j + "] transA=" + ta);
            }
        }
    }
}
