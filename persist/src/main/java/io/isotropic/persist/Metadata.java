package io.isotropic.persist;

import java.nio.file.Path;
import java.util.Map;

/** Strict parsing of file metadata values, with messages that name the file, the key and the value. */
final class Metadata {
    private final Map<String, String> m;
    private final String source;

    Metadata(Map<String, String> m, Path source) {
        this.m = m;
        this.source = source.toString();
    }

    Metadata(Map<String, String> m, String source) {
        this.m = m;
        this.source = source;
    }

    String req(String key) throws ModelFormatException {
        String v = m.get(key);
        if (v == null) {
            throw new ModelFormatException(source + ": metadata entry '" + key + "' is missing");
        }
        return v;
    }

    long integer(String key, long min, long max) throws ModelFormatException {
        return integer(key, req(key), min, max);
    }

    long integer(String key, String v, long min, long max) throws ModelFormatException {
        String t = v.trim();
        long x;
        try {
            x = Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new ModelFormatException(source + ": metadata " + key + " = '" + quote(v) + "' is not an integer");
        }
        if (x < min || x > max) {
            throw new ModelFormatException(source + ": metadata " + key + " = " + x + " is out of range " + min + ".."
                    + max);
        }
        return x;
    }

    double real(String key, double min, double max) throws ModelFormatException {
        String v = req(key);
        double x;
        try {
            x = Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new ModelFormatException(source + ": metadata " + key + " = '" + quote(v) + "' is not a number");
        }
        if (!(x >= min && x <= max)) {
            throw new ModelFormatException(source + ": metadata " + key + " = " + quote(v) + " is not a finite number "
                    + "in [" + min + ", " + max + "]");
        }
        return x;
    }

    <E extends Enum<E>> E choice(String key, Class<E> type) throws ModelFormatException {
        String v = req(key);
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(v.trim())) {
                return e;
            }
        }
        StringBuilder names = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            names.append(names.isEmpty() ? "" : ", ").append(e.name());
        }
        throw new ModelFormatException(source + ": metadata " + key + " = '" + quote(v) + "' is not one of "
                + names);
    }

    static String quote(String v) {
        String s = v.length() > 40 ? v.substring(0, 40) + "..." : v;
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return sb.toString();
    }
}
