package io.isotropic.adapt;

import io.isotropic.nn.ActivationKind;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.spi.ActivationOutput;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.ShapeMismatchException;
import io.isotropic.tensor.Tensor;

import java.util.Objects;

/**
 * An inference-only copy of an isotropic network that stores every exactly diagonal weight matrix as the vector of
 * its diagonal, so that sparsification saves memory and arithmetic for real: a diagonal {@code W_l} costs
 * {@code min(n_l, n_{l+1})} multiplications per sample instead of {@code n_l n_{l+1}}. The forward pass equals the
 * dense network's (the same products with the zeros skipped).
 */
public final class CompactMlp {
    private final Backend backend;
    private final DType dtype;
    private final double epsilon;
    private final int[] widths;
    private final Tensor[] dense;     // null where diagonal
    private final double[][] diagonal; // null where dense
    private final Tensor[] biases;
    private final Tensor[] psi;
    private final double[] lengths;

    private CompactMlp(IsotropicMlp net) {
        this.backend = net.backend();
        this.dtype = net.dtype();
        this.epsilon = net.epsilon();
        this.widths = net.widths();
        int depth = net.depth();
        dense = new Tensor[depth];
        diagonal = new double[depth][];
        biases = new Tensor[depth];
        psi = new Tensor[depth - 1];
        lengths = new double[depth - 1];
        for (int l = 0; l < depth; l++) {
            Tensor w = net.weight(l);
            if (isDiagonal(w)) {
                int k = Math.min(w.rows(), w.cols());
                diagonal[l] = new double[k];
                for (int i = 0; i < k; i++) {
                    diagonal[l][i] = w.get(i, i);
                }
            } else {
                dense[l] = w.copy();
            }
            biases[l] = net.bias(l).copy();
            if (l < depth - 1) {
                psi[l] = net.psi(l) == null ? null : net.psi(l).copy();
                lengths[l] = net.intrinsicLength(l);
            }
        }
    }

    /**
     * Compacts a network: every weight matrix whose off-diagonal entries are exactly zero is stored as its diagonal.
     *
     * @param net an isotropic network (typically after {@link Sparsify#alternating})
     * @return the compact copy
     * @throws IllegalArgumentException if the network uses element-wise tanh or has non-finite parameters
     */
    public static CompactMlp of(IsotropicMlp net) {
        Objects.requireNonNull(net, "CompactMlp.of: net is null");
        if (net.activation() != ActivationKind.ISOTROPIC_TANH) {
            throw new IllegalArgumentException("CompactMlp.of: only isotropic networks are supported, got "
                    + net.activation());
        }
        Restructure.checkFinite("CompactMlp.of", net);
        return new CompactMlp(net);
    }

    private static boolean isDiagonal(Tensor w) {
        int r = w.rows();
        int c = w.cols();
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                if (i != j && w.getFlat(i * c + j) != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Whether layer {@code l} is stored as a diagonal.
     *
     * @param l the layer
     * @return true if diagonal
     * @throws IndexOutOfBoundsException if l is out of range
     */
    public boolean isDiagonal(int l) {
        return diagonal[Objects.checkIndex(l, diagonal.length)] != null;
    }

    /**
     * Number of stored numbers: dense weights, diagonals, biases, psi vectors and intrinsic lengths.
     *
     * @return the count
     */
    public long storedParameters() {
        long n = 0;
        for (int l = 0; l < dense.length; l++) {
            n += dense[l] != null ? dense[l].size() : diagonal[l].length;
            n += biases[l].size();
        }
        for (int l = 0; l < psi.length; l++) {
            n += (psi[l] == null ? 0 : psi[l].size()) + 1;
        }
        return n;
    }

    /**
     * Layer widths.
     *
     * @return {@code [n_0, ..., n_L]}
     */
    public int[] widths() {
        return widths.clone();
    }

    /**
     * Forward pass (logits), skipping the zeros of diagonal layers.
     *
     * @param x inputs {@code [batch, n_0]} in the network's dtype
     * @return logits {@code [batch, n_L]}
     * @throws ShapeMismatchException if x does not have {@code n_0} columns
     * @throws IllegalArgumentException if the dtype differs
     */
    public Tensor forward(Tensor x) {
        Objects.requireNonNull(x, "CompactMlp.forward: x is null");
        if (x.rank() != 2 || x.cols() != widths[0]) {
            throw new ShapeMismatchException("CompactMlp.forward: x is " + x.shape() + "; expected [batch, " + widths[0]
                    + "]");
        }
        if (x.dtype() != dtype) {
            throw new IllegalArgumentException("CompactMlp.forward: x is " + x.dtype() + ", the network is " + dtype);
        }
        int batch = x.rows();
        Tensor h = x;
        Tensor gains = null;
        for (int l = 0; l < dense.length; l++) {
            Tensor z;
            if (dense[l] != null) {
                z = backend.affine(h, dense[l], biases[l]);
            } else {
                z = diagonalAffine(h, diagonal[l], biases[l], widths[l], widths[l + 1]);
            }
            if (l >= 1 && psi[l - 1] != null) {
                backend.gemm(1.0, gains.reshape(batch, 1), false, psi[l - 1].reshape(1, psi[l - 1].size()), false, 1.0, z);
            }
            if (l == dense.length - 1) {
                return z;
            }
            ActivationOutput a = backend.isoTanhForward(z, lengths[l], epsilon);
            gains = a.gains();
            h = a.h();
        }
        throw new IllegalStateException("unreachable");
    }

    private Tensor diagonalAffine(Tensor h, double[] d, Tensor b, int in, int out) {
        int batch = h.rows();
        Tensor z = Tensor.zeros(dtype, batch, out);
        for (int r = 0; r < batch; r++) {
            for (int i = 0; i < out; i++) {
                double v = b.getFlat(i);
                if (i < d.length) {
                    v += d[i] * h.getFlat(r * in + i);
                }
                z.setFlat(r * out + i, v);
            }
        }
        return z;
    }
}
