package io.isotropic.nn;

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

import static io.isotropic.nn.ParameterNames.biasName;
import static io.isotropic.nn.ParameterNames.psiName;
import static io.isotropic.nn.ParameterNames.weightName;

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
    private final MlpSpec spec;
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

    IsotropicMlp(MlpSpec spec, Backend backend, Tensor[] weights, Tensor[] biases, Tensor[] lengths, Tensor[] psi) {
        this.backend = backend;
        this.spec = spec;
        this.dtype = spec.dtype();
        this.activation = spec.activation();
        this.lengthMode = spec.intrinsicLengthMode();
        this.psiMode = spec.linearCorrectionMode();
        this.epsilon = spec.epsilon();
        this.psiDecay = spec.psiDecay();
        this.weights = weights;
        this.biases = biases;
        this.lengths = lengths;
        this.psi = psi;
        this.lastGains = new Tensor[weights.length - 1];
    }

    private IsotropicMlp(IsotropicMlp o, Backend backend) {
        this(o.spec, backend, copyAll(o.weights), copyAll(o.biases), copyAll(o.lengths), copyAll(o.psi));
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
     * @throws IllegalArgumentException if there are fewer than three widths or a width is below 1
     */
    public static IsotropicMlpBuilder builder(int... widths) {
        return new IsotropicMlpBuilder(widths);
    }

    /**
     * Builds a network directly from its parameter tensors (loading a model), without initialising anything: the
     * depth and widths follow from the {@code layers.<l>.weight} tensors, and every tensor the specification
     * implies must be present (names of {@link ParameterNames}), of the spec's dtype, with chaining shapes and
     * finite values (intrinsic lengths finite after {@code exp} in the spec's dtype).
     *
     * @param spec the specification
     * @param parameters tensors by parameter name (taken over, not copied)
     * @param backend the backend for all arithmetic
     * @return the network
     * @throws IllegalArgumentException if a tensor is missing, unexpected, of the wrong dtype or not finite
     * @throws ShapeMismatchException if the shapes do not chain
     */
    public static IsotropicMlp fromParameters(MlpSpec spec, Map<String, Tensor> parameters, Backend backend) {
        String op = "IsotropicMlp.fromParameters";
        Objects.requireNonNull(spec, op + ": spec is null");
        Objects.requireNonNull(parameters, op + ": parameters is null");
        Objects.requireNonNull(backend, op + ": backend is null");
        int depth = 0;
        while (parameters.containsKey(ParameterNames.weightName(depth))) {
            depth++;
        }
        if (depth < 2) {
            throw new IllegalArgumentException(op + ": need layers.0.weight and layers.1.weight at least (one hidden "
                    + "layer); found " + depth + " consecutive weight tensor(s) among " + parameters.keySet());
        }
        Map<String, Tensor> remaining = new HashMap<>(parameters);
        Tensor[] w = new Tensor[depth];
        Tensor[] b = new Tensor[depth];
        Tensor[] o = new Tensor[depth - 1];
        Tensor[] p = new Tensor[depth - 1];
        for (int l = 0; l < depth; l++) {
            w[l] = remaining.remove(ParameterNames.weightName(l));
            b[l] = required(op, remaining, ParameterNames.biasName(l));
        }
        for (int l = 0; l < depth - 1; l++) {
            if (spec.intrinsicLengthMode().hasParameter()) {
                o[l] = required(op, remaining, ParameterNames.lengthName(l, spec.intrinsicLengthMode()));
            }
            if (spec.linearCorrectionMode().psiPresent()) {
                p[l] = required(op, remaining, ParameterNames.psiName(l));
            }
        }
        if (!remaining.isEmpty()) {
            throw new IllegalArgumentException(op + ": unexpected tensor(s) " + new java.util.TreeSet<>(remaining.keySet())
                    + " for a " + depth + "-layer network with intrinsic length " + spec.intrinsicLengthMode()
                    + " and psi " + spec.linearCorrectionMode());
        }
        ParameterChecks.validate(op, spec, w, b, o, p);
        return new IsotropicMlp(spec, backend, w, b, o, p);
    }

    private static Tensor required(String op, Map<String, Tensor> m, String name) {
        Tensor t = m.remove(name);
        if (t == null) {
            throw new IllegalArgumentException(op + ": tensor " + name + " is missing");
        }
        return t;
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
     * The specification (dtype, activation, modes, psi decay, epsilon).
     *
     * @return the spec
     */
    public MlpSpec spec() {
        return spec;
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
     * Name of the intrinsic-length parameter of activation {@code l} in this network's mode.
     *
     * @param l the activation
     * @return {@code activations.l.log_intrinsic_length} (TRAINABLE) or {@code activations.l.intrinsic_length}
     */
    public String lengthName(int l) {
        return ParameterNames.lengthName(l, lengthMode);
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
        ParameterChecks.validate("replaceParameters", spec, w, b, o, p);
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
        return Backprop.backward(this, pass, dLogits);
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

}
