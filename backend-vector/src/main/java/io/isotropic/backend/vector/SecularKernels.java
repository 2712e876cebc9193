package io.isotropic.backend.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The O(k) loops of {@link BidiagonalDc}'s secular equations, vectorised: each merge of order k evaluates them
 * O(k) times, so they are O(k^2) per merge and, with their divisions, as costly as the merge's matrix products
 * when written as scalar loops. Sums are split over lane accumulators in a fixed order, so results do not depend
 * on anything but the data.
 */
final class SecularKernels {
    private static final VectorSpecies<Double> SP = Lanes.F64;
    private static final int L = SP.length();

    private SecularKernels() {
    }

    /**
     * {@code out[t] = (pd[t] - pole) (pd[t] + pole)}: the poles {@code d_t^2} shifted by {@code pole^2}, with one
     * rounding each (no cancellation between the squares).
     *
     * @param k count
     * @param pd the poles' square roots
     * @param pole the origin
     * @param out the shifted poles
     */
    static void shifted(int k, double[] pd, double pole, double[] out) {
        DoubleVector pv = DoubleVector.broadcast(SP, pole);
        int t = 0;
        for (; t + L <= k; t += L) {
            DoubleVector x = DoubleVector.fromArray(SP, pd, t);
            x.sub(pv).mul(x.add(pv)).intoArray(out, t);
        }
        for (; t < k; t++) {
            out[t] = (pd[t] - pole) * (pd[t] + pole);
        }
    }

    /**
     * {@code sum_t w_t / (dl_t - tau)} and {@code sum_t w_t / (dl_t - tau)^2} over {@code t in [from, to)}.
     *
     * @param w weights {@code z_t^2}
     * @param dl shifted poles
     * @param from first index
     * @param to end index
     * @param tau the point
     * @param out {@code out[0]} the sum, {@code out[1]} the derivative sum
     */
    static void sums(double[] w, double[] dl, int from, int to, double tau, double[] out) {
        DoubleVector tv = DoubleVector.broadcast(SP, tau);
        DoubleVector one = DoubleVector.broadcast(SP, 1.0);
        DoubleVector s0 = DoubleVector.zero(SP);
        DoubleVector s1 = s0;
        DoubleVector d0 = s0;
        DoubleVector d1 = s0;
        int t = from;
        for (; t + 2 * L <= to; t += 2 * L) {
            DoubleVector r0 = one.div(DoubleVector.fromArray(SP, dl, t).sub(tv));
            DoubleVector r1 = one.div(DoubleVector.fromArray(SP, dl, t + L).sub(tv));
            DoubleVector a0 = DoubleVector.fromArray(SP, w, t).mul(r0);
            DoubleVector a1 = DoubleVector.fromArray(SP, w, t + L).mul(r1);
            s0 = s0.add(a0);
            s1 = s1.add(a1);
            d0 = a0.fma(r0, d0);
            d1 = a1.fma(r1, d1);
        }
        double sum = Lanes.sum(s0.add(s1));
        double der = Lanes.sum(d0.add(d1));
        for (; t < to; t++) {
            double r = 1 / (dl[t] - tau);
            double a = w[t] * r;
            sum += a;
            der += a * r;
        }
        out[0] = sum;
        out[1] = der;
    }

    /**
     * {@code delta[off + t] = (pd[t] - pole) - eta}: {@code d_t - sigma} for {@code sigma = pole + eta}, with the
     * difference of the poles exact and eta small against it, so to full relative accuracy.
     *
     * @param k count
     * @param pd poles
     * @param pole the origin
     * @param eta {@code sigma - pole}
     * @param delta output
     * @param off offset in delta
     */
    static void differences(int k, double[] pd, double pole, double eta, double[] delta, int off) {
        DoubleVector pv = DoubleVector.broadcast(SP, pole);
        DoubleVector ev = DoubleVector.broadcast(SP, eta);
        int t = 0;
        for (; t + L <= k; t += L) {
            DoubleVector.fromArray(SP, pd, t).sub(pv).sub(ev).intoArray(delta, off + t);
        }
        for (; t < k; t++) {
            delta[off + t] = (pd[t] - pole) - eta;
        }
    }

    /**
     * One factor of Loewner's products for the entries {@code j in [from, to)}:
     * {@code p[j] *= (sigma^2 - d_j^2) / (pole^2 - d_j^2)}, with {@code sigma^2 - d_j^2 = -delta[off + j]
     * (sigma + d_j)}.
     *
     * @param p the products
     * @param from first entry
     * @param to end entry
     * @param delta the differences of this root
     * @param off offset of its row
     * @param sigma the root
     * @param pd the poles
     * @param pole the pole of the denominator
     */
    static void loewnerFactor(double[] p, int from, int to, double[] delta, int off, double sigma, double[] pd,
                              double pole) {
        DoubleVector sv = DoubleVector.broadcast(SP, sigma);
        DoubleVector pv = DoubleVector.broadcast(SP, pole);
        int j = from;
        for (; j + L <= to; j += L) {
            DoubleVector dj = DoubleVector.fromArray(SP, pd, j);
            DoubleVector num = DoubleVector.fromArray(SP, delta, off + j).neg().mul(sv.add(dj));
            DoubleVector den = pv.sub(dj).mul(pv.add(dj));
            DoubleVector.fromArray(SP, p, j).mul(num.div(den)).intoArray(p, j);
        }
        for (; j < to; j++) {
            p[j] *= (-delta[off + j] * (sigma + pd[j])) / ((pole - pd[j]) * (pole + pd[j]));
        }
    }

    /**
     * The unnormalised right singular vector of root sigma: {@code x[t] = zh[t] / ((d_t - sigma)(d_t + sigma))}.
     *
     * @param k count
     * @param zh the recomputed z
     * @param delta the differences {@code d_t - sigma}
     * @param off offset of this root's row in delta
     * @param pd the poles
     * @param sigma the root
     * @param x output
     * @return {@code sum_t x[t]^2}
     */
    static double vectorOf(int k, double[] zh, double[] delta, int off, double[] pd, double sigma, double[] x) {
        DoubleVector sv = DoubleVector.broadcast(SP, sigma);
        DoubleVector acc = DoubleVector.zero(SP);
        int t = 0;
        for (; t + L <= k; t += L) {
            DoubleVector den = DoubleVector.fromArray(SP, delta, off + t)
                    .mul(DoubleVector.fromArray(SP, pd, t).add(sv));
            DoubleVector xv = DoubleVector.fromArray(SP, zh, t).div(den);
            xv.intoArray(x, t);
            acc = xv.fma(xv, acc);
        }
        double s = Lanes.sum(acc);
        for (; t < k; t++) {
            double xt = zh[t] / (delta[off + t] * (pd[t] + sigma));
            x[t] = xt;
            s += xt * xt;
        }
        return s;
    }
}
