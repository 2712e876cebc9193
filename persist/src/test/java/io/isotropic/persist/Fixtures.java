package io.isotropic.persist;

import io.isotropic.Backends;
import io.isotropic.data.Dataset;
import io.isotropic.data.Datasets;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.train.Optimizer;
import io.isotropic.train.Trainer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Small trained models and raw safetensors surgery for the tests. */
final class Fixtures {
    static final OptimizerSpec SPEC = new OptimizerSpec("adamw", 3e-3, 1e-3, 0.9, "constant", 100, 0);

    private Fixtures() {
    }

    static Backend backend() {
        return Backends.get("ejml");
    }

    static Dataset data() {
        Dataset d = Datasets.digits(DType.F32).head(200);
        return d.standardise(d.fitStandardiser());
    }

    /** A 64-12-10 network trained for one epoch, with its optimiser. */
    static Object[] trained() {
        IsotropicMlp net = IsotropicMlp.builder(64, 12, 10).seed(4).build(backend());
        Optimizer opt = SPEC.build();
        Trainer.builder().epochs(1).batchSize(50).seed(1).build().fit(net, opt, data(), null);
        return new Object[] {net, opt};
    }

    static Path savedModel(Path dir) throws IOException {
        Object[] t = trained();
        Path f = dir.resolve("model.safetensors");
        ModelFile.save(f, (IsotropicMlp) t[0], data().fitStandardiser(), Map.of());
        return f;
    }

    /** The header JSON text of a file. */
    static String header(byte[] file) {
        long n = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong();
        return new String(file, 8, (int) n, StandardCharsets.UTF_8).stripTrailing();
    }

    /** A file with its header replaced by {@code edit(header)} (raw: no digest recomputed). */
    static byte[] withHeader(byte[] file, UnaryOperator<String> edit) {
        long n = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getLong();
        byte[] h = edit.apply(header(file)).getBytes(StandardCharsets.UTF_8);
        byte[] data = Arrays.copyOfRange(file, (int) (8 + n), file.length);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        return b.array();
    }

    static Path write(Path dir, String name, byte[] bytes) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, bytes);
        return f;
    }
}
