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
 * Batched affine map {@code Y = X W^T + b} of a dense layer: batch 128, 784 inputs (an MNIST image), 512 outputs;
 * {@code 2 batch in out + batch out} flops.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xss4m", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AffineBenchmark {
    /** Backend name; the run script replaces the list with the backends available at run time. */
    @Param({"vector", "ojalgo", "ejml"})
    public String backend;

    /** Element type. */
    @Param({"F64", "F32"})
    public String dtype;

    /** Batch size. */
    @Param({"128"})
    public int batch;

    /** Input width. */
    @Param({"784"})
    public int in;

    /** Output width. */
    @Param({"512"})
    public int out;

    private Backend be;
    private Tensor x;
    private Tensor w;
    private Tensor bias;
    private Tensor y;

    /** Creates the operands and checks one result against the scalar reference. */
    @Setup(Level.Trial)
    public void setup() {
        be = BenchSupport.backend(backend);
        DType dt = BenchSupport.dtype(dtype);
        x = Tensor.randomNormal(dt, 21, 1.0, batch, in);
        w = Tensor.randomNormal(dt, 22, 1.0 / Math.sqrt(in), out, in);
        bias = Tensor.randomNormal(dt, 23, 0.1, out);
        y = Tensor.zeros(dt, batch, out).fill(Double.NaN);
        be.affineInto(x, w, bias, y);
        SetupChecks.affine(x, w, bias, y);
    }

    /**
     * One affine map.
     *
     * @return the output (consumed by JMH)
     */
    @Benchmark
    public Tensor affine() {
        be.affineInto(x, w, bias, y);
        return y;
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
        int b = Workload.intParam(params, "batch");
        int i = Workload.intParam(params, "in");
        int o = Workload.intParam(params, "out");
        return new Workload("Batched affine map Y = X W^T + b", b + " x " + i + " -> " + o,
                2.0 * b * i * o + (double) b * o);
    }
}
