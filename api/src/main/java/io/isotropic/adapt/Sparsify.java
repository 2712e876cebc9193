package io.isotropic.adapt;

import io.isotropic.nn.IsotropicMlp;
import io.isotropic.train.Optimizer;

import java.util.ArrayList;
import java.util.List;

/**
 * Sparsification by alternating full diagonalisation (method.md section 9): layers {@code l = 1, 3, 5, ...}
 * ({@code <= L-2}) are fully diagonalised in increasing order. Diagonalising {@code l} rewrites {@code W_{l-1}}
 * and {@code W_{l+1}} but never another diagonalised layer, so every odd hidden-to-hidden matrix ends up exactly
 * diagonal and the function is preserved; use {@link CompactMlp} to store and run the result with the saving.
 */
public final class Sparsify {
    private Sparsify() {
    }

    /**
     * Alternating full diagonalisation.
     *
     * @param net the network (modified)
     * @param opt the optimiser whose state to transform, or null
     * @return the diagonalised layer indices, in order
     * @throws IllegalArgumentException if the network is element-wise or not finite
     */
    public static List<Integer> alternating(IsotropicMlp net, Optimizer opt) {
        Restructure.checkNetwork("sparsify", net);
        StagedChange e = new StagedChange(net, opt);
        List<Integer> done = new ArrayList<>();
        for (int l = 1; l <= net.depth() - 2; l += 2) {
            Restructure.fullDiagonalise(e, net, l);
            done.add(l);
        }
        e.commit();
        return done;
    }

    /**
     * Entries zeroed by alternating diagonalisation of a network with these widths: each diagonalised
     * {@code W_l} keeps {@code min(n_l, n_{l+1})} of its {@code n_l n_{l+1}} entries.
     *
     * @param widths {@code n_0, ..., n_L}
     * @return the number of entries made exactly zero (beyond zeros already present)
     * @throws IllegalArgumentException if fewer than 3 widths are given
     */
    public static long expectedZeros(int[] widths) {
        if (widths == null || widths.length < 3) {
            throw new IllegalArgumentException("expectedZeros: need at least 3 widths");
        }
        long z = 0;
        for (int l = 1; l <= widths.length - 3; l += 2) {
            z += (long) widths[l] * widths[l + 1] - Math.min(widths[l], widths[l + 1]);
        }
        return z;
    }
}
