package io.isotropic.adapt;

import io.isotropic.nn.IsotropicMlp;
import io.isotropic.nn.Parameter;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.ShapeMismatchException;
import io.isotropic.tensor.Tensor;

import java.util.Objects;

/**
 * Measures of function change and structure (method.md section 11): {@code epsilon_scaled}, the mean KL
 * divergence between softmax outputs, singular spectra, and non-zero parameter counts.
 */
public final class Metrics {
    private Metrics() {
    }

    /**
     * Mean relative logit change in percent: {@code (100/N) sum_i |z_post,i - z_pre,i| / |z_pre,i|}.
     *
     * @param pre logits before {@code [N, c]}
     * @param post logits after {@code [N, c]}
     * @return epsilon_scaled in percent
     * @throws ShapeMismatchException if the shapes differ or are empty
     * @throws IllegalArgumentException if some {@code |z_pre,i| = 0} (the relative change is undefined)
     */
    public static double epsilonScaled(Tensor pre, Tensor post) {
        checkPair("epsilonScaled", pre, post);
        int n = pre.rows();
        int c = pre.cols();
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double num = 0;
            double den = 0;
            for (int j = 0; j < c; j++) {
                double a = pre.getFlat(i * c + j);
                double d = post.getFlat(i * c + j) - a;
                num += d * d;
                den += a * a;
            }
            if (den == 0) {
                throw new IllegalArgumentException("epsilonScaled: pre-change logits of sample " + i + " are all zero; "
                        + "the relative change is undefined");
            }
            sum += Math.sqrt(num / den);
        }
        return 100 * sum / n;
    }

    /**
     * Mean KL divergence {@code (1/N) sum_i KL(softmax(z_pre,i) || softmax(z_post,i))} in nats, computed with
     * log-softmax in double precision.
     *
     * @param pre logits before {@code [N, c]}
     * @param post logits after {@code [N, c]}
     * @return the mean divergence, {@code >= 0}
     * @throws ShapeMismatchException if the shapes differ or are empty
     */
    public static double klDivergence(Tensor pre, Tensor post) {
        checkPair("klDivergence", pre, post);
        int n = pre.rows();
        int c = pre.cols();
        double sum = 0;
        double[] lp = new double[c];
        double[] lq = new double[c];
        for (int i = 0; i < n; i++) {
            logSoftmax(pre, i, lp);
            logSoftmax(post, i, lq);
            double kl = 0;
            for (int j = 0; j < c; j++) {
                kl += Math.exp(lp[j]) * (lp[j] - lq[j]);
            }
            sum += Math.max(0, kl);
        }
        return sum / n;
    }

    private static void logSoftmax(Tensor z, int row, double[] out) {
        int c = out.length;
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < c; j++) {
            max = Math.max(max, z.getFlat(row * c + j));
        }
        double s = 0;
        for (int j = 0; j < c; j++) {
            s += Math.exp(z.getFlat(row * c + j) - max);
        }
        double log = Math.log(s);
        for (int j = 0; j < c; j++) {
            out[j] = z.getFlat(row * c + j) - max - log;
        }
    }

    /**
     * Largest Euclidean distance between corresponding rows.
     *
     * @param pre {@code [N, c]}
     * @param post {@code [N, c]}
     * @return {@code max_i |post_i - pre_i|}
     * @throws ShapeMismatchException if the shapes differ or are empty
     */
    public static double maxRowChange(Tensor pre, Tensor post) {
        checkPair("maxRowChange", pre, post);
        int c = pre.cols();
        double worst = 0;
        for (int i = 0; i < pre.rows(); i++) {
            double d = 0;
            for (int j = 0; j < c; j++) {
                double x = post.getFlat(i * c + j) - pre.getFlat(i * c + j);
                d += x * x;
            }
            worst = Math.max(worst, Math.sqrt(d));
        }
        return worst;
    }

    private static void checkPair(String op, Tensor a, Tensor b) {
        Objects.requireNonNull(a, op + ": pre is null");
        Objects.requireNonNull(b, op + ": post is null");
        if (a.rank() != 2 || !a.shape().equals(b.shape()) || a.rows() == 0 || a.cols() == 0) {
            throw new ShapeMismatchException(op + ": pre is " + a.shape() + ", post is " + b.shape()
                    + "; need equal non-empty [N, c]");
        }
    }

    /**
     * Singular values of every weight matrix, descending.
     *
     * @param net the network
     * @return one array per layer {@code l}, each of length {@code min(n_l, n_{l+1})}
     */
    public static double[][] spectra(IsotropicMlp net) {
        double[][] out = new double[net.depth()][];
        for (int l = 0; l < net.depth(); l++) {
            out[l] = net.backend().singularValues(net.weight(l).to(DType.F64)).toDoubleArray();
        }
        return out;
    }

    /**
     * Number of parameter entries with {@code |theta| > threshold} (weights, biases, psi, intrinsic-length
     * parameters).
     *
     * @param net the network
     * @param threshold the threshold, {@code >= 0} (0 counts exact non-zeros)
     * @return the count
     * @throws IllegalArgumentException if the threshold is negative or NaN
     */
    public static long nonZeroCount(IsotropicMlp net, double threshold) {
        if (!(threshold >= 0)) {
            throw new IllegalArgumentException("nonZeroCount: threshold must be >= 0, got " + threshold);
        }
        long n = 0;
        for (Parameter p : net.parameters()) {
            for (int i = 0; i < p.value().size(); i++) {
                if (Math.abs(p.value().getFlat(i)) > threshold) {
                    n++;
                }
            }
        }
        return n;
    }
}
