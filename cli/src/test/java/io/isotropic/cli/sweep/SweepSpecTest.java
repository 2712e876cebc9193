package io.isotropic.cli.sweep;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sweep specs: expansion into runs, stable identifiers, and every kind of bad input refused with a clear message. */
class SweepSpecTest {
    static SweepSpec parse(String json) {
        return SweepSpec.parse(json, "sweep spec t.json", "t", Path.of("/data"));
    }

    @Test
    void aGridTimesConfigurationsTimesSeedsExpandsIntoRunsWithTrainArguments() {
        SweepSpec s = parse("""
                {"name": "g", "base": {"epochs": 3, "lr": 5e-3, "dataset": "digits"},
                 "configurations": [{"label": "iso"}, {"label": "tanh", "activation": "tanh"}],
                 "grid": {"hidden": [[32], [64, 64]], "adapt": [null, 4]},
                 "seeds": [7, 9]}
                """);
        assertEquals("g", s.name());
        assertEquals(8, s.configurations().size(), "2 configurations x 2 x 2 grid points");
        assertEquals(List.of(7L, 9L), s.seeds());
        List<RunSpec> runs = s.expand("ejml");
        assertEquals(16, runs.size());
        RunSpec first = runs.get(0);
        assertEquals("iso adapt=- hidden=32", first.label());
        assertEquals(List.of("--dataset", "digits", "--epochs", "3", "--hidden", "32", "--lr", "0.005", "--backend",
                "ejml", "--threads", "1", "--seed", "7", "--init-seed", "7"), first.trainArguments());
        RunSpec adaptive = runs.get(2);
        assertTrue(adaptive.trainArguments().containsAll(List.of("--adapt", "4")), adaptive.toString());
        assertTrue(runs.get(8).trainArguments().containsAll(List.of("--activation", "tanh")));
        assertEquals(runs.get(0).configId(), runs.get(1).configId(), "repeats share the configuration");
        assertEquals(16, runs.stream().map(RunSpec::id).distinct().count(), "ids are unique");
        assertTrue(first.id().endsWith("-s7"), first.id());

        // labels: the options that differ, when no label is given
        SweepSpec g = parse("{\"grid\": {\"hidden\": [[8], [16]], \"adapt\": [null, 2]}}");
        assertEquals(List.of("adapt=- hidden=8", "adapt=2 hidden=8", "adapt=- hidden=16", "adapt=2 hidden=16"),
                g.configurations().stream().map(SweepSpec.Configuration::label).toList());
        assertEquals(List.of(1L), g.seeds(), "one repeat with seed 1 by default");
        assertEquals("base", parse("{}").configurations().get(0).label());
    }

    @Test
    void identifiersDependOnTheConfigurationNotOnItsSpelling() {
        String a = parse("{\"base\": {\"lr\": 0.005, \"hidden\": [16]}, \"repeats\": 2}").expand("ejml").get(1).id();
        String b = parse("{\"grid\": {\"hidden\": [[16], [8]]}, \"base\": {\"lr\": 5e-3}, \"seeds\": [3, 2]}")
                .expand("ejml").get(1).id();
        assertEquals(a, b, "same options and seed: same run, in any order or number format");
        assertEquals(a, parse("{\"base\": {\"lr\": 0.005, \"hidden\": [16], \"adapt\": null}, \"repeats\": 2}")
                .expand("ejml").get(1).id(), "null is the default, not a different configuration");
        assertNotEquals(a, parse("{\"base\": {\"lr\": 0.005, \"hidden\": [16]}, \"repeats\": 2}").expand("vector")
                .get(1).id(), "another backend computes another result");
        Path dir = Path.of("/data/sets");
        SweepSpec p = SweepSpec.parse("{\"base\": {\"dataset\": \"x/train.csv\", \"test_data\": \"/abs/t.csv\"}}", "s",
                "s", dir);
        List<String> args = p.expand("ejml").get(0).trainArguments();
        assertTrue(args.containsAll(List.of("--dataset", "/data/sets/x/train.csv", "--test-data", "/abs/t.csv")),
                "relative data paths are resolved against the spec's directory: " + args);
    }

    @Test
    void badInputIsRefusedNamingTheKeyAndValue() {
        String[][] cases = {
            {"[1, 2]", "expected a JSON object"},
            {"{\"base\": {\"lr\": 1e-3,}", "not valid JSON"},
            {"{\"base\": {\"lr\": 1}, \"base\": {}}", "not valid JSON: Duplicate field 'base'"},
            {"{\"bsae\": {}}", "unknown key 'bsae'"},
            {"{\"base\": {\"learning_rate\": 0.1}}", "base.learning_rate: unknown option 'learning_rate'"},
            {"{\"grid\": {}}", "grid is empty"},
            {"{\"grid\": {\"hidden\": []}}", "grid.hidden: empty list of values"},
            {"{\"grid\": {\"lr\": 0.1}}", "grid.lr: expected an array of values, got 0.1"},
            {"{\"configurations\": []}", "configurations is empty"},
            {"{\"repeats\": 0}", "repeats must be >= 1, got 0"},
            {"{\"repeats\": -3}", "repeats must be >= 1, got -3"},
            {"{\"repeats\": \"2\"}", "repeats must be an integer >= 1, got \"2\""},
            {"{\"seeds\": [1, 1]}", "seed 1 appears twice"},
            {"{\"seeds\": [1, 2], \"repeats\": 3}", "repeats is 3 but seeds has 2 entries"},
            {"{\"base\": {\"seed\": 4}}", "base.seed: a configuration may not set 'seed'"},
            {"{\"base\": {\"threads\": 4}}", "may not set 'threads': every run is single-threaded"},
            {"{\"base\": {\"lr\": \"fast\"}}", "base.lr: expected a finite number, got \"fast\""},
            {"{\"base\": {\"epochs\": 1.5}}", "base.epochs: expected an integer, got 1.5"},
            {"{\"base\": {\"hidden\": 64}}", "base.hidden: expected a non-empty array of widths"},
            {"{\"base\": {\"grow_unrotated\": \"yes\"}}", "expected true or false, got \"yes\""},
            {"{\"configurations\": [{\"lr\": 0.1}], \"grid\": {\"lr\": [0.2]}}", "grid.lr: the option is also set"},
            {"{\"configurations\": [{\"lr\": 0.1}, {\"lr\": 1e-1}]}", "configurations 0 and 1 are the same"},
            {"{\"configurations\": [{\"label\": 3}]}", "configurations[0].label: must be a non-empty string"},
            {"{\"format\": \"other\"}", "format must be \"isotropic-sweep\""},
        };
        for (String[] c : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(c[0]), c[0]);
            assertTrue(e.getMessage().startsWith("sweep spec t.json: "), e.getMessage());
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> parse("{}").expand(" "));
    }

    /** The example specs of docs/sweeps (shown in the README) are valid. */
    @Test
    void theDocumentedExamplesParse() throws Exception {
        Path docs = Path.of("..", "docs", "sweeps");
        assertEquals(6 * 3, SweepSpec.read(docs.resolve("digits-adapt.json")).expand("ejml").size());
        SweepSpec tanh = SweepSpec.read(docs.resolve("tanh.json"));
        assertEquals(8 * 3, tanh.expand("ejml").size());
        assertEquals(List.of("isotropic hidden=64,64", "isotropic hidden=64,64,64", "isotropic hidden=256,256",
                "isotropic hidden=256,256,256", "element-wise hidden=64,64"), tanh.configurations().stream().limit(5)
                .map(SweepSpec.Configuration::label).toList(), "a label, then the grid's options");
        assertEquals(4 * 2, SweepSpec.read(docs.resolve("abundance.json")).expand("ejml").size());
    }

    @Test
    void runSpecsAndResultsCheckTheirFields() {
        assertThrows(IllegalArgumentException.class, () -> new RunSpec("../x", "c", "l", 0, 0, 1, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Outcome<String>("x", null, null, 1, 0, "h"));
        assertThrows(IllegalArgumentException.class, () -> new Outcome<String>("x", "v", null, 0, 0, "h"));
        assertThrows(IllegalArgumentException.class, () -> new ExecutorSettings(1, null, -1, Path.of("."), null));
        assertThrows(IllegalArgumentException.class, () -> new RunOutput(RunResult.failed(new RunSpec("x", "c", "l",
                0, 0, 1, List.of()), "e", 0, 1, "h"), java.util.Map.of("../escape", new byte[0])));
    }
}
