package io.isotropic.cli;

import io.isotropic.nn.ActivationKind;
import io.isotropic.nn.Initialiser;
import io.isotropic.nn.IntrinsicLengthMode;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.nn.LinearCorrectionMode;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.Locale;

/** Architecture options of a new network. */
final class NetworkOptions {
    @Option(names = "--hidden", split = ",", paramLabel = "W", defaultValue = "64,64",
            description = "Hidden-layer widths, comma-separated (default ${DEFAULT-VALUE}).")
    int[] hidden;

    @Option(names = "--activation", defaultValue = "isotropic", paramLabel = "KIND",
            description = "isotropic (isotropic tanh, default) or tanh (element-wise baseline).")
    String activation;

    @Option(names = "--intrinsic-length", paramLabel = "MODE",
            description = "none, constant, trainable (default for isotropic) or signed.")
    String lengthMode;

    @Option(names = "--o-init", defaultValue = "1e-6", paramLabel = "O",
            description = "Initial intrinsic length (default ${DEFAULT-VALUE}).")
    double initialLength;

    @Option(names = "--psi", paramLabel = "MODE",
            description = "none, constant, trainable, decay (default for isotropic) or expectation.")
    String psiMode;

    @Option(names = "--psi-decay", defaultValue = "0.1", paramLabel = "LAMBDA",
            description = "Psi penalty coefficient of mode decay (default ${DEFAULT-VALUE}).")
    double psiDecay;

    @Option(names = "--init", defaultValue = "orthogonal", paramLabel = "INIT",
            description = "orthogonal (default), xavier-normal or xavier-uniform.")
    String init;

    @Option(names = "--init-seed", defaultValue = "1", paramLabel = "SEED",
            description = "Seed of the weight initialisation (default ${DEFAULT-VALUE}).")
    long initSeed;

    static ActivationKind activation(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "isotropic", "isotropic-tanh", "iso" -> ActivationKind.ISOTROPIC_TANH;
            case "tanh", "elementwise", "elementwise-tanh" -> ActivationKind.ELEMENTWISE_TANH;
            default -> throw new IllegalArgumentException("--activation: unknown '" + s + "'; use isotropic or tanh");
        };
    }

    static IntrinsicLengthMode lengthMode(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "none" -> IntrinsicLengthMode.NONE;
            case "constant" -> IntrinsicLengthMode.CONSTANT;
            case "trainable" -> IntrinsicLengthMode.TRAINABLE;
            case "signed", "trainable-signed" -> IntrinsicLengthMode.TRAINABLE_SIGNED;
            default -> throw new IllegalArgumentException("--intrinsic-length: unknown '" + s
                    + "'; use none, constant, trainable or signed");
        };
    }

    static LinearCorrectionMode psiMode(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "none" -> LinearCorrectionMode.NONE;
            case "constant" -> LinearCorrectionMode.CONSTANT;
            case "trainable" -> LinearCorrectionMode.TRAINABLE;
            case "decay", "trainable-decay", "trainable+decay" -> LinearCorrectionMode.TRAINABLE_DECAY;
            case "expectation" -> LinearCorrectionMode.EXPECTATION;
            default -> throw new IllegalArgumentException("--psi: unknown '" + s
                    + "'; use none, constant, trainable, decay or expectation");
        };
    }

    static Initialiser initialiser(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "orthogonal" -> Initialiser.ORTHOGONAL;
            case "xavier-normal", "xavier_normal" -> Initialiser.XAVIER_NORMAL;
            case "xavier-uniform", "xavier_uniform" -> Initialiser.XAVIER_UNIFORM;
            default -> throw new IllegalArgumentException("--init: unknown '" + s
                    + "'; use orthogonal, xavier-normal or xavier-uniform");
        };
    }

    private String joined() {
        StringBuilder sb = new StringBuilder();
        for (int h : hidden) {
            sb.append(sb.isEmpty() ? "" : ",").append(h);
        }
        return sb.toString();
    }

    IsotropicMlp build(Backend backend, DType dtype, int inputs, int outputs) {
        if (hidden == null || hidden.length == 0) {
            throw new IllegalArgumentException("--hidden: give at least one hidden width");
        }
        for (int h : hidden) {
            if (h < 1) {
                throw new IllegalArgumentException("--hidden: widths must be >= 1, got " + Arrays.toString(hidden));
            }
        }
        int[] widths = new int[hidden.length + 2];
        widths[0] = inputs;
        System.arraycopy(hidden, 0, widths, 1, hidden.length);
        widths[widths.length - 1] = outputs;
        Sizes.checkNetwork("--hidden " + joined() + " (with " + inputs + " inputs and " + outputs + " classes)", widths,
                dtype, 5);
        ActivationKind act = activation(activation);
        boolean iso = act == ActivationKind.ISOTROPIC_TANH;
        IntrinsicLengthMode om = lengthMode == null ? (iso ? IntrinsicLengthMode.TRAINABLE : IntrinsicLengthMode.NONE)
                : lengthMode(lengthMode);
        LinearCorrectionMode pm = psiMode == null ? (iso ? LinearCorrectionMode.TRAINABLE_DECAY
                : LinearCorrectionMode.NONE) : psiMode(psiMode);
        if (!Double.isFinite(initialLength) || !Double.isFinite(psiDecay) || psiDecay < 0) {
            throw new IllegalArgumentException("--o-init and --psi-decay must be finite (and --psi-decay >= 0), got "
                    + initialLength + ", " + psiDecay);
        }
        Activity.now("building the network " + Arrays.toString(widths));
        return IsotropicMlp.builder(widths).dtype(dtype).activation(act).intrinsicLength(om, initialLength)
                .linearCorrection(pm, psiDecay).initialiser(initialiser(init)).seed(initSeed).build(backend);
    }
}
