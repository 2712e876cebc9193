package io.isotropic.cli.experiments;

import io.isotropic.data.Dataset;
import io.isotropic.data.Datasets;
import io.isotropic.data.Standardiser;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What every experiment needs: the backend, dtype, output directory, scale (quick or full), a log, and the data
 * sets (loaded once, standardised with training statistics).
 *
 * @param backend the compute backend
 * @param dtype parameter dtype
 * @param out the experiment's output directory
 * @param quick true for the seconds-long smoke scale
 * @param log progress output
 * @param fashionLimit training samples of Fashion-MNIST to use (0 = all)
 * @param backendName the backend's name, for the per-run backends of {@link Runs}
 * @param workers parallel runs in {@link Runs}, {@code >= 1}
 * @param repeatsOverride repeats per cell asked for on the command line, or 0 for each experiment's own default
 */
record ExperimentContext(Backend backend, DType dtype, Path out, boolean quick, PrintWriter log, int fashionLimit,
                         String backendName, int workers, int repeatsOverride) {

    /** The repeats per cell: the command line's, else the experiment's default {@code dflt}. */
    int repeats(int dflt) {
        return repeatsOverride > 0 ? repeatsOverride : dflt;
    }

    /** Backend threads of each run of {@link Runs}: the cores shared out over the workers, at least 1. */
    int threadsPerRun() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / workers);
    }

    /** A new backend of the experiment's kind with the given threads, for one run; the caller closes it. */
    Backend newBackend(int threads) {
        return io.isotropic.Backends.create(backendName, io.isotropic.spi.BackendOptions.withThreads(threads));
    }

    /** Standardised train/test parts. */
    record Data(String name, Dataset train, Dataset test) {
    }

    Data digits() {
        Dataset.Split s = Datasets.digits(dtype).split(0.2, 2026);
        Standardiser st = s.train().fitStandardiser();
        return new Data("digits", s.train().standardise(st), s.test().standardise(st));
    }

    /** Fashion-MNIST if installed (first {@code fashionLimit} training images), else null. */
    Data fashion() throws IOException {
        if (!Files.exists(Datasets.FASHION_MNIST_DIR.resolve("train-images-idx3-ubyte.gz"))) {
            log.println("  Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist); using digits only");
            return null;
        }
        Dataset train = Datasets.fashionMnist(Datasets.FASHION_MNIST_DIR, true, dtype);
        Dataset test = Datasets.fashionMnist(Datasets.FASHION_MNIST_DIR, false, dtype);
        if (fashionLimit > 0) {
            train = train.head(fashionLimit);
            test = test.head(Math.max(1000, fashionLimit / 5));
        }
        Standardiser st = train.fitStandardiser();
        return new Data("fashion-mnist", train.standardise(st), test.standardise(st));
    }

    /** The data of the single-data experiments: digits at the quick scale, else Fashion-MNIST (digits if absent). */
    Data primary() throws IOException {
        Data d = quick ? null : fashion();
        return d != null ? d : digits();
    }

    Path dir(String name) throws IOException {
        Path d = out.resolve(name);
        Files.createDirectories(d);
        return d;
    }
}
