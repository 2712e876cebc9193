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

/** Square matrix product {@code C = A B} ({@code gemm} with {@code beta = 0}), {@code 2 n^3} flops. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xss4m", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class GemmBenchmark {
    /** Backend name; the run script replaces the list with the backends available at run time. */
    @Param({"vector", "ojalgo", "ejml"})
    public String backend;

    /** Element type. */
    @Param({"F64", "F32"})
    public String dtype;

    /** Matrix size. */
    @Param({"64", "256", "1024"})
    public int n;

    /** Threads per kernel call: 1, or 0 for all processors (the run's default), so both appear side by side. */
    @Param({"1", "0"})
    public int threads;

    private Backend be;
    private Tensor a;
    private Tensor b;
    private Tensor c;

    /** Creates the operands and checks one product against the scalar reference. */
    @Setup(Level.Trial)
    public void setup() {
        be = BenchSupport.backend(backend, threads);
        DType dt = BenchSupport.dtype(dtype);
        a = Tensor.randomNormal(dt, 11, 1.0, n, n);
        b = Tensor.randomNormal(dt, 12, 1.0, n, n);
        c = Tensor.zeros(dt, n, n).fill(Double.NaN);
        be.gemm(1.0, a, false, b, false, 0.0, c);
        SetupChecks.product("gemm " + backend + " " + dtype + " n=" + n, a, b, c);
    }

    /**
     * One product.
     *
     * @return the output (consumed by JMH)
     */
    @Benchmark
    public Tensor gemm() {
        be.gemm(1.0, a, false, b, false, 0.0, c);
        return c;
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
        int size = Workload.intParam(params, "n");
        return new Workload("Matrix product C = A B", "n = " + size + BenchSupport.threadsLabel(params),
                2.0 * size * size * size);
    }
}
