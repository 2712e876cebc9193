package io.isotropic.train;

import io.isotropic.nn.Gradients;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.nn.Parameter;
import io.isotropic.tensor.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A first-order optimiser holding per-parameter state keyed by parameter name (names are stable under
 * restructuring, so the state survives it once transformed; see method.md section 8).
 */
public abstract class Optimizer {
    private final LearningRateSchedule schedule;
    private final Map<String, ParameterState> states = new LinkedHashMap<>();
    private long steps;

    /**
     * Creates the optimiser.
     *
     * @param schedule the learning-rate schedule
     */
    protected Optimizer(LearningRateSchedule schedule) {
        this.schedule = Objects.requireNonNull(schedule, "Optimizer: schedule is null");
    }

    /**
     * Applies one update to every trainable parameter of the network, using its backend.
     *
     * @param net the network (parameters updated in place)
     * @param grads gradients for every trainable parameter
     * @throws IllegalArgumentException if a gradient is missing or has the wrong shape, or a state tensor no
     *         longer matches its parameter's shape (restructured without the optimiser transform)
     */
    public final void step(IsotropicMlp net, Gradients grads) {
        Objects.requireNonNull(net, "Optimizer.step: net is null");
        Objects.requireNonNull(grads, "Optimizer.step: grads is null");
        double lr = schedule.at(steps);
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("Optimizer.step: schedule gave learning rate " + lr + " at step " + steps);
        }
        // check everything before touching anything
        for (Parameter p : net.parameters()) {
            if (!p.trainable()) {
                continue;
            }
            Tensor g = grads.get(p.name());
            if (g == null || !g.shape().equals(p.value().shape()) || g.dtype() != p.value().dtype()) {
                throw new IllegalArgumentException("Optimizer.step: gradient of " + p.name() + " is "
                        + (g == null ? "missing" : g.dtype() + " " + g.shape()) + "; parameter is "
                        + p.value().dtype() + " " + p.value().shape());
            }
            ParameterState s = states.get(p.name());
            if (s != null && ((s.first() != null && !s.first().shape().equals(p.value().shape()))
                    || (s.second() != null && !s.second().shape().equals(p.value().shape())))) {
                throw new IllegalArgumentException("Optimizer.step: state of " + p.name() + " has shape "
                        + (s.first() != null ? s.first().shape() : s.second().shape()) + " but the parameter is "
                        + p.value().shape() + "; restructure with this optimiser so its state is transformed");
            }
        }
        for (Parameter p : net.parameters()) {
            if (!p.trainable()) {
                continue;
            }
            ParameterState s = states.computeIfAbsent(p.name(), n -> newState(p.value()));
            s.advance();
            update(net, p, grads.get(p.name()), s, lr);
        }
        steps++;
    }

    /**
     * Creates the zero state of a parameter on its first update.
     *
     * @param param the parameter value
     * @return the initial state (step 0)
     */
    protected abstract ParameterState newState(Tensor param);

    /**
     * Updates one parameter in place.
     *
     * @param net the network (for its backend)
     * @param param the parameter
     * @param grad its gradient
     * @param state its state, already advanced to the current step
     * @param lr the learning rate of this step
     */
    protected abstract void update(IsotropicMlp net, Parameter param, Tensor grad, ParameterState state, double lr);

    /**
     * Per-parameter state by parameter name (live; restructuring transforms it).
     *
     * @return an unmodifiable view of the live map
     */
    public Map<String, ParameterState> states() {
        return Collections.unmodifiableMap(states);
    }

    /**
     * Replaces or removes the state of one parameter (restructuring and loading).
     *
     * @param name the parameter name
     * @param state the new state, or null to remove it
     */
    public void putState(String name, ParameterState state) {
        Objects.requireNonNull(name, "Optimizer.putState: name is null");
        if (state == null) {
            states.remove(name);
        } else {
            states.put(name, state);
        }
    }

    /**
     * Number of {@link #step} calls so far (drives the schedule).
     *
     * @return the count
     */
    public long steps() {
        return steps;
    }

    /**
     * Sets the global step counter (resuming from a saved run).
     *
     * @param s the count, {@code >= 0}
     * @throws IllegalArgumentException if negative
     */
    public void setSteps(long s) {
        if (s < 0) {
            throw new IllegalArgumentException("Optimizer.setSteps: must be >= 0, got " + s);
        }
        steps = s;
    }

    /**
     * The learning rate the next step will use.
     *
     * @return the rate
     */
    public double currentLearningRate() {
        return schedule.at(steps);
    }

    /**
     * A short description for logs and model metadata, e.g. {@code adamw(lr=0.001, wd=0.001)}.
     *
     * @return the description
     */
    public abstract String describe();
}
