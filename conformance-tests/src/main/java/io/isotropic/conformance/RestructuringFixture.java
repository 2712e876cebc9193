package io.isotropic.conformance;

import io.isotropic.oracle.Invariance;
import io.isotropic.adapt.Growth;
import io.isotropic.adapt.Restructure;
import io.isotropic.nn.ActivationKind;
import io.isotropic.nn.IntrinsicLengthMode;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.nn.LinearCorrectionMode;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;

/**
 * What the restructuring contracts (R01-R22) share: networks built on the backend under test, and the invariance
 * assertion with the tolerance of {@link Invariance}.
 */
public interface RestructuringFixture extends BackendFixture {

    /**
     * A random isotropic network with trainable {@code o} on the backend under test.
     *
     * @param dt the dtype
     * @param seed the seed
     * @param psi the psi mode
     * @param widths the widths
     * @return the network
     */
    default IsotropicMlp net(DType dt, long seed, LinearCorrectionMode psi, int... widths) {
        return Nets.random(backend(), dt, seed, ActivationKind.ISOTROPIC_TANH, IntrinsicLengthMode.TRAINABLE, psi,
                widths);
    }

    /**
     * The exact-degeneration scenario of method.md 13.5 item 18: a scaffold neuron with bias beta.
     *
     * @param dt the dtype
     * @param seed the seed
     * @param om the intrinsic-length mode
     * @param pm the psi mode
     * @param beta the scaffold neuron's bias
     * @return the network 12-10-10-8-5 whose hidden layer 2 has the scaffold neuron last
     */
    default IsotropicMlp scaffoldWithBias(DType dt, long seed, IntrinsicLengthMode om, LinearCorrectionMode pm,
                                          double beta) {
        IsotropicMlp net = Nets.random(backend(), dt, seed, ActivationKind.ISOTROPIC_TANH, om, pm, 12, 10, 9, 8, 5);
        Restructure.neurogenesis(net, 1, 1, new Growth(true, 0.5, seed + 1), null);
        net.bias(1).setFlat(9, beta);
        return net;
    }

    /**
     * Asserts that a restructured network computes what it computed before, within the invariance tolerance.
     *
     * @param what the contract and case, for the message
     * @param after the restructured network
     * @param before its logits before
     * @param x the inputs
     */
    static void assertInvariant(String what, IsotropicMlp after, Tensor before, Tensor x) {
        Tensor y = after.predict(x);
        ContractAssertions.atMost(what + ": |y' - y|_inf", Invariance.maxDiff(before, y), Invariance.of(after, before));
    }

    /**
     * Column j of a matrix as an F64 vector.
     *
     * @param m the matrix
     * @param j the column
     * @return the column
     */
    static Tensor col(Tensor m, int j) {
        Tensor c = Tensor.zeros(DType.F64, m.rows());
        for (int i = 0; i < m.rows(); i++) {
            c.setFlat(i, m.get(i, j));
        }
        return c;
    }
}
