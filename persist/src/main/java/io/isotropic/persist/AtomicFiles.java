package io.isotropic.persist;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one way this project writes files that must survive crashes: the content goes to a temporary file in the
 * target's directory, is forced to disk, and is renamed over the target, after which the directory is forced too.
 * A reader therefore sees the old file or the complete new one, never a part; after a crash at most a temporary
 * file {@code .<name>.<pid>-<random>.tmp} is left, which {@link #removeTemporaries} deletes. Failures throw an
 * {@link IOException} whose message names the target and the cause (e.g. "No space left on device"); the
 * target is then unchanged and the temporary file removed.
 */
public final class AtomicFiles {
    /** The suffix of temporary files and directories. */
    public static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    /** Writes content to a stream; the stream must not be closed by the content. */
    @FunctionalInterface
    public interface Content {
        /**
         * Writes the content.
         *
         * @param out the destination
         * @throws IOException if writing fails
         */
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Replaces (or creates) a file atomically with the given bytes.
     *
     * @param target the file
     * @param bytes its new content
     * @throws IOException naming the target if any step fails (the target is then unchanged)
     */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /**
     * Replaces (or creates) a file atomically with streamed content.
     *
     * @param target the file
     * @param content writes the new content
     * @throws IOException naming the target if any step fails (the target is then unchanged)
     */
    public static void write(Path target, Content content) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = temporarySibling(abs);
        boolean done = false;
        try {
            writeNew(tmp, content, abs);
            Faults.before(Faults.Op.RENAME, abs);
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            done = true;
            fsyncDirectory(dir);
        } catch (IOException e) {
            throw named(abs, e);
        } finally {
            if (!done) {
                deleteQuietly(tmp);
            }
        }
    }

    /**
     * Writes a new file (it must not exist) and forces it to disk, without a rename: for files inside a
     * temporary directory that becomes visible as a whole.
     *
     * @param file the new file
     * @param content writes its content
     * @throws IOException naming the file if a step fails
     */
    public static void writeNew(Path file, Content content) throws IOException {
        try {
            writeNew(file, content, file);
        } catch (IOException e) {
            throw named(file, e);
        }
    }

    private static void writeNew(Path file, Content content, Path named) throws IOException {
        Faults.before(Faults.Op.CREATE, named);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream raw = Channels.newOutputStream(ch);
            OutputStream counted = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    Faults.before(Faults.Op.WRITE, named);
                    raw.write(b, off, len);
                }
            };
            OutputStream buffered = new java.io.BufferedOutputStream(counted, 1 << 16);
            content.writeTo(buffered);
            buffered.flush();
            Faults.before(Faults.Op.FSYNC, named);
            if (Faults.fsyncEnabled()) {
                ch.force(true);
            }
        }
    }

    /**
     * Appends bytes to a file (created if absent) and forces them to disk; used for logs such as
     * {@code metrics.jsonl} whose valid length a checkpoint records.
     *
     * @param file the file
     * @param bytes the bytes to append
     * @throws IOException naming the file if a step fails (a part of the bytes may then have been appended)
     */
    public static void append(Path file, byte[] bytes) throws IOException {
        try {
            Faults.before(Faults.Op.APPEND, file);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                Faults.before(Faults.Op.FSYNC, file);
                if (Faults.fsyncEnabled()) {
                    ch.force(true);
                }
            }
        } catch (IOException e) {
            throw named(file, e);
        }
    }

    /**
     * Shortens a file to a length and forces it to disk (nothing happens if it is already that short).
     *
     * @param file the file, which must exist
     * @param length the new length, {@code >= 0}
     * @throws IOException naming the file if a step fails
     */
    public static void truncate(Path file, long length) throws IOException {
        try {
            if (Files.size(file) <= length) {
                return;
            }
            Faults.before(Faults.Op.TRUNCATE, file);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(length);
                if (Faults.fsyncEnabled()) {
                    ch.force(true);
                }
            }
        } catch (IOException e) {
            throw named(file, e);
        }
    }

    /**
     * Creates a directory (its parents too) and forces its parent directory.
     *
     * @param dir the directory
     * @param mustBeNew true to fail with {@link FileAlreadyExistsException} if it exists
     * @throws IOException naming the directory if a step fails
     */
    public static void createDirectory(Path dir, boolean mustBeNew) throws IOException {
        Path abs = dir.toAbsolutePath();
        try {
            if (abs.getParent() != null && !Files.isDirectory(abs.getParent())) {
                Files.createDirectories(abs.getParent());
            }
            Faults.before(Faults.Op.MKDIR, abs);
            try {
                Files.createDirectory(abs);
            } catch (FileAlreadyExistsException e) {
                if (mustBeNew || !Files.isDirectory(abs)) {
                    throw e;
                }
                return;
            }
            fsyncDirectory(abs.getParent());
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException e) {
            throw named(abs, e);
        }
    }

    /**
     * Renames a file or directory atomically to a name that must not exist yet, then forces the directory.
     *
     * @param from the source
     * @param to the new name, in the same directory
     * @throws IOException naming the target if the rename fails
     */
    public static void renameNew(Path from, Path to) throws IOException {
        try {
            Faults.before(Faults.Op.RENAME, to);
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            fsyncDirectory(to.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw named(to, e);
        }
    }

    /**
     * Makes {@code target} a copy of {@code source} atomically: a hard link where the file system has them, a
     * byte copy otherwise, placed by rename.
     *
     * @param source the existing file
     * @param target the file to replace
     * @throws IOException naming the target if a step fails (it is then unchanged)
     */
    public static void publishCopy(Path source, Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        Path tmp = temporarySibling(abs);
        boolean done = false;
        try {
            Faults.before(Faults.Op.LINK, abs);
            try {
                Files.createLink(tmp, source);
            } catch (UnsupportedOperationException | FileSystemException e) {
                if (e instanceof FileSystemException fse && isNoSpace(fse)) {
                    throw fse;
                }
                deleteQuietly(tmp);
                byte[] bytes = Files.readAllBytes(source);
                writeNew(tmp, out -> out.write(bytes), abs);
            }
            Faults.before(Faults.Op.RENAME, abs);
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            done = true;
            fsyncDirectory(abs.getParent());
        } catch (IOException e) {
            throw named(abs, e);
        } finally {
            if (!done) {
                deleteQuietly(tmp);
            }
        }
    }

    /**
     * Forces a directory's entries to disk (a no-op where the platform cannot open directories).
     *
     * @param dir the directory
     * @throws IOException if forcing fails
     */
    public static void fsyncDirectory(Path dir) throws IOException {
        Faults.before(Faults.Op.FSYNC, dir);
        if (!Faults.fsyncEnabled()) {
            return;
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException e) {
            return; // e.g. Windows: directories cannot be opened, and renames are durable there
        }
        try (ch) {
            ch.force(true);
        } catch (IOException e) {
            if (!isNoSpace(e)) {
                return; // some file systems refuse fsync on directories
            }
            throw e;
        }
    }

    /**
     * Deletes a file or a directory tree (missing is fine), deepest entries first.
     *
     * @param path the file or directory
     * @throws IOException naming the path if a deletion fails
     */
    public static void deleteTree(Path path) throws IOException {
        if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(path)) {
                s.forEach(children::add);
            }
            for (Path c : children) {
                deleteTree(c);
            }
        }
        try {
            Faults.before(Faults.Op.DELETE, path);
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw named(path, e);
        }
    }

    /**
     * Deletes the temporary files and directories ({@code .*.tmp}) this class and {@link Checkpoint} leave in a
     * directory after a crash. Only call it on a directory no other process writes (e.g. a locked run directory).
     *
     * @param dir the directory (missing is fine)
     * @return the names removed
     * @throws IOException if listing or deleting fails
     */
    public static List<String> removeTemporaries(Path dir) throws IOException {
        List<String> removed = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return removed;
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, p -> {
            String n = p.getFileName().toString();
            return n.startsWith(".") && n.endsWith(TEMP_SUFFIX);
        })) {
            s.forEach(found::add);
        }
        for (Path p : found) {
            deleteTree(p);
            removed.add(p.getFileName().toString());
        }
        return removed;
    }

    /**
     * Whether a name is one of this class's temporary names.
     *
     * @param name a file name
     * @return true for {@code .*.tmp}
     */
    public static boolean isTemporary(String name) {
        return name.startsWith(".") && name.endsWith(TEMP_SUFFIX);
    }

    /**
     * A fresh temporary name next to a target, {@code .<name>.<pid>-<random>.tmp}.
     *
     * @param target the target path
     * @return the temporary path (not created)
     */
    public static Path temporarySibling(Path target) {
        Path abs = target.toAbsolutePath();
        return abs.resolveSibling("." + abs.getFileName() + "." + ProcessHandle.current().pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL) + TEMP_SUFFIX);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort: a leftover temporary is removed by removeTemporaries
        }
    }

    private static boolean isNoSpace(IOException e) {
        String m = e.getMessage();
        return m != null && (m.contains("No space left") || m.contains("Disk quota"));
    }

    /** An IOException whose message names the file; keeps NoSuchFile/AccessDenied/AlreadyExists types. */
    static IOException named(Path file, IOException e) {
        if (e instanceof NoSuchFileException || e instanceof java.nio.file.AccessDeniedException
                || e instanceof FileAlreadyExistsException) {
            return e;
        }
        String msg = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason()
                : e.getMessage();
        if (msg != null && msg.startsWith("cannot write ")) {
            return e;
        }
        return new IOException("cannot write " + file + ": " + (msg == null ? e.getClass().getSimpleName() : msg), e);
    }
}
