package io.isotropic.conformance;

import io.isotropic.nn.ActivationKind;
import io.isotropic.nn.Initialiser;
import io.isotropic.nn.IntrinsicLengthMode;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.nn.LinearCorrectionMode;
import io.isotropic.nn.Parameter;
import io.isotropic.nn.ParameterRole;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;

import java.util.SplittableRandom;

/** Random test networks with every parameter (biases, psi, intrinsic lengths) active. */
public final class Nets {
    private Nets() {
    }

    /**
     * A network with Xavier-normal weights scaled by {@code weightScale}, random biases ({@code N(0, 0.3^2)}),
     * random psi ({@code N(0, 0.3^2)}) and intrinsic lengths 0.05 (where the modes have them).
     *
     * @param be backend
     * @param dtype dtype
     * @param seed seed
     * @param act activation
     * @param oMode intrinsic-length mode
     * @param psiMode psi mode
     * @param widths layer widths
     * @return the network
     */
    public static IsotropicMlp random(Backend be, DType dtype, long seed, ActivationKind act, IntrinsicLengthMode oMode,
                                      LinearCorrectionMode psiMode, int... widths) {
        IsotropicMlp net = IsotropicMlp.builder(widths).dtype(dtype).activation(act)
                .intrinsicLength(oMode, 0.05).linearCorrection(psiMode, 0.1).initialiser(Initialiser.XAVIER_NORMAL)
                .seed(seed).build(be);
        SplittableRandom rng = new SplittableRandom(seed ^ 0x5DEECE66DL);
        for (Parameter p : net.parameters()) {
            if (p.role() == ParameterRole.BIAS || p.role() == ParameterRole.PSI) {
                for (int i = 0; i < p.value().size(); i++) {
                    p.value().setFlat(i, 0.3 * rng.nextGaussian());
                }
            } else if (p.role() == ParameterRole.WEIGHT) {
                for (int i = 0; i < p.value().size(); i++) {
                    p.value().setFlat(i, 1.5 * p.value().getFlat(i));
                }
            }
        }
        return net;
    }

    /**
     * Random inputs.
     *
     * @param dtype dtype
     * @param seed seed
     * @param batch rows
     * @param n columns
     * @return {@code [batch, n]} with i.i.d. {@code N(0, 1)} entries
     */
    public static Tensor inputs(DType dtype, long seed, int batch, int n) {
        return Tensor.randomNormal(dtype, seed, 1.0, batch, n);
    }
}
