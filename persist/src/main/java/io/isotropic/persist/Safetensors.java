package io.isotropic.persist;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format (the PyTorch ecosystem's tensor file): an 8-byte little-endian header length, a JSON
 * header mapping each tensor name to {@code dtype}, {@code shape} and {@code data_offsets} (plus an optional
 * string-to-string {@code __metadata__}), then the little-endian row-major data. F32 and F64 tensors are
 * supported. Writes are atomic (a temporary file in the same directory, forced to disk, then renamed); reads
 * verify the header against the file size and reject truncated or inconsistent files.
 */
public final class Safetensors {
    /** Headers larger than this are rejected as implausible (a corrupt length field). */
    private static final long MAX_HEADER = 100L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Safetensors() {
    }

    /**
     * What a file holds.
     *
     * @param tensors tensors by name, in file order
     * @param metadata the {@code __metadata__} map (empty if absent)
     */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
    }

    /**
     * Writes tensors and metadata atomically: the target is either the old file or the complete new one.
     *
     * @param file the target
     * @param tensors tensors by name (F32 or F64), written in iteration order
     * @param metadata string metadata
     * @throws IOException if writing fails (the target is then unchanged)
     * @throws IllegalArgumentException if a name is empty or {@code __metadata__}
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null || name.isEmpty() || name.equals("__metadata__")) {
                throw new IllegalArgumentException("safetensors: invalid tensor name '" + name + "'");
            }
            Tensor t = e.getValue();
            ObjectNode entry = header.putObject(name);
            entry.put("dtype", t.dtype() == DType.F64 ? "F64" : "F32");
            ArrayNode shape = entry.putArray("shape");
            for (int d : t.shape().toArray()) {
                shape.add(d);
            }
            long bytes = (long) t.size() * t.dtype().bytes();
            entry.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded);
        head.put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                writeAll(ch, head);
                for (Tensor t : tensors.values()) {
                    ByteBuffer b = ByteBuffer.allocate(t.size() * t.dtype().bytes()).order(ByteOrder.LITTLE_ENDIAN);
                    if (t.dtype() == DType.F64) {
                        b.asDoubleBuffer().put(t.f64());
                    } else {
                        b.asFloatBuffer().put(t.f32());
                    }
                    writeAll(ch, b);
                }
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void writeAll(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /**
     * Reads and verifies a file.
     *
     * @param file the file
     * @return its tensors and metadata
     * @throws java.nio.file.NoSuchFileException if it does not exist
     * @throws ModelFormatException if it is truncated, its header is invalid, or offsets and shapes disagree
     * @throws IOException for other read errors
     */
    public static Contents read(Path file) throws IOException {
        long size = Files.size(file);
        if (size < 8) {
            throw new ModelFormatException(file + ": " + size + " bytes is too short for a safetensors file (truncated?)");
        }
        byte[] all = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(all).order(ByteOrder.LITTLE_ENDIAN);
        long n = buf.getLong();
        if (n <= 0 || n > MAX_HEADER || n > size - 8) {
            throw new ModelFormatException(file + ": header length " + n + " is impossible for a " + size
                    + "-byte file (truncated or not a safetensors file)");
        }
        JsonNode header;
        try {
            header = JSON.readTree(new String(all, 8, (int) n, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(file + ": the header is not valid JSON: " + e.getOriginalMessage());
        }
        if (header == null || !header.isObject()) {
            throw new ModelFormatException(file + ": the header is not a JSON object");
        }
        long dataStart = 8 + n;
        long dataLen = size - dataStart;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<long[]> ranges = new ArrayList<>();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = header.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode v = e.getValue();
            if (name.equals("__metadata__")) {
                if (!v.isObject()) {
                    throw new ModelFormatException(file + ": __metadata__ is not an object");
                }
                v.fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            String dtype = v.path("dtype").asText("");
            DType dt = switch (dtype) {
                case "F32" -> DType.F32;
                case "F64" -> DType.F64;
                default -> throw new ModelFormatException(file + ": tensor " + name + " has dtype '" + dtype
                        + "'; this reader supports F32 and F64");
            };
            JsonNode shapeNode = v.path("shape");
            JsonNode offs = v.path("data_offsets");
            if (!shapeNode.isArray() || !offs.isArray() || offs.size() != 2) {
                throw new ModelFormatException(file + ": tensor " + name + " lacks a shape array or a 2-element "
                        + "data_offsets array");
            }
            int[] shape = new int[shapeNode.size()];
            long count = 1;
            for (int i = 0; i < shape.length; i++) {
                long d = shapeNode.get(i).asLong(-1);
                if (!shapeNode.get(i).canConvertToInt() || d < 0) {
                    throw new ModelFormatException(file + ": tensor " + name + " has invalid dimension " + shapeNode.get(i));
                }
                shape[i] = (int) d;
                count *= d;
                if (count > Integer.MAX_VALUE - 8) {
                    throw new ModelFormatException(file + ": tensor " + name + " is too large for this reader");
                }
            }
            long begin = offs.get(0).asLong(-1);
            long end = offs.get(1).asLong(-1);
            if (begin < 0 || end < begin || end - begin != count * dt.bytes()) {
                throw new ModelFormatException(file + ": tensor " + name + " " + java.util.Arrays.toString(shape) + " "
                        + dtype + " has data_offsets [" + begin + ", " + end + "], which do not hold "
                        + count * dt.bytes() + " bytes");
            }
            if (end > dataLen) {
                throw new ModelFormatException(file + ": truncated: tensor " + name + " needs bytes [" + begin + ", "
                        + end + ") of the data section but the file holds only " + dataLen);
            }
            ranges.add(new long[] {begin, end});
            ByteBuffer slice = ByteBuffer.wrap(all, (int) (dataStart + begin), (int) (end - begin))
                    .order(ByteOrder.LITTLE_ENDIAN);
            Tensor t = Tensor.zeros(dt, shape);
            if (dt == DType.F64) {
                slice.asDoubleBuffer().get(t.f64());
            } else {
                slice.asFloatBuffer().get(t.f32());
            }
            tensors.put(name, t);
        }
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        long expect = 0;
        for (long[] r : ranges) {
            if (r[0] != expect) {
                throw new ModelFormatException(file + ": tensor data " + (r[0] < expect ? "overlaps" : "has a gap")
                        + " at byte " + Math.min(r[0], expect) + " of the data section");
            }
            expect = r[1];
        }
        if (expect != dataLen) {
            throw new ModelFormatException(file + ": the data section has " + dataLen + " bytes but the tensors cover "
                    + expect + " (trailing bytes or a damaged header)");
        }
        return new Contents(tensors, metadata);
    }
}
