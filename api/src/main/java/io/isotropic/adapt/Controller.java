package io.isotropic.adapt;

import io.isotropic.nn.IsotropicMlp;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import io.isotropic.train.EpochMetrics;
import io.isotropic.train.Optimizer;
import io.isotropic.train.TrainingListener;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The thresholded scaffold buffer of method.md section 7: after each epoch (or every {@code n} steps) every hidden
 * layer is brought to exactly {@code K} scaffold neurons, visiting layers deepest first.
 *
 * <p>A scaffold neuron is one whose incoming singular value is at most {@code tau}. <b>Tall layers</b>
 * ({@code n_{l+1} > n_l}, method.md open question 3): the reference code counts only the {@code min(m, n)} listed
 * singular values, so a tall layer's {@code m - n} null directions (exact zero singular values) are never counted
 * and the buffer grows on every call. Here they are counted as the zero singular values they are, so
 * {@code c = #{sigma_i <= tau} + max(0, m - n)}: a tall layer then holds at most {@code K} scaffold neurons like
 * any other, surplus null directions are removed first (exactly, since they carry nothing), and the width stays
 * bounded.
 */
public final class Controller implements TrainingListener {
    private final int scaffolds;
    private final double tau;
    private final Growth growth;
    private final int everySteps;
    private final List<Change> history = new ArrayList<>();

    /**
     * What one controller call did to one layer.
     *
     * @param epoch the epoch after which it ran (or -1 when called directly)
     * @param layer the affine map {@code l}
     * @param before width of hidden space {@code l+1} before
     * @param after width after
     * @param scaffoldsBefore scaffold count {@code c} before
     */
    public record Change(int epoch, int layer, int before, int after, int scaffoldsBefore) {
    }

    /**
     * Creates a controller that runs after every epoch.
     *
     * @param scaffolds {@code K >= 0}, scaffold neurons to keep per layer
     * @param tau threshold {@code > 0} (finite) at or below which a singular value marks a scaffold
     * @param growth how to add neurons
     * @throws IllegalArgumentException if K is negative or tau is not positive and finite
     */
    public Controller(int scaffolds, double tau, Growth growth) {
        this(scaffolds, tau, growth, 0);
    }

    /**
     * Creates a controller.
     *
     * @param scaffolds {@code K >= 0}
     * @param tau threshold, finite and {@code > 0}
     * @param growth how to add neurons
     * @param everySteps 0 to run after every epoch, else after every {@code everySteps} optimiser steps
     * @throws IllegalArgumentException if an argument is out of range
     */
    public Controller(int scaffolds, double tau, Growth growth, int everySteps) {
        check("Controller", scaffolds, tau);
        if (everySteps < 0) {
            throw new IllegalArgumentException("Controller: everySteps must be >= 0, got " + everySteps);
        }
        this.scaffolds = scaffolds;
        this.tau = tau;
        this.growth = Objects.requireNonNull(growth, "Controller: growth is null");
        this.everySteps = everySteps;
    }

    private static void check(String op, int k, double tau) {
        if (k < 0) {
            throw new IllegalArgumentException(op + ": K must be >= 0, got " + k);
        }
        if (!(tau > 0) || Double.isInfinite(tau)) {
            throw new IllegalArgumentException(op + ": tau must be finite and > 0, got " + tau);
        }
    }

    /**
     * Number of scaffold neurons of hidden space {@code l+1}: singular values of {@code W_l} at most {@code tau},
     * plus the implicit zeros of a tall layer.
     *
     * @param net the network
     * @param layer {@code l}, {@code 0 <= l <= L-2}
     * @param tau the threshold
     * @return the count {@code c}
     * @throws IndexOutOfBoundsException if the layer is out of range
     */
    public static int scaffoldCount(IsotropicMlp net, int layer, double tau) {
        Restructure.checkHiddenOutput("scaffoldCount", net, layer);
        Tensor s = net.backend().singularValues(net.weight(layer).to(DType.F64));
        int c = 0;
        for (int i = 0; i < s.size(); i++) {
            if (s.getFlat(i) <= tau) {
                c++;
            }
        }
        int[] w = net.widths();
        return c + Math.max(0, w[layer + 1] - w[layer]);
    }

    /**
     * One controller step on one layer ({@code auto_neuroadaptation(l, K, tau)}): grows {@code K - c} neurons or
     * removes the {@code c - K} with the smallest singular values (never the last neuron of a layer).
     *
     * @param net the network
     * @param layer {@code l}, {@code 0 <= l <= L-2}
     * @param scaffolds {@code K >= 0}
     * @param tau threshold, finite and {@code > 0}
     * @param growth how to add neurons
     * @param opt the optimiser whose state to transform, or null
     * @return the change ({@code epoch = -1})
     * @throws IndexOutOfBoundsException if the layer is out of range
     * @throws IllegalArgumentException if K or tau is invalid or the network is element-wise or not finite
     */
    public static Change adaptLayer(IsotropicMlp net, int layer, int scaffolds, double tau, Growth growth,
                                    Optimizer opt) {
        check("adaptLayer", scaffolds, tau);
        Restructure.checkNetwork("adaptLayer", net);
        int before = net.widths()[layer + 1];
        int c = scaffoldCount(net, layer, tau);
        int d = scaffolds - c;
        if (d > 0) {
            Restructure.neurogenesis(net, layer, d, growth, opt);
        } else if (d < 0) {
            int remove = Math.min(-d, before - 1);
            if (remove > 0) {
                Restructure.neurodegeneration(net, layer, remove, opt, null);
            }
        }
        return new Change(-1, layer, before, net.widths()[layer + 1], c);
    }

    /**
     * Runs the controller on every hidden layer, deepest first ({@code l = L-2, ..., 0}).
     *
     * @param net the network
     * @param opt the optimiser whose state to transform, or null
     * @return one change per layer, in visiting order
     * @throws IllegalArgumentException if the network is element-wise or not finite
     */
    public List<Change> adapt(IsotropicMlp net, Optimizer opt) {
        return adapt(net, opt, -1);
    }

    private List<Change> adapt(IsotropicMlp net, Optimizer opt, int epoch) {
        List<Change> out = new ArrayList<>();
        for (int l = net.depth() - 2; l >= 0; l--) {
            Change c = adaptLayer(net, l, scaffolds, tau, growth, opt);
            out.add(new Change(epoch, c.layer(), c.before(), c.after(), c.scaffoldsBefore()));
        }
        history.addAll(out);
        return out;
    }

    @Override
    public void onStep(int epoch, long step, double loss, IsotropicMlp net, Optimizer optimizer) {
        if (everySteps > 0 && step % everySteps == 0) {
            adapt(net, optimizer, epoch);
        }
    }

    @Override
    public void onEpochEnd(EpochMetrics metrics, IsotropicMlp net, Optimizer optimizer) {
        if (everySteps == 0) {
            adapt(net, optimizer, metrics.epoch());
        }
    }

    /**
     * Every change made so far, in order.
     *
     * @return an unmodifiable view
     */
    public List<Change> history() {
        return Collections.unmodifiableList(history);
    }
}
