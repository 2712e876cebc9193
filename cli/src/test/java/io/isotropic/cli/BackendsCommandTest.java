package io.isotropic.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackendsCommandTest {

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void listsAllThreeBackendsWithAvailabilityAndReason() {
        String[] r = run("backends");
        assertEquals("0", r[0], r[2]);
        for (String name : new String[] {"vector", "ejml", "ojalgo"}) {
            assertTrue(r[1].lines().anyMatch(l -> l.startsWith(name + " ")), "missing " + name + " in\n" + r[1]);
        }
        assertTrue(r[1].contains("EJML 0.46.1 on the class path"), r[1]);
        assertTrue(r[1].contains("selected: "), r[1]);
    }

    @Test
    void unknownBackendPropertyNamesTheValidChoices() {
        String old = System.getProperty("isotropic.backend");
        System.setProperty("isotropic.backend", "nonsense");
        try {
            String[] r = run("backends");
            assertEquals("2", r[0]);
            assertTrue(r[2].contains("unknown backend 'nonsense' (from system property isotropic.backend)"), r[2]);
            assertTrue(r[2].contains("ejml (available)"), r[2]);
            assertTrue(r[2].contains("vector") && r[2].contains("ojalgo"), r[2]);
        } finally {
            if (old == null) {
                System.clearProperty("isotropic.backend");
            } else {
                System.setProperty("isotropic.backend", old);
            }
        }
    }
}
