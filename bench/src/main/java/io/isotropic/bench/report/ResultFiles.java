package io.isotropic.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the report's inputs: JMH's JSON result arrays ({@code -rf json}) and the peer files of
 * {@code bench/peers} (an object with the peer's description and its results in JMH's record format).
 */
public final class ResultFiles {
    private ResultFiles() {
    }

    /**
     * The results of a peer file and the peer's description.
     *
     * @param peer the peer
     * @param results its results, each with {@code backend} = the peer's name (none if it was skipped)
     */
    public record PeerRun(Peer peer, List<Result> results) {
    }

    private static JsonNode tree(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("Report: input file " + file + " does not exist");
        }
        return new ObjectMapper().readTree(file.toFile());
    }

    /**
     * Reads a JMH JSON result file.
     *
     * @param file the file ({@code -rf json} output)
     * @return its results
     * @throws IOException if it cannot be read or parsed
     * @throws IllegalArgumentException if it does not exist or is not a JMH result array
     */
    public static List<Result> readJmh(Path file) throws IOException {
        JsonNode root = tree(file);
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException("Report: " + file + " is not a JMH JSON result array");
        }
        List<Result> out = new ArrayList<>();
        root.forEach(n -> out.add(Result.parse(n)));
        return out;
    }

    /**
     * Reads a peer file: {@code {"peer": {"name": ..., "label": ..., "skipped": ...?, ...}, "results": [...]}}.
     *
     * @param file the file a peer program (or the run script, for a skipped peer) wrote
     * @return the peer and its results
     * @throws IOException if it cannot be read or parsed
     * @throws IllegalArgumentException if it does not exist, lacks the peer's name, or a result names another
     *                                  backend
     */
    public static PeerRun readPeer(Path file) throws IOException {
        JsonNode root = tree(file);
        JsonNode p = root == null ? null : root.get("peer");
        if (p == null || !p.isObject() || p.path("name").asText("").isBlank()) {
            throw new IllegalArgumentException("Report: " + file + " is not a peer file (no peer.name)");
        }
        Map<String, String> details = new LinkedHashMap<>();
        p.fields().forEachRemaining(e -> {
            if (!List.of("name", "label", "skipped").contains(e.getKey())) {
                JsonNode v = e.getValue();
                details.put(e.getKey(), v.isValueNode() ? v.asText() : v.toString());
            }
        });
        Peer peer = new Peer(p.get("name").asText(), p.path("label").asText(null),
                p.hasNonNull("skipped") ? p.get("skipped").asText() : null, details);
        List<Result> results = new ArrayList<>();
        root.path("results").forEach(n -> {
            Result r = Result.parse(n);
            if (!peer.name().equals(r.params().get("backend"))) {
                throw new IllegalArgumentException("Report: " + file + ": a result of peer " + peer.name()
                        + " names backend " + r.params().get("backend"));
            }
            results.add(r);
        });
        return new PeerRun(peer, List.copyOf(results));
    }
}
