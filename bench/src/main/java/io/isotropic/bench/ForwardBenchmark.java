package io.isotropic.bench;

import io.isotropic.adapt.CompactMlp;
import io.isotropic.adapt.Sparsify;
import io.isotropic.adapt.UnrolledMlp;
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

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Inference paths of one network on a batch: the sequential {@link IsotropicMlp#predict}, the generalised
 * isotropic perceptron {@link UnrolledMlp#forward} (method.md section 10: all {@code M_l x} from one product with
 * the precomputed {@code [M_0; M_1; ...]}, {@code M_l = W_l ... W_0}), the cost of building that snapshot, and
 * {@link CompactMlp#forward} after {@link Sparsify#alternating}. All four compute the same function (sparsification
 * preserves it), so their times compare directly. The unrolled product costs {@code 2 b n_0 sum_l n_(l+1)} against
 * the sequential {@code 2 b sum_l n_l n_(l+1)}: it can only win when {@code n_0} is small against the hidden widths,
 * and the snapshot must be rebuilt whenever the parameters change (every training step).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xss4m", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ForwardBenchmark extends NetworkTrial {
    private static final long SEED = 17;

    /** Widths, e.g. {@code 64-256-256-256-10} (see {@link BenchNets#widths}). */
    @Param({"64-256-256-256-10", "784-512-512-10"})
    public String widths;

    /** Batch size. */
    @Param({"128"})
    public int batch;

    private UnrolledMlp unrolled;
    private CompactMlp compact;
    private Tensor x;

    /** Builds the network, its unrolled snapshot and its sparsified compact form. */
    @Override
    protected IsotropicMlp build() {
        int[] w = BenchNets.widths(widths);
        IsotropicMlp net = BenchNets.trainedLike(be, dt, SEED, w);
        x = BenchNets.inputs(dt, SEED + 1, batch, w[0]);
        unrolled = UnrolledMlp.of(net);
        IsotropicMlp sparse = net.copy();
        Sparsify.alternating(sparse, null);
        compact = CompactMlp.of(sparse);
        return net;
    }

    /**
     * Unrolled and compact logits agree with the sequential ones within the invariance tolerance (contracts R18
     * and R03): the unrolled form regroups the same products in double-precision constants and the compact form
     * runs the sparsified network, whose function equals the original's to that tolerance.
     */
    @Override
    protected void check() {
        Tensor y = template.predict(x);
        String what = label() + " " + widths;
        SetupChecks.invariant("unrolled forward " + what, template, y, unrolled.forward(x));
        SetupChecks.invariant("compact forward " + what, template, y, compact.forward(x));
        if (compact.storedParameters() >= template.parameterCount()) {
            throw new IllegalStateException("benchmark check failed: compact form of " + what + " stores "
                    + compact.storedParameters() + " numbers, the dense one " + template.parameterCount());
        }
    }

    /**
     * The sequential forward pass.
     *
     * @return the logits (consumed by JMH)
     */
    @Benchmark
    public Tensor sequential() {
        return template.predict(x);
    }

    /**
     * The unrolled forward pass with a prebuilt snapshot.
     *
     * @return the logits (consumed by JMH)
     */
    @Benchmark
    public Tensor unrolled() {
        return unrolled.forward(x);
    }

    /**
     * Building the unrolled snapshot (the products {@code M_l} and constants), paid again after every change of
     * the parameters.
     *
     * @return the snapshot (consumed by JMH)
     */
    @Benchmark
    public UnrolledMlp unrolledBuild() {
        return UnrolledMlp.of(template);
    }

    /**
     * The compact forward pass of the sparsified network (diagonal layers stored as vectors).
     *
     * @return the logits (consumed by JMH)
     */
    @Benchmark
    public Tensor compact() {
        return compact.forward(x);
    }

    /**
     * The report's description of a result: nominal flops of the matrix products of each path (sequential
     * {@code 2 b sum n_l n_(l+1)}; unrolled {@code 2 b n_0 sum n_(l+1)}; building {@code 2 n_0 sum_(l >= 1)
     * n_l n_(l+1)}; compact: the sequential count with each diagonalised {@code n_l n_(l+1)} replaced by
     * {@code min(n_l, n_(l+1))}).
     *
     * @param method the benchmark method
     * @param params its JMH parameters
     * @return the workload
     */
    public static Workload workload(String method, Map<String, String> params) {
        String spec = params.get("widths");
        int[] w = BenchNets.widths(spec);
        int b = Workload.intParam(params, "batch");
        double dense = 0;
        double sparse = 0;
        double outputs = 0;
        double build = 0;
        for (int l = 0; l + 1 < w.length; l++) {
            double full = (double) w[l] * w[l + 1];
            dense += full;
            boolean diagonal = l % 2 == 1 && l <= w.length - 3;
            sparse += diagonal ? Math.min(w[l], w[l + 1]) : full;
            outputs += w[l + 1];
            if (l >= 1) {
                build += 2.0 * w[0] * full;
            }
        }
        String label = spec + ", batch " + b;
        String op = "Forward pass: sequential, unrolled (generalised perceptron), compact (sparsified)";
        return switch (method) {
            case "sequential" -> new Workload(op, label + ", sequential", 2.0 * b * dense, b);
            case "unrolled" -> new Workload(op, label + ", unrolled", 2.0 * b * w[0] * outputs, b);
            case "unrolledBuild" -> new Workload("Building the unrolled snapshot (M_l = W_l ... W_0)", spec, build);
            case "compact" -> new Workload(op, label + ", compact", 2.0 * b * sparse, b);
            default -> throw new IllegalArgumentException("ForwardBenchmark: unknown method " + method);
        };
    }
}
