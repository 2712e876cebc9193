package io.isotropic.bench;

import io.isotropic.nn.Gradients;
import io.isotropic.nn.ForwardPass;
import io.isotropic.nn.Initialiser;
import io.isotropic.nn.IntrinsicLengthMode;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.nn.Parameter;
import io.isotropic.nn.ParameterRole;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import io.isotropic.train.Adam;
import io.isotropic.train.Loss;
import io.isotropic.train.LossValue;
import io.isotropic.train.ParameterState;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Networks, batches and optimisers shared by the network-level benchmarks. Every network uses the defaults of
 * {@link IsotropicMlp#builder} (isotropic tanh, trainable {@code o}, psi TRAINABLE_DECAY) except where a method
 * says otherwise; every random draw comes from a fixed seed, so each trial sees the same numbers.
 */
public final class BenchNets {
    /** Learning rate of the benchmarks' AdamW (the time of a step does not depend on it). */
    public static final double LEARNING_RATE = 1e-3;

    /** Decoupled weight decay of the benchmarks' AdamW, as in the digits contract N08. */
    public static final double WEIGHT_DECAY = 1e-3;

    private BenchNets() {
    }

    /**
     * Parses widths written as {@code 784-512x6-10}: numbers joined by {@code -}, where {@code wxk} repeats a
     * width {@code k} times.
     *
     * @param spec the widths
     * @return {@code n_0, ..., n_L}
     * @throws IllegalArgumentException if the text is malformed
     */
    public static int[] widths(String spec) {
        try {
            return Arrays.stream(spec.trim().split("-")).flatMapToInt(part -> {
                String[] rep = part.split("x");
                int w = Integer.parseInt(rep[0]);
                int k = rep.length == 2 ? Integer.parseInt(rep[1]) : 1;
                if (rep.length > 2 || w < 1 || k < 1) {
                    throw new IllegalArgumentException(part);
                }
                return java.util.stream.IntStream.generate(() -> w).limit(k);
            }).toArray();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("benchmark: widths '" + spec + "' are not like 784-512x6-10", e);
        }
    }

    /** Intrinsic length of {@link #trainedLike} networks (the builder's 1e-6 would make {@code dL/dln o} vanish). */
    public static final double INTRINSIC_LENGTH = 0.05;

    /**
     * A network in a trained-like state: the modes of the builder's defaults (trainable {@code o}, psi
     * TRAINABLE_DECAY) with Gaussian (Xavier-normal) weights, so that every weight matrix has distinct singular
     * values (an orthogonal initialisation makes them all 1, a degenerate case no trained layer is in), biases and
     * psi drawn from {@code N(0, 0.1^2)} and {@code o = 0.05}, so that every parameter takes part.
     *
     * @param be the backend
     * @param dt the dtype
     * @param seed the seed of weights, biases and psi
     * @param widths {@code n_0, ..., n_L}
     * @return the network
     */
    public static IsotropicMlp trainedLike(Backend be, DType dt, long seed, int... widths) {
        IsotropicMlp net = IsotropicMlp.builder(widths).dtype(dt).initialiser(Initialiser.XAVIER_NORMAL).seed(seed)
                .intrinsicLength(IntrinsicLengthMode.TRAINABLE, INTRINSIC_LENGTH).build(be);
        SplittableRandom rng = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        for (Parameter p : net.parameters()) {
            if (p.role() == ParameterRole.BIAS || p.role() == ParameterRole.PSI) {
                for (int i = 0; i < p.value().size(); i++) {
                    p.value().setFlat(i, 0.1 * rng.nextGaussian());
                }
            }
        }
        return net;
    }

    /**
     * A batch of standard normal inputs.
     *
     * @param dt the dtype
     * @param seed the seed
     * @param batch rows
     * @param n columns
     * @return {@code [batch, n]}
     */
    public static Tensor inputs(DType dt, long seed, int batch, int n) {
        return Tensor.randomNormal(dt, seed, 1.0, batch, n);
    }

    /**
     * Uniformly drawn class labels.
     *
     * @param seed the seed
     * @param batch how many
     * @param classes the number of classes
     * @return labels in {@code [0, classes)}
     */
    public static int[] labels(long seed, int batch, int classes) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] y = new int[batch];
        for (int i = 0; i < batch; i++) {
            y[i] = rng.nextInt(classes);
        }
        return y;
    }

    /**
     * The gradient of the training loss (cross-entropy plus the psi penalty) on one batch.
     *
     * @param net the network
     * @param x inputs
     * @param y labels
     * @return the gradients of every trainable parameter
     */
    public static Gradients gradients(IsotropicMlp net, Tensor x, int[] y) {
        ForwardPass fp = net.forward(x);
        LossValue lv = Loss.CROSS_ENTROPY.evaluate(fp.logits(), y);
        Gradients g = net.backward(fp, lv.gradient());
        net.addPsiPenaltyGradient(g);
        return g;
    }

    /**
     * The training loss (cross-entropy plus the psi penalty) on one batch, as {@link io.isotropic.train.Trainer}
     * computes it.
     *
     * @param net the network
     * @param x inputs
     * @param y labels
     * @return the loss
     */
    public static double loss(IsotropicMlp net, Tensor x, int[] y) {
        return Loss.CROSS_ENTROPY.evaluate(net.predict(x), y).loss() + net.psiPenalty();
    }

    /**
     * The benchmarks' AdamW after {@code steps} steps on random batches, so that its moments are non-zero (a
     * restructuring must transform them, and zero moments would hide a missing transform).
     *
     * @param net the network (trained by those steps)
     * @param steps how many steps
     * @param seed the seed of the batches
     * @return the optimiser
     */
    public static Adam warmAdam(IsotropicMlp net, int steps, long seed) {
        Adam opt = Adam.adamW(LEARNING_RATE, WEIGHT_DECAY);
        int n0 = net.widths()[0];
        int classes = net.widths()[net.depth()];
        for (int s = 0; s < steps; s++) {
            Tensor x = inputs(net.dtype(), seed + s, 32, n0);
            io.isotropic.train.Trainer.step(net, opt, io.isotropic.train.Objective.of(Loss.CROSS_ENTROPY),
                    new io.isotropic.train.Batch(x, labels(seed + s, 32, classes), null));
        }
        return opt;
    }

    /**
     * A deep copy of an AdamW built by {@link #warmAdam} (same hyper-parameters, copied moments and step counts).
     *
     * @param template the optimiser to copy
     * @return the copy
     */
    public static Adam copy(Adam template) {
        Adam opt = Adam.adamW(LEARNING_RATE, WEIGHT_DECAY);
        for (Map.Entry<String, ParameterState> e : template.states().entrySet()) {
            opt.putState(e.getKey(), e.getValue().copy());
        }
        opt.setSteps(template.steps());
        return opt;
    }

    /**
     * An F64 network with the same configuration and exactly the (widened) parameter values of another.
     *
     * @param net the network
     * @param seed the seed it was built with (the configuration is that of {@link #trainedLike})
     * @return the F64 twin
     */
    public static IsotropicMlp widened(IsotropicMlp net, long seed) {
        IsotropicMlp twin = IsotropicMlp.builder(net.widths()).dtype(DType.F64).initialiser(Initialiser.XAVIER_NORMAL)
                .intrinsicLength(IntrinsicLengthMode.TRAINABLE, INTRINSIC_LENGTH).seed(seed).build(net.backend());
        Map<String, Tensor> values = new java.util.HashMap<>();
        for (Parameter p : net.parameters()) {
            values.put(p.name(), p.value().to(DType.F64));
        }
        twin.replaceParameters(values);
        return twin;
    }

    /**
     * The largest width.
     *
     * @param widths {@code n_0, ..., n_L}
     * @return the maximum
     */
    public static int maxWidth(int[] widths) {
        return Arrays.stream(widths).max().orElseThrow();
    }
}
