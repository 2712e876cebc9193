package io.isotropic.backend.vector;

import static io.isotropic.backend.vector.SvdSupport.hypot;
import static io.isotropic.backend.vector.SvdSupport.negateRow;
import static io.isotropic.backend.vector.SvdSupport.rotateRows;

/**
 * The implicit-shift QR iteration of {@link SvdF64} on an upper bidiagonal {@code (d, e)} of order n, with its
 * rotations applied (through a {@link RotationLog}) to the transposed factors {@code ut} ({@code m x m}) and
 * {@code vt} ({@code n x n}), each only if wanted; on return d holds the singular values.
 */
final class BidiagonalQr {
    private static final double EPS = 0x1.0p-52;
    /**
     * The absolute part of the deflation tests, relative to the bidiagonal's largest entry: {@code 2^-966 max(|d|,
     * |e|)} (LINPACK's and JAMA's constant {@code 2^-966} at unit scale). Setting an entry this small to zero perturbs
     * the singular values by far less than the backward error {@code eps |B|_2}, at every scale of B; as an absolute
     * constant it was larger than every entry of a matrix scaled by {@code 10^-290}, which then lost all accuracy.
     */
    private static final double TINY = 0x1.0p-966;

    private final Parallel par;
    private final int m;
    private final int n;
    /** Diagonal of the bidiagonal, then the singular values. */
    private final double[] d;
    /** Superdiagonal ({@code e[n-1] = 0}). */
    private final double[] e;
    /** {@code U^T}, m x m, or null. */
    private final double[] ut;
    /** {@code V^T}, n x n, or null. */
    private final double[] vt;
    private final boolean vectors;
    private final boolean twoThreads;
    /** Most QR sweeps allowed. */
    private final int sweepCap;

    /**
     * Prepares the iteration.
     *
     * @param par the workers, or null
     * @param m order of ut
     * @param n order of the bidiagonal and of vt
     * @param d the diagonal (overwritten by the singular values, unsorted, non-negative)
     * @param e the superdiagonal (destroyed)
     * @param ut {@code U^T} to rotate, or null if not wanted
     * @param vt {@code V^T} to rotate, or null if not wanted
     * @param twoThreads whether the two factors are rotated concurrently
     * @param sweepCap most QR sweeps allowed
     */
    BidiagonalQr(Parallel par, int m, int n, double[] d, double[] e, double[] ut, double[] vt, boolean twoThreads,
                 int sweepCap) {
        this.par = par;
        this.m = m;
        this.n = n;
        this.d = d;
        this.e = e;
        this.ut = ut;
        this.vt = vt;
        this.vectors = ut != null || vt != null;
        this.twoThreads = twoThreads;
        this.sweepCap = sweepCap;
    }

    /**
     * Implicit-shift QR on the bidiagonal (d, e). The rotations of the sweeps are logged and applied to the
     * rows of ut and vt in batches ({@link RotationLog}); the rare deflation rotations (cases 1 and 2) flush the
     * log and are applied at once; sign changes of converged values are applied at the end, since a row of
     * vt is never rotated again once its value has converged.
     */
    void qrIteration() {
        double[] s = d;
        double bmax = 0;
        for (int i = 0; i < n; i++) {
            bmax = Math.max(bmax, Math.max(Math.abs(d[i]), Math.abs(e[i])));
        }
        double tiny = TINY * bmax;
        int p = n;
        int sweeps = 0;
        int cap = sweepCap;
        RotationLog log = vectors ? new RotationLog(n, par, twoThreads) : null;
        double[] cs1 = new double[Math.max(1, n)];
        double[] sn1 = new double[Math.max(1, n)];
        double[] cs2 = new double[Math.max(1, n)];
        double[] sn2 = new double[Math.max(1, n)];
        boolean[] negate = new boolean[n];
        while (p > 0) {
            int k;
            int kase;
            for (k = p - 2; k >= 0; k--) {
                if (Math.abs(e[k]) <= tiny + EPS * (Math.abs(s[k]) + Math.abs(s[k + 1]))) {
                    e[k] = 0.0;
                    break;
                }
            }
            if (k == p - 2) {
                kase = 4;
            } else {
                int ks;
                for (ks = p - 1; ks > k; ks--) {
                    double t = (ks != p ? Math.abs(e[ks]) : 0.) + (ks != k + 1 ? Math.abs(e[ks - 1]) : 0.);
                    if (Math.abs(s[ks]) <= tiny + EPS * t) {
                        s[ks] = 0.0;
                        break;
                    }
                }
                if (ks == k) {
                    kase = 3;
                } else if (ks == p - 1) {
                    kase = 1;
                } else {
                    kase = 2;
                    k = ks;
                }
            }
            k++;
            switch (kase) {
                case 1 -> {
                    // deflate negligible s[p-1]: rotations of V columns (j, p-1)
                    if (log != null) {
                        log.flush(ut, m, vt, n);
                    }
                    double f = e[p - 2];
                    e[p - 2] = 0.0;
                    for (int j = p - 2; j >= k; j--) {
                        double t = hypot(s[j], f);
                        double cs = s[j] / t;
                        double sn = f / t;
                        s[j] = t;
                        if (j != k) {
                            f = -sn * e[j - 1];
                            e[j - 1] = cs * e[j - 1];
                        }
                        if (vt != null) {
                            rotateRows(vt, n, j, p - 1, cs, sn);
                        }
                    }
                }
                case 2 -> {
                    // split at negligible s[k-1]: rotations of U columns (j, k-1)
                    if (log != null) {
                        log.flush(ut, m, vt, n);
                    }
                    double f = e[k - 1];
                    e[k - 1] = 0.0;
                    for (int j = k; j < p; j++) {
                        double t = hypot(s[j], f);
                        double cs = s[j] / t;
                        double sn = f / t;
                        s[j] = t;
                        f = -sn * e[j];
                        e[j] = cs * e[j];
                        if (ut != null) {
                            rotateRows(ut, m, j, k - 1, cs, sn);
                        }
                    }
                }
                case 3 -> {
                    if (++sweeps > cap) {
                        throw new ArithmeticException("svd: the implicit-shift QR iteration did not converge "
                                + "within " + cap + " sweeps on a " + m + " x " + n + " matrix (" + p
                                + " singular values unconverged)");
                    }
                    if (log == null) {
                        qrSweep(s, k, p, cs1, sn1, 0, cs2, sn2, 0);
                    } else {
                        int off = log.reserve(k, p, ut, m, vt, n);
                        qrSweep(s, k, p, log.cv, log.sv, off, log.cu, log.su, off);
                    }
                }
                default -> {
                    // convergence of s[k] (k == p - 1): make it non-negative
                    if (s[k] <= 0.0) {
                        s[k] = s[k] < 0.0 ? -s[k] : 0.0;
                        negate[k] = true;
                    }
                    p--;
                }
            }
        }
        if (vectors) {
            log.flush(ut, m, vt, n);
        }
        if (vt != null) {
            for (int i = 0; i < n; i++) {
                if (negate[i]) {
                    negateRow(vt, n, i);
                }
            }
        }
    }

    /**
     * One Golub-Kahan step with Wilkinson-type shift on the block [k, p); the V and U rotation of step j are
     * written to {@code cv/sv[ov + j - k]} and {@code cu/su[ou + j - k]}.
     */
    private void qrSweep(double[] s, int k, int p, double[] cv, double[] sv, int ov, double[] cu, double[] su,
                         int ou) {
        double scale = Math.max(Math.max(Math.max(Math.max(Math.abs(s[p - 1]), Math.abs(s[p - 2])),
                Math.abs(e[p - 2])), Math.abs(s[k])), Math.abs(e[k]));
        double sp = s[p - 1] / scale;
        double spm1 = s[p - 2] / scale;
        double epm1 = e[p - 2] / scale;
        double sk = s[k] / scale;
        double ek = e[k] / scale;
        double b = ((spm1 + sp) * (spm1 - sp) + epm1 * epm1) / 2.0;
        double c = (sp * epm1) * (sp * epm1);
        double shift = 0.0;
        if (b != 0.0 || c != 0.0) {
            shift = Math.sqrt(b * b + c);
            if (b < 0.0) {
                shift = -shift;
            }
            shift = c / (b + shift);
        }
        double f = (sk + sp) * (sk - sp) + shift;
        double g = sk * ek;
        for (int j = k; j < p - 1; j++) {
            double t = hypot(f, g);
            double cs = f / t;
            double sn = g / t;
            if (j != k) {
                e[j - 1] = t;
            }
            f = cs * s[j] + sn * e[j];
            e[j] = cs * e[j] - sn * s[j];
            g = sn * s[j + 1];
            s[j + 1] = cs * s[j + 1];
            cv[ov + j - k] = cs;
            sv[ov + j - k] = sn;
            t = hypot(f, g);
            cs = f / t;
            sn = g / t;
            s[j] = t;
            f = cs * e[j] + sn * s[j + 1];
            s[j + 1] = -sn * e[j] + cs * s[j + 1];
            g = sn * e[j + 1];
            e[j + 1] = cs * e[j + 1];
            cu[ou + j - k] = cs;
            su[ou + j - k] = sn;
        }
        e[p - 2] = f;
    }
}
