package io.isotropic.train;

import io.isotropic.data.Dataset;
import io.isotropic.nn.IsotropicMlp;

import java.util.Iterator;
import java.util.List;

/**
 * The data side of training: what {@link Trainer#fit(IsotropicMlp, Optimizer, Curriculum)} draws its batches from,
 * what it minimises and what it evaluates after each epoch. {@link #of(Dataset, Dataset, Loss)} is one labelled data
 * set; {@code io.isotropic.task.Tasks} is a live set of tasks on one network whose schedule may append, remove,
 * activate and deactivate tasks at the start of an epoch.
 */
public interface Curriculum {
    /**
     * Called at the start of every epoch, before its batches; may restructure the network (appending or removing
     * a task), transforming the optimiser's state.
     *
     * @param epoch the epoch (0-based)
     * @param net the network
     * @param optimizer the optimiser
     */
    default void beginEpoch(int epoch, IsotropicMlp net, Optimizer optimizer) {
    }

    /**
     * Checks that the data fit the network (dtype, input width, outputs).
     *
     * @param op the operation to name in the message
     * @param net the network
     * @throws IllegalArgumentException if they do not
     */
    void check(String op, IsotropicMlp net);

    /**
     * The objective of the current epoch.
     *
     * @return the objective
     */
    Objective objective();

    /**
     * Names of the objective's groups, in group order (one per task; one for a single data set).
     *
     * @return the names
     */
    List<String> groupNames();

    /**
     * The batches of an epoch, in order: a function of {@code (seed, epoch)} only, so that a resumed run draws what
     * an uninterrupted one would.
     *
     * @param epoch the epoch
     * @param seed the shuffling seed
     * @param batchSize rows per batch, {@code >= 1} (per task for a multi-task curriculum)
     * @param net the network (for its dtype and input width)
     * @return the batches
     */
    Iterator<Batch> batches(int epoch, long seed, int batchSize, IsotropicMlp net);

    /**
     * Evaluates every group on its held-out data.
     *
     * @param net the network
     * @param batchSize evaluation batch size, {@code >= 1}
     * @return one evaluation per group in group order (null for a group without held-out data)
     */
    List<Evaluation> evaluate(IsotropicMlp net, int batchSize);

    /**
     * One labelled data set, every sample once per epoch in an order shuffled by {@code (seed, epoch)}.
     *
     * @param train the training data
     * @param test held-out data, or null
     * @param loss the loss
     * @return the curriculum
     * @throws NullPointerException if train or loss is null
     * @throws IllegalArgumentException if the training set is empty
     */
    static Curriculum of(Dataset train, Dataset test, Loss loss) {
        return new DatasetCurriculum(train, test, loss);
    }
}
