package io.isotropic.conformance;

import io.isotropic.oracle.Invariance;
import io.isotropic.oracle.Tolerance;
import io.isotropic.adapt.CompactMlp;
import io.isotropic.adapt.Metrics;
import io.isotropic.adapt.Restructure;
import io.isotropic.adapt.Sparsify;
import io.isotropic.adapt.UnrolledMlp;
import io.isotropic.spi.Svd;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.nn.LinearCorrectionMode;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Contracts R01-R03 and R18: left and full diagonalisation, alternating sparsification and the unrolled forward pass (method.md sections 5, 9, 10; properties 7 and 9-12 of section 13), in F32 and F64,
 * with the invariance tolerance of {@link Invariance}.
 */
public interface DiagonalisationContract extends RestructuringFixture {

    /** R01: left-partial diagonalisation preserves the function; rows of W_l become orthogonal with norms sigma. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.isotropic.conformance.Cases#dtypes")
    default void r01_leftDiagonalisation(DType dt) {
        for (int layer = 0; layer <= 2; layer++) {
            IsotropicMlp net = net(dt, 101 + layer, LinearCorrectionMode.TRAINABLE, 12, 10, 13, 8, 5);
            Tensor x = Nets.inputs(dt, 102, 16, 12);
            Tensor y = net.predict(x);
            double[][] spectraBefore = Metrics.spectra(net);
            io.isotropic.spi.SvdLeft svd = Restructure.leftDiagonalise(net, layer, null);
            RestructuringFixture.assertInvariant("R01 " + dt + " layer " + layer, net, y, x);
            Tensor w = net.weight(layer).to(DType.F64);
            Tensor gram = backend().matmul(w, false, w, true);
            double scale = svd.s().getFlat(0) * svd.s().getFlat(0);
            double tol = 60 * w.cols() * DType.F64.unitRoundoff() * scale + 4 * w.cols() * dt.unitRoundoff() * scale;
            for (int i = 0; i < gram.rows(); i++) {
                for (int j = 0; j < gram.cols(); j++) {
                    double want = i != j ? 0 : (i < svd.s().size() ? svd.s().getFlat(i) * svd.s().getFlat(i) : 0);
                    ContractAssertions.close("R01 " + dt + " W W^T[" + i + "," + j + "]", gram.get(i, j), want,
                            new Tolerance(tol, "SVD backward error 60 n u_64 sigma_1^2 plus rounding to the dtype"));
                }
            }
            double[][] spectraAfter = Metrics.spectra(net);
            for (int l = 0; l < net.depth(); l++) {
                for (int i = 0; i < spectraAfter[l].length; i++) {
                    ContractAssertions.close("R01 " + dt + " sigma of layer " + l, spectraAfter[l][i], spectraBefore[l][i],
                            new Tolerance(Tolerance.LAPACK_THRESHOLD * 13 * dt.epsilon() * spectraBefore[l][0] * 2,
                                    "twice the Weyl bound"));
                }
            }
        }
    }

    /** R02: full diagonalisation preserves the function and makes W_l exactly diagonal; l = 0 and L-1 are rejected. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.isotropic.conformance.Cases#dtypes")
    default void r02_fullDiagonalisation(DType dt) {
        for (int layer = 1; layer <= 2; layer++) {
            IsotropicMlp net = net(dt, 201 + layer, LinearCorrectionMode.TRAINABLE_DECAY, 12, 10, 13, 8, 5);
            Tensor x = Nets.inputs(dt, 202, 16, 12);
            Tensor y = net.predict(x);
            Svd svd = Restructure.fullDiagonalise(net, layer, null);
            RestructuringFixture.assertInvariant("R02 " + dt + " layer " + layer, net, y, x);
            Tensor w = net.weight(layer);
            for (int i = 0; i < w.rows(); i++) {
                for (int j = 0; j < w.cols(); j++) {
                    if (i != j) {
                        assertEquals(0.0, w.get(i, j), "R02: off-diagonal entry (" + i + "," + j + ") must be exactly 0");
                    } else {
                        assertEquals(dt == DType.F32 ? (float) svd.s().getFlat(i) : svd.s().getFlat(i), w.get(i, i),
                                "R02: diagonal entry " + i + " must be sigma_" + i);
                    }
                }
            }
        }
        IsotropicMlp net = net(dt, 203, LinearCorrectionMode.NONE, 6, 5, 4, 3);
        assertThrows(IndexOutOfBoundsException.class, () -> Restructure.fullDiagonalise(net, 0, null));
        assertThrows(IndexOutOfBoundsException.class, () -> Restructure.fullDiagonalise(net, 2, null));
    }

    /**
     * R03: alternating full diagonalisation makes every odd hidden-to-hidden matrix diagonal at once, preserves the
     * function, zeroes exactly the number of entries of method.md section 9, and the compact form runs the same
     * function with that many fewer stored numbers.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.isotropic.conformance.Cases#dtypes")
    default void r03_sparsification(DType dt) {
        IsotropicMlp net = net(dt, 301, LinearCorrectionMode.TRAINABLE_DECAY, 20, 12, 12, 12, 12, 12, 12, 7);
        Tensor x = Nets.inputs(dt, 302, 10, 20);
        Tensor y = net.predict(x);
        long before = Metrics.nonZeroCount(net, 0);
        List<Integer> layers = Sparsify.alternating(net, null);
        assertEquals(List.of(1, 3, 5), layers, "R03: diagonalised layers");
        RestructuringFixture.assertInvariant("R03 " + dt, net, y, x);
        long zeros = Sparsify.expectedZeros(net.widths());
        assertEquals(3L * (12 * 12 - 12), zeros, "R03: formula for 20-12x6-7");
        assertEquals(before - zeros, Metrics.nonZeroCount(net, 0), "R03: exact zero count");
        CompactMlp compact = CompactMlp.of(net);
        for (int l : layers) {
            assertTrue(compact.isDiagonal(l), "R03: layer " + l + " stored as a diagonal");
        }
        assertEquals(net.parameterCount() - zeros, compact.storedParameters(), "R03: stored numbers");
        Tensor yc = compact.forward(x);
        ContractAssertions.atMost("R03 " + dt + " compact vs dense", Invariance.maxDiff(net.predict(x), yc),
                Invariance.of(net, y));
    }

    /** R18: the unrolled (generalised isotropic perceptron) forward pass equals the sequential one. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.isotropic.conformance.Cases#dtypes")
    default void r18_unrolledForwardEqualsSequential(DType dt) {
        for (LinearCorrectionMode pm : new LinearCorrectionMode[] {LinearCorrectionMode.TRAINABLE,
                LinearCorrectionMode.NONE}) {
            IsotropicMlp net = net(dt, 1801, pm, 12, 10, 9, 8, 5);
            Tensor x = Nets.inputs(dt, 1802, 7, 12);
            Tensor y = net.predict(x);
            ContractAssertions.atMost("R18 " + dt + " " + pm, Invariance.maxDiff(y, UnrolledMlp.of(net).forward(x)),
                    Invariance.of(net, y));
        }
    }
}
