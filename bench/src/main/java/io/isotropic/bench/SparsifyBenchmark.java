package io.isotropic.bench;

import io.isotropic.adapt.Metrics;
import io.isotropic.adapt.Sparsify;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The whole sparsification by alternating full diagonalisation ({@link Sparsify#alternating}, no optimiser, as
 * after training) of {@code 784-n x6-10}: six hidden layers of width n (the case is n = 512), so layers
 * 1, 3 and 5 (each {@code n x n}) are fully diagonalised, each by one SVD and the rotations of its neighbours.
 * Every invocation sparsifies a fresh copy ({@link FreshNetworkTrial}, not timed): a network that is already sparse
 * would make the SVDs of diagonal matrices, a much easier problem.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xss4m", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SparsifyBenchmark extends FreshNetworkTrial {
    private static final long SEED = 13;
    private static final int INPUTS = 784;
    private static final int OUTPUTS = 10;
    private static final int HIDDEN_LAYERS = 6;

    /** Width of the six hidden layers. */
    @Param({"512"})
    public int n;

    @Override
    protected IsotropicMlp build() {
        return BenchNets.trainedLike(be, dt, SEED, widths(n));
    }

    private static int[] widths(int hidden) {
        int[] w = new int[HIDDEN_LAYERS + 2];
        java.util.Arrays.fill(w, hidden);
        w[0] = INPUTS;
        w[w.length - 1] = OUTPUTS;
        return w;
    }

    /**
     * The diagonalised layers are 1, 3, 5; exactly {@link Sparsify#expectedZeros} more entries are exactly zero
     * (the trained-like network has no zero parameter to start with, and the rotated neighbours stay dense); the
     * function is preserved within the invariance tolerance.
     */
    @Override
    protected void check() {
        IsotropicMlp copy = template.copy();
        Tensor x = BenchNets.inputs(copy.dtype(), SEED + 1, 64, INPUTS);
        Tensor before = copy.predict(x);
        long nonZeroBefore = Metrics.nonZeroCount(copy, 0);
        List<Integer> layers = Sparsify.alternating(copy, null);
        String what = "sparsify " + label();
        if (!layers.equals(List.of(1, 3, 5))) {
            throw new IllegalStateException("benchmark check failed: " + what + " diagonalised " + layers);
        }
        long zeros = nonZeroBefore - Metrics.nonZeroCount(copy, 0);
        long expected = Sparsify.expectedZeros(copy.widths());
        if (zeros != expected) {
            throw new IllegalStateException("benchmark check failed: " + what + " zeroed " + zeros + " entries, expected "
                    + expected);
        }
        SetupChecks.invariant(what, copy, before, copy.predict(x));
    }

    /**
     * Alternating full diagonalisation of the whole network.
     *
     * @return the diagonalised layers (consumed by JMH)
     */
    @Benchmark
    public List<Integer> sparsify() {
        return Sparsify.alternating(net, null);
    }

    /**
     * The report's description of a result.
     *
     * @param method the benchmark method
     * @param params its JMH parameters
     * @return the workload (no flop count: three SVDs have none)
     */
    public static Workload workload(String method, Map<String, String> params) {
        int width = Workload.intParam(params, "n");
        return new Workload("Sparsification (alternating full diagonalisation)",
                INPUTS + "-" + width + "x" + HIDDEN_LAYERS + "-" + OUTPUTS, Double.NaN);
    }
}
