package io.isotropic.bench;

import io.isotropic.data.Dataset;
import io.isotropic.data.Datasets;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.tensor.DType;
import io.isotropic.train.Adam;
import io.isotropic.train.EpochMetrics;
import io.isotropic.train.Evaluation;
import io.isotropic.train.Loss;
import io.isotropic.train.Trainer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Whole-epoch training throughput of {@link Trainer} (shuffle, gather, forward, loss, backward, AdamW, divergence
 * checks; no evaluation): the shipped digits with {@code 64-64-64-10}, and a slice of Fashion-MNIST's training set
 * with {@code 784-256-256-10}, both standardised, batch 48 (the trainer's default and the reference experiments').
 * Every invocation trains a fresh copy of the initial network with a fresh AdamW for one epoch (the copy, made by
 * {@link FreshNetworkTrial}, is not timed), so each measures the same first epoch. The Fashion-MNIST case
 * needs Debian's {@code dataset-fashion-mnist} in {@link Datasets#FASHION_MNIST_DIR}; {@code bench/run.sh} excludes
 * it when the files are absent, and run by hand it fails in {@code @Setup} saying so.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xss4m", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
public class EpochBenchmark {
    private static final long SEED = 19;
    private static final int BATCH = 48;

    /** Shared set-up: the data, the initial network and the trainer; subclasses choose the data. */
    @State(Scope.Thread)
    public abstract static class Training extends FreshNetworkTrial {
        private Dataset data;
        private Trainer trainer;

        /**
         * Loads the data.
         *
         * @param dt the dtype
         * @return the training data, unstandardised
         * @throws IOException if the data cannot be read
         */
        abstract Dataset load(DType dt) throws IOException;

        /**
         * Widths of the network.
         *
         * @return {@code n_0, ..., n_L}
         */
        abstract int[] widths();

        /**
         * Loads and standardises the data and builds the network (the builder's defaults) and the trainer.
         *
         * @throws IOException if the data cannot be read
         */
        @Override
        protected IsotropicMlp build() throws IOException {
            Dataset raw = load(dt);
            data = raw.standardise(raw.fitStandardiser());
            trainer = Trainer.builder().epochs(1).batchSize(BATCH).seed(SEED).build();
            return IsotropicMlp.builder(widths()).dtype(dt).seed(SEED).build(be);
        }

        /** A fresh AdamW, copied (still fresh) for every invocation. */
        @Override
        protected Adam optimizer(IsotropicMlp net) {
            return Adam.adamW(BenchNets.LEARNING_RATE, BenchNets.WEIGHT_DECAY);
        }

        /**
         * One epoch of AdamW lowers the cross-entropy of the whole training set (evaluated before and after): a
         * gradient of the wrong sign or an update that is not applied would not. (A functional check: the amount
         * of the decrease has no rounding-error derivation, only its sign is asserted.)
         */
        @Override
        protected void check() {
            IsotropicMlp copy = template.copy();
            Evaluation before = Evaluation.of(copy, data, 1000, Loss.CROSS_ENTROPY);
            trainer.fit(copy, Adam.adamW(BenchNets.LEARNING_RATE, BenchNets.WEIGHT_DECAY), data, null);
            Evaluation after = Evaluation.of(copy, data, 1000, Loss.CROSS_ENTROPY);
            if (!(after.loss() < before.loss())) {
                throw new IllegalStateException("benchmark check failed: one epoch on " + data.name() + " ("
                        + label() + ") did not lower the training loss: " + before.loss() + " -> " + after.loss());
            }
        }

        /**
         * One epoch.
         *
         * @return the epoch's metrics
         */
        List<EpochMetrics> epoch() {
            return trainer.fit(net, opt, data, null);
        }
    }

    /** The shipped UCI digits (1,797 samples, 64 features), or its first n samples. */
    @State(Scope.Thread)
    public static class Digits extends Training {
        /** Samples per epoch (the whole set has 1,797). */
        @Param({"1797"})
        public int n;

        @Override
        Dataset load(DType dt) {
            return Datasets.digits(dt).head(n);
        }

        @Override
        int[] widths() {
            return new int[] {64, 64, 64, 10};
        }
    }

    /** The first n images of Fashion-MNIST's training set (784 features). */
    @State(Scope.Thread)
    public static class FashionMnist extends Training {
        /** Samples per epoch. */
        @Param({"10000"})
        public int n;

        @Override
        Dataset load(DType dt) throws IOException {
            if (!Files.isDirectory(Datasets.FASHION_MNIST_DIR)) {
                throw new IllegalStateException("EpochBenchmark.fashionMnist: Fashion-MNIST is not installed in "
                        + Datasets.FASHION_MNIST_DIR + " (apt-get install dataset-fashion-mnist), or exclude this "
                        + "benchmark with -e EpochBenchmark.fashionMnist");
            }
            return Datasets.fashionMnist(Datasets.FASHION_MNIST_DIR, true, dt).head(n);
        }

        @Override
        int[] widths() {
            return new int[] {784, 256, 256, 10};
        }
    }

    /**
     * One epoch on the digits.
     *
     * @param s the state
     * @return the epoch's metrics (consumed by JMH)
     */
    @Benchmark
    public List<EpochMetrics> digits(Digits s) {
        return s.epoch();
    }

    /**
     * One epoch on the Fashion-MNIST slice.
     *
     * @param s the state
     * @return the epoch's metrics (consumed by JMH)
     */
    @Benchmark
    public List<EpochMetrics> fashionMnist(FashionMnist s) {
        return s.epoch();
    }

    /**
     * The report's description of a result: the samples of one epoch (the report shows samples/s) and the flops of
     * the matrix products, {@code 2 N (3 sum n_l n_(l+1) - n_0 n_1)} (forward, weight gradients, input gradients
     * but the first layer's).
     *
     * @param method the benchmark method
     * @param params its JMH parameters
     * @return the workload
     */
    public static Workload workload(String method, Map<String, String> params) {
        int samples = Workload.intParam(params, "n");
        int[] w = switch (method) {
            case "digits" -> new int[] {64, 64, 64, 10};
            case "fashionMnist" -> new int[] {784, 256, 256, 10};
            default -> throw new IllegalArgumentException("EpochBenchmark: unknown method " + method);
        };
        double sum = 0;
        for (int l = 0; l + 1 < w.length; l++) {
            sum += (double) w[l] * w[l + 1];
        }
        double flops = 2.0 * samples * (3 * sum - (double) w[0] * w[1]);
        String name = method.equals("digits") ? "digits" : "Fashion-MNIST";
        return new Workload("Training epoch (Trainer, batch " + BATCH + ")", name + " " + w[0] + "-" + w[1] + "-"
                + w[2] + "-" + w[3] + ", " + samples + " samples", flops, samples);
    }
}
