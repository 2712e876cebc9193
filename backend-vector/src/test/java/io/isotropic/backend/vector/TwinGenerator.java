package io.isotropic.backend.vector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Generates the mechanical F64/F32 twins of this backend ({@code GemmF64}/{@code GemmF32}, ...) from one template
 * each in {@code backend-vector/src/template}, as the JDK generates its Vector API classes and tests. The generated
 * files are checked in; {@code GeneratedTwinsTest} fails when one differs from what its template gives.
 *
 * <p>Run from the repository root (JDK 17 or newer; JDK-only, so the source launcher runs it directly):
 * <pre>
 * java backend-vector/src/test/java/io/isotropic/backend/vector/TwinGenerator.java
 * </pre>
 *
 * <p>Template syntax, kept deliberately small:
 * <ul>
 *   <li>tokens {@code $type$} ({@code double} / {@code float}), {@code $Type$} ({@code Double} / {@code Float}, so
 *       {@code $Type$Vector} is the vector class), {@code $Bits$} ({@code 64} / {@code 32}, so {@code GemmF$Bits$}
 *       is the class), {@code $f$} (the literal suffix: empty / {@code f}) and {@code $cast$} (empty /
 *       {@code (float) }, the rounding of a double expression to the element type); any other {@code $word$} is
 *       an error;</li>
 *   <li>lines {@code #if[F64]}, {@code #if[F32]}, {@code #else[...]}, {@code #end[...]} (alone on their line,
 *       nestable) keep the lines between them for one type only: the code that differs for numerical reasons,
 *       written by hand for each type side by side.</li>
 * </ul>
 */
public final class TwinGenerator {
    /** The templates, each generating {@code <Name>F64.java} and {@code <Name>F32.java}. */
    static final List<String> TEMPLATES = List.of("Gemm", "Elementwise", "IsoTanh");
    /** Template folder relative to the module. */
    static final String TEMPLATE_DIR = "src/template";
    /** Output folder relative to the module. */
    static final String OUTPUT_DIR = "src/main/java/io/isotropic/backend/vector";

    /** This program, as run from the repository root. */
    static final String SELF = "backend-vector/src/test/java/io/isotropic/backend/vector/TwinGenerator.java";

    private static final Pattern TOKEN = Pattern.compile("\\$([A-Za-z]+)\\$");
    private static final Pattern DIRECTIVE = Pattern.compile("\\s*#(if|else|end)\\[(F64|F32)]\\s*");

    /** The two element types. */
    enum Kind {
        F64("double", "Double", "64", "", ""),
        F32("float", "Float", "32", "f", "(float) ");

        final Map<String, String> tokens = new LinkedHashMap<>();

        Kind(String type, String boxed, String bits, String suffix, String cast) {
            tokens.put("type", type);
            tokens.put("Type", boxed);
            tokens.put("Bits", bits);
            tokens.put("f", suffix);
            tokens.put("cast", cast);
        }
    }

    private TwinGenerator() {
    }

    /**
     * Regenerates every twin.
     *
     * @param args optional: the module folder (default {@code backend-vector} if it exists, else {@code .})
     * @throws IOException if a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        Path module = args.length > 0 ? Path.of(args[0])
                : Files.isDirectory(Path.of("backend-vector")) ? Path.of("backend-vector") : Path.of(".");
        for (String name : TEMPLATES) {
            for (Kind kind : Kind.values()) {
                Path out = output(module, name, kind);
                String text = generate(module, name, kind);
                if (!Files.exists(out) || !Files.readString(out, StandardCharsets.UTF_8).equals(text)) {
                    Files.writeString(out, text, StandardCharsets.UTF_8);
                    System.out.println("wrote " + out);
                } else {
                    System.out.println("unchanged " + out);
                }
            }
        }
    }

    /**
     * The checked-in file a template generates for one type.
     *
     * @param module the module folder
     * @param name template name, e.g. {@code Gemm}
     * @param kind the type
     * @return e.g. {@code module/src/main/java/.../GemmF64.java}
     */
    static Path output(Path module, String name, Kind kind) {
        return module.resolve(OUTPUT_DIR).resolve(name + kind.name() + ".java");
    }

    /**
     * Generates one file.
     *
     * @param module the module folder
     * @param name template name
     * @param kind the type
     * @return the Java source
     */
    static String generate(Path module, String name, Kind kind) {
        String file = TEMPLATE_DIR + "/" + name + ".java.template";
        try {
            return expand(file, Files.readAllLines(module.resolve(file), StandardCharsets.UTF_8), kind);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Expands a template for one type.
     *
     * @param file the template's name, for the header and error messages
     * @param lines its lines
     * @param kind the type
     * @return the Java source, lines ended by {@code \n}
     */
    static String expand(String file, List<String> lines, Kind kind) {
        StringBuilder out = new StringBuilder();
        out.append("// Generated by TwinGenerator from backend-vector/").append(file).append(" (").append(kind.name())
                .append("); do not edit.\n")
                .append("// Edit the template, then run: java ").append(SELF).append('\n');
        // one entry per open #if: {type of the block, currently in the #else part}
        Deque<Object[]> open = new ArrayDeque<>();
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String where = file + ":" + (i + 1);
            Matcher d = DIRECTIVE.matcher(line);
            if (d.matches()) {
                String op = d.group(1);
                String type = d.group(2);
                if (op.equals("if")) {
                    open.push(new Object[] {type, false});
                } else if (open.isEmpty() || !open.peek()[0].equals(type)) {
                    errors.add(where + ": #" + op + "[" + type + "] does not close the innermost #if");
                } else if (op.equals("else")) {
                    open.peek()[1] = true;
                } else {
                    open.pop();
                }
                continue;
            }
            if (line.contains("#if[") || line.contains("#else[") || line.contains("#end[")) {
                errors.add(where + ": a directive must stand alone on its line");
            }
            boolean keep = true;
            for (Object[] block : open) {
                boolean forThis = block[0].equals(kind.name());
                keep &= (Boolean) block[1] != forThis;
            }
            if (!keep) {
                continue;
            }
            Matcher t = TOKEN.matcher(line);
            StringBuilder expanded = new StringBuilder();
            while (t.find()) {
                String value = kind.tokens.get(t.group(1));
                if (value == null) {
                    errors.add(where + ": unknown token $" + t.group(1) + "$");
                    value = t.group();
                }
                t.appendReplacement(expanded, Matcher.quoteReplacement(value));
            }
            t.appendTail(expanded);
            out.append(expanded).append('\n');
        }
        if (!open.isEmpty()) {
            errors.add(file + ": " + open.size() + " #if block(s) not closed");
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", errors));
        }
        return out.toString();
    }
}
