package io.isotropic.backend.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * Single-precision matrix product {@code C = alpha op(A) op(B) + beta C} on row-major arrays (a mirror of GemmF64).
 *
 * <p>Structure (after Goto and BLIS): C is cut into column blocks of {@code NC} columns and the inner dimension
 * into blocks of {@code KC}; each {@code KC x NC} block of {@code op(B)} is packed into contiguous, zero-padded
 * micro-panels {@code NR = 2} vectors wide (it stays in L2), each {@code MC x KC} block of {@code op(A)}
 * into micro-panels of {@code MR = 8} rows (one stays in L1 while it meets every B micro-panel). Packing absorbs
 * the four transpose cases, so one register-blocked micro-kernel (8 x 2 vector accumulators; per step 2
 * vector loads of B, 8 broadcasts of A and 16 FMAs) computes every tile. The kernel leaves its tile in a
 * small buffer; {@link #writeBack} applies alpha and beta and clips tiles that stick out of C. Large products are
 * split into row (or column) stripes of C, one per thread, each running the whole blocked algorithm.
 */
final class GemmF32 {
    private static final VectorSpecies<Float> SP = Lanes.F32;
    private static final int L = SP.length();
    /** Rows of a micro-tile (the broadcast operand). */
    static final int MR = 8;
    /** Columns of a micro-tile: two vectors. */
    static final int NR = 2 * L;
    /** Inner (k) block. */
    static final int KC = 512;
    /** Row block of A packed at once (a multiple of MR). */
    static final int MC = 192;
    /** Column block of B packed at once (a multiple of NR). */
    static final int NC = NR * Math.max(1, 512 / NR);

    /** Per-thread packing buffers, grown on demand. */
    private static final class Buffers {
        float[] a = new float[0];
        float[] b = new float[0];
        final float[] tile = new float[MR * NR];
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private GemmF32() {
    }

    /**
     * {@code C = alpha op(A) op(B) + beta C}; with {@code beta == 0} C is not read.
     *
     * @param par the workers
     * @param ta A is stored transposed ({@code k x m})
     * @param tb B is stored transposed ({@code n x k})
     * @param m rows of C
     * @param n columns of C
     * @param k inner dimension
     * @param alpha product scale
     * @param a A, row-major
     * @param b B, row-major
     * @param beta scale of the old C
     * @param c C, row-major {@code m x n}
     */
    static void gemm(Parallel par, boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, float[] b,
                     float beta, float[] c) {
        gemm(par, ta, tb, m, n, k, alpha, a, 0, ta ? m : k, b, 0, tb ? k : n, beta, c, 0, n);
    }

    /**
     * {@code C = alpha op(A) op(B) + beta C} on sub-matrices: element (i, j) of a stored matrix X is
     * {@code x[xOff + i * ldx + j]}; with {@code beta == 0} C is not read.
     *
     * @param par the workers
     * @param ta A is stored transposed ({@code k x m})
     * @param tb B is stored transposed ({@code n x k})
     * @param m rows of C
     * @param n columns of C
     * @param k inner dimension
     * @param alpha product scale
     * @param a A's array
     * @param aOff offset of A's first element
     * @param lda row stride of stored A
     * @param b B's array
     * @param bOff offset of B's first element
     * @param ldb row stride of stored B
     * @param beta scale of the old C
     * @param c C's array (must not overlap A or B)
     * @param cOff offset of C's first element
     * @param ldc row stride of C
     */
    static void gemm(Parallel par, boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, int aOff,
                     int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0 || alpha == 0) {
            for (int i = 0; i < m; i++) {
                scaleC(cOff + i * ldc, n, beta, c);
            }
            return;
        }
        Operands o = new Operands(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        long work = (long) m * n * k;
        int rowTiles = (m + MR - 1) / MR;
        int colTiles = (n + NR - 1) / NR;
        boolean byRows = rowTiles >= colTiles;
        int tiles = byRows ? rowTiles : colTiles;
        int parts = par == null ? 1 : par.parts(work, tiles);
        if (parts == 1) {
            blocked(o, 0, m, 0, n);
            return;
        }
        int step = byRows ? MR : NR;
        int limit = byRows ? m : n;
        par.run(parts, part -> {
            int lo = Math.min(limit, (int) ((long) tiles * part / parts) * step);
            int hi = Math.min(limit, (int) ((long) tiles * (part + 1) / parts) * step);
            if (lo < hi) {
                if (byRows) {
                    blocked(o, lo, hi, 0, n);
                } else {
                    blocked(o, 0, m, lo, hi);
                }
            }
        });
    }

    /** The operands of one product. */
    private record Operands(boolean ta, boolean tb, int m, int n, int k, float alpha, float[] a, int aOff, int lda,
                            float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
    }

    /** {@code C = beta C} on one row segment (the product vanishes); beta 0 overwrites without reading. */
    private static void scaleC(int off, int size, float beta, float[] c) {
        if (beta == 0) {
            Arrays.fill(c, off, off + size, 0.0f);
        } else if (beta != 1) {
            int i = 0;
            for (; i + L <= size; i += L) {
                FloatVector.fromArray(SP, c, off + i).mul(beta).intoArray(c, off + i);
            }
            for (; i < size; i++) {
                c[off + i] *= beta;
            }
        }
    }

    /** The blocked algorithm on the sub-block {@code [i0, i1) x [j0, j1)} of C. */
    private static void blocked(Operands o, int i0, int i1, int j0, int j1) {
        int k = o.k();
        float alpha = o.alpha();
        float[] c = o.c();
        int ldc = o.ldc();
        Buffers buf = BUFFERS.get();
        int kcMax = Math.min(KC, k);
        int ncMax = roundUp(Math.min(NC, j1 - j0), NR);
        int mcMax = roundUp(Math.min(MC, i1 - i0), MR);
        if (buf.b.length < kcMax * ncMax) {
            buf.b = new float[kcMax * ncMax];
        }
        if (buf.a.length < kcMax * mcMax) {
            buf.a = new float[kcMax * mcMax];
        }
        float[] ap = buf.a;
        float[] bp = buf.b;
        float[] tile = buf.tile;
        for (int jc = j0; jc < j1; jc += NC) {
            int nc = Math.min(NC, j1 - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                float be = pc == 0 ? o.beta() : 1.0f;
                packB(o, pc, kc, jc, nc, bp);
                for (int ic = i0; ic < i1; ic += MC) {
                    int mc = Math.min(MC, i1 - ic);
                    packA(o, ic, mc, pc, kc, ap);
                    for (int ir = 0; ir < mc; ir += MR) {
                        int mr = Math.min(MR, mc - ir);
                        for (int jr = 0; jr < nc; jr += NR) {
                            kernel(kc, ap, ir * kc, bp, jr * kc, tile);
                            writeBack(tile, mr, Math.min(NR, nc - jr), c, o.cOff() + (ic + ir) * ldc + jc + jr, ldc,
                                    alpha, be);
                        }
                    }
                }
            }
        }
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    /**
     * {@code C = alpha T + beta C} on the valid {@code mr x nr} part of a tile; beta 0 does not read C.
     */
    private static void writeBack(float[] t, int mr, int nr, float[] c, int co, int ldc, float alpha, float beta) {
        FloatVector al = FloatVector.broadcast(SP, alpha);
        for (int r = 0; r < mr; r++) {
            int o = co + r * ldc;
            int to = r * NR;
            int j = 0;
            if (beta == 0) {
                for (; j + L <= nr; j += L) {
                    FloatVector.fromArray(SP, t, to + j).mul(al).intoArray(c, o + j);
                }
                for (; j < nr; j++) {
                    c[o + j] = alpha * t[to + j];
                }
            } else {
                FloatVector be = FloatVector.broadcast(SP, beta);
                for (; j + L <= nr; j += L) {
                    FloatVector old = FloatVector.fromArray(SP, c, o + j).mul(be);
                    FloatVector.fromArray(SP, t, to + j).fma(al, old).intoArray(c, o + j);
                }
                for (; j < nr; j++) {
                    c[o + j] = Math.fma(t[to + j], alpha, beta * c[o + j]);
                }
            }
        }
    }

    /**
     * Packs {@code op(A)[ic .. ic+mc, pc .. pc+kc]} into micro-panels of MR rows: element (row r of panel q, step p)
     * at {@code q*MR*kc + p*MR + r}; rows past mc are zero.
     */
    private static void packA(Operands o, int ic, int mc, int pc, int kc, float[] ap) {
        float[] a = o.a();
        int lda = o.lda();
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int base = ir * kc;
            if (o.ta()) {
                // A stored k x m: the MR values of one step are contiguous
                for (int p = 0; p < kc; p++) {
                    int src = o.aOff() + (pc + p) * lda + ic + ir;
                    int dst = base + p * MR;
                    System.arraycopy(a, src, ap, dst, mr);
                    for (int r = mr; r < MR; r++) {
                        ap[dst + r] = 0.0f;
                    }
                }
            } else {
                // A stored m x k: one row at a time, strided writes
                for (int r = 0; r < mr; r++) {
                    int src = o.aOff() + (ic + ir + r) * lda + pc;
                    for (int p = 0, dst = base + r; p < kc; p++, dst += MR) {
                        ap[dst] = a[src + p];
                    }
                }
                for (int r = mr; r < MR; r++) {
                    for (int p = 0, dst = base + r; p < kc; p++, dst += MR) {
                        ap[dst] = 0.0f;
                    }
                }
            }
        }
    }

    /**
     * Packs {@code op(B)[pc .. pc+kc, jc .. jc+nc]} into micro-panels of NR columns: element (step p, column j of
     * panel q) at {@code q*NR*kc + p*NR + j}; columns past nc are zero.
     */
    private static void packB(Operands o, int pc, int kc, int jc, int nc, float[] bp) {
        float[] b = o.b();
        int ldb = o.ldb();
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int base = jr * kc;
            if (!o.tb()) {
                // B stored k x n: NR contiguous values per step
                for (int p = 0; p < kc; p++) {
                    int src = o.bOff() + (pc + p) * ldb + jc + jr;
                    int dst = base + p * NR;
                    if (nr == NR) {
                        FloatVector.fromArray(SP, b, src).intoArray(bp, dst);
                        FloatVector.fromArray(SP, b, src + 1 * L).intoArray(bp, dst + 1 * L);
                    } else {
                        System.arraycopy(b, src, bp, dst, nr);
                        Arrays.fill(bp, dst + nr, dst + NR, 0.0f);
                    }
                }
            } else {
                // B stored n x k: one column of op(B) is a contiguous row of B
                for (int j = 0; j < nr; j++) {
                    int src = o.bOff() + (jc + jr + j) * ldb + pc;
                    for (int p = 0, dst = base + j; p < kc; p++, dst += NR) {
                        bp[dst] = b[src + p];
                    }
                }
                for (int j = nr; j < NR; j++) {
                    for (int p = 0, dst = base + j; p < kc; p++, dst += NR) {
                        bp[dst] = 0.0f;
                    }
                }
            }
        }
    }

    /**
     * The micro-kernel: the {@code MR x NR} tile {@code T = sum_p a_p b_p^T} over kc packed steps, kept in
     * 16 vector accumulators and stored to {@code t} (row-major, leading dimension NR). It calls nothing that
     * could fail to inline, so C2 keeps every accumulator in a register.
     */
    static void kernel(int kc, float[] ap, int ao, float[] bp, int bo, float[] t) {
        FloatVector z = FloatVector.zero(SP);
        FloatVector c00 = z, c01 = z;
        FloatVector c10 = z, c11 = z;
        FloatVector c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z;
        FloatVector c40 = z, c41 = z;
        FloatVector c50 = z, c51 = z;
        FloatVector c60 = z, c61 = z;
        FloatVector c70 = z, c71 = z;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(SP, bp, bo);
            FloatVector b1 = FloatVector.fromArray(SP, bp, bo + 1 * L);
            FloatVector a = FloatVector.broadcast(SP, ap[ao]);
            c00 = a.fma(b0, c00); c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(SP, ap[ao + 1]);
            c10 = a.fma(b0, c10); c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(SP, ap[ao + 2]);
            c20 = a.fma(b0, c20); c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(SP, ap[ao + 3]);
            c30 = a.fma(b0, c30); c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(SP, ap[ao + 4]);
            c40 = a.fma(b0, c40); c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(SP, ap[ao + 5]);
            c50 = a.fma(b0, c50); c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(SP, ap[ao + 6]);
            c60 = a.fma(b0, c60); c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(SP, ap[ao + 7]);
            c70 = a.fma(b0, c70); c71 = a.fma(b1, c71);
            ao += MR;
            bo += NR;
        }
        c00.intoArray(t, 0); c01.intoArray(t, 1 * L);
        c10.intoArray(t, 2 * L); c11.intoArray(t, 3 * L);
        c20.intoArray(t, 4 * L); c21.intoArray(t, 5 * L);
        c30.intoArray(t, 6 * L); c31.intoArray(t, 7 * L);
        c40.intoArray(t, 8 * L); c41.intoArray(t, 9 * L);
        c50.intoArray(t, 10 * L); c51.intoArray(t, 11 * L);
        c60.intoArray(t, 12 * L); c61.intoArray(t, 13 * L);
        c70.intoArray(t, 14 * L); c71.intoArray(t, 15 * L);
    }
}
