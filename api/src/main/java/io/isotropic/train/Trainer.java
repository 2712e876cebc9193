package io.isotropic.train;

import io.isotropic.data.Dataset;
import io.isotropic.tensor.Seeds;
import io.isotropic.nn.ForwardPass;
import io.isotropic.nn.Gradients;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.tensor.ShapeMismatchException;
import io.isotropic.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Mini-batch training loop: shuffling seeded by (seed, epoch), forward, loss (+ psi penalty), exact backward, optimiser
 * step, listeners, and evaluation on a held-out set. Deterministic for a fixed seed, backend and thread count.
 * Stops with {@link TrainingDivergedException} on a non-finite loss or gradient.
 */
public final class Trainer {
    private final int epochs;
    private final int startEpoch;
    private final int batchSize;
    private final long seed;
    private final Loss loss;
    private final int evalBatchSize;
    private final List<TrainingListener> listeners;

    private Trainer(Builder b) {
        this.epochs = b.epochs;
        this.startEpoch = b.startEpoch;
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.loss = b.loss;
        this.evalBatchSize = b.evalBatchSize;
        this.listeners = List.copyOf(b.listeners);
    }

    /**
     * Starts configuring a trainer (defaults: 10 epochs, batch 48, seed 0, cross-entropy, evaluation batch 1000).
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Trains a network.
     *
     * @param net the network (updated in place)
     * @param optimizer the optimiser (its state persists across calls, so training can continue)
     * @param train the training data (same dtype as the network)
     * @param test held-out data evaluated after each epoch, or null
     * @return metrics of every epoch
     * @throws IllegalArgumentException if the data do not match the network (dtype, features, classes)
     * @throws TrainingDivergedException on a non-finite loss or gradient, naming the step and parameter
     */
    public List<EpochMetrics> fit(IsotropicMlp net, Optimizer optimizer, Dataset train, Dataset test) {
        Objects.requireNonNull(net, "Trainer.fit: net is null");
        Objects.requireNonNull(optimizer, "Trainer.fit: optimizer is null");
        Objects.requireNonNull(train, "Trainer.fit: train is null");
        checkCompatible("Trainer.fit (train)", net, train);
        if (test != null) {
            checkCompatible("Trainer.fit (test)", net, test);
        }
        if (train.size() == 0) {
            throw new IllegalArgumentException("Trainer.fit: the training set is empty");
        }
        List<EpochMetrics> history = new ArrayList<>();
        for (int epoch = startEpoch; epoch < epochs; epoch++) {
            long t0 = System.nanoTime();
            // each epoch's order depends only on (seed, epoch): a resumed run shuffles as an uninterrupted one
            int[] perm = Dataset.permutation(train.size(), new SplittableRandom(Seeds.mix(seed, epoch)));
            double lossSum = 0;
            int correct = 0;
            int batchInEpoch = 0;
            for (int start = 0; start < perm.length; start += batchSize, batchInEpoch++) {
                int n = Math.min(batchSize, perm.length - start);
                int[] idx = java.util.Arrays.copyOfRange(perm, start, start + n);
                Tensor x = Tensor.zeros(train.dtype(), n, train.featureCount());
                int[] y = new int[n];
                train.gather(idx, x, y);
                ForwardPass fp = net.forward(x);
                LossValue lv = loss.evaluate(fp.logits(), y);
                double total = lv.loss() + net.psiPenalty();
                long step = optimizer.steps() + 1;
                if (!Double.isFinite(total)) {
                    throw diverged(epoch, step, batchInEpoch, "loss = " + total, net, null);
                }
                Gradients g = net.backward(fp, lv.gradient());
                net.addPsiPenaltyGradient(g);
                String badGrad = g.firstNonFinite();
                if (badGrad != null) {
                    throw diverged(epoch, step, batchInEpoch, "loss = " + total, net, badGrad);
                }
                optimizer.step(net, g);
                if (net.firstInvalidParameter() != null) {
                    throw diverged(epoch, step, batchInEpoch, "the update made a parameter non-finite (loss before it "
                            + total + ")", net, null);
                }
                lossSum += lv.loss() * n;
                correct += lv.correct();
                for (TrainingListener l : listeners) {
                    l.onStep(epoch, optimizer.steps(), total, net, optimizer);
                }
            }
            Evaluation ev = test == null ? null : Evaluation.of(net, test, evalBatchSize, loss);
            EpochMetrics m = new EpochMetrics(epoch, lossSum / train.size(), (double) correct / train.size(),
                    net.psiPenalty(), ev, net.widths(), optimizer.currentLearningRate(),
                    (System.nanoTime() - t0) / 1_000_000);
            history.add(m);
            for (TrainingListener l : listeners) {
                l.onEpochEnd(m, net, optimizer);
            }
        }
        return history;
    }

    private static TrainingDivergedException diverged(int epoch, long step, int batch, String what, IsotropicMlp net,
                                                      String badGrad) {
        String invalid = net.firstInvalidParameter();
        String where = invalid == null ? null : "first non-finite parameter: " + invalid;
        if (where == null && badGrad != null) {
            where = "first non-finite gradient: " + badGrad;
        }
        return new TrainingDivergedException("training diverged at epoch " + epoch + ", step " + step + " (batch "
                + batch + " of the epoch): " + what + (where == null ? "; parameters and gradients are finite (the"
                + " loss overflowed: lower the learning rate)" : "; " + where));
    }

    static void checkCompatible(String op, IsotropicMlp net, Dataset data) {
        int[] w = net.widths();
        if (data.dtype() != net.dtype()) {
            throw new IllegalArgumentException(op + ": data " + data.name() + " is " + data.dtype() + ", the network is "
                    + net.dtype() + "; convert with Dataset.to(DType)");
        }
        if (data.featureCount() != w[0] || data.classes() != w[w.length - 1]) {
            throw new ShapeMismatchException(op + ": data " + data.name() + " has " + data.featureCount()
                    + " features and " + data.classes() + " classes, the network expects " + w[0] + " inputs and "
                    + w[w.length - 1] + " outputs");
        }
    }

    /** Configures a {@link Trainer}. */
    public static final class Builder {
        private int epochs = 10;
        private int startEpoch;
        private int batchSize = 48;
        private long seed;
        private Loss loss = Loss.CROSS_ENTROPY;
        private int evalBatchSize = 1000;
        private final List<TrainingListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /**
         * Total number of epochs (including those before the start epoch when resuming).
         *
         * @param e {@code >= 0}
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder epochs(int e) {
            if (e < 0) {
                throw new IllegalArgumentException("Trainer: epochs must be >= 0, got " + e);
            }
            this.epochs = e;
            return this;
        }

        /**
         * First epoch to run (resuming after {@code e} completed epochs); epochs {@code e .. epochs-1} are run.
         *
         * @param e {@code >= 0}
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder startEpoch(int e) {
            if (e < 0) {
                throw new IllegalArgumentException("Trainer: start epoch must be >= 0, got " + e);
            }
            this.startEpoch = e;
            return this;
        }

        /**
         * Mini-batch size (the last batch of an epoch may be smaller).
         *
         * @param b {@code >= 1}
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder batchSize(int b) {
            if (b < 1) {
                throw new IllegalArgumentException("Trainer: batch size must be >= 1, got " + b);
            }
            this.batchSize = b;
            return this;
        }

        /**
         * Seed of the per-epoch shuffling.
         *
         * @param s the seed
         * @return this builder
         */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /**
         * The loss (default cross-entropy).
         *
         * @param l the loss
         * @return this builder
         */
        public Builder loss(Loss l) {
            this.loss = Objects.requireNonNull(l, "loss");
            return this;
        }

        /**
         * Batch size of the evaluation passes.
         *
         * @param b {@code >= 1}
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder evalBatchSize(int b) {
            if (b < 1) {
                throw new IllegalArgumentException("Trainer: evaluation batch size must be >= 1, got " + b);
            }
            this.evalBatchSize = b;
            return this;
        }

        /**
         * Adds a listener (called in the order added).
         *
         * @param l the listener
         * @return this builder
         */
        public Builder listener(TrainingListener l) {
            listeners.add(Objects.requireNonNull(l, "listener"));
            return this;
        }

        /**
         * Builds the trainer.
         *
         * @return the trainer
         */
        public Trainer build() {
            return new Trainer(this);
        }
    }
}
