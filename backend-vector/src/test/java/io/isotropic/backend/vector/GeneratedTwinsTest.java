package io.isotropic.backend.vector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The F64/F32 twins the build compiles are exactly what {@link TwinGenerator} makes of their templates (the build
 * generates them into {@code target/generated-sources/twins}), and none of them is also a checked-in source; the
 * generator's template language does what its documentation says.
 */
class GeneratedTwinsTest {
    /** Surefire runs in the module folder. */
    private static final Path MODULE = Path.of("");

    @Test
    void compiledTwinsAreGeneratedFromTheirTemplates() throws IOException {
        Path root = MODULE.resolve(TwinGenerator.OUTPUT_DIR);
        List<String> problems = new ArrayList<>();
        for (String name : TwinGenerator.TEMPLATES) {
            for (TwinGenerator.Kind kind : TwinGenerator.Kind.values()) {
                Path checkedIn = TwinGenerator.output(MODULE.resolve("src/main/java"), name, kind);
                if (Files.exists(checkedIn)) {
                    problems.add(checkedIn + " is a source of its own; the build generates it");
                }
                Path file = TwinGenerator.output(root, name, kind);
                String expected = TwinGenerator.generate(MODULE, name, kind);
                String actual = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
                if (!expected.equals(actual)) {
                    problems.add(file + " is not what its template gives (first difference at line "
                            + firstDifference(expected, actual) + ")");
                }
            }
        }
        assertTrue(problems.isEmpty(), () -> String.join("; ", problems) + "; the templates are in backend-vector/"
                + TwinGenerator.TEMPLATE_DIR + ", and the build (generate-sources) or java " + TwinGenerator.SELF
                + " regenerates the twins");
    }

    @Test
    void expandsTokensAndKeepsOneSideOfEachConditionalBlock() {
        List<String> template = List.of(
                "$type$ x = $cast$y * 2.0$f$; $Type$Vector v; // F$Bits$",
                "#if[F32]",
                "only float",
                "#else[F32]",
                "only double",
                "  #end[F32]",
                "both");
        String f64 = TwinGenerator.expand("t", template, TwinGenerator.Kind.F64);
        String f32 = TwinGenerator.expand("t", template, TwinGenerator.Kind.F32);
        assertEquals("double x = y * 2.0; DoubleVector v; // F64\nonly double\nboth\n", body(f64));
        assertEquals("float x = (float) y * 2.0f; FloatVector v; // F32\nonly float\nboth\n", body(f32));
    }

    @Test
    void rejectsUnknownTokensAndUnbalancedBlocks() {
        assertThrows(IllegalArgumentException.class,
                () -> TwinGenerator.expand("t", List.of("$typo$"), TwinGenerator.Kind.F64));
        assertThrows(IllegalArgumentException.class,
                () -> TwinGenerator.expand("t", List.of("#if[F64]", "x"), TwinGenerator.Kind.F64));
        assertThrows(IllegalArgumentException.class,
                () -> TwinGenerator.expand("t", List.of("#if[F64]", "#end[F32]"), TwinGenerator.Kind.F64));
        assertThrows(IllegalArgumentException.class,
                () -> TwinGenerator.expand("t", List.of("x; #if[F64]"), TwinGenerator.Kind.F64));
    }

    /** The generated text without its two header lines. */
    private static String body(String generated) {
        int first = generated.indexOf('\n');
        return generated.substring(generated.indexOf('\n', first + 1) + 1);
    }

    private static int firstDifference(String a, String b) {
        String[] x = a.split("\n", -1);
        String[] y = b.split("\n", -1);
        int i = 0;
        while (i < x.length && i < y.length && x[i].equals(y[i])) {
            i++;
        }
        return i + 1;
    }
}
