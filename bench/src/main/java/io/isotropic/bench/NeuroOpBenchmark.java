package io.isotropic.bench;

import io.isotropic.adapt.Growth;
import io.isotropic.adapt.NeurodegenerationReport;
import io.isotropic.adapt.Restructure;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import io.isotropic.train.Adam;
import io.isotropic.train.ParameterState;
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

import static io.isotropic.nn.ParameterNames.weightName;

/**
 * One neurogenesis ({@link Restructure#neurogenesis}, k = 1, rotated as the reference does and unrotated) and one
 * neurodegeneration ({@link Restructure#neurodegeneration}, k = 1) on layer 0 of a {@code 784-n-n-10} network, so
 * {@code W_0} is {@code n x 784} (the case is n = 512), without an optimiser or with AdamW whose moments
 * the operation transforms.
 *
 * <p>Every invocation acts on a fresh copy of the same network and optimiser, made in
 * {@code @Setup(Level.Invocation)} outside the timed region: an operation changes the network (a rotated growth
 * leaves {@code W_0} row-orthogonal, after which an SVD converges faster, and widths drift), so repeating it on
 * one network, or alternating grow and prune, would time a different and easier problem than the first call
 * during training. The per-invocation setup costs JMH two timestamps per call, negligible against the shortest
 * operation here (about 2 ms); it also leaves the copy in cache, as a network just updated by an optimiser step is.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xss4m", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class NeuroOpBenchmark {
    private static final long SEED = 7;
    private static final int INPUTS = 784;
    private static final int OUTPUTS = 10;

    /** Backend name; the run script replaces the list with the backends available at run time. */
    @Param({"vector", "ojalgo", "ejml"})
    public String backend;

    /** Element type. */
    @Param({"F64", "F32"})
    public String dtype;

    /** Hidden width: {@code W_0} is {@code n x 784}. */
    @Param({"512"})
    public int n;

    /** {@code none}: no optimiser; {@code adamw}: AdamW with non-zero moments, transformed by the operation. */
    @Param({"none", "adamw"})
    public String optimizer;

    private Backend be;
    private IsotropicMlp template;
    private Adam templateOpt;
    private IsotropicMlp net;
    private Adam opt;

    /** Builds the network (and optimiser) and checks each operation once on a copy. */
    @Setup(Level.Trial)
    public void setup() {
        be = BenchSupport.backend(backend);
        DType dt = BenchSupport.dtype(dtype);
        template = BenchNets.trainedLike(be, dt, SEED, INPUTS, n, n, OUTPUTS);
        templateOpt = switch (optimizer) {
            case "none" -> null;
            case "adamw" -> BenchNets.warmAdam(template, 2, SEED + 1);
            default -> throw new IllegalArgumentException("NeuroOpBenchmark: optimizer '" + optimizer
                    + "' is not none or adamw");
        };
        checkGrowth(Growth.reference(SEED));
        checkGrowth(Growth.unrotated(SEED));
        checkPrune();
    }

    /**
     * Growth preserves the function within the invariance tolerance and adds one neuron; with AdamW, the first
     * moments of {@code W_0} and {@code W_1} follow their parameters: the rotation {@code R^T} of hidden space 1
     * acts on {@code W_0}, {@code m_0} from the left and on {@code W_1}, {@code m_1} from the right, and the appended
     * entries of m are zero, so the inner products {@code <W_l, m_l>} are unchanged. A state left unrotated would
     * change them by about their own size; the tolerance {@code (2u + 120 max(m, n) u_64) |W|_F |m|_F} covers the
     * rounding of both tensors to the dtype (relative u each, Cauchy-Schwarz) and the SVD's backward error
     * {@code 60 max(m, n) u_64} entering each of the two tensors.
     */
    private void checkGrowth(Growth growth) {
        IsotropicMlp copy = template.copy();
        Adam o = templateOpt == null ? null : BenchNets.copy(templateOpt);
        Tensor x = BenchNets.inputs(copy.dtype(), SEED + 2, 64, INPUTS);
        Tensor before = copy.predict(x);
        Restructure.neurogenesis(copy, 0, 1, growth, o);
        String what = "grow " + (growth.rotate() ? "rotated" : "unrotated") + " " + backend + " " + dtype;
        if (copy.widths()[1] != n + 1) {
            throw new IllegalStateException("benchmark check failed: " + what + " left width " + copy.widths()[1]);
        }
        Checks.invariant(what, copy, before, copy.predict(x));
        if (o != null) {
            double u = copy.dtype().unitRoundoff();
            double rel = 2 * u + 120.0 * Math.max(n, INPUTS) * DType.F64.unitRoundoff();
            for (int l = 0; l <= 1; l++) {
                Tensor w0 = template.weight(l);
                Tensor m0 = templateOpt.states().get(weightName(l)).first();
                Tensor w1 = copy.weight(l);
                ParameterState s1 = o.states().get(weightName(l));
                if (!s1.first().shape().equals(w1.shape()) || !s1.second().shape().equals(w1.shape())) {
                    throw new IllegalStateException("benchmark check failed: " + what + ": moments of " + weightName(l)
                            + " are " + s1.first().shape() + " for a parameter " + w1.shape());
                }
                Checks.close(what + " <W_" + l + ", m_" + l + "> (moments follow the rotation)",
                        Checks.inner(w1, s1.first()), Checks.inner(w0, m0),
                        rel * Checks.norm(w0) * Checks.norm(m0));
            }
        }
    }

    /**
     * Neurodegeneration removes the neuron with the smallest singular value: the reported removed value equals the
     * smallest singular value of the old {@code W_0}, and no singular value of the new {@code W_0} is below it.
     * Both sides are SVDs of the same double-precision matrix, each within the Weyl bound
     * {@code 60 max(m, n) u_64 sigma_1} (LAPACK's backward error); the new {@code W_0} is rounded to the dtype,
     * which moves its singular values by at most {@code u |W|_F}.
     */
    private void checkPrune() {
        IsotropicMlp copy = template.copy();
        Adam o = templateOpt == null ? null : BenchNets.copy(templateOpt);
        Tensor w = template.weight(0).to(DType.F64);
        Tensor sv = be.singularValues(w);
        double smallest = sv.getFlat(sv.size() - 1);
        NeurodegenerationReport rep = Restructure.neurodegeneration(copy, 0, 1, o, null);
        String what = "prune " + backend + " " + dtype;
        if (copy.widths()[1] != n - 1 || rep.removed() != 1) {
            throw new IllegalStateException("benchmark check failed: " + what + " left width " + copy.widths()[1]);
        }
        double svdTol = 2 * 60.0 * Math.max(n, INPUTS) * DType.F64.unitRoundoff() * sv.getFlat(0);
        Checks.close(what + " removed singular value vs the smallest", rep.singularValues()[0], smallest, svdTol);
        Tensor kept = be.singularValues(copy.weight(0).to(DType.F64));
        double roundTol = copy.dtype().unitRoundoff() * Checks.norm(w);
        double minKept = kept.getFlat(kept.size() - 1);
        if (!(minKept >= smallest - svdTol - roundTol)) {
            throw new IllegalStateException("benchmark check failed: " + what + ": a kept singular value " + minKept
                    + " is below the removed one " + smallest);
        }
        if (o != null && !o.states().get(weightName(0)).first().shape().equals(copy.weight(0).shape())) {
            throw new IllegalStateException("benchmark check failed: " + what + ": moments of W_0 were not shrunk");
        }
    }

    /** Gives every invocation its own copy of the network and optimiser (not timed). */
    @Setup(Level.Invocation)
    public void freshCopy() {
        net = template.copy();
        opt = templateOpt == null ? null : BenchNets.copy(templateOpt);
    }

    /**
     * Neurogenesis after a left-partial diagonalisation (the reference behaviour: one SVD of {@code W_0}).
     *
     * @return the network (consumed by JMH)
     */
    @Benchmark
    public IsotropicMlp neurogenesisRotated() {
        Restructure.neurogenesis(net, 0, 1, Growth.reference(SEED), opt);
        return net;
    }

    /**
     * Neurogenesis without the rotation (no SVD).
     *
     * @return the network (consumed by JMH)
     */
    @Benchmark
    public IsotropicMlp neurogenesisUnrotated() {
        Restructure.neurogenesis(net, 0, 1, Growth.unrotated(SEED), opt);
        return net;
    }

    /**
     * Neurodegeneration of the neuron with the smallest singular value (one SVD of {@code W_0}).
     *
     * @return the report (consumed by JMH)
     */
    @Benchmark
    public NeurodegenerationReport neurodegeneration() {
        return Restructure.neurodegeneration(net, 0, 1, opt, null);
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
     * @return the workload (no flop count: an SVD has none)
     */
    public static Workload workload(String method, Map<String, String> params) {
        int width = Workload.intParam(params, "n");
        String with = "adamw".equals(params.get("optimizer")) ? ", with AdamW state" : "";
        String label = "W_0 " + width + " x " + INPUTS + with;
        return switch (method) {
            case "neurogenesisRotated" -> new Workload("Neurogenesis, rotated (reference)", label, Double.NaN);
            case "neurogenesisUnrotated" -> new Workload("Neurogenesis, unrotated (no SVD)", label, Double.NaN);
            case "neurodegeneration" -> new Workload("Neurodegeneration", label, Double.NaN);
            default -> throw new IllegalArgumentException("NeuroOpBenchmark: unknown method " + method);
        };
    }
}
