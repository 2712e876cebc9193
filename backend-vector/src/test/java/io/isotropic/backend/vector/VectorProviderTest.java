package io.isotropic.backend.vector;

import io.isotropic.BackendInfo;
import io.isotropic.Backends;
import io.isotropic.spi.Backend;
import io.isotropic.spi.BackendOptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The provider: unavailable with the flag to add when the module is absent, preferred when it is present. */
class VectorProviderTest {

    @Test
    void withoutTheModuleTheProbeNamesTheFlagAndCreateFails() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                ProbeWithoutModuleMain.class.getName()).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish: " + out);
        assertEquals(0, child.exitValue(), "child JVM failed: " + out);
        List<String> lines = out.lines().toList();
        assertTrue(lines.contains("module=false"), "the child must run without the module: " + out);
        String info = lines.stream().filter(l -> l.startsWith("info=")).findFirst().orElseThrow(
                () -> new AssertionError("vector backend not discovered: " + out));
        assertTrue(info.startsWith("info=false|"), "must be unavailable: " + info);
        assertTrue(info.contains("--add-modules jdk.incubator.vector"), "reason must name the flag: " + info);
        assertTrue(!info.contains("probe failed"), "the probe itself must not fail (no Vector API class touched): "
                + info);
        String create = lines.stream().filter(l -> l.startsWith("create=")).findFirst().orElseThrow();
        assertTrue(create.startsWith("create=BackendUnavailableException|"), "create must refuse: " + create);
        assertTrue(create.contains("--add-modules jdk.incubator.vector"), "and say why: " + create);
    }

    @Test
    void withTheModuleItIsAvailableAndPreferred() {
        VectorBackendProvider p = new VectorBackendProvider();
        assertEquals("vector", p.name());
        assertEquals(100, p.priority());
        assertTrue(p.probe().available(), p.probe().reason());
        assertTrue(p.probe().reason().contains(VectorBackend.doubleLanes() + " doubles"), p.probe().reason());
        BackendInfo first = Backends.describe().get(0);
        assertEquals("vector", first.name(), "highest priority comes first: " + Backends.describe());
        try (Backend be = p.create(BackendOptions.withThreads(3))) {
            assertEquals(3, be.threads());
            assertEquals("vector", be.name());
        }
    }
}
