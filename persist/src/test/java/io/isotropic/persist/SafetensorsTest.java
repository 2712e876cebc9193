package io.isotropic.persist;

import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SafetensorsTest {
    @TempDir
    Path dir;

    @Test
    void roundTripIsBitExactAndHeaderIsAligned() throws IOException {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("a", Tensor.of(new float[] {1.5f, -0f, Float.MIN_VALUE, 3}, 2, 2));
        t.put("b", Tensor.of(new double[] {Math.PI, -1e-300}, 2));
        t.put("empty", Tensor.zeros(DType.F32, 0, 3));
        Path f = dir.resolve("x.safetensors");
        Safetensors.write(f, t, Map.of("k", "v"));
        byte[] raw = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "header padded to 8 bytes");
        Safetensors.Contents c = Safetensors.read(f);
        assertEquals("v", c.metadata().get("k"));
        for (String k : t.keySet()) {
            assertTrue(t.get(k).contentEquals(c.tensors().get(k)), k);
        }
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary files left behind");
        }
    }

    @Test
    void truncatedAndCorruptFilesAreRejectedWithTheFileName() throws IOException {
        Path f = dir.resolve("m.safetensors");
        Safetensors.write(f, Map.of("w", Tensor.zeros(DType.F64, 4, 4)), Map.of());
        byte[] good = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, java.util.Arrays.copyOf(good, good.length - 9));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Safetensors.read(cut));
        assertTrue(e.getMessage().contains("cut.safetensors") && e.getMessage().contains("truncated"), e.getMessage());
        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[] {1, 2, 3});
        assertThrows(ModelFormatException.class, () -> Safetensors.read(tiny));
        Path bogus = dir.resolve("bogus.safetensors");
        byte[] b = good.clone();
        b[7] = 0x7f; // absurd header length
        Files.write(bogus, b);
        e = assertThrows(ModelFormatException.class, () -> Safetensors.read(bogus));
        assertTrue(e.getMessage().contains("header length"), e.getMessage());
    }

    @Test
    void inconsistentOffsetsAndUnsupportedDtypesAreRejected() throws IOException {
        assertThrows(ModelFormatException.class, () -> Safetensors.read(handMade(
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8)));
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> Safetensors.read(handMade(
                "{\"a\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}", 4)));
        assertTrue(e.getMessage().contains("BF16"), e.getMessage());
        e = assertThrows(ModelFormatException.class, () -> Safetensors.read(handMade(
                "{\"a\":{\"dtype\":\"F64\",\"shape\":[3],\"data_offsets\":[0,16]}}", 16)));
        assertTrue(e.getMessage().contains("do not hold its 24 bytes"), e.getMessage());
        e = assertThrows(ModelFormatException.class, () -> Safetensors.read(handMade("{not json", 0)));
        assertTrue(e.getMessage().contains("not exactly one JSON object"), e.getMessage());
    }

    private Path handMade(String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path f = Files.createTempFile(dir, "hand", ".safetensors");
        Files.write(f, b.array());
        return f;
    }
}
