package io.isotropic.data;

import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
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
     * @throws IllegalArgumentException if classes is not in 1..256
     */
    public static Dataset read(String name, Path images, Path labels, int classes, DType dtype) throws IOException {
        if (classes < 1 || classes > 256) {
            throw new IllegalArgumentException("IdxReader: classes must be 1..256 (labels are bytes), got " + classes);
        }
        Tensor x = readImages(images, dtype);
        int[] y = readLabels(labels, classes);
        if (y.length != x.rows()) {
            throw new DatasetFormatException(labels + ": holds " + y.length + " labels but " + images + " holds "
                    + x.rows() + " images");
        }
        return Dataset.of(name, x, y, classes);
    }

    /**
     * Reads an IDX image file. The header's dimensions are checked before anything is allocated: against the file
     * size for an uncompressed file, and against the free memory always; compressed data are read in chunks, so a
     * header that promises more than the file holds fails as truncated without claiming the memory.
     *
     * @param file the file
     * @param dtype the dtype of the result
     * @return {@code [N, rows * cols]} with values 0..255
     * @throws DatasetFormatException if the file is not a well-formed unsigned-byte 3-d IDX file, or its header
     *         promises more data than fit in memory (the message names the size)
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
            if (n < 0 || rows <= 0 || cols <= 0 || (long) n * rows * cols > MAX_BYTES) {
                throw new DatasetFormatException(file + ": implausible dimensions " + Integer.toUnsignedString(n) + " x "
                        + Integer.toUnsignedString(rows) + " x " + Integer.toUnsignedString(cols) + " in the header "
                        + "(bytes 4..15); an IDX image file holds at most " + MAX_BYTES + " pixels here");
            }
            long total = (long) n * rows * cols;
            checkSize(file, 16, total, "images of " + rows + " x " + cols + " pixels", n, 1 + dtype.bytes(),
                    (long) rows * cols, "image");
            byte[] all = readChunked(in, file, 16, total, (long) rows * cols, "image", n);
            requireEnd(in, file, 16L + total);
            int d = rows * cols;
            Tensor x = Tensor.zeros(dtype, n, d);
            for (int i = 0; i < all.length; i++) {
                x.setFlat(i, all[i] & 0xff);
            }
            return x;
        } catch (ZipException | EOFException e) {
            throw new DatasetFormatException(file + ": corrupt or truncated compressed data: " + e.getMessage());
        }
    }

    /** The most bytes one IDX file may hold (a Java array). */
    static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    /**
     * Refuses a header whose promised data do not match an uncompressed file's size or cannot fit in memory.
     */
    private static void checkSize(Path file, long headerBytes, long dataBytes, String what, long count,
                                  int bytesPerByte, long recordBytes, String record) throws IOException {
        if (!isGzip(file)) {
            long size = Files.size(file);
            long expected = headerBytes + dataBytes;
            if (size > expected) {
                throw new DatasetFormatException(file + ": unexpected data after byte " + expected + " (the header "
                        + "promises exactly " + expected + " bytes: " + count + " " + what + ")");
            }
            if (size < expected) {
                throw new DatasetFormatException(file + ": truncated at byte " + size + " while reading " + record + " "
                        + (size - headerBytes) / recordBytes + " of " + count + " (the header promises " + expected
                        + " bytes: " + count + " " + what + ")");
            }
        }
        Runtime rt = Runtime.getRuntime();
        long free = rt.maxMemory() - (rt.totalMemory() - rt.freeMemory());
        long needed = dataBytes * bytesPerByte;
        if (needed > free) {
            throw new DatasetFormatException(file + ": the header promises " + count + " " + what + ", which need "
                    + needed / 1_000_000 + " MB of memory, but only " + free / 1_000_000 + " MB of the Java heap is "
                    + "free; give Java more memory (e.g. -Xmx8g) if the file is genuine");
        }
    }

    private static boolean isGzip(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file)) {
            return raw.read() == 0x1f && raw.read() == 0x8b;
        }
    }

    /**
     * Reads exactly {@code total} bytes in chunks, so that a truncated stream fails before the full allocation; a
     * truncation names the record it fell in.
     */
    private static byte[] readChunked(InputStream in, Path file, long offset, long total, long recordBytes,
                                      String record, long count) throws IOException {
        int chunk = 1 << 24;
        java.util.List<byte[]> parts = new java.util.ArrayList<>();
        long done = 0;
        while (done < total) {
            byte[] b = new byte[(int) Math.min(chunk, total - done)];
            int got = 0;
            while (got < b.length) {
                int r = in.read(b, got, b.length - got);
                if (r < 0) {
                    long at = done + got;
                    throw new DatasetFormatException(file + ": truncated at byte " + (offset + at) + " while reading "
                            + record + " " + at / recordBytes + " of " + count + " (needed " + recordBytes
                            + " bytes from byte " + (offset + at / recordBytes * recordBytes) + ")");
                }
                got += r;
            }
            parts.add(b);
            done += b.length;
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        byte[] all = new byte[(int) total];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    /**
     * Reads an IDX label file (its count is checked against the file size and memory before allocating).
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
            if (n < 0 || n > MAX_BYTES) {
                throw new DatasetFormatException(file + ": implausible label count " + Integer.toUnsignedString(n)
                        + " at byte 4");
            }
            checkSize(file, 8, n, "labels", n, 5, 1, "label");
            byte[] buf = readChunked(in, file, 8, n, 1, "label", n);
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = buf[i] & 0xff;
                if (y[i] >= classes) {
                    throw new DatasetFormatException(file + ": label " + y[i] + " of record " + i + " (byte " + (8 + i)
                            + ") out of range 0.." + (classes - 1) + (classes == 10 ? " (10 classes; pass --classes K"
                            + " for more)" : ""));
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
