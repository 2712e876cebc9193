package io.isotropic.train;

import io.isotropic.tensor.Tensor;

/**
 * Optimiser state of one parameter: first moment (Adam) or momentum buffer (SGD), second moment (Adam only) and
 * the step count. Restructuring replaces the tensors by transformed ones of the parameter's new shape
 * (method.md section 8) and keeps the step count.
 */
public final class ParameterState {
    private Tensor first;
    private Tensor second;
    private long step;

    /**
     * Creates a state.
     *
     * @param first first moment or momentum buffer (may be null for plain SGD)
     * @param second second moment, or null
     * @param step steps taken, {@code >= 0}
     */
    public ParameterState(Tensor first, Tensor second, long step) {
        if (step < 0) {
            throw new IllegalArgumentException("ParameterState: step must be >= 0, got " + step);
        }
        this.first = first;
        this.second = second;
        this.step = step;
    }

    /**
     * First moment (Adam) or momentum buffer (SGD).
     *
     * @return the live tensor, or null
     */
    public Tensor first() {
        return first;
    }

    /**
     * Second moment (Adam).
     *
     * @return the live tensor, or null
     */
    public Tensor second() {
        return second;
    }

    /**
     * Steps taken for this parameter.
     *
     * @return the count
     */
    public long step() {
        return step;
    }

    /**
     * Replaces the moment tensors (restructuring); the step count is kept.
     *
     * @param newFirst the new first moment or buffer (may be null only if the old one was)
     * @param newSecond the new second moment (may be null only if the old one was)
     * @throws IllegalArgumentException if a present tensor would be dropped
     */
    public void replace(Tensor newFirst, Tensor newSecond) {
        if ((first != null && newFirst == null) || (second != null && newSecond == null)) {
            throw new IllegalArgumentException("ParameterState.replace: cannot drop an existing moment");
        }
        this.first = newFirst;
        this.second = newSecond;
    }

    void advance() {
        step++;
    }

    /**
     * A deep copy.
     *
     * @return the copy
     */
    public ParameterState copy() {
        return new ParameterState(first == null ? null : first.copy(), second == null ? null : second.copy(), step);
    }
}
