package io.isotropic.adapt;

import io.isotropic.nn.IsotropicMlp;
import io.isotropic.train.EpochMetrics;
import io.isotropic.train.Optimizer;
import io.isotropic.train.TrainingListener;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Drives hidden widths from a start width to a target width over a number of epochs (method.md 7.1,
 * "neuroabundance"): {@code target(e) = start} for {@code e < warm}, {@code S[e - warm + 1]} during the adaptation
 * phase, {@code target} afterwards, with {@code S = rint(linspace(start, target, adapt + 1))} (round half to
 * even, as numpy). As a listener it sets every hidden layer to {@code target(e + 1)} after epoch {@code e}
 * (that is, before the next one), deepest layer first, by neurogenesis or neurodegeneration.
 */
public final class WidthSchedule implements TrainingListener {
    private final int start;
    private final int target;
    private final int warm;
    private final int adapt;
    private final int[] steps;
    private final Growth growth;
    private final List<Controller.Change> history = new ArrayList<>();

    /**
     * Creates a schedule.
     *
     * @param start starting width, {@code >= 1}
     * @param target final width, {@code >= 1}
     * @param warm epochs at the start width before adapting, {@code >= 0}
     * @param adapt epochs of adaptation, {@code >= 1}
     * @param growth how to add neurons
     * @throws IllegalArgumentException if an argument is out of range
     */
    public WidthSchedule(int start, int target, int warm, int adapt, Growth growth) {
        if (start < 1 || target < 1 || warm < 0 || adapt < 1) {
            throw new IllegalArgumentException("WidthSchedule: need start, target >= 1, warm >= 0, adapt >= 1, got "
                    + start + ", " + target + ", " + warm + ", " + adapt);
        }
        this.start = start;
        this.target = target;
        this.warm = warm;
        this.adapt = adapt;
        this.growth = Objects.requireNonNull(growth, "WidthSchedule: growth is null");
        this.steps = new int[adapt + 1];
        // numpy.linspace: start + i * step, with the last point exactly the stop value
        double step = (double) (target - start) / adapt;
        for (int i = 0; i <= adapt; i++) {
            steps[i] = (int) Math.rint(i == adapt ? target : start + i * step);
        }
    }

    /**
     * The reference schedule: 15 warm-up epochs, 75 adaptation epochs (then 10 settling epochs at the target).
     *
     * @param start starting width
     * @param target final width
     * @param growth how to add neurons
     * @return the schedule
     */
    public static WidthSchedule reference(int start, int target, Growth growth) {
        return new WidthSchedule(start, target, 15, 75, growth);
    }

    /**
     * The sequence {@code S} of intermediate targets.
     *
     * @return {@code adapt + 1} widths, {@code S[0] = start}, {@code S[adapt] = target}
     */
    public int[] sequence() {
        return steps.clone();
    }

    /**
     * Target width for epoch {@code e}.
     *
     * @param epoch the epoch (0-based), {@code >= 0}
     * @return the width hidden layers should have during that epoch
     * @throws IllegalArgumentException if epoch is negative
     */
    public int target(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("WidthSchedule.target: epoch must be >= 0, got " + epoch);
        }
        if (epoch < warm) {
            return start;
        }
        if (epoch < warm + adapt) {
            return steps[epoch - warm + 1];
        }
        return target;
    }

    /**
     * Sets every hidden layer to a width, deepest first.
     *
     * @param net the network
     * @param width the target width, {@code >= 1}
     * @param opt the optimiser whose state to transform, or null
     * @return one change per layer
     * @throws IllegalArgumentException if the width is below 1 or the network is element-wise or not finite
     */
    public List<Controller.Change> apply(IsotropicMlp net, int width, Optimizer opt) {
        if (width < 1) {
            throw new IllegalArgumentException("WidthSchedule.apply: width must be >= 1, got " + width);
        }
        List<Controller.Change> out = new ArrayList<>();
        for (int l = net.depth() - 2; l >= 0; l--) {
            int before = net.widths()[l + 1];
            if (width > before) {
                Restructure.neurogenesis(net, l, width - before, growth, opt);
            } else if (width < before) {
                Restructure.neurodegeneration(net, l, before - width, opt, null);
            }
            out.add(new Controller.Change(-1, l, before, net.widths()[l + 1], -1));
        }
        return out;
    }

    @Override
    public void onEpochEnd(EpochMetrics metrics, IsotropicMlp net, Optimizer optimizer) {
        int w = target(metrics.epoch() + 1);
        for (Controller.Change c : apply(net, w, optimizer)) {
            history.add(new Controller.Change(metrics.epoch(), c.layer(), c.before(), c.after(), -1));
        }
    }

    /**
     * Every change made so far.
     *
     * @return an unmodifiable view
     */
    public List<Controller.Change> history() {
        return Collections.unmodifiableList(history);
    }
}
