package io.isotropic.adapt;

import io.isotropic.activation.IsoTanh;
import io.isotropic.nn.ActivationKind;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.ShapeMismatchException;
import io.isotropic.tensor.Tensor;

import java.util.Objects;

/**
 * The generalised isotropic perceptron of method.md section 10 [INFERRED there]: an alternative forward path in
 * which every input-dependent product is computed up front. Because an isotropic layer only scales its input,
 * the recursion {@code z_l = s_{l-1} (W_l z_{l-1} + psi_{l-1}) + b_l} unrolls to
 * {@code z_l = pi_{0,l} (M_l x + e_{l,0}) + sum_{k=1..l} pi_{k,l} e_{l,k}} with {@code M_l = W_l ... W_0},
 * constant vectors {@code e_{l,k} = W_l...W_{k+1} b_k + [k < l] W_l...W_{k+2} psi_k} and scalar products
 * {@code pi_{k,l} = s_k ... s_{l-1}}. All {@code M_l x} come from one stacked matrix product
 * {@code X [M_0; M_1; ...]^T}; what remains per sample is a scalar recursion over the gains and small
 * combinations with the constant vectors. This object is a snapshot: rebuild it after the network changes.
 */
public final class UnrolledMlp {
    private final Backend backend;
    private final int[] widths;
    private final Tensor stacked;   // [sum_l n_{l+1}, n_0]: M_0 on top, then M_1, ...
    private final Tensor[] constants; // E_l as [l + 1, n_{l+1}]: row k is e_{l,k}
    private final double[] lengths;
    private final double epsilon;
    private final DType dtype;

    private UnrolledMlp(IsotropicMlp net) {
        this.backend = net.backend();
        this.widths = net.widths();
        this.epsilon = net.epsilon();
        this.dtype = net.dtype();
        int depth = net.depth();
        lengths = new double[depth - 1];
        for (int l = 0; l < depth - 1; l++) {
            lengths[l] = net.intrinsicLength(l);
        }
        int total = 0;
        for (int l = 0; l < depth; l++) {
            total += widths[l + 1];
        }
        Tensor[] m = new Tensor[depth];
        constants = new Tensor[depth];
        Tensor w0 = net.weight(0).to(DType.F64);
        m[0] = w0;
        constants[0] = net.bias(0).to(DType.F64).reshape(1, widths[1]);
        for (int l = 1; l < depth; l++) {
            Tensor wl = net.weight(l).to(DType.F64);
            m[l] = backend.matmul(wl, m[l - 1]);
            Tensor prev = backend.matmul(constants[l - 1], false, wl, true); // rows e_{l-1,k} W_l^T
            Tensor e = Tensor.zeros(DType.F64, l + 1, widths[l + 1]);
            System.arraycopy(prev.f64(), 0, e.f64(), 0, prev.size());
            if (net.psi(l - 1) != null) {
                Tensor p = net.psi(l - 1).to(DType.F64);
                for (int j = 0; j < widths[l + 1]; j++) {
                    e.f64()[(l - 1) * widths[l + 1] + j] += p.f64()[j];
                }
            }
            Tensor b = net.bias(l).to(DType.F64);
            System.arraycopy(b.f64(), 0, e.f64(), l * widths[l + 1], widths[l + 1]);
            constants[l] = e;
        }
        Tensor s = Tensor.zeros(DType.F64, total, widths[0]);
        int row = 0;
        for (int l = 0; l < depth; l++) {
            System.arraycopy(m[l].f64(), 0, s.f64(), row * widths[0], m[l].size());
            row += widths[l + 1];
        }
        stacked = s.to(dtype);
        for (int l = 0; l < depth; l++) {
            constants[l] = constants[l].to(dtype);
        }
    }

    /**
     * Builds the unrolled form of a network (a snapshot of its current parameters).
     *
     * @param net an isotropic network
     * @return the unrolled form
     * @throws IllegalArgumentException if the network uses element-wise tanh or has non-finite parameters
     */
    public static UnrolledMlp of(IsotropicMlp net) {
        Objects.requireNonNull(net, "UnrolledMlp.of: net is null");
        if (net.activation() != ActivationKind.ISOTROPIC_TANH) {
            throw new IllegalArgumentException("UnrolledMlp.of: the unrolled form needs isotropic activations, got "
                    + net.activation());
        }
        Restructure.checkFinite("UnrolledMlp.of", net);
        return new UnrolledMlp(net);
    }

    /**
     * Logits of a batch through the unrolled form.
     *
     * @param x inputs {@code [batch, n_0]} in the network's dtype
     * @return logits {@code [batch, n_L]}
     * @throws ShapeMismatchException if x does not have {@code n_0} columns
     * @throws IllegalArgumentException if the dtype differs
     */
    public Tensor forward(Tensor x) {
        Objects.requireNonNull(x, "UnrolledMlp.forward: x is null");
        if (x.rank() != 2 || x.cols() != widths[0]) {
            throw new ShapeMismatchException("UnrolledMlp.forward: x is " + x.shape() + "; expected [batch, "
                    + widths[0] + "]");
        }
        if (x.dtype() != dtype) {
            throw new IllegalArgumentException("UnrolledMlp.forward: x is " + x.dtype() + ", the network is " + dtype);
        }
        int batch = x.rows();
        int depth = constants.length;
        Tensor u = backend.matmul(x, false, stacked, true); // [batch, sum n_{l+1}]: all M_l x at once
        int total = u.cols();
        double[] pi = new double[depth]; // pi_{k,l} for k = 0..l, per sample
        Tensor out = Tensor.zeros(dtype, batch, widths[depth]);
        double[] z = new double[maxWidth()];
        for (int r = 0; r < batch; r++) {
            java.util.Arrays.fill(pi, 0);
            pi[0] = 1;
            int offset = 0;
            for (int l = 0; l < depth; l++) {
                int n = widths[l + 1];
                Tensor e = constants[l];
                double r2 = 0;
                for (int j = 0; j < n; j++) {
                    double v = pi[0] * (u.getFlat(r * total + offset + j) + e.getFlat(j));
                    for (int k = 1; k <= l; k++) {
                        v += pi[k] * e.getFlat(k * n + j);
                    }
                    z[j] = v;
                    r2 += v * v;
                }
                if (l == depth - 1) {
                    for (int j = 0; j < n; j++) {
                        out.setFlat(r * n + j, z[j]);
                    }
                    break;
                }
                double s = IsoTanh.gain(r2, lengths[l], epsilon);
                for (int k = 0; k <= l; k++) {
                    pi[k] *= s;
                }
                pi[l + 1] = 1;
                offset += n;
            }
        }
        return out;
    }

    private int maxWidth() {
        int m = 0;
        for (int w : widths) {
            m = Math.max(m, w);
        }
        return m;
    }
}
