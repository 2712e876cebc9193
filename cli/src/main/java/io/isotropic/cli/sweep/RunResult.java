package io.isotropic.cli.sweep;

import java.io.Serializable;
import java.util.List;

/**
 * What one run of a sweep produced, or why it failed: the content of {@code runs/<id>/result.json}. Everything but
 * {@link #seconds}, {@link #host} and {@link #attempts} depends only on the run's configuration and seed, so two
 * executors give equal results (see {@link #withoutCircumstances}).
 *
 * @param id the run's identifier
 * @param configId its configuration's identifier
 * @param label its configuration's label
 * @param configIndex the configuration's position in the sweep
 * @param repeat the repeat's position
 * @param seed the seed
 * @param trainArguments the {@code train} arguments it ran with (without {@code --out})
 * @param ok true if it trained to the end
 * @param error the failure as one line, or null
 * @param epochs the metrics of every epoch (empty for a failed run)
 * @param testAccuracy the final test accuracy in [0, 1] (NaN if failed)
 * @param bestTestAccuracy the best test accuracy over the epochs (NaN if failed)
 * @param widths the final layer widths {@code [n_0, ..., n_L]} (empty if failed)
 * @param parameters the final parameter count (0 if failed)
 * @param seconds wall time of the run's last attempt
 * @param attempts how many attempts it took (1 unless a transient failure was retried)
 * @param host where it ran (host name, and the Spark executor if any)
 */
@com.fasterxml.jackson.databind.annotation.JsonNaming(
        com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
public record RunResult(String id, String configId, String label, int configIndex, int repeat, long seed,
                        List<String> trainArguments, boolean ok, String error, List<Epoch> epochs,
                        double testAccuracy, double bestTestAccuracy, int[] widths, long parameters, double seconds,
                        int attempts, String host) implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * Copies the lists so that a result is immutable.
     *
     * @throws IllegalArgumentException if the id is missing
     */
    public RunResult {
        if (id == null) {
            throw new IllegalArgumentException("RunResult: id is required");
        }
        trainArguments = trainArguments == null ? List.of() : List.copyOf(trainArguments);
        epochs = epochs == null ? List.of() : List.copyOf(epochs);
        widths = widths == null ? new int[0] : widths.clone();
    }

    /**
     * One epoch's metrics, as {@code metrics.jsonl} records them (without the timing).
     *
     * @param epoch the epoch, from 0
     * @param trainLoss mean training loss
     * @param trainAccuracy training accuracy in [0, 1]
     * @param testLoss test loss
     * @param testAccuracy test accuracy in [0, 1]
     * @param widths layer widths after the epoch {@code [n_0, ..., n_L]}
     * @param parameters parameter count after the epoch
     * @param learningRate the learning rate at the epoch's end
     */
    @com.fasterxml.jackson.databind.annotation.JsonNaming(
            com.fasterxml.jackson.databind.PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Epoch(int epoch, double trainLoss, double trainAccuracy, double testLoss, double testAccuracy,
                        int[] widths, long parameters, double learningRate) implements Serializable {
        private static final long serialVersionUID = 1L;

        /** Copies the widths. */
        public Epoch {
            widths = widths == null ? new int[0] : widths.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Epoch e && epoch == e.epoch && Double.compare(trainLoss, e.trainLoss) == 0
                    && Double.compare(trainAccuracy, e.trainAccuracy) == 0 && Double.compare(testLoss, e.testLoss) == 0
                    && Double.compare(testAccuracy, e.testAccuracy) == 0 && java.util.Arrays.equals(widths, e.widths)
                    && parameters == e.parameters && Double.compare(learningRate, e.learningRate) == 0;
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(epoch, trainLoss, testAccuracy, java.util.Arrays.hashCode(widths));
        }

        @Override
        public String toString() {
            return "Epoch[" + epoch + ", train loss " + trainLoss + ", train acc " + trainAccuracy + ", test loss "
                    + testLoss + ", test acc " + testAccuracy + ", widths " + java.util.Arrays.toString(widths)
                    + ", parameters " + parameters + ", lr " + learningRate + "]";
        }
    }

    /**
     * A failed run.
     *
     * @param run the run
     * @param error what went wrong, one line
     * @param seconds wall time of the last attempt
     * @param attempts attempts made
     * @param host where the last attempt ran
     * @return the result
     */
    public static RunResult failed(RunSpec run, String error, double seconds, int attempts, String host) {
        return new RunResult(run.id(), run.configId(), run.label(), run.configIndex(), run.repeat(), run.seed(),
                run.trainArguments(), false, error, List.of(), Double.NaN, Double.NaN, new int[0], 0, seconds,
                attempts, host);
    }

    /**
     * The result without what depends on the circumstances (wall time, attempts, host): what must be equal for
     * the same run on any executor.
     *
     * @return a copy with {@code seconds = 0}, {@code attempts = 0} and {@code host = ""}
     */
    public RunResult withoutCircumstances() {
        return new RunResult(id, configId, label, configIndex, repeat, seed, trainArguments, ok, error, epochs,
                testAccuracy, bestTestAccuracy, widths, parameters, 0, 0, "");
    }

    /**
     * A copy with the number of attempts and host set.
     *
     * @param attempts attempts made, {@code >= 1}
     * @param host where the last attempt ran
     * @return the copy
     */
    public RunResult withAttempts(int attempts, String host) {
        return new RunResult(id, configId, label, configIndex, repeat, seed, trainArguments, ok, error, epochs,
                testAccuracy, bestTestAccuracy, widths, parameters, seconds, attempts, host);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunResult r && id.equals(r.id) && configId.equals(r.configId) && label.equals(r.label)
                && configIndex == r.configIndex && repeat == r.repeat && seed == r.seed
                && trainArguments.equals(r.trainArguments) && ok == r.ok && java.util.Objects.equals(error, r.error)
                && epochs.equals(r.epochs) && Double.compare(testAccuracy, r.testAccuracy) == 0
                && Double.compare(bestTestAccuracy, r.bestTestAccuracy) == 0 && java.util.Arrays.equals(widths, r.widths)
                && parameters == r.parameters && Double.compare(seconds, r.seconds) == 0 && attempts == r.attempts
                && java.util.Objects.equals(host, r.host);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(id, ok, testAccuracy, java.util.Arrays.hashCode(widths));
    }

    @Override
    public String toString() {
        return "RunResult[" + id + " (" + label + ", seed " + seed + "): " + (ok ? "test accuracy " + testAccuracy
                + ", widths " + java.util.Arrays.toString(widths) + ", " + epochs.size() + " epochs" : "failed: " + error)
                + "]";
    }
}
