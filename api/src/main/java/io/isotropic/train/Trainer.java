package io.isotropic.train;

import io.isotropic.data.Dataset;
import io.isotropic.nn.ForwardPass;
import io.isotropic.nn.Gradients;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.tensor.ShapeMismatchException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * Mini-batch training: {@link #step} (forward, objective + psi penalty, exact backward, optimiser update) over the
 * batches of a {@link Curriculum} (one data set, or tasks that come and go), with listeners that may restructure
 * the network before each epoch's evaluation. Deterministic for a fixed seed, backend and thread count. Stops with
 * {@link TrainingDivergedException} on a non-finite loss or gradient.
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
     * Trains a network on one labelled data set (the single-task case of
     * {@link #fit(IsotropicMlp, Optimizer, Curriculum)} with this trainer's loss).
     *
     * @param net the network (updated in place)
     * @param optimizer the optimiser (its state persists across calls, so training can continue)
     * @param train the training data (same dtype as the network)
     * @param test held-out data evaluated after each epoch, or null
     * @return metrics of every epoch
     * @throws IllegalArgumentException if the data do not match the network (dtype, features, classes) or are empty
     * @throws TrainingDivergedException on a non-finite loss or gradient, naming the step and parameter
     */
    public List<EpochMetrics> fit(IsotropicMlp net, Optimizer optimizer, Dataset train, Dataset test) {
        Objects.requireNonNull(train, "Trainer.fit: train is null");
        return fit(net, optimizer, Curriculum.of(train, test, loss));
    }

    /**
     * Trains a network: for every epoch, the curriculum's start-of-epoch changes, one {@link #step} per batch
     * (listeners' {@link TrainingListener#onStep} after each), then the listeners'
     * {@link TrainingListener#beforeEvaluation} (restructuring), the held-out evaluation, and
     * {@link TrainingListener#onEpochEnd} with the metrics.
     *
     * @param net the network (updated in place)
     * @param optimizer the optimiser (its state persists across calls, so training can continue)
     * @param curriculum the data, objective and evaluation
     * @return metrics of every epoch
     * @throws IllegalArgumentException if the data do not match the network
     * @throws TrainingDivergedException on a non-finite loss or gradient, naming the epoch, step and parameter
     */
    public List<EpochMetrics> fit(IsotropicMlp net, Optimizer optimizer, Curriculum curriculum) {
        Objects.requireNonNull(net, "Trainer.fit: net is null");
        Objects.requireNonNull(optimizer, "Trainer.fit: optimizer is null");
        Objects.requireNonNull(curriculum, "Trainer.fit: curriculum is null");
        curriculum.check("Trainer.fit", net);
        List<EpochMetrics> history = new ArrayList<>();
        for (int epoch = startEpoch; epoch < epochs; epoch++) {
            long t0 = System.nanoTime();
            curriculum.beginEpoch(epoch, net, optimizer);
            curriculum.check("Trainer.fit (epoch " + epoch + ")", net);
            Objective objective = curriculum.objective();
            int groups = objective.groups();
            double lossSum = 0;
            long rows = 0;
            double[] groupLoss = new double[groups];
            long[] groupCorrect = new long[groups];
            long[] groupRows = new long[groups];
            int batchInEpoch = 0;
            for (Iterator<Batch> it = curriculum.batches(epoch, seed, batchSize, net); it.hasNext(); batchInEpoch++) {
                Batch batch = it.next();
                long stepNo = optimizer.steps() + 1;
                StepResult r;
                try {
                    r = step(net, optimizer, objective, batch);
                } catch (TrainingDivergedException e) {
                    throw new TrainingDivergedException("training diverged at epoch " + epoch + ", step "
                            + stepNo + " (batch " + batchInEpoch + " of the epoch): " + e.detail(), e);
                }
                lossSum += r.value().loss() * batch.size();
                rows += batch.size();
                for (int g = 0; g < groups; g++) {
                    int n = r.value().groupRows()[g];
                    if (n > 0) {
                        groupLoss[g] += r.value().groupLoss()[g] * n;
                        groupCorrect[g] += r.value().groupCorrect()[g];
                        groupRows[g] += n;
                    }
                }
                for (TrainingListener l : listeners) {
                    l.onStep(epoch, optimizer.steps(), r.total(), net, optimizer);
                }
            }
            for (TrainingListener l : listeners) {
                l.beforeEvaluation(epoch, net, optimizer);
            }
            List<Evaluation> evals = curriculum.evaluate(net, evalBatchSize);
            List<String> names = curriculum.groupNames();
            List<GroupMetrics> gm = new ArrayList<>(groups);
            long correct = 0;
            for (int g = 0; g < groups; g++) {
                correct += groupCorrect[g];
                gm.add(new GroupMetrics(names.get(g), groupRows[g] == 0 ? Double.NaN : groupLoss[g] / groupRows[g],
                        groupRows[g] == 0 ? Double.NaN : (double) groupCorrect[g] / groupRows[g], groupRows[g],
                        evals.get(g)));
            }
            EpochMetrics m = new EpochMetrics(epoch, rows == 0 ? Double.NaN : lossSum / rows,
                    rows == 0 ? Double.NaN : (double) correct / rows, net.psiPenalty(), groups == 1 ? evals.get(0) : null,
                    List.copyOf(gm), net.widths(), optimizer.currentLearningRate(),
                    (System.nanoTime() - t0) / 1_000_000);
            history.add(m);
            for (TrainingListener l : listeners) {
                l.onEpochEnd(m, net, optimizer);
            }
        }
        return history;
    }

    /**
     * One training step, the only one in the project: forward pass, the objective, the psi penalty, the exact
     * backward pass (with the penalty's gradient) and the optimiser's update, refusing to apply a non-finite one.
     *
     * @param net the network (updated in place)
     * @param optimizer the optimiser
     * @param objective what to minimise
     * @param batch inputs, labels and groups, in the network's dtype
     * @return the objective and penalty before the update, and the step count after it
     * @throws IllegalArgumentException if the batch does not fit the network or the objective
     * @throws TrainingDivergedException on a non-finite loss or gradient (nothing is updated), or if the update made
     *         a parameter non-finite
     */
    public static StepResult step(IsotropicMlp net, Optimizer optimizer, Objective objective, Batch batch) {
        Objects.requireNonNull(net, "Trainer.step: net is null");
        Objects.requireNonNull(optimizer, "Trainer.step: optimizer is null");
        Objects.requireNonNull(objective, "Trainer.step: objective is null");
        Objects.requireNonNull(batch, "Trainer.step: batch is null");
        ForwardPass fp = net.forward(batch.x());
        ObjectiveValue v = objective.evaluate(fp.logits(), batch);
        double penalty = net.psiPenalty();
        double total = v.loss() + penalty;
        if (!Double.isFinite(total)) {
            throw diverged("loss = " + total, net, null);
        }
        Gradients g = net.backward(fp, v.gradient());
        net.addPsiPenaltyGradient(g);
        String badGrad = g.firstNonFinite();
        if (badGrad != null) {
            throw diverged("loss = " + total, net, badGrad);
        }
        optimizer.step(net, g);
        if (net.firstInvalidParameter() != null) {
            throw diverged("the update made a parameter non-finite (loss before it " + total + ")", net, null);
        }
        return new StepResult(v, penalty, optimizer.steps());
    }

    private static TrainingDivergedException diverged(String what, IsotropicMlp net, String badGrad) {
        String invalid = net.firstInvalidParameter();
        String where = invalid == null ? null : "first non-finite parameter: " + invalid;
        if (where == null && badGrad != null) {
            where = "first non-finite gradient: " + badGrad;
        }
        return new TrainingDivergedException(what + (where == null ? "; parameters and gradients are finite (the"
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
