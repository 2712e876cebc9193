package io.isotropic.conformance;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Meta-tests: the suite must fail deliberately broken backends, in the contracts that guard the broken property.
 * The unbroken reference backend passing everything is {@link ReferenceConformanceTest}.
 */
class SuiteMetaTest {
    /** Specimens are not registered providers, so the by-name lookup rightly finds a different class. */
    private static final String NOT_REGISTERED = "d02_selectableByName";

    private static Set<String> failedContracts(Class<?> suite) {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter").selectors(selectClass(suite)).execute();
        Set<String> failed = new TreeSet<>();
        for (Event e : results.allEvents().failed().list()) {
            e.getTestDescriptor().getSource().ifPresent(src -> {
                if (src instanceof org.junit.platform.engine.support.descriptor.MethodSource ms) {
                    failed.add(ms.getMethodName());
                }
            });
        }
        return failed;
    }

    @Test
    void unsortedSvdFailsTheOrderingContracts() {
        Set<String> failed = failedContracts(BrokenSpecimens.UnsortedSvdSuite.class);
        assertTrue(failed.contains("s01_reconstructionOrthogonalityOrdering"), "failed: " + failed);
        assertTrue(failed.contains("s02_knownSingularValues"), "failed: " + failed);
        // neurodegeneration removes the last singular direction, so an unsorted SVD removes the wrong neuron
        assertTrue(failed.contains("r06_exactNeurodegeneration"), "failed: " + failed);
        assertTrue(failed.stream().allMatch(n -> n.startsWith("s") || n.startsWith("r") || n.equals(NOT_REGISTERED)),
                "only SVD and restructuring contracts should fail: " + failed);
    }

    @Test
    void tailDroppingKernelsFailTheAwkwardSizeContracts() {
        Set<String> failed = failedContracts(BrokenSpecimens.TailDroppingSuite.class);
        assertTrue(failed.contains("k01_gemmMatchesReference"), "failed: " + failed);
        assertTrue(failed.contains("k04_rowSquaredNormsMatchReference"), "failed: " + failed);
    }

    @Test
    void wrongGradientFailsTheGradientContracts() {
        Set<String> failed = failedContracts(BrokenSpecimens.WrongGradientSuite.class);
        assertTrue(failed.contains("a06_backwardMatchesReference"), "failed: " + failed);
        assertTrue(failed.contains("a07_gradientMatchesFiniteDifferences"), "failed: " + failed);
        assertTrue(failed.contains("n01_gradientsMatchFiniteDifferences"), "failed: " + failed);
        assertTrue(failed.stream().allMatch(n -> n.startsWith("a") || n.startsWith("n") || n.equals(NOT_REGISTERED)),
                "only activation and network contracts should fail: " + failed);
    }
}
