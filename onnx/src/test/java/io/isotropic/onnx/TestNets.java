package io.isotropic.onnx;

import io.isotropic.activation.IsoTanh;
import io.isotropic.data.Standardiser;
import io.isotropic.nn.ActivationKind;
import io.isotropic.nn.IntrinsicLengthMode;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.nn.LinearCorrectionMode;
import io.isotropic.nn.MlpSpec;
import io.isotropic.nn.ParameterNames;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Random networks with non-zero biases, psi and intrinsic lengths, and inputs that reach the small ball. */
final class TestNets {
    static final double EPS = IsoTanh.DEFAULT_EPSILON;

    private TestNets() {
    }

    static MlpSpec spec(DType dtype, ActivationKind act, IntrinsicLengthMode lm, LinearCorrectionMode pm) {
        return new MlpSpec(dtype, act, lm, pm, 0.1, EPS);
    }

    /**
     * A network with weights {@code N(0, 1.5^2/n_l)}, biases and psi {@code N(0, 0.5^2)} and intrinsic length
     * {@code o} for every activation (ignored in mode NONE; in mode TRAINABLE stored as {@code ln o}).
     */
    static IsotropicMlp random(MlpSpec spec, int[] widths, double o, long seed, Backend be) {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, Tensor> p = new HashMap<>();
        int depth = widths.length - 1;
        for (int l = 0; l < depth; l++) {
            p.put(ParameterNames.weightName(l), gaussian(spec.dtype(), rng, 1.5 / Math.sqrt(widths[l]), widths[l + 1],
                    widths[l]));
            p.put(ParameterNames.biasName(l), gaussian(spec.dtype(), rng, 0.5, widths[l + 1]));
        }
        for (int l = 0; l < depth - 1; l++) {
            IntrinsicLengthMode lm = spec.intrinsicLengthMode();
            if (lm.hasParameter()) {
                double v = lm == IntrinsicLengthMode.TRAINABLE ? Math.log(o) : o;
                Tensor t = Tensor.zeros(spec.dtype(), 1);
                t.setFlat(0, v);
                p.put(ParameterNames.lengthName(l, lm), t);
            }
            if (spec.linearCorrectionMode().psiPresent()) {
                p.put(ParameterNames.psiName(l), gaussian(spec.dtype(), rng, 0.5, widths[l + 2]));
            }
        }
        return IsotropicMlp.fromParameters(spec, p, be);
    }

    static Tensor gaussian(DType dtype, SplittableRandom rng, double std, int... dims) {
        Tensor t = Tensor.zeros(dtype, dims);
        for (int i = 0; i < t.size(); i++) {
            t.setFlat(i, std * rng.nextGaussian());
        }
        return t;
    }

    /** A standardiser with means around 3 and standard deviations between 0.5 and 4. */
    static Standardiser standardiser(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] mean = new double[n];
        double[] inv = new double[n];
        for (int j = 0; j < n; j++) {
            mean[j] = 3 + rng.nextGaussian();
            inv[j] = 1 / (0.5 + 3.5 * rng.nextDouble());
        }
        return new Standardiser(mean, inv);
    }

    /** Raw (unstandardised) random rows: {@code mean + N(0, (2 std)^2)}, or {@code N(0, 4)} without a standardiser. */
    static double[][] randomRows(int rows, int n, Standardiser std, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] x = new double[rows][n];
        for (double[] row : x) {
            for (int j = 0; j < n; j++) {
                double v = 2 * rng.nextGaussian();
                row[j] = std == null ? v : std.mean()[j] + v / std.invStd()[j];
            }
        }
        return x;
    }

    /**
     * Changes the biases so that the raw input row {@code xStar} drives every hidden layer it can into the small
     * ball {@code rho = sqrt|r + o| <= eps}: the pre-activation of layer l is set to a vector of norm
     * {@code 0.1 sqrt(eps^2 - o)} when {@code o < eps^2 / 2}, or of norm {@code sqrt(-o)} when {@code o < 0} (the
     * ring where {@code r + o = 0}). Layers whose {@code o} makes the ball unreachable are left alone.
     *
     * @return for each activation, whether xStar reaches its small ball
     */
    static boolean[] designSmallBall(IsotropicMlp net, double[] xStar, Standardiser std, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int depth = net.depth();
        boolean[] reached = new boolean[depth - 1];
        Tensor x = Tensor.ofRows(net.dtype(), new double[][] {xStar});
        double[] h = (std == null ? x : std.apply(x)).toDoubleArray();
        double sPrev = Double.NaN;
        Map<String, Tensor> changes = new HashMap<>();
        for (int l = 0; l < depth - 1; l++) {
            Tensor w = net.weight(l);
            int m = w.rows();
            double[] a = new double[m];
            for (int i = 0; i < m; i++) {
                double s = 0;
                for (int j = 0; j < w.cols(); j++) {
                    s += w.get(i, j) * h[j];
                }
                if (l >= 1 && net.psi(l - 1) != null) {
                    s += sPrev * net.psi(l - 1).getFlat(i);
                }
                a[i] = s;
            }
            double o = net.intrinsicLength(l);
            double norm;
            if (o < 0) {
                norm = Math.sqrt(-o);
                reached[l] = true;
            } else if (o < EPS * EPS / 2) {
                norm = 0.1 * Math.sqrt(EPS * EPS - o);
                reached[l] = true;
            } else {
                norm = 0.5;
            }
            double[] t = new double[m];
            double tn = 0;
            for (int i = 0; i < m; i++) {
                t[i] = rng.nextGaussian();
                tn += t[i] * t[i];
            }
            tn = Math.sqrt(tn);
            Tensor b = Tensor.zeros(net.dtype(), m);
            double[] z = new double[m];
            for (int i = 0; i < m; i++) {
                b.setFlat(i, norm * t[i] / tn - a[i]);
                z[i] = a[i] + b.getFlat(i);
            }
            changes.put(ParameterNames.biasName(l), b);
            double r = 0;
            for (double v : z) {
                r += v * v;
            }
            double g = IsoTanh.gain(r, o, EPS);
            h = new double[m];
            for (int i = 0; i < m; i++) {
                h[i] = g * z[i];
            }
            sPrev = g;
        }
        net.replaceParameters(changes);
        return reached;
    }

    /** Rows as a tensor of the given dtype. */
    static Tensor tensor(DType dtype, double[][] rows) {
        return Tensor.ofRows(dtype, rows);
    }

    static double[][] concat(double[][]... parts) {
        return Arrays.stream(parts).flatMap(Arrays::stream).toArray(double[][]::new);
    }

    static boolean isIsotropic(MlpSpec spec) {
        return spec.activation() == ActivationKind.ISOTROPIC_TANH;
    }
}
