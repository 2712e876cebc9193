package io.isotropic.nn;

import io.isotropic.activation.IsoTanh;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/** Configures and builds an {@link IsotropicMlp}. */
public final class IsotropicMlpBuilder {
    private final int[] widths;
    private DType dtype = DType.F32;
    private ActivationKind activation = ActivationKind.ISOTROPIC_TANH;
    private IntrinsicLengthMode lengthMode = IntrinsicLengthMode.TRAINABLE;
    private double initialLength = 1e-6;
    private LinearCorrectionMode psiMode = LinearCorrectionMode.TRAINABLE_DECAY;
    private double psiDecay = 0.1;
    private double epsilon = IsoTanh.DEFAULT_EPSILON;
    private Initialiser initialiser = Initialiser.ORTHOGONAL;
    private long seed;

    IsotropicMlpBuilder(int[] widths) {
        if (widths == null || widths.length < 3) {
            throw new IllegalArgumentException("IsotropicMlp: need widths n_0, n_1, ..., n_L with at least one "
                    + "hidden layer (3 or more numbers), got " + Arrays.toString(widths));
        }
        for (int i = 0; i < widths.length; i++) {
            if (widths[i] < 1) {
                throw new IllegalArgumentException("IsotropicMlp: width " + i + " is " + widths[i] + " in "
                        + Arrays.toString(widths) + "; every layer needs at least one neuron");
            }
        }
        this.widths = widths.clone();
    }

    /**
     * Sets the dtype of all parameters (default F32).
     *
     * @param d the dtype
     * @return this builder
     */
    public IsotropicMlpBuilder dtype(DType d) {
        this.dtype = Objects.requireNonNull(d, "dtype");
        return this;
    }

    /**
     * Sets the hidden activation (default isotropic tanh).
     *
     * @param a the activation
     * @return this builder
     */
    public IsotropicMlpBuilder activation(ActivationKind a) {
        this.activation = Objects.requireNonNull(a, "activation");
        return this;
    }

    /**
     * Sets the intrinsic-length mode and its initial value (default TRAINABLE, 1e-6).
     *
     * @param mode the mode
     * @param initial the initial {@code o}: finite, {@code > 0} for TRAINABLE (ignored for NONE)
     * @return this builder
     */
    public IsotropicMlpBuilder intrinsicLength(IntrinsicLengthMode mode, double initial) {
        this.lengthMode = Objects.requireNonNull(mode, "intrinsic length mode");
        this.initialLength = initial;
        return this;
    }

    /**
     * Sets the linear-correction mode and the psi penalty coefficient (default TRAINABLE_DECAY, 0.1).
     *
     * @param mode the mode
     * @param decay lambda of TRAINABLE_DECAY, finite and {@code >= 0}
     * @return this builder
     */
    public IsotropicMlpBuilder linearCorrection(LinearCorrectionMode mode, double decay) {
        this.psiMode = Objects.requireNonNull(mode, "linear correction mode");
        this.psiDecay = decay;
        return this;
    }

    /**
     * Sets the small-ball radius (default 1e-3).
     *
     * @param eps finite, {@code > 0}
     * @return this builder
     */
    public IsotropicMlpBuilder epsilon(double eps) {
        this.epsilon = eps;
        return this;
    }

    /**
     * Sets the weight initialiser (default orthogonal).
     *
     * @param init the initialiser
     * @return this builder
     */
    public IsotropicMlpBuilder initialiser(Initialiser init) {
        this.initialiser = Objects.requireNonNull(init, "initialiser");
        return this;
    }

    /**
     * Sets the seed of the weight initialisation.
     *
     * @param s the seed
     * @return this builder
     */
    public IsotropicMlpBuilder seed(long s) {
        this.seed = s;
        return this;
    }

    /**
     * Builds the network: weights from the initialiser, zero biases and psi, {@code o} at its initial value.
     *
     * @param backend the backend for all arithmetic
     * @return the network
     * @throws IllegalArgumentException for an inconsistent configuration (e.g. element-wise tanh with psi or
     *         an intrinsic length, a non-positive initial length in mode TRAINABLE, a non-finite setting)
     */
    public IsotropicMlp build(Backend backend) {
        Objects.requireNonNull(backend, "IsotropicMlp.build: backend is null");
        MlpSpec spec = new MlpSpec(dtype, activation, lengthMode, psiMode, psiDecay, epsilon);
        if (lengthMode.hasParameter() && (!Double.isFinite(initialLength)
                || (lengthMode == IntrinsicLengthMode.TRAINABLE && !(initialLength > 0)))) {
            throw new IllegalArgumentException("IsotropicMlp: initial intrinsic length " + initialLength
                    + " is invalid for mode " + lengthMode + " (TRAINABLE stores ln o and needs o > 0)");
        }
        int depth = widths.length - 1;
        SplittableRandom rng = new SplittableRandom(seed);
        Tensor[] w = new Tensor[depth];
        Tensor[] b = new Tensor[depth];
        for (int l = 0; l < depth; l++) {
            w[l] = initialiser.draw(widths[l + 1], widths[l], dtype, rng, backend);
            b[l] = Tensor.zeros(dtype, widths[l + 1]);
        }
        Tensor[] o = new Tensor[depth - 1];
        Tensor[] p = new Tensor[depth - 1];
        for (int l = 0; l < depth - 1; l++) {
            if (lengthMode.hasParameter()) {
                o[l] = Tensor.zeros(dtype, 1);
                o[l].setFlat(0, lengthMode == IntrinsicLengthMode.TRAINABLE ? Math.log(initialLength)
                        : initialLength);
            }
            if (psiMode.psiPresent()) {
                p[l] = Tensor.zeros(dtype, widths[l + 2]);
            }
        }
        return new IsotropicMlp(spec, backend, w, b, o, p);
    }
}
