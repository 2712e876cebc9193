package io.isotropic.conformance;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.Filter;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.MethodFilter;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.opentest4j.AssertionFailedError;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Meta-tests: the suite must fail deliberately broken backends ({@link BrokenSpecimens}, each breaking one raw kernel
 * below the validating front, where a real backend's bug would be) in the contract that guards the broken property,
 * and for the right reason: a failure counts only if it is an assertion failure ({@link AssertionFailedError}, which
 * the suite's {@link ContractAssertions} and JUnit's assertions raise) whose message names the contract's id. An
 * exception of any other type (a {@code NullPointerException}, an {@code IllegalStateException} from the front) is
 * not a caught break. The unbroken reference backend passing everything is {@link ReferenceConformanceTest}.
 */
class SuiteMetaTest {

    /** What one run of a suite produced: per contract method, the assertion messages and the other errors. */
    private record Outcome(Map<String, List<String>> assertions, Map<String, List<String>> errors) {
        String describe() {
            StringBuilder b = new StringBuilder("assertion failures:");
            assertions.forEach((k, v) -> b.append("\n  ").append(k).append(": ").append(v.get(0)));
            b.append("\nother errors:");
            errors.forEach((k, v) -> b.append("\n  ").append(k).append(": ").append(v.get(0)));
            return b.toString();
        }
    }

    /**
     * Runs a suite on a broken specimen, without the contracts tagged {@code large} (heavy cases that the
     * meta-tests need not repeat on the scalar reference backend), plus any further filters.
     */
    private static Outcome run(Class<?> suite, Filter<?>... filters) {
        Filter<?>[] all = new Filter<?>[filters.length + 1];
        all[0] = TagFilter.excludeTags("large");
        System.arraycopy(filters, 0, all, 1, filters.length);
        List<Event> failed = EngineTestKit.engine("junit-jupiter").selectors(selectClass(suite)).filters(all)
                .execute().allEvents().failed().list();
        Map<String, List<String>> assertions = new TreeMap<>();
        Map<String, List<String>> errors = new TreeMap<>();
        for (Event e : failed) {
            String method = e.getTestDescriptor().getSource()
                    .filter(MethodSource.class::isInstance).map(s -> ((MethodSource) s).getMethodName()).orElse("?");
            Throwable t = e.getPayload(TestExecutionResult.class).flatMap(TestExecutionResult::getThrowable)
                    .orElse(null);
            String message = t == null ? "(no throwable)" : t.getClass().getSimpleName() + ": " + t.getMessage();
            (t instanceof AssertionFailedError ? assertions : errors).computeIfAbsent(method, k -> new ArrayList<>())
                    .add(message);
        }
        return new Outcome(assertions, errors);
    }

    /** Requires an assertion failure of {@code method} whose message names {@code id}. */
    private static void caughtBy(Outcome o, String method, String id) {
        List<String> messages = o.assertions().getOrDefault(method, List.of());
        assertTrue(messages.stream().anyMatch(m -> m.contains(id)), method + " (" + id + ") did not catch the break "
                + "with an assertion naming " + id + "; " + o.describe());
    }

    @Test
    void anUnnormalisedRawSvdPassesBecauseTheFrontNormalises() {
        Outcome o = run(BrokenSpecimens.UnnormalisedSvdSuite.class);
        assertTrue(o.assertions().isEmpty() && o.errors().isEmpty(), o.describe());
    }

    @Test
    void aRawSvdOffByOneInAMillionFailsTheSvdContracts() {
        Outcome o = run(BrokenSpecimens.NoisySvdSuite.class);
        caughtBy(o, "s01_reconstructionOrthogonalityOrdering", "S01");
        caughtBy(o, "s02_knownSingularValues", "S02");
    }

    @Test
    void tailDroppingKernelsFailTheAwkwardSizeContracts() {
        Outcome o = run(BrokenSpecimens.TailDroppingSuite.class);
        caughtBy(o, "k01_gemmMatchesReference", "K01");
        caughtBy(o, "k04_rowSquaredNormsMatchReference", "K04");
    }

    @Test
    void wrongGradientFailsTheGradientContracts() {
        // the network contracts train networks for seconds each; the gradient checks are the ones that guard this
        Outcome o = run(BrokenSpecimens.WrongGradientSuite.class,
                MethodFilter.includeMethodNamePatterns(".*#a0[0-9]_.*", ".*#n01_.*"));
        caughtBy(o, "a06_backwardMatchesReference", "A06");
        caughtBy(o, "a07_gradientMatchesFiniteDifferences", "A07");
        caughtBy(o, "n01_gradientsMatchFiniteDifferences", "N01");
    }

    @Test
    void anActivationIgnoringTheIntrinsicLengthFailsTheActivationContracts() {
        Outcome o = run(BrokenSpecimens.IgnoresIntrinsicLengthSuite.class);
        caughtBy(o, "a04_smallBallAndReferenceValues", "A04");
        caughtBy(o, "a05_forwardMatchesReference", "A05");
    }

    @Test
    void anActivationWithoutTheSmallBallFailsTheSmallBallContract() {
        Outcome o = run(BrokenSpecimens.IgnoresSmallBallSuite.class);
        caughtBy(o, "a04_smallBallAndReferenceValues", "A04");
    }

    @Test
    void anF32ProductComputedInDoubleFailsTheFloatArithmeticContract() {
        Outcome o = run(BrokenSpecimens.F32ProductInF64Suite.class);
        caughtBy(o, "k11_f32ProductsAreComputedInFloat", "K11");
    }

    @Test
    void adamWithoutBiasCorrectionFailsTheAdamContracts() {
        Outcome o = run(BrokenSpecimens.AdamWithoutBiasCorrectionSuite.class);
        caughtBy(o, "k08_adamStepMatchesReference", "K08");
        caughtBy(o, "k09_adamHandComputedFirstStep", "K09");
    }
}
