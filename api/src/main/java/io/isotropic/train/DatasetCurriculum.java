package io.isotropic.train;

import io.isotropic.data.Dataset;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.tensor.Seeds;
import io.isotropic.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;

/** {@link Curriculum#of}: one data set, shuffled per epoch, the last batch of an epoch possibly smaller. */
final class DatasetCurriculum implements Curriculum {
    private final Dataset train;
    private final Dataset test;
    private final Loss loss;
    private final Objective objective;

    DatasetCurriculum(Dataset train, Dataset test, Loss loss) {
        this.train = Objects.requireNonNull(train, "Curriculum.of: train is null");
        this.test = test;
        this.loss = Objects.requireNonNull(loss, "Curriculum.of: loss is null");
        this.objective = Objective.of(loss);
        if (train.size() == 0) {
            throw new IllegalArgumentException("Curriculum.of: the training set " + train.name() + " is empty");
        }
    }

    @Override
    public void check(String op, IsotropicMlp net) {
        Trainer.checkCompatible(op + " (train)", net, train);
        if (test != null) {
            Trainer.checkCompatible(op + " (test)", net, test);
        }
    }

    @Override
    public Objective objective() {
        return objective;
    }

    @Override
    public List<String> groupNames() {
        return List.of(train.name());
    }

    @Override
    public Iterator<Batch> batches(int epoch, long seed, int batchSize, IsotropicMlp net) {
        // each epoch's order depends only on (seed, epoch): a resumed run shuffles as an uninterrupted one
        int[] perm = Dataset.permutation(train.size(), new SplittableRandom(Seeds.mix(seed, epoch)));
        return new Iterator<>() {
            private int start;

            @Override
            public boolean hasNext() {
                return start < perm.length;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("no more batches in epoch " + epoch);
                }
                int n = Math.min(batchSize, perm.length - start);
                int[] idx = Arrays.copyOfRange(perm, start, start + n);
                start += n;
                Tensor x = Tensor.zeros(train.dtype(), n, train.featureCount());
                int[] y = new int[n];
                train.gather(idx, x, y);
                return new Batch(x, y, null);
            }
        };
    }

    @Override
    public List<Evaluation> evaluate(IsotropicMlp net, int batchSize) {
        List<Evaluation> out = new ArrayList<>(1);
        out.add(test == null ? null : Evaluation.of(net, test, batchSize, loss));
        return out;
    }
}
