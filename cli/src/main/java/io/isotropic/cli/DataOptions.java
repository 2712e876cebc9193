package io.isotropic.cli;

import io.isotropic.data.CsvReader;
import io.isotropic.data.Dataset;
import io.isotropic.data.Datasets;
import io.isotropic.data.IdxReader;
import io.isotropic.data.Standardiser;
import io.isotropic.tensor.DType;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Where training and test data come from, shared by the commands that read data. */
final class DataOptions {
    @Option(names = "--dataset", paramLabel = "NAME|PATH", defaultValue = "digits",
            description = "digits (shipped, default), fashion-mnist (Debian package dataset-fashion-mnist), a CSV "
                    + "file (label in the last column) or a directory of MNIST-style IDX files.")
    String dataset;

    @Option(names = "--test-data", paramLabel = "PATH",
            description = "Held-out CSV file or IDX directory; without it, CSV data and digits are split.")
    Path testData;

    @Option(names = "--test-fraction", defaultValue = "0.2", paramLabel = "F",
            description = "Fraction held out when splitting (default ${DEFAULT-VALUE}).")
    double testFraction;

    @Option(names = "--split-seed", defaultValue = "2026", paramLabel = "SEED",
            description = "Seed of the train/test split (default ${DEFAULT-VALUE}).")
    long splitSeed;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N training samples.")
    Integer limit;

    @Option(names = "--classes", paramLabel = "K", defaultValue = "0",
            description = "Number of classes of CSV data (default: largest label + 1).")
    int classes;

    @Option(names = "--no-standardise", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Standardise each feature with training-set statistics (default on).")
    boolean standardise;

    /** Training and test data after splitting and standardisation, plus the statistics used. */
    record Loaded(Dataset train, Dataset test, Standardiser standardiser) {
    }

    Loaded load(DType dtype) throws IOException {
        return load(dtype, null);
    }

    /** The data options, as given on a command line. */
    static final java.util.List<String> NAMES = java.util.List.of("--dataset", "--test-data", "--test-fraction",
            "--split-seed", "--limit", "--classes", "--no-standardise", "--standardise");

    /**
     * Loads the data for a saved model: standardised with exactly the model's statistics, or not at all when the
     * model has none (so the network sees what it was trained on). --[no-]standardise is rejected: the model decides.
     */
    Loaded loadForModel(picocli.CommandLine.Model.CommandSpec spec, DType dtype, Standardiser modelStatistics,
                        int inputs) throws IOException {
        for (String o : new String[] {"--no-standardise", "--standardise"}) {
            Usage.reject(spec, o, "does not apply to '" + spec.name() + "': the model's own standardisation (or none) "
                    + "is applied to the data");
        }
        boolean saved = standardise;
        standardise = false;
        Loaded d;
        try {
            d = load(dtype, modelStatistics);
        } finally {
            standardise = saved;
        }
        if (d.train().featureCount() != inputs) {
            throw new IllegalArgumentException("the model expects " + inputs + " features but " + dataset + " has "
                    + d.train().featureCount());
        }
        return d;
    }

    /**
     * Loads, splits and standardises the data; with {@code fixed} statistics (a saved model's) instead of the
     * training part's.
     */
    Loaded load(DType dtype, Standardiser fixed) throws IOException {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("--test-fraction must be in (0, 1), got " + testFraction);
        }
        if (limit != null && limit < 1) {
            throw new IllegalArgumentException("--limit must be >= 1, got " + limit);
        }
        if (classes < 0 || classes > CsvReader.MAX_CLASSES) {
            throw new IllegalArgumentException("--classes must be between 1 and " + CsvReader.MAX_CLASSES + ", got "
                    + classes);
        }
        Dataset train;
        Dataset test;
        String key = dataset.toLowerCase(Locale.ROOT);
        boolean builtIn = key.equals("digits") || key.equals("fashion-mnist") || key.equals("fashion_mnist")
                || key.equals("fmnist");
        if (builtIn && classes != 0) {
            throw new IllegalArgumentException("--classes applies to CSV and IDX data; " + dataset + " has 10 classes");
        }
        if (builtIn && testData != null) {
            throw new IllegalArgumentException("--test-data applies to CSV and IDX data; " + dataset + " has its own "
                    + "test part");
        }
        if (key.equals("digits")) {
            Dataset.Split s = Datasets.digits(dtype).split(testFraction, splitSeed);
            train = s.train();
            test = s.test();
        } else if (key.equals("fashion-mnist") || key.equals("fashion_mnist") || key.equals("fmnist")) {
            train = Datasets.fashionMnist(Datasets.FASHION_MNIST_DIR, true, dtype);
            test = Datasets.fashionMnist(Datasets.FASHION_MNIST_DIR, false, dtype);
        } else {
            Path p = Path.of(dataset);
            if (!Files.exists(p)) {
                throw new IllegalArgumentException("--dataset " + dataset + ": unknown name and no such file; use digits,"
                        + " fashion-mnist, a CSV file or a directory of IDX files");
            }
            train = read(p, true, dtype);
            if (testData != null) {
                test = read(testData, false, dtype);
            } else if (Files.isDirectory(p)) {
                test = read(p, false, dtype);
            } else {
                Dataset.Split s = train.split(testFraction, splitSeed);
                train = s.train();
                test = s.test();
            }
        }
        if (limit != null) {
            train = train.head(limit);
        }
        if (train.featureCount() != test.featureCount() || train.classes() != test.classes()) {
            throw new IllegalArgumentException("training data " + train + " and test data " + test
                    + " differ in features or classes");
        }
        Standardiser std = null;
        if (fixed != null) {
            if (fixed.mean().length != train.featureCount()) {
                throw new IllegalArgumentException("the model expects " + fixed.mean().length + " features but "
                        + dataset + " has " + train.featureCount());
            }
            std = fixed;
            train = train.standardise(std);
            test = test.standardise(std);
        } else if (standardise) {
            std = train.fitStandardiser();
            train = train.standardise(std);
            test = test.standardise(std);
        }
        return new Loaded(train, test, std);
    }

    private Dataset read(Path p, boolean trainPart, DType dtype) throws IOException {
        if (Files.isDirectory(p)) {
            String prefix = trainPart ? "train" : "t10k";
            Path img = firstExisting(p, prefix + "-images-idx3-ubyte");
            Path lab = firstExisting(p, prefix + "-labels-idx1-ubyte");
            int k = classes > 0 ? classes : 10;
            return IdxReader.read(p.getFileName() + "-" + prefix, img, lab, k, dtype);
        }
        return CsvReader.read(p.getFileName().toString(), p, -1, false, classes, dtype);
    }

    private static Path firstExisting(Path dir, String stem) {
        for (String suffix : new String[] {".gz", ""}) {
            Path c = dir.resolve(stem + suffix);
            if (Files.exists(c)) {
                return c;
            }
        }
        return dir.resolve(stem + ".gz"); // reported as missing by the reader
    }
}
