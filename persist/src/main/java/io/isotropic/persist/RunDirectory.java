package io.isotropic.persist;

import io.isotropic.data.Standardiser;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.spi.Backend;
import io.isotropic.train.Optimizer;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A run's directory, held exclusively for the run's life: a lock on {@value #LOCK} (which records the holder's
 * pid) refuses a second run, in this JVM or another. It holds the run's description ({@value #RUN_FILE}, written
 * atomically), its metrics log ({@value #METRICS}, appended and forced line by line), and its checkpoints
 * ({@value #CHECKPOINTS}{@code /epoch-NNNNNN}, each a {@link Checkpoint} complete before it is visible, whose
 * manifest records the epoch and the valid length of the metrics log). After each checkpoint the previous one is
 * deleted and {@value Checkpoint#MODEL} and {@value Checkpoint#OPTIMIZER} at the top are replaced by links to
 * the new one's files, for people and tools that look there.
 *
 * <p>{@link #open} (resume) removes stale temporaries, picks the newest complete checkpoint, truncates the metrics
 * log to it and restores the top-level copies, so a crash or a full disk at any instant leaves the run resumable.
 */
public final class RunDirectory implements AutoCloseable {
    /** The lock file. */
    public static final String LOCK = "run.lock";
    /** The run's description (options), written by the caller. */
    public static final String RUN_FILE = "run.json";
    /** The metrics log, one JSON object per line. */
    public static final String METRICS = "metrics.jsonl";
    /** The directory of checkpoints. */
    public static final String CHECKPOINTS = "checkpoints";
    /** Checkpoint information key: epochs completed. */
    public static final String EPOCH_KEY = "epochs_completed";
    /** Checkpoint information key: the length of the metrics log that belongs to the checkpoint. */
    public static final String METRICS_BYTES_KEY = "metrics_bytes";

    private static final Pattern CHECKPOINT_NAME = Pattern.compile("epoch-(\\d{6,9})");
    private static final Map<Path, String> HELD_HERE = new ConcurrentHashMap<>();

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private Checkpoint.Manifest latest;

    private RunDirectory(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Creates a new run directory, or takes over an absent or empty one (empty apart from a stale lock file and
     * temporaries of an interrupted start), and locks it.
     *
     * @param dir the directory
     * @return the locked run directory
     * @throws RunDirectoryException if it is in use by another run, is not a directory, or holds other files
     * @throws IOException if it cannot be created or locked
     */
    public static RunDirectory create(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new RunDirectoryException(dir + " exists and is not a directory");
        }
        AtomicFiles.createDirectory(abs, false);
        RunDirectory rd = lock(abs);
        try {
            List<String> other = new ArrayList<>();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(abs)) {
                for (Path p : s) {
                    String n = p.getFileName().toString();
                    if (!n.equals(LOCK) && !AtomicFiles.isTemporary(n)) {
                        other.add(n);
                    }
                }
            }
            if (!other.isEmpty()) {
                other.sort(null);
                throw new RunDirectoryException(dir + " already holds " + String.join(", ", other.subList(0,
                        Math.min(5, other.size()))) + (other.size() > 5 ? " and " + (other.size() - 5) + " more" : "")
                        + "; a new run needs an empty or absent directory");
            }
            AtomicFiles.removeTemporaries(abs);
            return rd;
        } catch (IOException | RuntimeException e) {
            rd.close();
            throw e;
        }
    }

    /**
     * Creates a new run directory with a name no other run has: {@code parent/prefix<yyyyMMdd-HHmmss>}, with
     * {@code -2}, {@code -3}, ... appended when that exists (two runs started in the same second get different
     * directories).
     *
     * @param parent the parent directory (created if absent)
     * @param prefix the name prefix, e.g. {@code train-}
     * @return the locked run directory
     * @throws IOException if no directory can be created
     */
    public static RunDirectory createUnique(Path parent, String prefix) throws IOException {
        String base = prefix + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        for (int i = 1; i < 10_000; i++) {
            Path candidate = parent.resolve(i == 1 ? base : base + "-" + i);
            try {
                AtomicFiles.createDirectory(candidate, true);
            } catch (FileAlreadyExistsException e) {
                continue;
            }
            return lock(candidate.toAbsolutePath().normalize());
        }
        throw new RunDirectoryException(parent + ": no free name " + base + "-N for a new run directory");
    }

    /**
     * Opens an existing run directory to continue it: locks it, removes temporaries left by a crash, verifies
     * the newest checkpoint (falling back to an older complete one if it is damaged), truncates the metrics log
     * to the checkpoint's length, and restores the top-level model and optimiser copies.
     *
     * @param dir the run directory
     * @return the locked run directory; {@link #latestCheckpoint} tells where to continue
     * @throws java.nio.file.NoSuchFileException if the directory does not exist
     * @throws RunDirectoryException if it is in use by another run, its checkpoints are all damaged, or it holds a
     *         model but no checkpoints (written by an older version; nothing is then changed)
     * @throws IOException if recovery fails
     */
    public static RunDirectory open(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(abs)) {
            throw new java.nio.file.NoSuchFileException(dir.toString(), null, "no such run directory");
        }
        RunDirectory rd = lock(abs);
        try {
            rd.recover();
            return rd;
        } catch (IOException | RuntimeException e) {
            rd.close();
            throw e;
        }
    }

    private static RunDirectory lock(Path abs) throws IOException {
        String here = HELD_HERE.get(abs);
        if (here != null) {
            throw inUse(abs, here);
        }
        Path lockFile = abs.resolve(LOCK);
        FileChannel ch;
        try {
            Faults.before(Faults.Op.CREATE, lockFile);
            ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw AtomicFiles.named(lockFile, e);
        }
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (l == null) {
            String holder = readHolder(ch);
            ch.close();
            throw inUse(abs, holder);
        }
        if (HELD_HERE.putIfAbsent(abs, "") != null) {
            l.release();
            ch.close();
            throw inUse(abs, HELD_HERE.get(abs));
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "this host";
        }
        String holder = "pid " + ProcessHandle.current().pid() + " on " + host + ", started " + Instant.now();
        HELD_HERE.put(abs, holder);
        try {
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((holder + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        } catch (IOException e) {
            // the lock is what counts; the holder text only improves the refusal message
        }
        return new RunDirectory(abs, ch, l);
    }

    private static String readHolder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(512);
            ch.read(b, 0);
            String s = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
            return s.isEmpty() ? "another process" : s;
        } catch (IOException e) {
            return "another process";
        }
    }

    private static RunDirectoryException inUse(Path dir, String holder) {
        return new RunDirectoryException(dir + " is in use by another run (" + (holder.isEmpty() ? "starting" : holder)
                + "); wait for it to finish or choose another directory");
    }

    /**
     * The directory.
     *
     * @return its absolute path
     */
    public Path path() {
        return dir;
    }

    /**
     * Whether the run's description has been written.
     *
     * @return true if {@value #RUN_FILE} exists
     */
    public boolean hasRunFile() {
        return Files.isRegularFile(dir.resolve(RUN_FILE));
    }

    /**
     * Reads the run's description.
     *
     * @return its bytes
     * @throws java.nio.file.NoSuchFileException if it has not been written
     * @throws IOException for read errors
     */
    public byte[] readRunFile() throws IOException {
        Path f = dir.resolve(RUN_FILE);
        if (Files.size(f) > (16 << 20)) {
            throw new ModelFormatException(f + ": " + Files.size(f) + " bytes is too large for a run description");
        }
        return Files.readAllBytes(f);
    }

    /**
     * Writes the run's description atomically.
     *
     * @param bytes its content
     * @throws IOException naming the file if writing fails (the old description is then intact)
     */
    public void writeRunFile(byte[] bytes) throws IOException {
        AtomicFiles.write(dir.resolve(RUN_FILE), bytes);
    }

    /**
     * Appends one line to the metrics log and forces it to disk.
     *
     * @param line the line, without a newline
     * @throws IOException naming the file if writing fails (the partial line is dropped on resume)
     */
    public void appendMetrics(String line) throws IOException {
        AtomicFiles.append(dir.resolve(METRICS), (line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The lines of the metrics log.
     *
     * @return the non-blank lines, oldest first
     * @throws IOException for read errors
     */
    public List<String> metricsLines() throws IOException {
        Path f = dir.resolve(METRICS);
        if (!Files.exists(f)) {
            return List.of();
        }
        return Files.readAllLines(f, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
    }

    /**
     * The newest complete checkpoint, as found by {@link #open} or written by {@link #checkpoint}.
     *
     * @return its manifest, or empty before the first checkpoint
     */
    public Optional<Checkpoint.Manifest> latestCheckpoint() {
        return Optional.ofNullable(latest);
    }

    /**
     * The epoch of the newest complete checkpoint.
     *
     * @return epochs completed, 0 before the first checkpoint
     */
    public int epochsCompleted() {
        return latest == null ? 0 : Integer.parseInt(latest.info().get(EPOCH_KEY));
    }

    /**
     * Loads the newest complete checkpoint.
     *
     * @param backend the backend for the network
     * @return the checkpoint
     * @throws IllegalStateException if there is none yet
     * @throws IOException if loading fails
     */
    public Checkpoint.Loaded loadLatest(Backend backend) throws IOException {
        if (latest == null) {
            throw new IllegalStateException(dir + " has no checkpoint yet");
        }
        return Checkpoint.load(latest.dir(), backend);
    }

    /**
     * Writes the checkpoint after an epoch: a new complete checkpoint directory recording the epoch and the current
     * length of the metrics log (append the epoch's metrics first), then deletes the previous checkpoint and
     * points the top-level model and optimiser files at the new one.
     *
     * @param epochsCompleted epochs completed, {@code >= 0}
     * @param net the network
     * @param standardiser its input standardisation, or null
     * @param optimizer the optimiser
     * @param spec its spec
     * @param extra more information for the manifest and file metadata
     * @return the manifest
     * @throws IOException naming the file if a step fails; the previous checkpoint is then intact
     * @throws IllegalArgumentException if epochsCompleted is negative
     */
    public Checkpoint.Manifest checkpoint(int epochsCompleted, IsotropicMlp net, Standardiser standardiser,
                                          Optimizer optimizer, OptimizerSpec spec, Map<String, String> extra)
            throws IOException {
        if (epochsCompleted < 0) {
            throw new IllegalArgumentException("RunDirectory.checkpoint: epochs must be >= 0, got " + epochsCompleted);
        }
        Path cps = dir.resolve(CHECKPOINTS);
        AtomicFiles.createDirectory(cps, false);
        Map<String, String> info = new TreeMap<>(extra);
        info.put(EPOCH_KEY, Integer.toString(epochsCompleted));
        Path metrics = dir.resolve(METRICS);
        Map<String, String> manifestOnly = Map.of(METRICS_BYTES_KEY,
                Long.toString(Files.exists(metrics) ? Files.size(metrics) : 0)); // timings vary; the files must not

        Path target = cps.resolve(String.format("epoch-%06d", epochsCompleted));
        if (Files.exists(target)) {
            AtomicFiles.deleteTree(target); // a checkpoint of this epoch from before a resume: replaced below
        }
        Checkpoint.Manifest m = Checkpoint.write(target, net, standardiser, optimizer, spec, info, manifestOnly);
        Checkpoint.Manifest previous = latest;
        latest = m;
        if (previous != null && !previous.dir().equals(m.dir())) {
            AtomicFiles.deleteTree(previous.dir());
        }
        publish();
        return m;
    }

    private void publish() throws IOException {
        for (String f : new String[] {Checkpoint.MODEL, Checkpoint.OPTIMIZER}) {
            Path src = latest.dir().resolve(f);
            Path dst = dir.resolve(f);
            if (!Files.exists(src)) {
                continue;
            }
            if (Files.exists(dst) && Files.isSameFile(src, dst)) {
                continue;
            }
            AtomicFiles.publishCopy(src, dst);
        }
    }

    private void recover() throws IOException {
        AtomicFiles.removeTemporaries(dir);
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path sub : s) {
                AtomicFiles.removeTemporaries(sub); // checkpoints/, plots/
            }
        }
        Path cps = dir.resolve(CHECKPOINTS);
        TreeMap<Integer, Path> found = new TreeMap<>();
        if (Files.isDirectory(cps)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(cps)) {
                for (Path p : s) {
                    Matcher mt = CHECKPOINT_NAME.matcher(p.getFileName().toString());
                    if (mt.matches() && Files.isDirectory(p)) {
                        found.put(Integer.parseInt(mt.group(1)), p);
                    }
                }
            }
        }
        List<String> damaged = new ArrayList<>();
        for (Integer epoch : found.descendingKeySet()) {
            Path p = found.get(epoch);
            try {
                Checkpoint.Manifest m = Checkpoint.verify(p);
                if (!Integer.toString(epoch).equals(m.info().get(EPOCH_KEY))) {
                    throw new ModelFormatException(p + ": its manifest records epoch " + m.info().get(EPOCH_KEY));
                }
                latest = m;
                break;
            } catch (java.nio.file.NoSuchFileException e) {
                damaged.add(p.getFileName() + " (no manifest)");
            } catch (ModelFormatException e) {
                damaged.add(e.getMessage());
            }
        }
        if (latest == null && damaged.isEmpty() && Files.exists(dir.resolve(Checkpoint.MODEL))) {
            // a model but no checkpoint: written by a version before checkpoints; never truncate its metrics
            throw new RunDirectoryException(dir + " holds a model but no " + CHECKPOINTS + "/ (it was written by an "
                    + "older version); it cannot be resumed safely, but its model can still be used");
        }
        if (latest == null && !damaged.isEmpty()) {
            throw new RunDirectoryException(dir + ": every checkpoint is damaged: " + String.join("; ", damaged));
        }
        long keep = latest == null ? 0 : parseLength(latest.info().get(METRICS_BYTES_KEY));
        Path metrics = dir.resolve(METRICS);
        if (Files.exists(metrics)) {
            if (Files.size(metrics) < keep) {
                throw new RunDirectoryException(metrics + " is shorter (" + Files.size(metrics) + " bytes) than "
                        + "checkpoint " + latest.dir().getFileName() + " records (" + keep + " bytes); it was "
                        + "truncated by something other than this program");
            }
            AtomicFiles.truncate(metrics, keep);
        } else if (keep > 0) {
            throw new RunDirectoryException(metrics + " is missing but checkpoint " + latest.dir().getFileName()
                    + " records " + keep + " bytes of it");
        }
        for (Integer epoch : found.keySet()) {
            Path p = found.get(epoch);
            if (latest != null && !p.equals(latest.dir()) && epoch < epochsCompleted()) {
                AtomicFiles.deleteTree(p); // older checkpoints whose deletion a crash interrupted
            }
        }
        if (latest != null) {
            publish();
        }
    }

    private static long parseLength(String s) throws ModelFormatException {
        try {
            long v = Long.parseLong(s);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new ModelFormatException("checkpoint manifest: " + METRICS_BYTES_KEY + " = '" + s + "' is not a length");
    }

    /**
     * Releases the lock (the lock file stays, as a record of the last holder).
     *
     * @throws IOException if releasing fails
     */
    @Override
    public void close() throws IOException {
        HELD_HERE.remove(dir);
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } finally {
            lockChannel.close();
        }
    }
}
