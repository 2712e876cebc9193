package io.isotropic.data;

import io.isotropic.tensor.DType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The data sets the project knows by name: the shipped UCI digits and Fashion-MNIST from its Debian package. */
public final class Datasets {
    /** Where Debian's {@code dataset-fashion-mnist} package installs the IDX files. */
    public static final Path FASHION_MNIST_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    private Datasets() {
    }

    /**
     * The UCI optical-digits data shipped with the project (1,797 samples, 8x8 pixels 0..16, 10 classes;
     * CC BY 4.0, E. Alpaydin and C. Kaynak).
     *
     * @param dtype feature dtype
     * @return the data set (unstandardised)
     * @throws IllegalStateException if the resource is missing from the jar (a broken build)
     */
    public static Dataset digits(DType dtype) {
        try (InputStream in = Datasets.class.getResourceAsStream("/io/isotropic/data/digits.csv.gz")) {
            if (in == null) {
                throw new IllegalStateException("Datasets.digits: resource io/isotropic/data/digits.csv.gz is missing");
            }
            return CsvReader.parse("digits", "digits.csv.gz (shipped)", in, -1, false, 10, dtype);
        } catch (IOException e) {
            throw new IllegalStateException("Datasets.digits: the shipped resource is unreadable: " + e.getMessage(), e);
        }
    }

    /**
     * Fashion-MNIST (Zalando, MIT licence) from a directory of the four standard IDX files.
     *
     * @param dir the directory, usually {@link #FASHION_MNIST_DIR}
     * @param train true for the 60,000 training images, false for the 10,000 test images
     * @param dtype feature dtype
     * @return the data set, features {@code [N, 784]} with pixel values 0..255
     * @throws NoSuchFileException if the files are absent, with instructions to install them
     * @throws DatasetFormatException if a file is malformed
     * @throws IOException for other read errors
     */
    public static Dataset fashionMnist(Path dir, boolean train, DType dtype) throws IOException {
        String prefix = train ? "train" : "t10k";
        Path images = dir.resolve(prefix + "-images-idx3-ubyte.gz");
        Path labels = dir.resolve(prefix + "-labels-idx1-ubyte.gz");
        if (!Files.exists(images) || !Files.exists(labels)) {
            throw new NoSuchFileException(images.toString(), labels.toString(),
                    "Fashion-MNIST not found in " + dir + "; install it with 'apt-get install dataset-fashion-mnist' "
                            + "or pass the directory that holds the four IDX files");
        }
        return IdxReader.read("fashion-mnist-" + prefix, images, labels, 10, dtype);
    }
}
