package io.isotropic.persist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.isotropic.data.Standardiser;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.spi.Backend;
import io.isotropic.train.Optimizer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model and (optionally) its optimiser state as one set: a directory holding {@value #MODEL}, {@value #OPTIMIZER}
 * and {@value #MANIFEST}, which names the files with their sizes and SHA-256 digests plus string information such
 * as the epoch. The directory is written under a temporary name, forced to disk, and renamed into place, so it is
 * either absent or complete; {@link #load} verifies the manifest before it reads a tensor. Run directories keep
 * their checkpoints this way ({@link RunDirectory}); {@code restructure} writes its output as one.
 */
public final class Checkpoint {
    /** The model file of a checkpoint. */
    public static final String MODEL = "model.safetensors";
    /** The optimiser file of a checkpoint (absent when it has no optimiser). */
    public static final String OPTIMIZER = "optimizer.safetensors";
    /** The manifest, written last. */
    public static final String MANIFEST = "manifest.json";
    /** The manifest's format name. */
    public static final String FORMAT = "isotropic-checkpoint";
    /** The manifest format version this build writes and the newest it reads. */
    public static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final long MAX_MANIFEST_BYTES = 1 << 20;

    private Checkpoint() {
    }

    /**
     * A verified manifest.
     *
     * @param dir the checkpoint directory
     * @param info the string information stored with it (e.g. {@code epoch})
     * @param files file name to {@code [size, hex sha256]}
     */
    public record Manifest(Path dir, Map<String, String> info, Map<String, String[]> files) {
        /**
         * Whether the checkpoint holds optimiser state.
         *
         * @return true if {@value #OPTIMIZER} is listed
         */
        public boolean hasOptimizer() {
            return files.containsKey(OPTIMIZER);
        }
    }

    /**
     * A loaded checkpoint.
     *
     * @param manifest its manifest
     * @param model the model
     * @param optimizer the optimiser, or null if the checkpoint has none
     */
    public record Loaded(Manifest manifest, ModelFile.Loaded model, ModelFile.LoadedOptimizer optimizer) {
    }

    /**
     * Writes a checkpoint directory that becomes visible only when complete.
     *
     * @param target the directory to create; it must not exist
     * @param net the network
     * @param standardiser its input standardisation, or null
     * @param optimizer the optimiser, or null for a model alone
     * @param spec the optimiser's spec (ignored without an optimiser)
     * @param info string information for the manifest and both files' metadata (e.g. {@code epochs_completed})
     * @return the manifest written
     * @throws java.nio.file.FileAlreadyExistsException if the target exists
     * @throws IOException naming the file if a step fails (nothing is then left but possibly a temporary
     *         directory {@code .<name>.*.tmp}, which {@link AtomicFiles#removeTemporaries} deletes)
     */
    public static Manifest write(Path target, IsotropicMlp net, Standardiser standardiser, Optimizer optimizer,
                                 OptimizerSpec spec, Map<String, String> info) throws IOException {
        return write(target, net, standardiser, optimizer, spec, info, Map.of());
    }

    /** As {@link #write}, with information that goes into the manifest only (not into the files). */
    static Manifest write(Path target, IsotropicMlp net, Standardiser standardiser, Optimizer optimizer,
                          OptimizerSpec spec, Map<String, String> info, Map<String, String> manifestOnly)
            throws IOException {
        Path abs = target.toAbsolutePath();
        if (Files.exists(abs)) {
            throw new java.nio.file.FileAlreadyExistsException(abs.toString(), null, "the checkpoint exists already");
        }
        Path tmp = AtomicFiles.temporarySibling(abs);
        boolean done = false;
        try {
            AtomicFiles.createDirectory(tmp, true);
            Map<String, String[]> files = new LinkedHashMap<>();
            String modelDigest = ModelFile.saveNew(tmp.resolve(MODEL), net, standardiser, info);
            files.put(MODEL, describe(tmp.resolve(MODEL)));
            if (optimizer != null) {
                Map<String, String> extra = new LinkedHashMap<>(info);
                extra.put(ModelFile.MODEL_DIGEST_KEY, modelDigest);
                ModelFile.saveOptimizerNew(tmp.resolve(OPTIMIZER), optimizer, spec, extra);
                files.put(OPTIMIZER, describe(tmp.resolve(OPTIMIZER)));
            }
            ObjectNode m = JSON.createObjectNode();
            m.put("format", FORMAT);
            m.put("format_version", VERSION);
            ObjectNode i = m.putObject("info");
            Map<String, String> all = new java.util.TreeMap<>(info);
            all.putAll(manifestOnly);
            all.forEach(i::put);
            ObjectNode f = m.putObject("files");
            files.forEach((name, d) -> f.putObject(name).put("bytes", Long.parseLong(d[0])).put("sha256", d[1]));
            byte[] bytes = JSON.writeValueAsBytes(m);
            AtomicFiles.writeNew(tmp.resolve(MANIFEST), out -> out.write(bytes));
            AtomicFiles.fsyncDirectory(tmp);
            AtomicFiles.renameNew(tmp, abs);
            done = true;
            return new Manifest(abs, Map.copyOf(all), files);
        } catch (IOException e) {
            String m = e.getMessage();
            if (m != null && m.contains(tmp.toString()) && !(e instanceof java.nio.file.FileSystemException)) {
                throw new IOException(m.replace(tmp.toString(), abs.toString()), e); // name the file as it will be
            }
            throw e;
        } finally {
            if (!done) {
                try {
                    AtomicFiles.deleteTree(tmp);
                } catch (IOException e) {
                    // left for removeTemporaries
                }
            }
        }
    }

    /**
     * Replaces a checkpoint directory written elsewhere with a new one: the new one is written complete under a
     * temporary name, the old one is moved aside (to a temporary name) and the new one renamed into place, then
     * the old one is deleted. A crash between the two renames leaves the target absent and both sets intact under
     * temporary names.
     *
     * @param target the directory to create or replace
     * @param net the network
     * @param standardiser its input standardisation, or null
     * @param optimizer the optimiser, or null
     * @param spec the optimiser's spec
     * @param info string information
     * @return the manifest written
     * @throws IOException naming the file if a step fails (the old target is then intact)
     */
    public static Manifest replace(Path target, IsotropicMlp net, Standardiser standardiser, Optimizer optimizer,
                                   OptimizerSpec spec, Map<String, String> info) throws IOException {
        Path abs = target.toAbsolutePath();
        if (!Files.exists(abs)) {
            return write(abs, net, standardiser, optimizer, spec, info);
        }
        Path fresh = AtomicFiles.temporarySibling(abs);
        Manifest m = write(fresh, net, standardiser, optimizer, spec, info);
        Path old = AtomicFiles.temporarySibling(abs);
        try {
            AtomicFiles.renameNew(abs, old);
        } catch (IOException e) {
            AtomicFiles.deleteTree(fresh);
            throw e;
        }
        AtomicFiles.renameNew(fresh, abs);
        AtomicFiles.deleteTree(old);
        return new Manifest(abs, m.info(), m.files());
    }

    private static String[] describe(Path file) throws IOException {
        MessageDigest md = Safetensors.sha256();
        long size = 0;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int r;
            while ((r = in.read(buf)) > 0) {
                md.update(buf, 0, r);
                size += r;
            }
        }
        return new String[] {Long.toString(size), HexFormat.of().formatHex(md.digest())};
    }

    /**
     * Whether a directory looks like a checkpoint (has a manifest).
     *
     * @param dir a path
     * @return true if {@code dir/manifest.json} exists
     */
    public static boolean isCheckpoint(Path dir) {
        return Files.isRegularFile(dir.resolve(MANIFEST));
    }

    /**
     * Reads a checkpoint's manifest and verifies that every file it names has the recorded size and digest.
     *
     * @param dir the checkpoint directory
     * @return the manifest
     * @throws NoSuchFileException if there is no manifest
     * @throws ModelFormatException if the manifest is malformed or a file is missing, of another size or digest
     * @throws IOException for read errors
     */
    public static Manifest verify(Path dir) throws IOException {
        Path mf = dir.resolve(MANIFEST);
        if (Files.size(mf) > MAX_MANIFEST_BYTES) {
            throw new ModelFormatException(mf + ": " + Files.size(mf) + " bytes is too large for a checkpoint manifest");
        }
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(mf, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ModelFormatException(mf + ": not a valid checkpoint manifest (" + e.getMessage().lines()
                    .findFirst().orElse("") + ")");
        }
        if (root == null || !FORMAT.equals(root.path("format").asText(null))) {
            throw new ModelFormatException(mf + ": not an isotropic checkpoint manifest");
        }
        if (!root.path("format_version").canConvertToInt() || root.path("format_version").asInt() > VERSION
                || root.path("format_version").asInt() < 1) {
            throw new ModelFormatException(mf + ": unsupported manifest format_version " + root.path("format_version"));
        }
        Map<String, String> info = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = root.path("info").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            info.put(e.getKey(), e.getValue().asText());
        }
        Map<String, String[]> files = new LinkedHashMap<>();
        it = root.path("files").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            if (!name.equals(MODEL) && !name.equals(OPTIMIZER)) {
                throw new ModelFormatException(mf + ": lists an unexpected file '" + Metadata.quote(name) + "'");
            }
            files.put(name, new String[] {e.getValue().path("bytes").asText(), e.getValue().path("sha256").asText()});
        }
        if (!files.containsKey(MODEL)) {
            throw new ModelFormatException(mf + ": lists no " + MODEL);
        }
        for (Map.Entry<String, String[]> e : files.entrySet()) {
            Path f = dir.resolve(e.getKey());
            if (!Files.exists(f)) {
                throw new ModelFormatException(dir + ": " + e.getKey() + " named by the manifest is missing");
            }
            String[] actual = describe(f);
            if (!actual[0].equals(e.getValue()[0]) || !actual[1].equalsIgnoreCase(e.getValue()[1])) {
                throw new ModelFormatException(f + ": does not match the checkpoint manifest (" + actual[0]
                        + " bytes, sha256 " + actual[1].substring(0, 16) + "...; the manifest records "
                        + e.getValue()[0] + " bytes, " + Metadata.quote(e.getValue()[1]) + "); the file is damaged");
            }
        }
        return new Manifest(dir, Map.copyOf(info), files);
    }

    /**
     * Verifies and loads a checkpoint.
     *
     * @param dir the checkpoint directory
     * @param backend the backend for the network
     * @return the manifest, model and optimiser (null if the checkpoint has none)
     * @throws NoSuchFileException if there is no manifest
     * @throws ModelFormatException if verification or loading fails
     * @throws IOException for read errors
     */
    public static Loaded load(Path dir, Backend backend) throws IOException {
        Manifest m = verify(dir);
        ModelFile.Loaded model = ModelFile.load(dir.resolve(MODEL), backend);
        ModelFile.LoadedOptimizer opt = m.hasOptimizer() ? ModelFile.loadOptimizer(dir.resolve(OPTIMIZER), model)
                : null;
        return new Loaded(m, model, opt);
    }
}
