package io.isotropic.bench;

import io.isotropic.spi.Svd;
import io.isotropic.oracle.Reference;
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
 * SVD of a square Gaussian matrix: full factors ({@code svd}, as neurogenesis and neurodegeneration need) and
 * singular values only. Reported as times: an SVD has no fixed flop count (it depends on the iteration).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xss4m", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SvdBenchmark {
    /** Backend name; the run script replaces the list with the backends available at run time. */
    @Param({"vector", "ojalgo", "ejml"})
    public String backend;

    /** Element type. */
    @Param({"F64", "F32"})
    public String dtype;

    /** Matrix size. */
    @Param({"64", "256", "512"})
    public int n;

    /** Threads per kernel call: 1, or 0 for all processors (the run's default), so both appear side by side. */
    @Param({"1", "0"})
    public int threads;

    private Backend be;
    private Tensor a;

    /**
     * Creates the matrix and checks one full SVD (LAPACK's residual and orthogonality bounds) and the values of
     * both calls against the oracle's singular values (one-sided Jacobi in double precision, a few seconds at
     * n = 512), within the Weyl bound.
     */
    @Setup(Level.Trial)
    public void setup() {
        be = BenchSupport.backend(backend, threads);
        DType dt = BenchSupport.dtype(dtype);
        a = Tensor.randomNormal(dt, 41, 1.0, n, n);
        Svd full = be.svd(a);
        SetupChecks.svd(a, full);
        double[] reference = Reference.singularValues(a);
        SetupChecks.values("svd values", a, full.s(), reference);
        SetupChecks.values("singularValues", a, be.singularValues(a), reference);
    }

    /**
     * Full SVD with square factors.
     *
     * @return the decomposition (consumed by JMH)
     */
    @Benchmark
    public Svd svd() {
        return be.svd(a);
    }

    /**
     * Singular values only.
     *
     * @return the values (consumed by JMH)
     */
    @Benchmark
    public Tensor singularValues() {
        return be.singularValues(a);
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
     * @return the workload (no flop count)
     */
    public static Workload workload(String method, Map<String, String> params) {
        int size = Workload.intParam(params, "n");
        return switch (method) {
            case "svd" -> new Workload("SVD, full factors", "n = " + size + BenchSupport.threadsLabel(params),
                    Double.NaN);
            case "singularValues" -> new Workload("SVD, singular values only",
                    "n = " + size + BenchSupport.threadsLabel(params), Double.NaN);
            default -> throw new IllegalArgumentException("SvdBenchmark: unknown method " + method);
        };
    }
}
