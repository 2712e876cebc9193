package io.isotropic.bench.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One JMH result as the report uses it, read from JMH's JSON output ({@code -rf json}).
 *
 * @param benchmarkClass fully qualified benchmark class
 * @param method benchmark method name
 * @param params the JMH parameters
 * @param mode JMH mode ({@code avgt}, {@code thrpt}, ...)
 * @param score primary score in {@code unit}
 * @param error half-width of the 99.9% confidence interval, NaN if JMH had too few iterations
 * @param unit primary score unit, e.g. {@code us/op} or {@code ops/us}
 * @param secondary secondary metrics: name to score (in {@code secondaryUnits})
 * @param secondaryUnits secondary metrics: name to unit
 * @param secondaryBest secondary metrics: name to the largest of the measurement iterations (JMH's {@code rawData};
 *                      the score where there is none), for a ceiling such as the FMA peak, which noise only lowers
 * @param run the run-wide settings of this result (JVM, flags, JMH iterations)
 */
public record Result(String benchmarkClass, String method, Map<String, String> params, String mode, double score,
                     double error, String unit, Map<String, Double> secondary, Map<String, String> secondaryUnits,
                     Map<String, Double> secondaryBest, RunInfo run) {

    /**
     * JVM and JMH settings recorded with a result.
     *
     * @param jmhVersion JMH version
     * @param jdkVersion JDK version
     * @param vmName VM name
     * @param vmVersion VM version
     * @param jvmArgs the forked JVM's arguments
     * @param forks forks
     * @param warmup warm-up iterations and time, e.g. {@code "2 x 1 s"}
     * @param measurement measurement iterations and time
     */
    public record RunInfo(String jmhVersion, String jdkVersion, String vmName, String vmVersion, List<String> jvmArgs,
                          int forks, String warmup, String measurement) {
    }

    /**
     * Parses one element of JMH's JSON array.
     *
     * @param node the element
     * @return the result
     * @throws IllegalArgumentException if a required field is missing or malformed
     */
    public static Result parse(JsonNode node) {
        String bench = text(node, "benchmark");
        int dot = bench.lastIndexOf('.');
        if (dot <= 0) {
            throw new IllegalArgumentException("Report: benchmark name '" + bench + "' has no class part");
        }
        Map<String, String> params = new LinkedHashMap<>();
        JsonNode p = node.get("params");
        if (p != null) {
            p.fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
        }
        JsonNode primary = node.get("primaryMetric");
        if (primary == null) {
            throw new IllegalArgumentException("Report: result of " + bench + " has no primaryMetric");
        }
        Map<String, Double> secondary = new LinkedHashMap<>();
        Map<String, String> secondaryUnits = new LinkedHashMap<>();
        Map<String, Double> secondaryBest = new LinkedHashMap<>();
        JsonNode sec = node.get("secondaryMetrics");
        if (sec != null) {
            sec.fields().forEachRemaining(e -> {
                double score = number(e.getValue().get("score"));
                secondary.put(e.getKey(), score);
                secondaryUnits.put(e.getKey(), e.getValue().path("scoreUnit").asText(""));
                double best = Double.NEGATIVE_INFINITY;
                for (JsonNode fork : e.getValue().path("rawData")) {
                    for (JsonNode it : fork) {
                        double v = number(it);
                        if (v > best) {
                            best = v;
                        }
                    }
                }
                secondaryBest.put(e.getKey(), best > Double.NEGATIVE_INFINITY ? best : score);
            });
        }
        List<String> jvmArgs = new ArrayList<>();
        node.path("jvmArgs").forEach(a -> jvmArgs.add(a.asText()));
        RunInfo run = new RunInfo(node.path("jmhVersion").asText("?"), node.path("jdkVersion").asText("?"),
                node.path("vmName").asText("?"), node.path("vmVersion").asText("?"), List.copyOf(jvmArgs),
                node.path("forks").asInt(0),
                node.path("warmupIterations").asInt(0) + " x " + node.path("warmupTime").asText("?"),
                node.path("measurementIterations").asInt(0) + " x " + node.path("measurementTime").asText("?"));
        return new Result(bench.substring(0, dot), bench.substring(dot + 1), Map.copyOf(params),
                text(node, "mode"), number(primary.get("score")), number(primary.get("scoreError")),
                primary.path("scoreUnit").asText(""), secondary, secondaryUnits, secondaryBest, run);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.asText().isBlank()) {
            throw new IllegalArgumentException("Report: JMH result lacks '" + field + "': " + node);
        }
        return v.asText();
    }

    private static double number(JsonNode v) {
        if (v == null || v.isNull()) {
            return Double.NaN;
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        try {
            return Double.parseDouble(v.asText());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /**
     * Seconds per operation of an average-time result.
     *
     * @return the primary score in seconds per operation
     * @throws IllegalArgumentException if the unit is not a time per operation
     */
    public double secondsPerOp() {
        return score * secondsPer(unit, "op");
    }

    /**
     * Relative error of the primary score (0 when JMH gave none).
     *
     * @return {@code error / score}, or NaN
     */
    public double relativeError() {
        return score == 0 ? Double.NaN : error / score;
    }

    /**
     * Converts a rate in operations per time unit ({@code ops/us}, {@code ops/s}, ...) to operations per second.
     *
     * @param value the rate
     * @param rateUnit its unit
     * @return operations per second
     * @throws IllegalArgumentException if the unit is not {@code ops/<time>}
     */
    public static double perSecond(double value, String rateUnit) {
        if (!rateUnit.startsWith("ops/")) {
            throw new IllegalArgumentException("Report: '" + rateUnit + "' is not a rate in ops per time");
        }
        return value / seconds(rateUnit.substring(4));
    }

    private static double secondsPer(String u, String what) {
        if (!u.endsWith("/" + what)) {
            throw new IllegalArgumentException("Report: unit '" + u + "' is not a time per " + what
                    + "; run time benchmarks in average-time mode");
        }
        return seconds(u.substring(0, u.length() - what.length() - 1));
    }

    private static double seconds(String timeUnit) {
        return switch (timeUnit) {
            case "ns" -> 1e-9;
            case "us" -> 1e-6;
            case "ms" -> 1e-3;
            case "s" -> 1;
            case "min" -> 60;
            default -> throw new IllegalArgumentException("Report: unknown time unit '" + timeUnit + "'");
        };
    }
}
