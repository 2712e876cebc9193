package io.isotropic.persist;

import io.isotropic.data.CsvReader;
import io.isotropic.data.DatasetFormatException;
import io.isotropic.data.IdxReader;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.train.Optimizer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A seeded mutation fuzzer over the model, optimiser, IDX and CSV readers (issue 15): every input gives a result
 * or the documented exception ({@link ModelFormatException}, {@link DatasetFormatException}), never another
 * exception, a hang (each input under {@value #MAX_MILLIS} ms) or an allocation out of proportion to the input
 * ({@value #ALLOC_FACTOR} times its size plus {@value #ALLOC_SLACK_MB} MB, measured per thread). The inputs are
 * a fixed regression corpus of hand-made hostile files plus {@value #MUTANTS} mutants per reader from fixed seeds,
 * so every run tests the same inputs; set {@code -Disotropic.fuzz.mutants=N -Disotropic.fuzz.seed=S} to explore.
 * A failing input is written to {@code target/fuzz-failures/} and named in the message.
 */
class ReadersFuzzTest {
    static final int MUTANTS = Integer.getInteger("isotropic.fuzz.mutants", 600);
    static final long SEED = Long.getLong("isotropic.fuzz.seed", 2026L);
    static final long MAX_MILLIS = 3000;
    static final long ALLOC_FACTOR = 200;
    static final long ALLOC_SLACK_MB = 48;

    @TempDir
    static Path dir;
    static byte[] model;
    static byte[] optimizer;
    static IsotropicMlp net;
    static Backend backend;

    @FunctionalInterface
    interface Reader {
        void read(Path file) throws Exception;
    }

    @BeforeAll
    static void seeds() throws IOException {
        backend = Fixtures.backend();
        Object[] t = Fixtures.trained();
        net = (IsotropicMlp) t[0];
        Checkpoint.write(dir.resolve("seed"), net, Fixtures.data().fitStandardiser(), (Optimizer) t[1], Fixtures.SPEC,
                Map.of("epochs_completed", "1"));
        model = Files.readAllBytes(dir.resolve("seed/model.safetensors"));
        optimizer = Files.readAllBytes(dir.resolve("seed/optimizer.safetensors"));
    }

    static byte[] idxImages(int n, int rows, int cols) {
        ByteBuffer b = ByteBuffer.allocate(16 + n * rows * cols).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0x803).putInt(n).putInt(rows).putInt(cols);
        for (int i = 0; i < n * rows * cols; i++) {
            b.put((byte) (i * 37));
        }
        return b.array();
    }

    static byte[] idxLabels(int n) {
        ByteBuffer b = ByteBuffer.allocate(8 + n).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0x801).putInt(n);
        for (int i = 0; i < n; i++) {
            b.put((byte) (i % 10));
        }
        return b.array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }

    static byte[] header(int magic, int... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length).order(ByteOrder.BIG_ENDIAN);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.array();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------------------------------------ readers

    @Test
    void modelReader() throws Exception {
        List<byte[]> corpus = new ArrayList<>(List.of(model));
        String h = Fixtures.header(model);
        for (String[] r : new String[][] {{"\"format_version\":\"1\"", "\"format_version\":\"-1\""},
            {"\"widths\":\"64,12,10\"", "\"widths\":\"64,4000,4000,10\""},
            {"\"widths\":\"64,12,10\"", "\"widths\":\"64,40000,40000,10\""},
            {"\"widths\":\"64,12,10\"", "\"widths\":\"64,99999999999,10\""},
            {"\"dtype\":\"F32\"", "\"dtype\":\"F16\""}, {"[12,64]", "[37.5,64]"}, {"[12,64]", "[2147483647,64]"},
            {"[12,64]", "[1e300,64]"}, {"\"data_offsets\":[0,", "\"data_offsets\":[\"0\","},
            {"\"data_offsets\":[0,", "\"data_offsets\":[0.5,"}, {"\"data_offsets\":[0,", "\"data_offsets\":[-8,"}}) {
            corpus.add(Fixtures.withHeader(model, x -> x.replace(r[0], r[1])));
        }
        corpus.add(Fixtures.withHeader(model, x -> x + "{}"));
        corpus.add(Fixtures.withHeader(model, x -> x + "garbage"));
        corpus.add(Fixtures.withHeader(model, x -> "[" + x + "]"));
        corpus.add(Fixtures.withHeader(model, x -> "{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}"));
        corpus.add(Fixtures.withHeader(model, x -> x.substring(0, x.length() - 1) + ",\"__metadata__\":{}}"));
        corpus.add(lengthField(model, Long.MAX_VALUE));
        corpus.add(lengthField(model, -1));
        corpus.add(lengthField(model, 100L << 20));
        corpus.add(java.util.Arrays.copyOf(model, model.length + 1000));
        corpus.add(java.util.Arrays.copyOf(model, model.length / 2));
        corpus.add(new byte[0]);
        corpus.add(new byte[8]);
        fuzz("model", model, corpus, f -> ModelFile.load(f, backend), ModelFormatException.class);
        // as written by another tool (no digest): the mutants reach the structural and semantic checks
        byte[] plain = Fixtures.withHeader(model, x -> x.replaceFirst(",?\"content_sha256\":\"[0-9a-f]+\"", ""));
        fuzz("model-without-digest", plain, List.of(), f -> ModelFile.load(f, backend), ModelFormatException.class);
    }

    @Test
    void optimizerReader() throws Exception {
        List<byte[]> corpus = new ArrayList<>(List.of(optimizer));
        for (String[] r : new String[][] {{"\"steps\":\"4\"", "\"steps\":\"-4\""}, {"\"lr\":\"0.003\"", "\"lr\":\"NaN\""},
            {"\"optimizer\":\"adamw\"", "\"optimizer\":\"sgd\""}, {"\"steps\":\"4\"", "\"steps\":\"99999999999999999999\""}}) {
            corpus.add(Fixtures.withHeader(optimizer, x -> x.replace(r[0], r[1])));
        }
        fuzz("optimizer", optimizer, corpus, f -> ModelFile.loadOptimizer(f, net), ModelFormatException.class);
        byte[] plain = Fixtures.withHeader(optimizer, x -> x.replaceFirst(",?\"content_sha256\":\"[0-9a-f]+\"", ""));
        fuzz("optimizer-without-digest", plain, List.of(), f -> ModelFile.loadOptimizer(f, net),
                ModelFormatException.class);
    }

    @Test
    void idxImageReader() throws Exception {
        byte[] raw = idxImages(12, 4, 5);
        List<byte[]> corpus = new ArrayList<>(List.of(raw, gzip(raw)));
        corpus.add(header(0x803, 2_000_000_000 / 784, 28, 28)); // 2e9 pixels promised, none there
        corpus.add(gzip(header(0x803, 2_000_000_000 / 784, 28, 28)));
        corpus.add(header(0x803, -1, 28, 28));
        corpus.add(header(0x803, 65536, 65536, 1));
        corpus.add(gzip(new byte[1000]));
        fuzz("idx-images", raw, corpus, f -> IdxReader.readImages(f, DType.F32), DatasetFormatException.class);
        fuzz("idx-images-gz", gzip(raw), List.of(), f -> IdxReader.readImages(f, DType.F64),
                DatasetFormatException.class);
    }

    @Test
    void idxLabelReader() throws Exception {
        byte[] raw = idxLabels(30);
        List<byte[]> corpus = new ArrayList<>(List.of(raw, gzip(raw)));
        corpus.add(header(0x801, Integer.MAX_VALUE));
        corpus.add(gzip(header(0x801, Integer.MAX_VALUE - 9)));
        fuzz("idx-labels", raw, corpus, f -> IdxReader.readLabels(f, 10), DatasetFormatException.class);
        fuzz("idx-labels-gz", gzip(raw), List.of(), f -> IdxReader.readLabels(f, 10), DatasetFormatException.class);
    }

    @Test
    void csvReader() throws Exception {
        byte[] csv = utf8("1,2,3.5,0\n4,5,6,1\n\n7,8e2,-9,2\n0.1,0.2,0.3,1\n");
        List<byte[]> corpus = new ArrayList<>(List.of(csv, gzip(csv)));
        corpus.add(utf8("1,2,30000000\n3,4,7\n")); // an id column where the label should be
        corpus.add(utf8("1,2,2147483647\n"));
        corpus.add(utf8("1,2,99999999999\n"));
        corpus.add(utf8("1,NaN,1\n"));
        corpus.add(utf8("1,2,1.5\n"));
        corpus.add(utf8("x,y,label\n1,2,0\n"));
        corpus.add(utf8(",".repeat(100_000) + "\n"));
        corpus.add(utf8("1e400,2,0\n"));
        fuzz("csv", csv, corpus, f -> CsvReader.read("fuzz", f, -1, false, 0, DType.F32),
                DatasetFormatException.class);
        fuzz("csv-gz", gzip(csv), List.of(), f -> CsvReader.read("fuzz", f, -1, false, 0, DType.F32),
                DatasetFormatException.class);
    }

    private static byte[] lengthField(byte[] file, long n) {
        byte[] b = file.clone();
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(0, n);
        return b;
    }

    // ------------------------------------------------------------------------------------------------ engine

    private static void fuzz(String name, byte[] seed, List<byte[]> corpus, Reader reader,
                             Class<? extends Exception> documented) throws Exception {
        SplittableRandom rng = new SplittableRandom(SEED ^ name.hashCode());
        List<byte[]> inputs = new ArrayList<>(corpus);
        for (int i = 0; i < MUTANTS; i++) {
            byte[] base = i % 3 == 2 && !inputs.isEmpty() ? inputs.get(rng.nextInt(inputs.size())) : seed;
            inputs.add(mutate(base, rng));
        }
        java.util.function.LongSupplier allocatedBytes = allocationCounter();
        Path f = dir.resolve(name + ".input");
        int accepted = 0;
        for (int i = 0; i < inputs.size(); i++) {
            byte[] in = inputs.get(i);
            Files.write(f, in);
            long a0 = allocatedBytes.getAsLong();
            long t0 = System.nanoTime();
            try {
                reader.read(f);
                accepted++;
            } catch (Exception e) {
                if (!documented.isInstance(e)) {
                    failWith(name, i, in, "threw " + e, e);
                }
            } catch (Throwable e) {
                failWith(name, i, in, "threw " + e, e);
            }
            long millis = (System.nanoTime() - t0) / 1_000_000;
            long allocated = allocatedBytes.getAsLong() - a0;
            if (millis > MAX_MILLIS) {
                failWith(name, i, in, "took " + millis + " ms", null);
            }
            if (allocated > ALLOC_FACTOR * in.length + (ALLOC_SLACK_MB << 20)) {
                failWith(name, i, in, "allocated " + allocated + " bytes for a " + in.length + "-byte input", null);
            }
        }
        System.out.printf("ReadersFuzzTest %s: %d inputs (%d corpus, %d mutants), %d accepted%n", name, inputs.size(),
                corpus.size(), MUTANTS, accepted);
    }

    /** This thread's allocated bytes (HotSpot's ThreadMXBean; the tests run on the class path, so reflection). */
    private static java.util.function.LongSupplier allocationCounter() throws ReflectiveOperationException {
        Object mx = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        java.lang.reflect.Method m = Class.forName("com.sun.management.ThreadMXBean")
                .getMethod("getCurrentThreadAllocatedBytes");
        return () -> {
            try {
                return (Long) m.invoke(mx);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    private static void failWith(String name, int i, byte[] in, String what, Throwable cause) throws IOException {
        Path out = Path.of("target", "fuzz-failures");
        Files.createDirectories(out);
        Path saved = out.resolve(name + "-" + SEED + "-" + i + ".bin");
        Files.write(saved, in);
        fail(name + " input " + i + " (seed " + SEED + ", saved as " + saved + ") " + what, cause);
    }

    /** One to four mutations: bit flips, interesting bytes, cuts, insertions, duplicated blocks, digit edits. */
    static byte[] mutate(byte[] base, SplittableRandom rng) {
        byte[] b = base.clone();
        int rounds = 1 + rng.nextInt(4);
        for (int r = 0; r < rounds; r++) {
            if (b.length == 0) {
                b = new byte[] {(byte) rng.nextInt(256)};
                continue;
            }
            int at = rng.nextInt(b.length);
            switch (rng.nextInt(8)) {
                case 0 -> b[at] ^= (byte) (1 << rng.nextInt(8));
                case 1 -> b[at] = new byte[] {0, -1, 0x7f, (byte) 0x80, '"', '{', '}', ',', '-', '.', '9', 'e'}
                        [rng.nextInt(12)];
                case 2 -> b = java.util.Arrays.copyOf(b, rng.nextInt(b.length + 1));
                case 3 -> {
                    int len = 1 + rng.nextInt(16);
                    byte[] ins = new byte[len];
                    for (int k = 0; k < len; k++) {
                        ins[k] = (byte) rng.nextInt(256);
                    }
                    b = splice(b, at, ins, 0);
                }
                case 4 -> {
                    int from = rng.nextInt(b.length);
                    int len = Math.min(b.length - from, 1 + rng.nextInt(64));
                    b = splice(b, at, java.util.Arrays.copyOfRange(b, from, from + len), 0);
                }
                case 5 -> b = splice(b, at, new byte[0], Math.min(b.length - at, 1 + rng.nextInt(16)));
                case 6 -> { // a digit in the header region becomes a long run of digits
                    int lim = Math.min(b.length, 600);
                    int pos = rng.nextInt(lim);
                    for (int k = 0; k < lim && !(b[pos] >= '0' && b[pos] <= '9'); k++) {
                        pos = (pos + 1) % lim;
                    }
                    b = splice(b, pos, "9".repeat(1 + rng.nextInt(20)).getBytes(StandardCharsets.US_ASCII), 0);
                }
                default -> { // header-length field of safetensors, or an IDX dimension
                    int field = rng.nextInt(Math.max(1, Math.min(4, b.length / 4)));
                    if (b.length >= 4 * (field + 1)) {
                        int v = rng.nextBoolean() ? rng.nextInt() : rng.nextInt(1 << (1 + rng.nextInt(30)));
                        ByteBuffer.wrap(b).putInt(4 * field, v);
                    }
                }
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int at, byte[] ins, int remove) {
        byte[] out = new byte[b.length - remove + ins.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(ins, 0, out, at, ins.length);
        System.arraycopy(b, at + remove, out, at + ins.length, b.length - at - remove);
        return out;
    }
}
