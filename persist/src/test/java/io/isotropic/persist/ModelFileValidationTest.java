package io.isotropic.persist;

import io.isotropic.nn.IsotropicMlp;
import io.isotropic.tensor.Tensor;
import io.isotropic.train.Optimizer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tester's hostile model files of issue 15: each is refused with a message naming the file and the fault. */
class ModelFileValidationTest {
    @TempDir
    Path dir;
    Path good;
    byte[] bytes;

    @BeforeEach
    void save() throws IOException {
        good = Fixtures.savedModel(dir);
        bytes = Files.readAllBytes(good);
    }

    private String refused(byte[] file, String... mentions) throws IOException {
        Path f = Fixtures.write(dir, "bad.safetensors", file);
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFile.load(f, Fixtures.backend()));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        for (String m : mentions) {
            assertTrue(e.getMessage().contains(m), "should mention '" + m + "': " + e.getMessage());
        }
        return e.getMessage();
    }

    /** Rewrites metadata and re-signs the file, so that the semantic checks (not the digest) must catch it. */
    private byte[] resigned(Map<String, String> changes) throws IOException {
        Safetensors.Contents c = Safetensors.read(good);
        Map<String, String> m = new LinkedHashMap<>(c.metadata());
        changes.forEach((k, v) -> {
            if (v == null) {
                m.remove(k);
            } else {
                m.put(k, v);
            }
        });
        Path f = dir.resolve("resigned.safetensors");
        Safetensors.write(f, c.tensors(), m);
        return Files.readAllBytes(f);
    }

    @Test
    void goodFileLoadsWithItsDigest() throws IOException {
        ModelFile.Loaded m = ModelFile.load(good, Fixtures.backend());
        assertEquals(64, m.net().widths()[0]);
        assertTrue(Safetensors.read(good).digestVerified());
    }

    @Test
    void staleWidthsAreRefused() throws IOException {
        refused(resigned(Map.of("widths", "64,13,10")), "widths 64,13,10 do not match", "64,12,10");
    }

    @Test
    void hugeWidthsInASmallFileAreRefusedAtOnce() {
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> {
            refused(resigned(Map.of("widths", "64,4000,4000,10")), "do not match");
            refused(resigned(Map.of("widths", "64,40000,40000,10")), "do not match");
            refused(resigned(Map.of("widths", "64,99999999999,10")), "99999999999", "not a width");
        });
    }

    @Test
    void badFormatVersionsAndEnumsAreSentences() throws IOException {
        refused(resigned(Map.of("format_version", "-1")), "format_version = -1");
        refused(resigned(Map.of("format_version", "x")), "format_version = 'x' is not an integer");
        String m = refused(resigned(Map.of("dtype", "F16")), "dtype = 'F16' is not supported");
        assertFalse(m.contains("No enum constant"), m);
        m = refused(resigned(Map.of("activation", "RELU")), "activation = 'RELU' is not one of");
        assertFalse(m.contains("io.isotropic"), m);
        refused(resigned(Map.of("epsilon", "NaN")), "epsilon");
    }

    @Test
    void trailingBytesOrASecondObjectAfterTheHeaderAreRefused() throws IOException {
        refused(Fixtures.withHeader(bytes, h -> h + "xyz"), "not exactly one JSON object");
        refused(Fixtures.withHeader(bytes, h -> h + "{\"a\":1}"), "not exactly one JSON object");
        refused(Fixtures.withHeader(bytes, h -> h + "\u0000\u0000"), "not exactly one JSON object");
    }

    @Test
    void nonIntegerOffsetsAndDimensionsAreRefused() throws IOException {
        refused(Fixtures.withHeader(bytes, h -> h.replaceFirst("\"data_offsets\":\\[0,", "\"data_offsets\":[0.0,")),
                "data offset 0.0");
        refused(Fixtures.withHeader(bytes, h -> h.replaceFirst("\"data_offsets\":\\[0,", "\"data_offsets\":[\"0\",")),
                "data offset \"0\"");
        refused(Fixtures.withHeader(bytes, h -> h.replaceFirst("\"shape\":\\[12,64\\]", "\"shape\":[37.5,64]")),
                "dimension 37.5");
    }

    @Test
    void intrinsicLengthThatOverflowsIsRefused() throws IOException {
        Safetensors.Contents c = Safetensors.read(good);
        Map<String, Tensor> t = new LinkedHashMap<>(c.tensors());
        t.put("activations.0.log_intrinsic_length", Tensor.of(new float[] {200f}, 1));
        Path f = dir.resolve("o.safetensors");
        Safetensors.write(f, t, c.metadata());
        refused(Files.readAllBytes(f), "log_intrinsic_length", "not finite in F32");
    }

    @Test
    void nonFiniteTensorsAreRefused() throws IOException {
        Safetensors.Contents c = Safetensors.read(good);
        Map<String, Tensor> t = new LinkedHashMap<>(c.tensors());
        Tensor w = t.get("layers.0.weight").copy();
        w.setFlat(5, Double.NaN);
        t.put("layers.0.weight", w);
        Path f = dir.resolve("nan.safetensors");
        Safetensors.write(f, t, c.metadata());
        refused(Files.readAllBytes(f), "layers.0.weight");
    }

    @Test
    void flippedDataBitsAreRefusedByTheDigestAndFilesWithoutOneStillLoad() throws IOException {
        byte[] flipped = bytes.clone();
        flipped[flipped.length - 40] ^= 0x10;
        refused(flipped, "does not match its content_sha256");
        byte[] noDigest = Fixtures.withHeader(bytes, h -> h.replaceFirst(",?\"content_sha256\":\"[0-9a-f]+\"", ""));
        Path f = Fixtures.write(dir, "other-tool.safetensors", noDigest);
        assertFalse(Safetensors.read(f).digestVerified());
        assertEquals(12, ModelFile.load(f, Fixtures.backend()).net().widths()[1]);
    }

    @Test
    void aTornModelOptimiserPairIsRefused() throws IOException {
        Object[] a = Fixtures.trained();
        Checkpoint.write(dir.resolve("a"), (IsotropicMlp) a[0], null, (Optimizer) a[1], Fixtures.SPEC, Map.of());
        IsotropicMlp other = IsotropicMlp.builder(64, 12, 10).seed(99).build(Fixtures.backend());
        ModelFile.save(dir.resolve("a/model.safetensors"), other, null, Map.of());
        ModelFile.Loaded m = ModelFile.load(dir.resolve("a/model.safetensors"), Fixtures.backend());
        ModelFormatException e = assertThrows(ModelFormatException.class,
                () -> ModelFile.loadOptimizer(dir.resolve("a/optimizer.safetensors"), m));
        assertTrue(e.getMessage().contains("belongs to another model file"), e.getMessage());
        e = assertThrows(ModelFormatException.class, () -> Checkpoint.verify(dir.resolve("a")));
        assertTrue(e.getMessage().contains("does not match the checkpoint manifest"), e.getMessage());
    }

    @Test
    void aHeaderLargerThanTheBudgetIsRefusedBeforeReading() throws IOException {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Safetensors.read(good, 100));
        assertTrue(e.getMessage().contains("of memory"), e.getMessage());
    }
}
