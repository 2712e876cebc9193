package io.isotropic.bench;

import io.isotropic.adapt.Growth;
import io.isotropic.adapt.NeurodegenerationReport;
import io.isotropic.adapt.Restructure;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.oracle.Reference;
import io.isotropic.oracle.Tolerance;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import io.isotropic.train.Adam;
import io.isotropic.train.ParameterState;
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

import static io.isotropic.nn.ParameterNames.weightName;

/**
 * One neurogenesis ({@link Restructure#neurogenesis}, k = 1, rotated as the reference does and unrotated) and one
 * neurodegeneration ({@link Restructure#neurodegeneration}, k = 1) on layer 0 of a {@code 784-n-n-10} network, so
 * {@code W_0} is {@code n x 784} (the case is n = 512), without an optimiser or with AdamW whose moments
 * the operation transforms.
 *
 * <p>Every invocation acts on a fresh copy of the same network and optimiser ({@link FreshNetworkTrial}):
 * repeating an operation on one network, or alternating grow and prune, would time a different and easier problem
 * than the first call during training (alternating would also let neurodegeneration remove the zero-singular-value
 * neuron just grown). The per-invocation setup costs JMH two timestamps per call, negligible against the shortest
 * operation here (about 2 ms).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xss4m", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class NeuroOpBenchmark extends FreshNetworkTrial {
    private static final long SEED = 7;
    private static final int INPUTS = 784;
    private static final int OUTPUTS = 10;

    /** Hidden width: {@code W_0} is {@code n x 784}. */
    @Param({"512"})
    public int n;

    /** {@code none}: no optimiser; {@code adamw}: AdamW with non-zero moments, transformed by the operation. */
    @Param({"none", "adamw"})
    public String optimizer;

    @Override
    protected IsotropicMlp build() {
        return BenchNets.trainedLike(be, dt, SEED, INPUTS, n, n, OUTPUTS);
    }

    @Override
    protected Adam optimizer(IsotropicMlp net) {
        return switch (optimizer) {
            case "none" -> null;
            case "adamw" -> BenchNets.warmAdam(net, 2, SEED + 1);
            default -> throw new IllegalArgumentException("NeuroOpBenchmark: optimizer '" + optimizer
                    + "' is not none or adamw");
        };
    }

    /** Checks the trial's operation once on a copy. */
    @Override
    protected void check() {
        switch (method()) {
            case "neurogenesisRotated" -> checkGrowth(Growth.reference(SEED));
            case "neurogenesisUnrotated" -> checkGrowth(Growth.unrotated(SEED));
            default -> checkPrune();
        }
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
        Adam o = templateOptimizer == null ? null : BenchNets.copy(templateOptimizer);
        Tensor x = BenchNets.inputs(copy.dtype(), SEED + 2, 64, INPUTS);
        Tensor before = copy.predict(x);
        Restructure.neurogenesis(copy, 0, 1, growth, o);
        String what = "grow " + (growth.rotate() ? "rotated" : "unrotated") + " " + label();
        if (copy.widths()[1] != n + 1) {
            throw new IllegalStateException("benchmark check failed: " + what + " left width " + copy.widths()[1]);
        }
        SetupChecks.invariant(what, copy, before, copy.predict(x));
        if (o != null) {
            double u = copy.dtype().unitRoundoff();
            double rel = 2 * u + 120.0 * Math.max(n, INPUTS) * DType.F64.unitRoundoff();
            for (int l = 0; l <= 1; l++) {
                Tensor w0 = template.weight(l);
                Tensor m0 = templateOptimizer.states().get(weightName(l)).first();
                Tensor w1 = copy.weight(l);
                ParameterState s1 = o.states().get(weightName(l));
                if (!s1.first().shape().equals(w1.shape()) || !s1.second().shape().equals(w1.shape())) {
                    throw new IllegalStateException("benchmark check failed: " + what + ": moments of " + weightName(l)
                            + " are " + s1.first().shape() + " for a parameter " + w1.shape());
                }
                SetupChecks.close(what + " <W_" + l + ", m_" + l + "> (moments follow the rotation)",
                        Reference.inner(w1, s1.first()), Reference.inner(w0, m0), new Tolerance(
                                rel * Reference.frobenius(w0) * Reference.frobenius(m0),
                                "(2u + 120 max(m, n) u_64) |W|_F |m|_F"));
            }
        }
    }

    /**
     * Neurodegeneration removes the neuron with the smallest singular value: the reported removed value equals the
     * smallest singular value of the old {@code W_0}, and the kept ones are the others. The reference values come
     * from the oracle ({@link Reference#singularValues}, one-sided Jacobi in double precision, not the backend
     * under test); the operation's SVD is within the Weyl bound {@code 60 max(m, n) u_64 sigma_1} of them
     * (LAPACK's backward error, twice for margin), and the new {@code W_0} is rounded to the dtype, which moves
     * its singular values by at most {@code u |W|_F} more.
     */
    private void checkPrune() {
        IsotropicMlp copy = template.copy();
        Adam o = templateOptimizer == null ? null : BenchNets.copy(templateOptimizer);
        Tensor w = template.weight(0).to(DType.F64);
        double[] sv = Reference.singularValues(w);
        double smallest = sv[sv.length - 1];
        NeurodegenerationReport rep = Restructure.neurodegeneration(copy, 0, 1, o, null);
        String what = "prune " + label();
        if (copy.widths()[1] != n - 1 || rep.removed() != 1) {
            throw new IllegalStateException("benchmark check failed: " + what + " left width " + copy.widths()[1]);
        }
        Tolerance svd = new Tolerance(2 * 60.0 * Math.max(n, INPUTS) * DType.F64.unitRoundoff() * sv[0],
                "twice the Weyl bound 60 max(m, n) u_64 sigma_1");
        SetupChecks.close(what + " removed singular value vs the oracle's smallest", rep.singularValues()[0],
                smallest, svd);
        double[] kept = Reference.singularValues(copy.weight(0).to(DType.F64));
        Tolerance keptTol = new Tolerance(svd.value() + copy.dtype().unitRoundoff() * Reference.frobenius(w),
                "twice the Weyl bound plus u |W|_F for rounding to the dtype");
        for (int i = 0; i < kept.length; i++) {
            SetupChecks.close(what + " kept sigma_" + i + " vs the oracle's", kept[i], sv[i], keptTol);
        }
        if (o != null && !o.states().get(weightName(0)).first().shape().equals(copy.weight(0).shape())) {
            throw new IllegalStateException("benchmark check failed: " + what + ": moments of W_0 were not shrunk");
        }
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
