package io.isotropic.data;

import io.isotropic.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadersTest {
    @TempDir
    Path dir;

    private static byte[] idxImages(int n, int rows, int cols, int extra) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        writeInt(b, 0x00000803);
        writeInt(b, n);
        writeInt(b, rows);
        writeInt(b, cols);
        for (int i = 0; i < n * rows * cols + extra; i++) {
            b.write(i % 256);
        }
        return b.toByteArray();
    }

    private static byte[] idxLabels(int... labels) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        writeInt(b, 0x00000801);
        writeInt(b, labels.length);
        for (int l : labels) {
            b.write(l);
        }
        return b.toByteArray();
    }

    private static void writeInt(ByteArrayOutputStream b, int v) {
        b.write(v >>> 24);
        b.write(v >>> 16);
        b.write(v >>> 8);
        b.write(v);
    }

    private Path write(String name, byte[] data, boolean gzip) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream out = gzip ? new GZIPOutputStream(Files.newOutputStream(p)) : Files.newOutputStream(p)) {
            out.write(data);
        }
        return p;
    }

    @Test
    void idxRoundTripRawAndGzip() throws IOException {
        for (boolean gz : new boolean[] {false, true}) {
            Path img = write("img" + gz, idxImages(3, 2, 2, 0), gz);
            Path lab = write("lab" + gz, idxLabels(1, 0, 2), gz);
            Dataset d = IdxReader.read("t", img, lab, 3, DType.F32);
            assertEquals(3, d.size());
            assertEquals(4, d.featureCount());
            assertEquals(5.0, d.features().get(1, 1));
            assertArrayEquals(new int[] {1, 0, 2}, d.labels());
        }
    }

    @Test
    void idxWrongMagicNamesFileAndByte() throws IOException {
        Path lab = write("lab", idxLabels(1, 2), false);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxReader.readImages(lab, DType.F32));
        assertTrue(e.getMessage().contains(lab.toString()) && e.getMessage().contains("0x00000801")
                && e.getMessage().contains("byte 0"), e.getMessage());
    }

    @Test
    void idxTruncatedAndOverlongFilesAreRejected() throws IOException {
        byte[] full = idxImages(2, 3, 3, 0);
        Path cut = write("cut", java.util.Arrays.copyOf(full, full.length - 4), true);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxReader.readImages(cut, DType.F64));
        assertTrue(e.getMessage().contains("truncated at byte 30") && e.getMessage().contains("image 1"), e.getMessage());
        Path longer = write("long", idxImages(2, 3, 3, 1), false);
        e = assertThrows(DatasetFormatException.class, () -> IdxReader.readImages(longer, DType.F64));
        assertTrue(e.getMessage().contains("unexpected data after byte 34"), e.getMessage());
    }

    @Test
    void idxLabelOutOfRangeAndCountMismatch() throws IOException {
        Path lab = write("lab", idxLabels(1, 12, 0), false);
        DatasetFormatException e = assertThrows(DatasetFormatException.class, () -> IdxReader.readLabels(lab, 10));
        assertTrue(e.getMessage().contains("label 12 of record 1") && e.getMessage().contains("byte 9"), e.getMessage());
        Path img = write("img", idxImages(2, 1, 1, 0), false);
        Path lab3 = write("lab3", idxLabels(1, 1, 0), false);
        e = assertThrows(DatasetFormatException.class, () -> IdxReader.read("t", img, lab3, 10, DType.F32));
        assertTrue(e.getMessage().contains("3 labels") && e.getMessage().contains("2 images"), e.getMessage());
    }

    @Test
    void missingFileIsNamed() {
        Path nope = dir.resolve("absent.gz");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> IdxReader.readLabels(nope, 10));
        assertTrue(e.getMessage().contains("absent.gz"), e.getMessage());
    }

    @Test
    void csvParsesHeaderAndLabelColumn() throws IOException {
        Path p = write("d.csv", "a,label,b\n1,0,2\n\n3.5,1,-4\n".getBytes(StandardCharsets.UTF_8), true);
        Dataset d = CsvReader.read("c", p, 1, true, 0, DType.F64);
        assertEquals(2, d.size());
        assertEquals(2, d.classes());
        assertArrayEquals(new double[] {1, 2, 3.5, -4}, d.features().f64());
    }

    @Test
    void csvRaggedNonNumericAndBadLabelsNameLineAndColumn() throws IOException {
        Path ragged = write("r.csv", "1,2,0\n1,2\n".getBytes(StandardCharsets.UTF_8), false);
        DatasetFormatException e = assertThrows(DatasetFormatException.class,
                () -> CsvReader.read("c", ragged, -1, false, 0, DType.F64));
        assertTrue(e.getMessage().contains("line 2: 2 columns, expected 3"), e.getMessage());
        Path text = write("t.csv", "1,x,0\n".getBytes(StandardCharsets.UTF_8), false);
        e = assertThrows(DatasetFormatException.class, () -> CsvReader.read("c", text, -1, false, 0, DType.F64));
        assertTrue(e.getMessage().contains("line 1 column 2: 'x' is not a number"), e.getMessage());
        Path frac = write("f.csv", "1,2,0.5\n".getBytes(StandardCharsets.UTF_8), false);
        e = assertThrows(DatasetFormatException.class, () -> CsvReader.read("c", frac, -1, false, 0, DType.F64));
        assertTrue(e.getMessage().contains("not a non-negative integer"), e.getMessage());
        Path big = write("b.csv", "1,2,7\n".getBytes(StandardCharsets.UTF_8), false);
        e = assertThrows(DatasetFormatException.class, () -> CsvReader.read("c", big, -1, false, 5, DType.F64));
        assertTrue(e.getMessage().contains("label 7 out of range 0..4"), e.getMessage());
        Path empty = write("e.csv", "\n\n".getBytes(StandardCharsets.UTF_8), false);
        e = assertThrows(DatasetFormatException.class, () -> CsvReader.read("c", empty, -1, false, 0, DType.F64));
        assertTrue(e.getMessage().contains("no data lines"), e.getMessage());
    }

    @Test
    void shippedDigitsAreComplete() {
        Dataset d = Datasets.digits(DType.F32);
        assertEquals(1797, d.size());
        assertEquals(64, d.featureCount());
        assertEquals(10, d.classes());
        int[] counts = new int[10];
        for (int y : d.labels()) {
            counts[y]++;
        }
        for (int c : counts) {
            assertTrue(c >= 170 && c <= 190, "class sizes of the UCI digits test set are 174..183");
        }
        assertEquals(16.0, d.features().maxAbs());
    }

    @Test
    void standardiserUsesTrainingStatisticsAndGuardsConstantFeatures() {
        Dataset d = Dataset.of("s", io.isotropic.tensor.Tensor.of(new double[] {1, 5, 3, 5}, 2, 2), new int[] {0, 1}, 2);
        Standardiser s = d.fitStandardiser();
        assertArrayEquals(new double[] {2, 5}, s.mean(), 0);
        assertArrayEquals(new double[] {1, 1}, s.invStd(), 0); // std 1, and std 0 -> 1
        assertArrayEquals(new double[] {-1, 0, 1, 0}, d.standardise(s).features().f64(), 0);
    }

    @Test
    void splitIsSeededAndDisjoint() {
        Dataset d = Datasets.digits(DType.F32);
        Dataset.Split a = d.split(0.2, 5);
        Dataset.Split b = d.split(0.2, 5);
        assertEquals(359, a.test().size());
        assertEquals(1438, a.train().size());
        assertTrue(a.test().features().contentEquals(b.test().features()));
        assertThrows(IllegalArgumentException.class, () -> d.split(1.0, 1));
    }

    @Test
    void fashionMnistMissingDirectorySaysHowToInstall() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> Datasets.fashionMnist(dir.resolve("none"), true, DType.F32));
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
    }
}
