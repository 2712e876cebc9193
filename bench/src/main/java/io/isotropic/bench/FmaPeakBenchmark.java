package io.isotropic.bench;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * This machine's per-core floating-point peak as the JVM can reach it: 16 independent chains of fused
 * multiply-adds on the preferred Vector API species (enough chains to cover the FMA latency times the number of
 * FMA units of current x86 and ARM cores), on one thread. The flops performed are reported as the JMH secondary
 * metric {@code flops} (in ops/us, i.e. thousands of GFLOP/s), which the report uses as the peak that every other
 * throughput is compared with.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xss4m", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FmaPeakBenchmark {
    /** Iterations of the 16 chains per invocation. */
    static final int STEPS = 1024;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    /** Element type. */
    @Param({"F64", "F32"})
    public String dtype;

    private boolean f64;
    /** Multiplier just below 1 and addend, so that the chains stay finite and normal forever. */
    private double mul;
    private double add;

    /** Counts the flops performed, reported by JMH as a rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        /** Floating-point operations so far in this iteration. */
        public long flops;

        /** Resets the count at the start of each iteration. */
        @Setup(Level.Iteration)
        public void reset() {
            flops = 0;
        }
    }

    /** Reads the dtype and checks one invocation against the scalar recurrence. */
    @Setup(Level.Trial)
    public void setup() {
        f64 = BenchSupport.dtype(dtype) == io.isotropic.tensor.DType.F64;
        mul = 0.999;
        add = 0.001;
        double got = f64 ? chainsF64(mul, add) : chainsF32((float) mul, (float) add);
        // every chain starts at 1 + i/16 and contracts towards add / (1 - mul) ~ 1; rounding errors stay below
        // u / (1 - mul) = 1000 u per chain, inside the tolerance below
        double m = f64 ? mul : (float) mul;
        double a = f64 ? add : (float) add;
        double want = 0;
        for (int i = 0; i < 16; i++) {
            double x = 1 + i / 16.0;
            for (int s = 0; s < STEPS; s++) {
                x = Math.fma(x, m, a);
            }
            want += x;
        }
        double lanes = f64 ? D.length() : F.length();
        double tol = (f64 ? 1e-12 : 1e-4) * want * lanes;
        if (!(Math.abs(got - want * lanes) <= tol)) {
            throw new IllegalStateException("benchmark check failed: FMA chains " + dtype + " gave " + got
                    + ", reference " + want * lanes + ", tolerance " + tol);
        }
    }

    private static double chainsF64(double m, double a) {
        DoubleVector x = DoubleVector.broadcast(D, m);
        DoubleVector y = DoubleVector.broadcast(D, a);
        DoubleVector c0 = DoubleVector.broadcast(D, 1 + 0 / 16.0);
        DoubleVector c1 = DoubleVector.broadcast(D, 1 + 1 / 16.0);
        DoubleVector c2 = DoubleVector.broadcast(D, 1 + 2 / 16.0);
        DoubleVector c3 = DoubleVector.broadcast(D, 1 + 3 / 16.0);
        DoubleVector c4 = DoubleVector.broadcast(D, 1 + 4 / 16.0);
        DoubleVector c5 = DoubleVector.broadcast(D, 1 + 5 / 16.0);
        DoubleVector c6 = DoubleVector.broadcast(D, 1 + 6 / 16.0);
        DoubleVector c7 = DoubleVector.broadcast(D, 1 + 7 / 16.0);
        DoubleVector c8 = DoubleVector.broadcast(D, 1 + 8 / 16.0);
        DoubleVector c9 = DoubleVector.broadcast(D, 1 + 9 / 16.0);
        DoubleVector c10 = DoubleVector.broadcast(D, 1 + 10 / 16.0);
        DoubleVector c11 = DoubleVector.broadcast(D, 1 + 11 / 16.0);
        DoubleVector c12 = DoubleVector.broadcast(D, 1 + 12 / 16.0);
        DoubleVector c13 = DoubleVector.broadcast(D, 1 + 13 / 16.0);
        DoubleVector c14 = DoubleVector.broadcast(D, 1 + 14 / 16.0);
        DoubleVector c15 = DoubleVector.broadcast(D, 1 + 15 / 16.0);
        for (int s = 0; s < STEPS; s++) {
            c0 = c0.fma(x, y);
            c1 = c1.fma(x, y);
            c2 = c2.fma(x, y);
            c3 = c3.fma(x, y);
            c4 = c4.fma(x, y);
            c5 = c5.fma(x, y);
            c6 = c6.fma(x, y);
            c7 = c7.fma(x, y);
            c8 = c8.fma(x, y);
            c9 = c9.fma(x, y);
            c10 = c10.fma(x, y);
            c11 = c11.fma(x, y);
            c12 = c12.fma(x, y);
            c13 = c13.fma(x, y);
            c14 = c14.fma(x, y);
            c15 = c15.fma(x, y);
        }
        DoubleVector sum = c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7)
                .add(c8).add(c9).add(c10).add(c11).add(c12).add(c13).add(c14).add(c15);
        return sum.reduceLanes(VectorOperators.ADD);
    }

    private static double chainsF32(float m, float a) {
        FloatVector x = FloatVector.broadcast(F, m);
        FloatVector y = FloatVector.broadcast(F, a);
        FloatVector c0 = FloatVector.broadcast(F, 1 + 0 / 16f);
        FloatVector c1 = FloatVector.broadcast(F, 1 + 1 / 16f);
        FloatVector c2 = FloatVector.broadcast(F, 1 + 2 / 16f);
        FloatVector c3 = FloatVector.broadcast(F, 1 + 3 / 16f);
        FloatVector c4 = FloatVector.broadcast(F, 1 + 4 / 16f);
        FloatVector c5 = FloatVector.broadcast(F, 1 + 5 / 16f);
        FloatVector c6 = FloatVector.broadcast(F, 1 + 6 / 16f);
        FloatVector c7 = FloatVector.broadcast(F, 1 + 7 / 16f);
        FloatVector c8 = FloatVector.broadcast(F, 1 + 8 / 16f);
        FloatVector c9 = FloatVector.broadcast(F, 1 + 9 / 16f);
        FloatVector c10 = FloatVector.broadcast(F, 1 + 10 / 16f);
        FloatVector c11 = FloatVector.broadcast(F, 1 + 11 / 16f);
        FloatVector c12 = FloatVector.broadcast(F, 1 + 12 / 16f);
        FloatVector c13 = FloatVector.broadcast(F, 1 + 13 / 16f);
        FloatVector c14 = FloatVector.broadcast(F, 1 + 14 / 16f);
        FloatVector c15 = FloatVector.broadcast(F, 1 + 15 / 16f);
        for (int s = 0; s < STEPS; s++) {
            c0 = c0.fma(x, y);
            c1 = c1.fma(x, y);
            c2 = c2.fma(x, y);
            c3 = c3.fma(x, y);
            c4 = c4.fma(x, y);
            c5 = c5.fma(x, y);
            c6 = c6.fma(x, y);
            c7 = c7.fma(x, y);
            c8 = c8.fma(x, y);
            c9 = c9.fma(x, y);
            c10 = c10.fma(x, y);
            c11 = c11.fma(x, y);
            c12 = c12.fma(x, y);
            c13 = c13.fma(x, y);
            c14 = c14.fma(x, y);
            c15 = c15.fma(x, y);
        }
        FloatVector sum = c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7)
                .add(c8).add(c9).add(c10).add(c11).add(c12).add(c13).add(c14).add(c15);
        return sum.reduceLanes(VectorOperators.ADD);
    }

    /**
     * One invocation: {@code 16 STEPS} vector FMAs, {@code 2} flops per lane each.
     *
     * @param counter the flop counter
     * @return the sum of the chains (consumed by JMH)
     */
    @Benchmark
    public double fma(Flops counter) {
        if (f64) {
            counter.flops += 2L * 16 * STEPS * D.length();
            return chainsF64(mul, add);
        }
        counter.flops += 2L * 16 * STEPS * F.length();
        return chainsF32((float) mul, (float) add);
    }

    /**
     * The report's description of a result (the peak is read from the {@code flops} secondary metric).
     *
     * @param method the benchmark method
     * @param params its JMH parameters
     * @return the workload (no flop count in the primary metric)
     */
    public static Workload workload(String method, Map<String, String> params) {
        return new Workload("FMA peak, one core", "16 chains of preferred-species FMA", Double.NaN);
    }
}
