package io.isotropic.spark;

import io.isotropic.cli.sweep.Attempts;
import io.isotropic.cli.sweep.Outcome;
import io.isotropic.cli.sweep.SweepJob;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;

import java.io.Serializable;
import java.nio.file.Path;

/**
 * What a Spark task runs: one attempt of one sweep job ({@link Attempts#attempt}, the logic the local pool uses), in
 * a scratch directory under the executor's Spark files directory. A transient failure with attempts left is thrown,
 * so that Spark runs the task again (on any executor); the last attempt, and any deterministic failure, return the
 * failure as the task's result, so that the job ends and the other runs go on.
 *
 * @param maxAttempts the attempts Spark makes per task ({@code spark.task.maxFailures}, or F of {@code local[N,F]})
 * @param <R> the job's result type
 */
record SparkRunTask<R extends Serializable>(int maxAttempts) implements Function<SweepJob<R>, Outcome<R>> {
    private static final long serialVersionUID = 1L;

    /** A transient failure handed to Spark for another attempt. */
    static final class Retry extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Retry(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Override
    public Outcome<R> call(SweepJob<R> job) {
        TaskContext tc = TaskContext.get();
        int attempt = Math.min(tc == null ? 0 : tc.attemptNumber(), maxAttempts - 1);
        SparkEnv env = SparkEnv.get();
        String host = hostName() + (env == null ? "" : " (Spark executor " + env.executorId() + ")");
        Path root = Path.of(SparkFiles.getRootDirectory()).toAbsolutePath().resolve("isotropic-scratch");
        try {
            return Attempts.attempt(job, attempt, maxAttempts, root, host);
        } catch (Attempts.RetryableFailure e) {
            throw new Retry(e.getMessage(), e.getCause());
        }
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }
}
