package io.isotropic.bench;

import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Fused isotropic-tanh activation on a {@code 1024 x 512} batch: the forward pass alone and forward plus
 * backward. Nominal flop counts per element: 3 forward (square, add, scale), 7 backward (two dot products and
 * {@code G dh + c z}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xss4m", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ActivationBenchmark {
    private static final double O = 0.0;
    private static final double EPS = 1e-3;

    /** Backend name; the run script replaces the list with the backends available at run time. */
    @Param({"vector", "ojalgo", "ejml"})
    public String backend;

    /** Element type. */
    @Param({"F64", "F32"})
    public String dtype;

    /** Batch rows. */
    @Param({"1024"})
    public int rows;

    /** Layer width. */
    @Param({"512"})
    public int width;

    /** Threads per kernel call: 1, or 0 for all processors (the run's default), so both appear side by side. */
    @Param({"1", "0"})
    public int threads;

    private Backend be;
    private Tensor z;
    private Tensor dh;
    private Tensor gains;
    private Tensor h;
    private Tensor dz;

    /** Creates the operands and checks the forward and backward passes against double precision. */
    @Setup(Level.Trial)
    public void setup() {
        be = BenchSupport.backend(backend, threads);
        DType dt = BenchSupport.dtype(dtype);
        // rows of norm around 1, where tanh|z| is neither linear nor saturated
        z = Tensor.randomNormal(dt, 31, 1.0 / Math.sqrt(width), rows, width);
        dh = Tensor.randomNormal(dt, 32, 1.0, rows, width);
        gains = Tensor.zeros(dt, rows).fill(Double.NaN);
        h = Tensor.zeros(dt, rows, width).fill(Double.NaN);
        dz = Tensor.zeros(dt, rows, width).fill(Double.NaN);
        be.isoTanhForwardInto(z, O, EPS, gains, h);
        SetupChecks.isoTanhForward(z, O, EPS, gains, h);
        be.isoTanhBackwardInto(z, gains, dh, null, O, EPS, dz);
        SetupChecks.isoTanhBackward(z, dh, O, EPS, dz);
    }

    /**
     * Forward pass.
     *
     * @return the activations (consumed by JMH)
     */
    @Benchmark
    public Tensor forward() {
        be.isoTanhForwardInto(z, O, EPS, gains, h);
        return h;
    }

    /**
     * Forward and backward pass, as in one training step.
     *
     * @return {@code dL/do} (consumed by JMH)
     */
    @Benchmark
    public double forwardBackward() {
        be.isoTanhForwardInto(z, O, EPS, gains, h);
        return be.isoTanhBackwardInto(z, gains, dh, null, O, EPS, dz);
    }

    /** Releases the backend. */
    @TearDown(Level.Trial)
    public void tearDown() {
        be.close();
    }

    /**
     * The report's description of a result.
     *
     * @param method the benchmark method
     * @param params its JMH parameters
     * @return the workload
     */
    public static Workload workload(String method, Map<String, String> params) {
        double elements = (double) Workload.intParam(params, "rows") * Workload.intParam(params, "width");
        String shape = params.get("rows") + " x " + params.get("width");
        String threads = BenchSupport.threadsLabel(params);
        return switch (method) {
            case "forward" -> new Workload("Isotropic tanh activation", shape + " forward" + threads, 3 * elements);
            case "forwardBackward" -> new Workload("Isotropic tanh activation", shape + " forward + backward" + threads,
                    10 * elements);
            default -> throw new IllegalArgumentException("ActivationBenchmark: unknown method " + method);
        };
    }
}
