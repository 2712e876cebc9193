package io.isotropic.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Opens data files, transparently decompressing gzip (detected by its magic bytes, not the file name). */
final class Sources {
    private Sources() {
    }

    static InputStream open(Path file) throws IOException {
        if (file == null) {
            throw new IllegalArgumentException("data file path is null");
        }
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "data file does not exist");
        }
        if (!Files.isReadable(file) || Files.isDirectory(file)) {
            throw new IOException(file + ": not a readable file");
        }
        return maybeGunzip(Files.newInputStream(file));
    }

    static InputStream maybeGunzip(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        }
        return in;
    }
}
