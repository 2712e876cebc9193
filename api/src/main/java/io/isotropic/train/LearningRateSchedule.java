package io.isotropic.train;

/** Learning rate as a function of the number of optimiser steps already taken. */
@FunctionalInterface
public interface LearningRateSchedule {
    /**
     * The learning rate for the next step.
     *
     * @param step optimiser steps taken so far, {@code >= 0}
     * @return the learning rate, finite and {@code >= 0}
     */
    double at(long step);

    /**
     * A constant learning rate.
     *
     * @param lr the rate, finite and {@code >= 0}
     * @return the schedule
     * @throws IllegalArgumentException if lr is negative or not finite
     */
    static LearningRateSchedule constant(double lr) {
        requireRate("constant", lr);
        return step -> lr;
    }

    /**
     * Cosine annealing from {@code lr} to {@code minLr} over {@code totalSteps} steps, then {@code minLr}:
     * {@code minLr + (lr - minLr) (1 + cos(pi min(step, T) / T)) / 2}.
     *
     * @param lr the initial rate, finite and {@code >= 0}
     * @param totalSteps the annealing length {@code T}, {@code >= 1}
     * @param minLr the final rate, finite, {@code 0 <= minLr <= lr}
     * @return the schedule
     * @throws IllegalArgumentException if an argument is out of range
     */
    static LearningRateSchedule cosine(double lr, long totalSteps, double minLr) {
        requireRate("cosine", lr);
        requireRate("cosine", minLr);
        if (totalSteps < 1 || minLr > lr) {
            throw new IllegalArgumentException("LearningRateSchedule.cosine: need totalSteps >= 1 and minLr <= lr, got "
                    + "totalSteps=" + totalSteps + ", lr=" + lr + ", minLr=" + minLr);
        }
        return step -> minLr + (lr - minLr) * 0.5 * (1 + Math.cos(Math.PI * Math.min(step, totalSteps) / totalSteps));
    }

    private static void requireRate(String op, double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new IllegalArgumentException("LearningRateSchedule." + op + ": learning rate must be finite and >= 0,"
                    + " got " + lr);
        }
    }
}
