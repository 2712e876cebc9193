package io.isotropic.bench;

import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

import static java.util.Map.entry;

/**
 * The registry of workloads: for every benchmark class the report renders, the function that describes one of its
 * results ({@link Workload}: operation, case, flops, samples). A new benchmark is added here next to its
 * {@code workload} method; a result of an unregistered class is rejected with the list of registered ones.
 * ({@link FmaPeakBenchmark} is not listed: the report reads it as the machine's peak, not as a comparison.)
 */
public final class Workloads {
    private static final Map<String, BiFunction<String, Map<String, String>, Workload>> REGISTRY = Map.ofEntries(
            entry(GemmBenchmark.class.getName(), GemmBenchmark::workload),
            entry(AffineBenchmark.class.getName(), AffineBenchmark::workload),
            entry(ActivationBenchmark.class.getName(), ActivationBenchmark::workload),
            entry(SvdBenchmark.class.getName(), SvdBenchmark::workload),
            entry(TrainingStepBenchmark.class.getName(), TrainingStepBenchmark::workload),
            entry(NeuroOpBenchmark.class.getName(), NeuroOpBenchmark::workload),
            entry(SparsifyBenchmark.class.getName(), SparsifyBenchmark::workload),
            entry(ForwardBenchmark.class.getName(), ForwardBenchmark::workload),
            entry(EpochBenchmark.class.getName(), EpochBenchmark::workload));

    private Workloads() {
    }

    /**
     * Describes one result.
     *
     * @param benchmarkClass the fully qualified benchmark class
     * @param method the benchmark method
     * @param params the JMH parameters of the result
     * @return its workload
     * @throws IllegalArgumentException if the class is not registered, or its description rejects the method or
     *                                  parameters
     */
    public static Workload of(String benchmarkClass, String method, Map<String, String> params) {
        BiFunction<String, Map<String, String>, Workload> f = REGISTRY.get(benchmarkClass);
        if (f == null) {
            throw new IllegalArgumentException("Workloads: no workload registered for benchmark class "
                    + benchmarkClass + " (method " + method + "); registered: " + REGISTRY.keySet()
                    + " (add it to io.isotropic.bench.Workloads)");
        }
        return f.apply(method, params);
    }

    /**
     * The registered benchmark classes.
     *
     * @return their fully qualified names
     */
    public static Set<String> classes() {
        return REGISTRY.keySet();
    }
}
