package io.isotropic.data;

import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST / Fashion-MNIST format), raw or gzip-compressed: unsigned-byte images with magic
 * {@code 0x00000803} ({@code N x rows x cols}) and labels with magic {@code 0x00000801} ({@code N}). Pixels are
 * returned unscaled (0..255), one flattened row per image.
 */
public final class IdxReader {
    private IdxReader() {
    }

    /**
     * Reads an image file and its label file into a data set.
     *
     * @param name the data set name
     * @param images the image file
     * @param labels the label file
     * @param classes number of classes; every label must be below it
     * @param dtype feature dtype
     * @return the data set, features {@code [N, rows * cols]}
     * @throws java.nio.file.NoSuchFileException if a file is missing
     * @throws DatasetFormatException for a wrong magic number, a truncated or over-long file, differing counts or
     *         an out-of-range label (the message names the file and the position)
     * @throws IOException for other read errors
     */
    public static Dataset read(String name, Path images, Path labels, int classes, DType dtype) throws IOException {
        Tensor x = readImages(images, dtype);
        int[] y = readLabels(labels, classes);
        if (y.length != x.rows()) {
            throw new DatasetFormatException(labels + ": holds " + y.length + " labels but " + images + " holds "
                    + x.rows() + " images");
        }
        return Dataset.of(name, x, y, classes);
    }

    /**
     * Reads an IDX image file.
     *
     * @param file the file
     * @param dtype the dtype of the result
     * @return {@code [N, rows * cols]} with values 0..255
     * @throws DatasetFormatException if the file is not a well-formed unsigned-byte 3-d IDX file
     * @throws IOException for read errors
     */
    public static Tensor readImages(Path file, DType dtype) throws IOException {
        try (InputStream in = Sources.open(file)) {
            int magic = readInt(in, file, 0);
            if (magic != 0x00000803) {
                throw new DatasetFormatException(file + ": bad magic number 0x" + String.format("%08x", magic)
                        + " at byte 0; an IDX image file starts with 0x00000803 (unsigned bytes, 3 dimensions)");
            }
            int n = readInt(in, file, 4);
            int rows = readInt(in, file, 8);
            int cols = readInt(in, file, 12);
            if (n < 0 || rows <= 0 || cols <= 0 || (long) n * rows * cols > Integer.MAX_VALUE - 8) {
                throw new DatasetFormatException(file + ": implausible dimensions " + n + " x " + rows + " x " + cols
                        + " in the header (bytes 4..15)");
            }
            int d = rows * cols;
            Tensor x = Tensor.zeros(dtype, n, d);
            byte[] buf = new byte[d];
            for (int i = 0; i < n; i++) {
                readFully(in, buf, file, 16L + (long) i * d, "image " + i + " of " + n);
                for (int j = 0; j < d; j++) {
                    x.setFlat(i * d + j, buf[j] & 0xff);
                }
            }
            requireEnd(in, file, 16L + (long) n * d);
            return x;
        } catch (ZipException | EOFException e) {
            throw new DatasetFormatException(file + ": corrupt or truncated compressed data: " + e.getMessage());
        }
    }

    /**
     * Reads an IDX label file.
     *
     * @param file the file
     * @param classes number of classes; every label must be below it
     * @return the labels
     * @throws DatasetFormatException if the file is not a well-formed 1-d IDX label file or a label is out of range
     * @throws IOException for read errors
     */
    public static int[] readLabels(Path file, int classes) throws IOException {
        try (InputStream in = Sources.open(file)) {
            int magic = readInt(in, file, 0);
            if (magic != 0x00000801) {
                throw new DatasetFormatException(file + ": bad magic number 0x" + String.format("%08x", magic)
                        + " at byte 0; an IDX label file starts with 0x00000801 (unsigned bytes, 1 dimension)");
            }
            int n = readInt(in, file, 4);
            if (n < 0) {
                throw new DatasetFormatException(file + ": negative label count " + n + " at byte 4");
            }
            byte[] buf = new byte[n];
            readFully(in, buf, file, 8, n + " labels");
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = buf[i] & 0xff;
                if (y[i] >= classes) {
                    throw new DatasetFormatException(file + ": label " + y[i] + " of record " + i + " (byte " + (8 + i)
                            + ") out of range 0.." + (classes - 1));
                }
            }
            requireEnd(in, file, 8L + n);
            return y;
        } catch (ZipException | EOFException e) {
            throw new DatasetFormatException(file + ": corrupt or truncated compressed data: " + e.getMessage());
        }
    }

    private static int readInt(InputStream in, Path file, long offset) throws IOException {
        byte[] b = new byte[4];
        readFully(in, b, file, offset, "the header");
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    private static void readFully(InputStream in, byte[] buf, Path file, long offset, String what) throws IOException {
        int got = 0;
        while (got < buf.length) {
            int r = in.read(buf, got, buf.length - got);
            if (r < 0) {
                throw new DatasetFormatException(file + ": truncated at byte " + (offset + got) + " while reading "
                        + what + " (needed " + buf.length + " bytes from byte " + offset + ")");
            }
            got += r;
        }
    }

    private static void requireEnd(InputStream in, Path file, long expected) throws IOException {
        if (in.read() >= 0) {
            throw new DatasetFormatException(file + ": unexpected data after byte " + expected
                    + " (the header promises exactly " + expected + " bytes)");
        }
    }
}
