package io.isotropic.nn;

import io.isotropic.linalg.Orthogonal;
import io.isotropic.activation.IsoTanh;
import io.isotropic.spi.ActivationOutput;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.ShapeMismatchException;
import io.isotropic.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A multi-layer perceptron {@code n_0 -> n_1 -> ... -> n_L} with isotropic-tanh (or, as a baseline, element-wise
 * tanh) hidden layers and an affine output layer, in method.md's indexing (section 1): affine maps
 * {@code W_l [n_{l+1}, n_l]}, {@code b_l}, {@code l = 0 .. L-1}; activations and intrinsic lengths {@code o_l} and
 * psi vectors {@code psi_l [n_{l+2}]}, {@code l = 0 .. L-2}.
 *
 * <p>Forward (section 3.1): {@code z_l = W_l h_l + b_l (+ s_{l-1} psi_{l-1} for l >= 1 when psi is present)};
 * hidden layers output {@code h_{l+1} = s_l z_l} with {@code s_l = G(|z_l|^2; o_l)}; the last layer returns
 * {@code z_{L-1}}. All arithmetic goes through the network's {@link Backend}.
 *
 * <p>The network is mutable: optimisers update parameter tensors in place, and restructuring replaces them
 * through {@link #replaceParameters}, which validates everything before changing anything. Not thread-safe.
 */
public final class IsotropicMlp {
    private final Backend backend;
    private final DType dtype;
    private final ActivationKind activation;
    private final IntrinsicLengthMode lengthMode;
    private final LinearCorrectionMode psiMode;
    private final double epsilon;
    private final double psiDecay;

    private Tensor[] weights;
    private Tensor[] biases;
    private Tensor[] lengths; // [1] per activation, null for mode NONE
    private Tensor[] psi;     // [n_{l+2}] per activation, null when absent
    private Tensor[] lastGains; // EXPECTATION mode: gains of the most recent forward pass

    private IsotropicMlp(Builder b, Backend backend, Tensor[] weights, Tensor[] biases, Tensor[] lengths,
                         Tensor[] psi) {
        this.backend = backend;
        this.dtype = b.dtype;
        this.activation = b.activation;
        this.lengthMode = b.lengthMode;
        this.psiMode = b.psiMode;
        this.epsilon = b.epsilon;
        this.psiDecay = b.psiDecay;
        this.weights = weights;
        this.biases = biases;
        this.lengths = lengths;
        this.psi = psi;
        this.lastGains = new Tensor[weights.length - 1];
    }

    private IsotropicMlp(IsotropicMlp o, Backend backend) {
        this.backend = backend;
        this.dtype = o.dtype;
        this.activation = o.activation;
        this.lengthMode = o.lengthMode;
        this.psiMode = o.psiMode;
        this.epsilon = o.epsilon;
        this.psiDecay = o.psiDecay;
        this.weights = copyAll(o.weights);
        this.biases = copyAll(o.biases);
        this.lengths = copyAll(o.lengths);
        this.psi = copyAll(o.psi);
        this.lastGains = copyAll(o.lastGains);
    }

    private static Tensor[] copyAll(Tensor[] ts) {
        Tensor[] out = new Tensor[ts.length];
        for (int i = 0; i < ts.length; i++) {
            out[i] = ts[i] == null ? null : ts[i].copy();
        }
        return out;
    }

    /**
     * Starts building a network with the given widths.
     *
     * @param widths {@code n_0, ..., n_L}: input, at least one hidden layer, output; all {@code >= 1}
     * @return a builder with the defaults of the reference experiments (isotropic tanh, orthogonal init,
     *         trainable {@code o = 1e-6}, psi TRAINABLE_DECAY with lambda 0.1, eps 1e-3, F32, seed 0)
     */
    public static Builder builder(int... widths) {
        return new Builder(widths);
    }

    // ================================================================ structure

    /**
     * The backend all arithmetic runs on.
     *
     * @return the backend
     */
    public Backend backend() {
        return backend;
    }

    /**
     * Element type of every parameter.
     *
     * @return the dtype
     */
    public DType dtype() {
        return dtype;
    }

    /**
     * The hidden non-linearity.
     *
     * @return the activation kind
     */
    public ActivationKind activation() {
        return activation;
    }

    /**
     * The intrinsic-length mode.
     *
     * @return the mode
     */
    public IntrinsicLengthMode intrinsicLengthMode() {
        return lengthMode;
    }

    /**
     * The linear-correction (psi) mode.
     *
     * @return the mode
     */
    public LinearCorrectionMode linearCorrectionMode() {
        return psiMode;
    }

    /**
     * Small-ball radius of the isotropic activations.
     *
     * @return eps
     */
    public double epsilon() {
        return epsilon;
    }

    /**
     * Coefficient lambda of the psi penalty {@code lambda sum |psi_l|^2} (used in mode TRAINABLE_DECAY only).
     *
     * @return lambda
     */
    public double psiDecay() {
        return psiDecay;
    }

    /**
     * Number of affine maps {@code L}.
     *
     * @return L, at least 2
     */
    public int depth() {
        return weights.length;
    }

    /**
     * Current layer widths, recomputed from the parameter shapes.
     *
     * @return {@code [n_0, ..., n_L]}
     */
    public int[] widths() {
        int[] w = new int[weights.length + 1];
        w[0] = weights[0].cols();
        for (int l = 0; l < weights.length; l++) {
            w[l + 1] = weights[l].rows();
        }
        return w;
    }

    /**
     * Weight matrix of affine map {@code l} (live tensor).
     *
     * @param l the layer, {@code 0 <= l < L}
     * @return {@code W_l}, shape {@code [n_{l+1}, n_l]}
     * @throws IndexOutOfBoundsException if l is out of range
     */
    public Tensor weight(int l) {
        return weights[checkLayer("weight", l)];
    }

    /**
     * Bias of affine map {@code l} (live tensor).
     *
     * @param l the layer, {@code 0 <= l < L}
     * @return {@code b_l}, shape {@code [n_{l+1}]}
     * @throws IndexOutOfBoundsException if l is out of range
     */
    public Tensor bias(int l) {
        return biases[checkLayer("bias", l)];
    }

    /**
     * Psi vector {@code psi_l} (live tensor), or null when the mode has none.
     *
     * @param l the activation, {@code 0 <= l < L - 1}
     * @return shape {@code [n_{l+2}]} or null
     * @throws IndexOutOfBoundsException if l is out of range
     */
    public Tensor psi(int l) {
        return psi[checkActivation("psi", l)];
    }

    /**
     * The intrinsic length {@code o_l} of activation {@code l} (0 in mode NONE).
     *
     * @param l the activation, {@code 0 <= l < L - 1}
     * @return {@code o_l}
     * @throws IndexOutOfBoundsException if l is out of range
     */
    public double intrinsicLength(int l) {
        Tensor t = lengths[checkActivation("intrinsicLength", l)];
        if (t == null) {
            return 0.0;
        }
        double theta = t.getFlat(0);
        return lengthMode == IntrinsicLengthMode.TRAINABLE ? Math.exp(theta) : theta;
    }

    /**
     * Sets the intrinsic length (outside autodiff; used by neurodegeneration): writes {@code ln o} in mode
     * TRAINABLE, {@code o} otherwise.
     *
     * @param l the activation, {@code 0 <= l < L - 1}
     * @param o the new value: finite; {@code > 0} in mode TRAINABLE
     * @throws IndexOutOfBoundsException if l is out of range
     * @throws IllegalStateException in mode NONE
     * @throws IllegalArgumentException if o is not finite, or not positive in mode TRAINABLE
     */
    public void setIntrinsicLength(int l, double o) {
        checkActivation("setIntrinsicLength", l);
        if (lengthMode == IntrinsicLengthMode.NONE) {
            throw new IllegalStateException("setIntrinsicLength: intrinsic-length mode is NONE (o = 0 fixed)");
        }
        if (!Double.isFinite(o) || (lengthMode == IntrinsicLengthMode.TRAINABLE && !(o > 0))) {
            throw new IllegalArgumentException("setIntrinsicLength: layer " + l + ": o = " + o + " is invalid; "
                    + (lengthMode == IntrinsicLengthMode.TRAINABLE ? "mode TRAINABLE stores ln o and needs o > 0"
                    : "o must be finite"));
        }
        lengths[l].setFlat(0, lengthMode == IntrinsicLengthMode.TRAINABLE ? Math.log(o) : o);
    }

    /**
     * Describes the first parameter that is NaN or infinite, or whose intrinsic length {@code o} is not finite.
     *
     * @return e.g. {@code "layers.1.weight [3, 7] = NaN"}, or null if every parameter is valid
     */
    public String firstInvalidParameter() {
        for (Parameter p : parameters()) {
            int bad = p.value().firstNonFinite();
            if (bad >= 0) {
                return p.name() + " " + Arrays.toString(p.value().unravel(bad)) + " = " + p.value().getFlat(bad);
            }
        }
        for (int l = 0; l < lengths.length; l++) {
            if (!Double.isFinite(intrinsicLength(l))) {
                return lengthName(l) + " = " + lengths[l].getFlat(0) + " gives o = " + intrinsicLength(l);
            }
        }
        return null;
    }

    /**
     * Every parameter in canonical order: weights and biases of each layer, then intrinsic lengths, then psi.
     *
     * @return an unmodifiable list (live tensors)
     */
    public List<Parameter> parameters() {
        List<Parameter> ps = new ArrayList<>();
        for (int l = 0; l < weights.length; l++) {
            ps.add(new Parameter(weightName(l), ParameterRole.WEIGHT, l, weights[l], true));
            ps.add(new Parameter(biasName(l), ParameterRole.BIAS, l, biases[l], true));
        }
        for (int l = 0; l < lengths.length; l++) {
            if (lengths[l] != null) {
                ps.add(new Parameter(lengthName(l), ParameterRole.INTRINSIC_LENGTH, l, lengths[l],
                        lengthMode.trainable()));
            }
        }
        for (int l = 0; l < psi.length; l++) {
            if (psi[l] != null) {
                ps.add(new Parameter(psiName(l), ParameterRole.PSI, l, psi[l], psiMode.psiTrainable()));
            }
        }
        return Collections.unmodifiableList(ps);
    }

    /**
     * Total number of parameter entries (weights, biases, intrinsic lengths, psi).
     *
     * @return the count
     */
    public long parameterCount() {
        long n = 0;
        for (Parameter p : parameters()) {
            n += p.value().size();
        }
        return n;
    }

    /**
     * Name of weight {@code l}.
     *
     * @param l the layer
     * @return {@code layers.l.weight}
     */
    public static String weightName(int l) {
        return "layers." + l + ".weight";
    }

    /**
     * Name of bias {@code l}.
     *
     * @param l the layer
     * @return {@code layers.l.bias}
     */
    public static String biasName(int l) {
        return "layers." + l + ".bias";
    }

    /**
     * Name of psi {@code l}.
     *
     * @param l the activation
     * @return {@code psi.l}
     */
    public static String psiName(int l) {
        return "psi." + l;
    }

    /**
     * Name of the intrinsic-length parameter of activation {@code l} in this network's mode.
     *
     * @param l the activation
     * @return {@code activations.l.log_intrinsic_length} (TRAINABLE) or {@code activations.l.intrinsic_length}
     */
    public String lengthName(int l) {
        return "activations." + l + (lengthMode == IntrinsicLengthMode.TRAINABLE ? ".log_intrinsic_length"
                : ".intrinsic_length");
    }

    /**
     * A deep copy on the same backend (parameters, stored gains).
     *
     * @return the copy
     */
    public IsotropicMlp copy() {
        return new IsotropicMlp(this, backend);
    }

    /**
     * A deep copy whose arithmetic runs on another backend.
     *
     * @param other the backend
     * @return the copy
     * @throws NullPointerException if other is null
     */
    public IsotropicMlp copyOn(Backend other) {
        return new IsotropicMlp(this, Objects.requireNonNull(other, "copyOn: backend is null"));
    }

    /**
     * Replaces some parameter tensors at once (restructuring, loading), validating the whole new set first:
     * names must exist, dtypes match, shapes chain ({@code W_l [n_{l+1}, n_l]}, {@code b_l [n_{l+1}]},
     * {@code psi_l [n_{l+2}]}, lengths {@code [1]}), values finite. On any error nothing changes.
     *
     * @param replacements new tensors by parameter name (taken over, not copied)
     * @throws IllegalArgumentException for an unknown name, wrong dtype or non-finite value
     * @throws ShapeMismatchException if the shapes do not chain
     */
    public void replaceParameters(Map<String, Tensor> replacements) {
        Objects.requireNonNull(replacements, "replaceParameters: replacements is null");
        Tensor[] w = weights.clone();
        Tensor[] b = biases.clone();
        Tensor[] o = lengths.clone();
        Tensor[] p = psi.clone();
        Map<String, Tensor> remaining = new HashMap<>(replacements);
        for (int l = 0; l < w.length; l++) {
            w[l] = take(remaining, weightName(l), w[l]);
            b[l] = take(remaining, biasName(l), b[l]);
        }
        for (int l = 0; l < o.length; l++) {
            if (o[l] != null) {
                o[l] = take(remaining, lengthName(l), o[l]);
            }
            if (p[l] != null) {
                p[l] = take(remaining, psiName(l), p[l]);
            }
        }
        if (!remaining.isEmpty()) {
            throw new IllegalArgumentException("replaceParameters: unknown parameter(s) " + remaining.keySet()
                    + "; this network has " + parameters().stream().map(Parameter::name).toList());
        }
        validate("replaceParameters", dtype, w, b, o, p);
        weights = w;
        biases = b;
        lengths = o;
        psi = p;
        // stored EXPECTATION gains are per-sample scalars, independent of widths: they stay valid (method.md 14.5)
    }

    private static Tensor take(Map<String, Tensor> m, String name, Tensor old) {
        Tensor t = m.remove(name);
        return t == null ? old : t;
    }

    private static void validate(String op, DType dtype, Tensor[] w, Tensor[] b, Tensor[] o, Tensor[] p) {
        for (int l = 0; l < w.length; l++) {
            check(op, weightName(l), w[l], dtype, 2);
            check(op, biasName(l), b[l], dtype, 1);
            if (w[l].rows() < 1 || w[l].cols() < 1) {
                throw new ShapeMismatchException(op + ": " + weightName(l) + " is " + w[l].shape()
                        + "; every layer needs at least one neuron");
            }
            if (l > 0 && w[l].cols() != w[l - 1].rows()) {
                throw new ShapeMismatchException(op + ": " + weightName(l) + " is " + w[l].shape() + " but "
                        + weightName(l - 1) + " is " + w[l - 1].shape() + "; W_l.cols must equal W_(l-1).rows");
            }
            if (b[l].size() != w[l].rows()) {
                throw new ShapeMismatchException(op + ": " + biasName(l) + " is " + b[l].shape() + " but "
                        + weightName(l) + " is " + w[l].shape() + "; b_l must be [n_(l+1)]");
            }
        }
        for (int l = 0; l < o.length; l++) {
            if (o[l] != null) {
                check(op, "activations." + l, o[l], dtype, 1);
                if (o[l].size() != 1) {
                    throw new ShapeMismatchException(op + ": intrinsic length " + l + " is " + o[l].shape()
                            + "; must be [1]");
                }
            }
            if (p[l] != null) {
                check(op, psiName(l), p[l], dtype, 1);
                if (p[l].size() != w[l + 1].rows()) {
                    throw new ShapeMismatchException(op + ": " + psiName(l) + " is " + p[l].shape() + " but "
                            + weightName(l + 1) + " is " + w[l + 1].shape() + "; psi_l must be [n_(l+2)]");
                }
            }
        }
    }

    private static void check(String op, String name, Tensor t, DType dtype, int rank) {
        if (t == null) {
            throw new IllegalArgumentException(op + ": " + name + " is null");
        }
        if (t.dtype() != dtype) {
            throw new IllegalArgumentException(op + ": " + name + " is " + t.dtype() + "; the network is " + dtype);
        }
        if (t.rank() != rank) {
            throw new ShapeMismatchException(op + ": " + name + " is " + t.shape() + "; must have rank " + rank);
        }
        t.requireFinite(op, name);
    }

    private int checkLayer(String op, int l) {
        if (l < 0 || l >= weights.length) {
            throw new IndexOutOfBoundsException(op + ": layer " + l + " out of range 0.." + (weights.length - 1));
        }
        return l;
    }

    private int checkActivation(String op, int l) {
        if (l < 0 || l >= weights.length - 1) {
            throw new IndexOutOfBoundsException(op + ": activation " + l + " out of range 0.." + (weights.length - 2));
        }
        return l;
    }

    // ================================================================ forward and backward

    /**
     * Forward pass over a batch, keeping what the backward pass needs (and, in mode EXPECTATION, the gains).
     *
     * @param x inputs, shape {@code [batch, n_0]}, the network's dtype, finite
     * @return the logits {@code [batch, n_L]} and caches
     * @throws ShapeMismatchException if x does not have {@code n_0} columns
     * @throws IllegalArgumentException if x has the wrong dtype
     * @throws io.isotropic.tensor.NonFiniteValueException if x contains NaN or infinity
     */
    public ForwardPass forward(Tensor x) {
        Objects.requireNonNull(x, "forward: x is null");
        if (x.rank() != 2 || x.cols() != weights[0].cols()) {
            throw new ShapeMismatchException("forward: x is " + x.shape() + "; the network expects [batch, "
                    + weights[0].cols() + "]");
        }
        if (x.dtype() != dtype) {
            throw new IllegalArgumentException("forward: x is " + x.dtype() + "; the network is " + dtype);
        }
        x.requireFinite("forward", "x");
        int depth = weights.length;
        int batch = x.rows();
        Tensor[] h = new Tensor[depth];
        Tensor[] z = new Tensor[depth - 1];
        Tensor[] gains = new Tensor[depth - 1];
        h[0] = x;
        Tensor logits = null;
        for (int l = 0; l < depth; l++) {
            Tensor zl = backend.affine(h[l], weights[l], biases[l]);
            if (l >= 1 && psi[l - 1] != null) {
                backend.gemm(1.0, gains[l - 1].reshape(batch, 1), false, psi[l - 1].reshape(1, psi[l - 1].size()),
                        false, 1.0, zl);
            }
            if (l == depth - 1) {
                logits = zl;
                break;
            }
            z[l] = zl;
            if (activation == ActivationKind.ISOTROPIC_TANH) {
                double o = intrinsicLength(l);
                if (!Double.isFinite(o)) {
                    throw new IllegalStateException("forward: intrinsic length of activation " + l + " is " + o
                            + " (" + lengthName(l) + " = " + lengths[l].getFlat(0) + "); the parameter has diverged");
                }
                ActivationOutput out = backend.isoTanhForward(zl, o, epsilon);
                gains[l] = out.gains();
                h[l + 1] = out.h();
            } else {
                Tensor hl = Tensor.zeros(dtype, batch, zl.cols());
                backend.tanhForwardInto(zl, hl);
                h[l + 1] = hl;
            }
        }
        if (psiMode == LinearCorrectionMode.EXPECTATION) {
            for (int l = 0; l < gains.length; l++) {
                lastGains[l] = gains[l].copy();
            }
        }
        return new ForwardPass(h, z, gains, logits, widths());
    }

    /**
     * Logits of a batch without keeping caches (stored EXPECTATION gains are still refreshed).
     *
     * @param x inputs, shape {@code [batch, n_0]}
     * @return logits {@code [batch, n_L]}
     * @throws ShapeMismatchException if x does not have {@code n_0} columns
     * @throws IllegalArgumentException if x has the wrong dtype
     * @throws io.isotropic.tensor.NonFiniteValueException if x contains NaN or infinity
     */
    public Tensor predict(Tensor x) {
        return forward(x).logits();
    }

    /**
     * Backward pass: gradients of a loss with respect to every trainable parameter, given {@code dL/dlogits}.
     * Intrinsic lengths get {@code dL/dtheta} (chain rule through {@code o = exp(theta)} in mode TRAINABLE).
     * The psi penalty of TRAINABLE_DECAY is not included (see {@link #addPsiPenaltyGradient}).
     *
     * @param pass the forward pass of this network, with unchanged widths
     * @param dLogits gradient of the loss with respect to the logits, shape {@code [batch, n_L]}
     * @return gradients by parameter name
     * @throws ShapeMismatchException if dLogits or the pass do not match the network
     * @throws IllegalStateException if the network was restructured since the forward pass
     */
    public Gradients backward(ForwardPass pass, Tensor dLogits) {
        Objects.requireNonNull(pass, "backward: pass is null");
        Objects.requireNonNull(dLogits, "backward: dLogits is null");
        if (!Arrays.equals(pass.widths(), widths())) {
            throw new IllegalStateException("backward: the forward pass had widths " + Arrays.toString(pass.widths())
                    + " but the network now has " + Arrays.toString(widths()) + "; run forward again");
        }
        if (!dLogits.shape().equals(pass.logits().shape()) || dLogits.dtype() != dtype) {
            throw new ShapeMismatchException("backward: dLogits is " + dLogits.dtype() + " " + dLogits.shape()
                    + "; expected " + dtype + " " + pass.logits().shape());
        }
        int depth = weights.length;
        int batch = pass.batchSize();
        Tensor[] gW = new Tensor[depth];
        Tensor[] gB = new Tensor[depth];
        Tensor[] gPsi = new Tensor[depth - 1];
        double[] gTheta = new double[depth - 1];
        Tensor dz = dLogits;
        for (int l = depth - 1; l >= 0; l--) {
            Tensor hl = pass.h(l);
            gW[l] = backend.matmul(dz, true, hl, false);
            gB[l] = Tensor.zeros(dtype, dz.cols());
            backend.columnSumsInto(dz, gB[l], false);
            Tensor gainGrad = null;
            if (l >= 1 && psi[l - 1] != null) {
                Tensor s = pass.gain(l - 1).reshape(batch, 1);
                if (psiMode.psiTrainable()) {
                    gPsi[l - 1] = backend.matmul(dz, true, s, false).reshape(dz.cols());
                }
                gainGrad = backend.matmul(dz, false, psi[l - 1].reshape(psi[l - 1].size(), 1), false).reshape(batch);
            }
            if (l == 0) {
                break;
            }
            Tensor dh = backend.matmul(dz, false, weights[l], false);
            int a = l - 1; // the activation producing h_l
            Tensor dzPrev = dh; // computed in place
            if (activation == ActivationKind.ISOTROPIC_TANH) {
                double o = intrinsicLength(a);
                double dO = backend.isoTanhBackwardInto(pass.z(a), pass.gain(a), dh, gainGrad, o, epsilon, dzPrev);
                gTheta[a] = lengthMode == IntrinsicLengthMode.TRAINABLE ? dO * o : dO;
            } else {
                backend.tanhBackwardInto(hl, dh, dzPrev);
            }
            dz = dzPrev;
        }
        Gradients g = new Gradients();
        for (int l = 0; l < depth; l++) {
            g.put(weightName(l), gW[l]);
            g.put(biasName(l), gB[l]);
        }
        if (lengthMode.trainable()) {
            for (int l = 0; l < depth - 1; l++) {
                Tensor t = Tensor.zeros(dtype, 1);
                t.setFlat(0, gTheta[l]);
                g.put(lengthName(l), t);
            }
        }
        if (psiMode.psiTrainable()) {
            for (int l = 0; l < depth - 1; l++) {
                if (gPsi[l] == null) {
                    // psi_{L-2} always receives a gradient; earlier ones too, since l >= 1 covers 0..L-2
                    gPsi[l] = Tensor.zeros(dtype, psi[l].size());
                }
                g.put(psiName(l), gPsi[l]);
            }
        }
        return g;
    }

    /**
     * The psi penalty {@code lambda sum_l |psi_l|^2} of mode TRAINABLE_DECAY (0 in every other mode).
     *
     * @return the penalty value
     */
    public double psiPenalty() {
        if (psiMode != LinearCorrectionMode.TRAINABLE_DECAY) {
            return 0.0;
        }
        double s = 0;
        for (Tensor p : psi) {
            s += backend.dot(p, p);
        }
        return psiDecay * s;
    }

    /**
     * Adds the gradient {@code 2 lambda psi_l} of {@link #psiPenalty()} to the psi gradients (mode TRAINABLE_DECAY).
     *
     * @param grads gradients from {@link #backward}
     * @throws IllegalArgumentException if a psi gradient is missing
     */
    public void addPsiPenaltyGradient(Gradients grads) {
        if (psiMode != LinearCorrectionMode.TRAINABLE_DECAY) {
            return;
        }
        for (int l = 0; l < psi.length; l++) {
            Tensor g = grads.get(psiName(l));
            if (g == null) {
                throw new IllegalArgumentException("addPsiPenaltyGradient: no gradient for " + psiName(l));
            }
            backend.axpy(2 * psiDecay, psi[l], g);
        }
    }

    /**
     * Mean gain of activation {@code l} over the batch of the most recent forward pass (mode EXPECTATION).
     *
     * @param l the activation, {@code 0 <= l < L - 1}
     * @return the mean of {@code s_l}
     * @throws IllegalStateException if the mode is not EXPECTATION or no forward pass happened yet
     */
    public double meanStoredGain(int l) {
        checkActivation("meanStoredGain", l);
        if (psiMode != LinearCorrectionMode.EXPECTATION) {
            throw new IllegalStateException("meanStoredGain: gains are stored only in mode EXPECTATION, this network"
                    + " is " + psiMode);
        }
        Tensor g = lastGains[l];
        if (g == null || g.size() == 0) {
            throw new IllegalStateException("meanStoredGain: no forward pass since the network was built; run "
                    + "forward on a batch first");
        }
        double s = 0;
        for (int i = 0; i < g.size(); i++) {
            s += g.getFlat(i);
        }
        return s / g.size();
    }

    @Override
    public String toString() {
        return "IsotropicMlp" + Arrays.toString(widths()) + "[" + activation + ", o " + lengthMode + ", psi " + psiMode
                + ", " + dtype + ", backend " + backend.name() + "]";
    }

    // ================================================================ builder

    /** Configures and builds an {@link IsotropicMlp}. */
    public static final class Builder {
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

        private Builder(int[] widths) {
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
        public Builder dtype(DType d) {
            this.dtype = Objects.requireNonNull(d, "dtype");
            return this;
        }

        /**
         * Sets the hidden activation (default isotropic tanh).
         *
         * @param a the activation
         * @return this builder
         */
        public Builder activation(ActivationKind a) {
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
        public Builder intrinsicLength(IntrinsicLengthMode mode, double initial) {
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
        public Builder linearCorrection(LinearCorrectionMode mode, double decay) {
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
        public Builder epsilon(double eps) {
            this.epsilon = eps;
            return this;
        }

        /**
         * Sets the weight initialiser (default orthogonal).
         *
         * @param init the initialiser
         * @return this builder
         */
        public Builder initialiser(Initialiser init) {
            this.initialiser = Objects.requireNonNull(init, "initialiser");
            return this;
        }

        /**
         * Sets the seed of the weight initialisation.
         *
         * @param s the seed
         * @return this builder
         */
        public Builder seed(long s) {
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
            if (activation == ActivationKind.ELEMENTWISE_TANH
                    && (lengthMode != IntrinsicLengthMode.NONE || psiMode != LinearCorrectionMode.NONE)) {
                throw new IllegalArgumentException("IsotropicMlp: element-wise tanh has no intrinsic length or psi; "
                        + "use IntrinsicLengthMode.NONE and LinearCorrectionMode.NONE (got " + lengthMode + ", "
                        + psiMode + ")");
            }
            if (lengthMode.hasParameter() && (!Double.isFinite(initialLength)
                    || (lengthMode == IntrinsicLengthMode.TRAINABLE && !(initialLength > 0)))) {
                throw new IllegalArgumentException("IsotropicMlp: initial intrinsic length " + initialLength
                        + " is invalid for mode " + lengthMode + " (TRAINABLE stores ln o and needs o > 0)");
            }
            if (!(psiDecay >= 0) || Double.isInfinite(psiDecay)) {
                throw new IllegalArgumentException("IsotropicMlp: psi decay must be finite and >= 0, got " + psiDecay);
            }
            if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
                throw new IllegalArgumentException("IsotropicMlp: epsilon must be finite and > 0, got " + epsilon);
            }
            int depth = widths.length - 1;
            SplittableRandom rng = new SplittableRandom(seed);
            Tensor[] w = new Tensor[depth];
            Tensor[] b = new Tensor[depth];
            for (int l = 0; l < depth; l++) {
                int out = widths[l + 1];
                int in = widths[l];
                w[l] = switch (initialiser) {
                    case ORTHOGONAL -> Tensor.wrap(Orthogonal.random(out, in, rng), out, in).to(dtype);
                    case XAVIER_NORMAL -> Tensor.randomNormal(dtype, rng, Math.sqrt(2.0 / (in + out)), out, in);
                    case XAVIER_UNIFORM -> {
                        double a = Math.sqrt(6.0 / (in + out));
                        yield Tensor.randomUniform(dtype, rng, -a, a, out, in);
                    }
                };
                b[l] = Tensor.zeros(dtype, out);
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
            return new IsotropicMlp(this, backend, w, b, o, p);
        }
    }
}
