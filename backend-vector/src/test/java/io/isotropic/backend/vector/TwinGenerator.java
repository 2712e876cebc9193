package io.isotropic.backend.vector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Generates the mechanical F64/F32 twins of this backend ({@code GemmF64}/{@code GemmF32}, ...) from one template
 * each in {@code backend-vector/src/template}, as the JDK generates its Vector API classes and tests. The build runs
 * it at {@code generate-sources} (exec-maven-plugin, with the JDK that runs Maven) into
 * {@code backend-vector/target/generated-sources/twins}, a source root of the module; the generated files are not
 * checked in. What differs between the types for numerical reasons is not templated but written by hand
 * ({@code SumsF64}, {@code SumsF32}).
 *
 * <p>The build is the usual way to run it; by hand, from the repository root (JDK 17 or newer; JDK-only, so the
 * source launcher runs it directly):
 * <pre>
 * java backend-vector/src/test/java/io/isotropic/backend/vector/TwinGenerator.java [module [output]]
 * </pre>
 * where module defaults to {@code backend-vector} (or {@code .} when there is no such folder) and output to
 * {@code module/target/generated-sources/twins}. A file whose text is unchanged is not rewritten, and a
 * {@code .java} file in the output package that no template generates is deleted.
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
    /** Default output folder (a source root, see the module's pom.xml) relative to the module. */
    static final String OUTPUT_DIR = "target/generated-sources/twins";
    /** Package folder of the generated classes below the output folder. */
    static final String PACKAGE_DIR = "io/isotropic/backend/vector";

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
     * @param args optional: the module folder (default {@code backend-vector} if it exists, else {@code .}), then
     *             the output folder (default {@code module/target/generated-sources/twins})
     * @throws IOException if a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        Path module = args.length > 0 ? Path.of(args[0])
                : Files.isDirectory(Path.of("backend-vector")) ? Path.of("backend-vector") : Path.of(".");
        Path root = args.length > 1 ? Path.of(args[1]) : module.resolve(OUTPUT_DIR);
        Path dir = root.resolve(PACKAGE_DIR);
        Files.createDirectories(dir);
        Set<Path> generated = new HashSet<>();
        int written = 0;
        for (String name : TEMPLATES) {
            for (Kind kind : Kind.values()) {
                Path out = output(root, name, kind);
                generated.add(out);
                String text = generate(module, name, kind);
                if (!Files.exists(out) || !Files.readString(out, StandardCharsets.UTF_8).equals(text)) {
                    Files.writeString(out, text, StandardCharsets.UTF_8);
                    written++;
                }
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path stale : files.filter(f -> f.toString().endsWith(".java") && !generated.contains(f)).toList()) {
                Files.delete(stale);
                System.out.println("TwinGenerator: deleted " + stale + ", which no template generates");
            }
        }
        System.out.println("TwinGenerator: " + generated.size() + " twins in " + dir + " (" + written
                + " written, " + (generated.size() - written) + " unchanged)");
    }

    /**
     * The file a template generates for one type.
     *
     * @param root the output folder (a source root)
     * @param name template name, e.g. {@code Gemm}
     * @param kind the type
     * @return e.g. {@code root/io/isotropic/backend/vector/GemmF64.java}
     */
    static Path output(Path root, String name, Kind kind) {
        return root.resolve(PACKAGE_DIR).resolve(name + kind.name() + ".java");
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
                .append("// Edit the template; the build regenerates this file (see backend-vector/README.md).\n");
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
