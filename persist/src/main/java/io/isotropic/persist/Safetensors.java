package io.isotropic.persist;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
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
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The safetensors format (the PyTorch ecosystem's tensor file): an 8-byte little-endian header length, a JSON
 * header mapping each tensor name to {@code dtype}, {@code shape} and {@code data_offsets} (plus an optional
 * string-to-string {@code __metadata__}), then the little-endian row-major data. F32 and F64 tensors are
 * supported.
 *
 * <p>Writes are atomic ({@link AtomicFiles}) and add the metadata entry {@value #DIGEST_KEY}: the SHA-256 of the
 * file's content independent of its layout (see {@link #digest}). Reads validate before they allocate: the header
 * length against the file size and {@value #MAX_HEADER_BYTES} bytes, the header as exactly one JSON object (only
 * space padding after it, no duplicate keys), string metadata values, integer dimensions and offsets, offsets that
 * tile the data section exactly, and the memory the tensors need against a budget (by default half the free
 * heap). When the digest is present it must match, so corrupted data are refused; files without it (written by
 * other tools) still load.
 */
public final class Safetensors {
    /** Headers larger than this are refused (the limit of the reference implementation). */
    public static final long MAX_HEADER_BYTES = 100L << 20;
    /** Metadata key of the content digest written by {@link #write} and verified by {@link #read}. */
    public static final String DIGEST_KEY = "content_sha256";
    /** The largest tensor this reader builds (a Java array's limit). */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxNumberLength(64).build())
            .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private Safetensors() {
    }

    /**
     * What a file holds.
     *
     * @param tensors tensors by name, in file order
     * @param metadata the {@code __metadata__} map (empty if absent)
     * @param digest the content digest as computed from the file (hex SHA-256; equal to the stored one if present)
     * @param digestVerified whether the file carried a digest (and it matched)
     */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata, String digest,
                           boolean digestVerified) {
    }

    /**
     * Writes tensors and metadata atomically, adding the content digest: the target is either the old file or the
     * complete new one.
     *
     * @param file the target
     * @param tensors tensors by name (F32 or F64), written in iteration order
     * @param metadata string metadata (a {@value #DIGEST_KEY} entry is replaced by the fresh digest)
     * @return the content digest written (hex SHA-256)
     * @throws IOException naming the file if writing fails (the target is then unchanged)
     * @throws IllegalArgumentException if a name is empty or {@code __metadata__}, or a value is null
     */
    public static String write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata)
            throws IOException {
        Encoded e = encode(tensors, metadata);
        AtomicFiles.write(file, e::writeTo);
        return e.digest;
    }

    /**
     * Writes a new file without a rename (inside a temporary directory that becomes visible as a whole).
     *
     * @param file the new file (must not exist)
     * @param tensors tensors by name
     * @param metadata string metadata
     * @return the content digest written
     * @throws IOException naming the file if writing fails
     */
    static String writeNew(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Encoded e = encode(tensors, metadata);
        AtomicFiles.writeNew(file, e::writeTo);
        return e.digest;
    }

    private record Encoded(ByteBuffer head, List<Tensor> data, String digest) {
        void writeTo(java.io.OutputStream out) throws IOException {
            out.write(head.array(), 0, head.limit());
            for (Tensor t : data) {
                out.write(bytes(t));
            }
        }
    }

    private static Encoded encode(Map<String, Tensor> tensors, Map<String, String> metadata) {
        Map<String, String> meta = new LinkedHashMap<>();
        metadata.forEach((k, v) -> {
            if (k == null || v == null) {
                throw new IllegalArgumentException("safetensors: metadata entry " + k + " = " + v + " is null");
            }
            if (!k.equals(DIGEST_KEY)) {
                meta.put(k, v);
            }
        });
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name == null || name.isEmpty() || name.equals("__metadata__")) {
                throw new IllegalArgumentException("safetensors: invalid tensor name '" + name + "'");
            }
        }
        String digest = digest(meta, tensors);
        meta.put(DIGEST_KEY, digest);
        ObjectNode header = JSON.createObjectNode();
        ObjectNode m = header.putObject("__metadata__");
        meta.forEach(m::put);
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            ObjectNode entry = header.putObject(e.getKey());
            entry.put("dtype", t.dtype() == DType.F64 ? "F64" : "F32");
            ArrayNode shape = entry.putArray("shape");
            for (int d : t.shape().toArray()) {
                shape.add(d);
            }
            long bytes = (long) t.size() * t.dtype().bytes();
            entry.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(header);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("safetensors: cannot encode the header", ex);
        }
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded);
        head.put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        return new Encoded(head, new ArrayList<>(tensors.values()), digest);
    }

    private static byte[] bytes(Tensor t) {
        ByteBuffer b = ByteBuffer.allocate(t.size() * t.dtype().bytes()).order(ByteOrder.LITTLE_ENDIAN);
        if (t.dtype() == DType.F64) {
            b.asDoubleBuffer().put(t.f64());
        } else {
            b.asFloatBuffer().put(t.f32());
        }
        return b.array();
    }

    /**
     * The content digest: SHA-256 over every metadata entry but {@value #DIGEST_KEY} in key order (key, NUL,
     * value, NUL), a byte 1, then every tensor in name order (name, NUL, dtype, NUL, dimensions joined by commas,
     * NUL, its little-endian data). It does not depend on the order of tensors in the file, so a tool that
     * rewrites the file with the same content keeps it valid.
     *
     * @param metadata the metadata
     * @param tensors the tensors
     * @return the hex digest
     */
    public static String digest(Map<String, String> metadata, Map<String, Tensor> tensors) {
        MessageDigest md = sha256();
        for (Map.Entry<String, String> e : new TreeMap<>(metadata).entrySet()) {
            if (!e.getKey().equals(DIGEST_KEY)) {
                md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(e.getValue().getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
        }
        md.update((byte) 1);
        for (Map.Entry<String, Tensor> e : new TreeMap<>(tensors).entrySet()) {
            Tensor t = e.getValue();
            md.update(tensorPrefix(e.getKey(), t.dtype() == DType.F64 ? "F64" : "F32", t.shape().toArray()));
            md.update(bytes(t));
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static byte[] tensorPrefix(String name, String dtype, int[] shape) {
        StringBuilder sb = new StringBuilder(name).append('\0').append(dtype).append('\0');
        for (int i = 0; i < shape.length; i++) {
            sb.append(i == 0 ? "" : ",").append(shape[i]);
        }
        return sb.append('\0').toString().getBytes(StandardCharsets.UTF_8);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    /**
     * Reads and verifies a file with the default memory budget (half the free heap).
     *
     * @param file the file
     * @return its tensors, metadata and digest
     * @throws java.nio.file.NoSuchFileException if it does not exist
     * @throws ModelFormatException if it is truncated, its header is invalid, offsets and shapes disagree, its
     *         digest does not match, or its tensors need more memory than the budget
     * @throws IOException for other read errors
     */
    public static Contents read(Path file) throws IOException {
        return read(file, MemoryBudget.available());
    }

    /** One header entry, validated. */
    private record Entry(String name, DType dtype, String dtypeName, int[] shape, long begin, long end) {
    }

    /**
     * Reads and verifies a file within a memory budget.
     *
     * @param file the file
     * @param budgetBytes the most bytes the tensors may need
     * @return its tensors, metadata and digest
     * @throws java.nio.file.NoSuchFileException if it does not exist
     * @throws ModelFormatException as for {@link #read(Path)}
     * @throws IOException for other read errors
     */
    public static Contents read(Path file, long budgetBytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new ModelFormatException(file + ": " + size + " bytes is too short for a safetensors file "
                        + "(truncated?)");
            }
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, file);
            long n = lenBuf.flip().getLong();
            if (n <= 1 || n > size - 8 || n > MAX_HEADER_BYTES) {
                throw new ModelFormatException(file + ": header length " + n + " is impossible for a " + size
                        + "-byte file (truncated or not a safetensors file)");
            }
            if (n > budgetBytes) {
                throw tooLarge(file, n, budgetBytes, "its header");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) n);
            readFully(ch, hb, 8, file);
            JsonNode header = parseHeader(file, hb.array());
            long dataStart = 8 + n;
            long dataLen = size - dataStart;
            Map<String, String> metadata = new LinkedHashMap<>();
            List<Entry> entries = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> it = header.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("__metadata__")) {
                    readMetadata(file, e.getValue(), metadata);
                } else {
                    entries.add(entry(file, e.getKey(), e.getValue()));
                }
            }
            checkTiling(file, entries, dataLen);
            long largest = entries.stream().mapToLong(x -> x.end - x.begin).max().orElse(0);
            long needed = dataLen + largest;
            if (needed > budgetBytes) {
                throw tooLarge(file, needed, budgetBytes, "its " + entries.size() + " tensors");
            }
            Map<String, Tensor> byName = new TreeMap<>();
            MessageDigest md = sha256();
            for (Map.Entry<String, String> m : new TreeMap<>(metadata).entrySet()) {
                if (!m.getKey().equals(DIGEST_KEY)) {
                    md.update(m.getKey().getBytes(StandardCharsets.UTF_8));
                    md.update((byte) 0);
                    md.update(m.getValue().getBytes(StandardCharsets.UTF_8));
                    md.update((byte) 0);
                }
            }
            md.update((byte) 1);
            List<Entry> sorted = new ArrayList<>(entries);
            sorted.sort((a, b) -> a.name.compareTo(b.name));
            for (Entry x : sorted) {
                ByteBuffer slice = ByteBuffer.allocate((int) (x.end - x.begin)).order(ByteOrder.LITTLE_ENDIAN);
                readFully(ch, slice, dataStart + x.begin, file);
                md.update(tensorPrefix(x.name, x.dtypeName, x.shape));
                md.update(slice.array());
                slice.flip();
                Tensor t = Tensor.zeros(x.dtype, x.shape);
                if (x.dtype == DType.F64) {
                    slice.asDoubleBuffer().get(t.f64());
                } else {
                    slice.asFloatBuffer().get(t.f32());
                }
                byName.put(x.name, t);
            }
            String digest = HexFormat.of().formatHex(md.digest());
            String stored = metadata.get(DIGEST_KEY);
            if (stored != null && !stored.equalsIgnoreCase(digest)) {
                throw new ModelFormatException(file + ": the content does not match its " + DIGEST_KEY
                        + " (the file is corrupted: stored " + abbreviate(stored) + ", computed "
                        + digest.substring(0, 16) + "...)");
            }
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry x : entries) {
                tensors.put(x.name, byName.get(x.name));
            }
            return new Contents(tensors, metadata, digest, stored != null);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 16 ? s.substring(0, 16) + "..." : s;
    }

    private static ModelFormatException tooLarge(Path file, long needed, long budget, String what) {
        return new ModelFormatException(file + ": " + what + " would need " + MemoryBudget.format(needed)
                + " of memory but only " + MemoryBudget.format(budget) + " is available to load it; run with a "
                + "larger heap (e.g. ISOTROPIC_JAVA_OPTS=-Xmx8g) if the file is genuine");
    }

    private static JsonNode parseHeader(Path file, byte[] raw) throws ModelFormatException {
        int end = raw.length;
        while (end > 0 && raw[end - 1] == ' ') {
            end--;
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw, 0, end)).toString();
        } catch (CharacterCodingException e) {
            throw new ModelFormatException(file + ": the header is not valid UTF-8 text");
        }
        if (text.isEmpty() || text.charAt(0) != '{') {
            throw new ModelFormatException(file + ": the header does not start with a JSON object ('{')");
        }
        JsonNode header;
        try {
            header = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ModelFormatException(file + ": the header is not exactly one JSON object: "
                    + e.getOriginalMessage().replace('\n', ' '));
        }
        if (header == null || !header.isObject()) {
            throw new ModelFormatException(file + ": the header is not a JSON object");
        }
        return header;
    }

    private static void readMetadata(Path file, JsonNode v, Map<String, String> out) throws ModelFormatException {
        if (!v.isObject()) {
            throw new ModelFormatException(file + ": __metadata__ is not a JSON object");
        }
        Iterator<Map.Entry<String, JsonNode>> it = v.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> m = it.next();
            if (!m.getValue().isTextual()) {
                throw new ModelFormatException(file + ": metadata entry '" + m.getKey() + "' is " + describe(m.getValue())
                        + ", but safetensors metadata values are strings");
            }
            out.put(m.getKey(), m.getValue().textValue());
        }
    }

    private static final Set<String> OTHER_DTYPES = Set.of("F16", "BF16", "F8_E4M3", "F8_E5M2", "I8", "I16", "I32",
            "I64", "U8", "U16", "U32", "U64", "BOOL", "F4", "F6_E2M3", "F6_E3M2", "E8M0", "F8_E8M0");

    private static Entry entry(Path file, String name, JsonNode v) throws ModelFormatException {
        String what = file + ": tensor '" + name + "'";
        if (name.isEmpty()) {
            throw new ModelFormatException(file + ": a tensor has an empty name");
        }
        if (!v.isObject()) {
            throw new ModelFormatException(what + " is described by " + describe(v) + ", not an object with dtype, "
                    + "shape and data_offsets");
        }
        Iterator<String> keys = v.fieldNames();
        while (keys.hasNext()) {
            String k = keys.next();
            if (!k.equals("dtype") && !k.equals("shape") && !k.equals("data_offsets")) {
                throw new ModelFormatException(what + " has an unknown field '" + k + "' (expected dtype, shape and "
                        + "data_offsets)");
            }
        }
        JsonNode dt = v.get("dtype");
        if (dt == null || !dt.isTextual()) {
            throw new ModelFormatException(what + " has no dtype string");
        }
        String dtypeName = dt.textValue();
        DType dtype = switch (dtypeName) {
            case "F32" -> DType.F32;
            case "F64" -> DType.F64;
            default -> throw new ModelFormatException(what + " has dtype '" + dtypeName + "'; "
                    + (OTHER_DTYPES.contains(dtypeName) ? "this reader supports only F32 and F64"
                    : "that is not a safetensors dtype (this reader supports F32 and F64)"));
        };
        JsonNode shapeNode = v.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw new ModelFormatException(what + " has no shape array");
        }
        if (shapeNode.size() > 8) {
            throw new ModelFormatException(what + " has " + shapeNode.size() + " dimensions; at most 8 are supported");
        }
        int[] shape = new int[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.longValue() < 0 || d.longValue() > MAX_ELEMENTS) {
                throw new ModelFormatException(what + " has dimension " + d + "; dimensions are integers from 0 to "
                        + MAX_ELEMENTS);
            }
            shape[i] = (int) d.longValue();
            count *= shape[i];
            if (count > MAX_ELEMENTS) {
                throw new ModelFormatException(what + " " + Arrays.toString(shapeNode.size() > 0 ? shape : shape)
                        + " has more than " + MAX_ELEMENTS + " elements, the most a tensor can hold");
            }
        }
        JsonNode offs = v.get("data_offsets");
        if (offs == null || !offs.isArray() || offs.size() != 2) {
            throw new ModelFormatException(what + " has no two-element data_offsets array");
        }
        long[] be = new long[2];
        for (int i = 0; i < 2; i++) {
            JsonNode o = offs.get(i);
            if (!o.isIntegralNumber() || !o.canConvertToLong() || o.longValue() < 0) {
                throw new ModelFormatException(what + " has data offset " + o + "; offsets are non-negative integers");
            }
            be[i] = o.longValue();
        }
        long bytes = count * dtype.bytes();
        if (be[1] < be[0] || be[1] - be[0] != bytes) {
            throw new ModelFormatException(what + " " + Arrays.toString(shape) + " " + dtypeName + " has data_offsets ["
                    + be[0] + ", " + be[1] + "], which do not hold its " + bytes + " bytes");
        }
        return new Entry(name, dtype, dtypeName, shape, be[0], be[1]);
    }

    private static void checkTiling(Path file, List<Entry> entries, long dataLen) throws ModelFormatException {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort((a, b) -> a.begin != b.begin ? Long.compare(a.begin, b.begin) : Long.compare(a.end, b.end));
        long expect = 0;
        for (Entry x : byOffset) {
            if (x.end > dataLen) {
                throw new ModelFormatException(file + ": truncated: tensor '" + x.name + "' needs bytes [" + x.begin
                        + ", " + x.end + ") of the data section but the file holds only " + dataLen);
            }
            if (x.begin != expect) {
                throw new ModelFormatException(file + ": tensor data " + (x.begin < expect ? "overlaps" : "has a gap")
                        + " at byte " + Math.min(x.begin, expect) + " of the data section");
            }
            expect = x.end;
        }
        if (expect != dataLen) {
            throw new ModelFormatException(file + ": the data section has " + dataLen + " bytes but the tensors cover "
                    + expect + " (trailing bytes or a damaged header)");
        }
    }

    private static String describe(JsonNode v) {
        if (v.isTextual()) {
            return "a string";
        }
        if (v.isNumber()) {
            return "the number " + v;
        }
        if (v.isArray()) {
            return "an array";
        }
        if (v.isObject()) {
            return "an object";
        }
        return v.isNull() ? "null" : "the value " + v;
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos, Path file) throws IOException {
        long p = pos;
        while (b.hasRemaining()) {
            int r = ch.read(b, p);
            if (r < 0) {
                throw new ModelFormatException(file + ": truncated at byte " + p);
            }
            p += r;
        }
    }
}
