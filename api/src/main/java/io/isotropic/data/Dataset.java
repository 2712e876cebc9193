package io.isotropic.data;

import io.isotropic.tensor.DType;
import io.isotropic.tensor.ShapeMismatchException;
import io.isotropic.tensor.Tensor;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A labelled classification data set: features {@code [N, d]} (finite, F32 or F64) and one integer label per row
 * in {@code [0, classes)}. Immutable by convention: methods return new data sets.
 */
public final class Dataset {
    private final String name;
    private final Tensor features;
    private final int[] labels;
    private final int classes;

    private Dataset(String name, Tensor features, int[] labels, int classes) {
        this.name = name;
        this.features = features;
        this.labels = labels;
        this.classes = classes;
    }

    /**
     * Creates a data set, validating it.
     *
     * @param name a short name for messages and reports
     * @param features {@code [N, d]}, finite (not copied)
     * @param labels N labels (copied)
     * @param classes number of classes, {@code >= 1}
     * @return the data set
     * @throws ShapeMismatchException if features is not a matrix or the label count differs
     * @throws IllegalArgumentException if a label is out of range or classes is below 1
     * @throws io.isotropic.tensor.NonFiniteValueException if a feature is NaN or infinite
     */
    public static Dataset of(String name, Tensor features, int[] labels, int classes) {
        Objects.requireNonNull(features, "Dataset: features is null");
        Objects.requireNonNull(labels, "Dataset: labels is null");
        if (features.rank() != 2 || features.rows() != labels.length) {
            throw new ShapeMismatchException("Dataset " + name + ": features are " + features.shape() + " but there are "
                    + labels.length + " labels; need [N, d] with N labels");
        }
        if (classes < 1) {
            throw new IllegalArgumentException("Dataset " + name + ": classes must be >= 1, got " + classes);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException("Dataset " + name + ": label " + labels[i] + " of sample " + i
                        + " out of range 0.." + (classes - 1));
            }
        }
        features.requireFinite("Dataset " + name, "features");
        return new Dataset(name, features, labels.clone(), classes);
    }

    /**
     * The name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Number of samples N.
     *
     * @return N
     */
    public int size() {
        return labels.length;
    }

    /**
     * Number of features d.
     *
     * @return d
     */
    public int featureCount() {
        return features.cols();
    }

    /**
     * Number of classes.
     *
     * @return the count
     */
    public int classes() {
        return classes;
    }

    /**
     * Element type of the features.
     *
     * @return the dtype
     */
    public DType dtype() {
        return features.dtype();
    }

    /**
     * The feature matrix (live; do not modify).
     *
     * @return {@code [N, d]}
     */
    public Tensor features() {
        return features;
    }

    /**
     * Label of one sample.
     *
     * @param i the sample
     * @return its label
     * @throws IndexOutOfBoundsException if i is out of range
     */
    public int label(int i) {
        return labels[Objects.checkIndex(i, labels.length)];
    }

    /**
     * All labels.
     *
     * @return a copy
     */
    public int[] labels() {
        return labels.clone();
    }

    /**
     * Copies the given samples into a batch.
     *
     * @param indices sample indices
     * @param x output features {@code [indices.length, d]} of this data set's dtype
     * @param y output labels, length {@code indices.length}
     * @throws IndexOutOfBoundsException if an index is out of range
     * @throws ShapeMismatchException if the outputs have the wrong size
     */
    public void gather(int[] indices, Tensor x, int[] y) {
        int d = features.cols();
        if (x.rank() != 2 || x.rows() != indices.length || x.cols() != d || y.length != indices.length) {
            throw new ShapeMismatchException("Dataset.gather: batch is " + x.dtype() + " " + x.shape() + " with "
                    + y.length + " labels for " + indices.length + " indices; need " + features.dtype() + " ["
                    + indices.length + ", " + d + "]");
        }
        gatherInto(indices, x, 0, 0, y, 0);
    }

    /**
     * Copies the given samples into a block of a wider batch: sample {@code r} fills row {@code row0 + r}, columns
     * {@code col0 .. col0 + d - 1}, and label {@code y[y0 + r]} (a task's input block in a multi-task batch).
     *
     * @param indices sample indices
     * @param x the batch, of this data set's dtype, with room for the block
     * @param row0 first row of the block
     * @param col0 first column of the block
     * @param y labels of the batch
     * @param y0 where the block's labels start in {@code y}
     * @throws IndexOutOfBoundsException if an index is out of range
     * @throws ShapeMismatchException if the block does not fit in x or y, or the dtype differs
     */
    public void gatherInto(int[] indices, Tensor x, int row0, int col0, int[] y, int y0) {
        int d = features.cols();
        if (x.rank() != 2 || x.dtype() != features.dtype() || row0 < 0 || col0 < 0 || y0 < 0
                || row0 + (long) indices.length > x.rows() || col0 + (long) d > x.cols()
                || y0 + (long) indices.length > y.length) {
            throw new ShapeMismatchException("Dataset.gatherInto: a block of " + indices.length + " x " + d + " at ("
                    + row0 + ", " + col0 + ") does not fit a " + x.dtype() + " batch " + x.shape() + " with "
                    + y.length + " labels from " + y0 + "; the data set is " + features.dtype());
        }
        int w = x.cols();
        for (int r = 0; r < indices.length; r++) {
            int i = Objects.checkIndex(indices[r], labels.length);
            if (features.dtype() == DType.F64) {
                System.arraycopy(features.f64(), i * d, x.f64(), (row0 + r) * w + col0, d);
            } else {
                System.arraycopy(features.f32(), i * d, x.f32(), (row0 + r) * w + col0, d);
            }
            y[y0 + r] = labels[i];
        }
    }

    /**
     * A data set of the given samples, in that order.
     *
     * @param indices sample indices
     * @return the subset
     * @throws IndexOutOfBoundsException if an index is out of range
     */
    public Dataset subset(int[] indices) {
        Tensor x = Tensor.zeros(features.dtype(), indices.length, features.cols());
        int[] y = new int[indices.length];
        gather(indices, x, y);
        return new Dataset(name, x, y, classes);
    }

    /**
     * The first {@code n} samples (or all, if fewer).
     *
     * @param n how many, {@code >= 0}
     * @return the subset
     * @throws IllegalArgumentException if n is negative
     */
    public Dataset head(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("Dataset.head: n must be >= 0, got " + n);
        }
        int k = Math.min(n, size());
        int[] idx = new int[k];
        for (int i = 0; i < k; i++) {
            idx[i] = i;
        }
        return subset(idx);
    }

    /**
     * The same features with new labels (a derived task, e.g. the parity of a digit), sharing the feature tensor.
     *
     * @param newName the new data set's name
     * @param map the new label of each old label
     * @param newClasses number of classes of the new labels, {@code >= 1}
     * @return the relabelled data set
     * @throws IllegalArgumentException if a new label falls outside {@code [0, newClasses)}
     */
    public Dataset relabel(String newName, java.util.function.IntUnaryOperator map, int newClasses) {
        Objects.requireNonNull(map, "Dataset.relabel: map is null");
        int[] y = new int[labels.length];
        for (int i = 0; i < y.length; i++) {
            y[i] = map.applyAsInt(labels[i]);
        }
        return of(newName, features, y, newClasses);
    }

    /**
     * The same data with features converted to another dtype.
     *
     * @param dtype the target dtype
     * @return a new data set (or this one if the dtype already matches)
     */
    public Dataset to(DType dtype) {
        return dtype == features.dtype() ? this : new Dataset(name, features.to(dtype), labels, classes);
    }

    /**
     * A seeded random split into a training and a test part.
     *
     * @param testFraction fraction of samples in the test part, in (0, 1)
     * @param seed the shuffling seed
     * @return the two parts
     * @throws IllegalArgumentException if the fraction is out of range or either part would be empty
     */
    public Split split(double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("Dataset.split: test fraction must be in (0, 1), got " + testFraction);
        }
        int n = size();
        int nTest = (int) Math.round(n * testFraction);
        if (nTest == 0 || nTest == n) {
            throw new IllegalArgumentException("Dataset.split: " + n + " samples with test fraction " + testFraction
                    + " leave an empty part");
        }
        int[] perm = permutation(n, new SplittableRandom(seed));
        int[] train = java.util.Arrays.copyOfRange(perm, 0, n - nTest);
        int[] test = java.util.Arrays.copyOfRange(perm, n - nTest, n);
        return new Split(subset(train), subset(test));
    }

    /**
     * A uniformly random permutation of {@code 0 .. n-1} (Fisher-Yates).
     *
     * @param n the length
     * @param rng the random source (advanced)
     * @return the permutation
     */
    public static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /**
     * Per-feature standardisation statistics of this data set (to be computed on a training split only).
     *
     * @return the standardiser
     */
    public Standardiser fitStandardiser() {
        return Standardiser.fit(features);
    }

    /**
     * The data standardised with given statistics.
     *
     * @param s statistics (usually from the training split)
     * @return a new data set
     * @throws ShapeMismatchException if the feature counts differ
     */
    public Dataset standardise(Standardiser s) {
        return new Dataset(name, s.apply(features), labels, classes);
    }

    @Override
    public String toString() {
        return "Dataset[" + name + ", " + size() + " x " + featureCount() + ", " + classes + " classes, "
                + features.dtype() + "]";
    }

    /**
     * A training/test pair.
     *
     * @param train the training part
     * @param test the test part
     */
    public record Split(Dataset train, Dataset test) {
    }
}
