package io.isotropic.bench;

import io.isotropic.nn.Gradients;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.nn.Parameter;
import io.isotropic.oracle.Tolerance;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import io.isotropic.train.Adam;
import io.isotropic.train.Loss;
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
 * One training step of {@code 784-n-n-10} (the case is n = 512) on a batch of 128: forward pass,
 * cross-entropy plus psi penalty, exact backward pass, and an AdamW update of every parameter, as
 * {@link io.isotropic.train.Trainer} does it (its divergence checks aside). The network has the defaults of
 * {@link IsotropicMlp#builder} (psi TRAINABLE_DECAY, trainable {@code o}) with Gaussian weights and non-zero biases
 * and psi. The same network keeps training on the same batch across invocations; the time of a step does not depend
 * on the values (AdamW's step is one fused pass over each tensor whatever its contents).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xss4m", "--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class TrainingStepBenchmark extends NetworkTrial {
    private static final long SEED = 11;
    private static final int INPUTS = 784;
    private static final int OUTPUTS = 10;

    /** Hidden width of both hidden layers. */
    @Param({"512"})
    public int n;

    /** Batch size. */
    @Param({"128"})
    public int batch;

    private Adam opt;
    private Tensor x;
    private int[] y;
    private io.isotropic.train.Batch trainBatch;

    @Override
    protected IsotropicMlp build() {
        x = BenchNets.inputs(dt, SEED + 1, batch, INPUTS);
        y = BenchNets.labels(SEED + 2, batch, OUTPUTS);
        trainBatch = new io.isotropic.train.Batch(x, y, null);
        return BenchNets.trainedLike(be, dt, SEED, INPUTS, n, n, OUTPUTS);
    }

    @Override
    protected Adam optimizer(IsotropicMlp net) {
        opt = Adam.adamW(BenchNets.LEARNING_RATE, BenchNets.WEIGHT_DECAY);
        return opt;
    }

    /** Checks the gradient once (see {@link #checkGradient}). */
    @Override
    protected void check() {
        checkGradient(label(), template, x, y, BenchNets.gradients(template, x, y), SEED);
    }

    /**
     * The analytic gradient (in the dtype under test) of the largest-magnitude entry of every parameter agrees with
     * central differences of the training loss of the F64 twin (the same parameter values, widened).
     *
     * <p>Tolerance: with step h, {@code D(h) = (L(t+h) - L(t-h)) / 2h}. Each loss evaluation errs by at most
     * {@code delta = 2 (2 L n u_64)(1 + |y|_inf)}: one forward pass errs by half the invariance bound, and the mean
     * cross-entropy changes by at most {@code 2 |dy|_inf} since its gradient has row sums of magnitude at most
     * {@code 2 / batch}; so rounding contributes {@code delta / h}. The truncation error {@code h^2 L''' / 6} is
     * estimated by Richardson's difference {@code |D(2h) - D(h)| = 3 h^2 |L'''| / 6 + O(h^4)}, which is added whole
     * (a factor 3 of margin for the higher-order terms). The analytic gradient in the dtype under test errs by
     * about {@code gamma_n} per product along the L products of the backward path, bounded as in the invariance
     * tolerance by {@code 4 L n u |g|_inf} over the parameter's tensor (negligible in F64). h = 1e-4 balances
     * {@code delta / h ~ 1e-8} against the truncation.
     *
     * @param what a label for the message
     * @param net the network under test
     * @param x the batch (the network's dtype)
     * @param y its labels
     * @param g the gradients to check, as {@link BenchNets#gradients} computes them on (net, x, y)
     * @param seed the seed the network was built with by {@link BenchNets#trainedLike}
     * @throws IllegalStateException if an entry is outside the tolerance
     */
    static void checkGradient(String what, IsotropicMlp net, Tensor x, int[] y, Gradients g, long seed) {
        IsotropicMlp twin = BenchNets.widened(net, seed);
        Tensor x64 = x.to(DType.F64);
        int depth = net.depth();
        int maxWidth = BenchNets.maxWidth(net.widths());
        Tensor logits = twin.predict(x64);
        double delta = 2 * (2.0 * depth * maxWidth * DType.F64.unitRoundoff()) * (1 + logits.maxAbs());
        double u = net.dtype().unitRoundoff();
        double h = 1e-4;
        Map<String, Parameter> twinParams = new java.util.HashMap<>();
        for (Parameter p : twin.parameters()) {
            twinParams.put(p.name(), p);
        }
        for (Parameter p : net.parameters()) {
            if (!p.trainable()) {
                continue;
            }
            Tensor grad = g.get(p.name());
            int at = argMaxAbs(grad);
            Tensor t = twinParams.get(p.name()).value();
            double d1 = centralDifference(twin, x64, y, t, at, h);
            double d2 = centralDifference(twin, x64, y, t, at, 2 * h);
            double tol = delta / h + Math.abs(d2 - d1) + 4.0 * depth * maxWidth * u * grad.maxAbs();
            SetupChecks.close("gradient of " + p.name() + "[" + at + "] (" + what + ") vs central differences in F64",
                    grad.getFlat(at), d1, new Tolerance(tol, "delta / h + |D(2h) - D(h)| + 4 L n u |g|_inf"));
        }
    }

    private static double centralDifference(IsotropicMlp twin, Tensor x64, int[] y, Tensor t, int at, double h) {
        double old = t.getFlat(at);
        t.setFlat(at, old + h);
        double plus = BenchNets.loss(twin, x64, y);
        t.setFlat(at, old - h);
        double minus = BenchNets.loss(twin, x64, y);
        t.setFlat(at, old);
        return (plus - minus) / (2 * h);
    }

    private static int argMaxAbs(Tensor t) {
        int best = 0;
        for (int i = 1; i < t.size(); i++) {
            if (Math.abs(t.getFlat(i)) > Math.abs(t.getFlat(best))) {
                best = i;
            }
        }
        return best;
    }

    /**
     * One step, the project's only one ({@link io.isotropic.train.Trainer#step}): forward, loss, backward (with the
     * psi penalty's gradient), AdamW, and the divergence checks a real run makes.
     *
     * @return the loss before the step (consumed by JMH)
     */
    @Benchmark
    public double step() {
        return io.isotropic.train.Trainer.step(template, opt, OBJECTIVE, trainBatch).total();
    }

    private static final io.isotropic.train.Objective OBJECTIVE = io.isotropic.train.Objective.of(Loss.CROSS_ENTROPY);

    /**
     * The report's description of a result: the flops of the matrix products, {@code 2 b sum n_l n_(l+1)} forward,
     * the same for the weight gradients and {@code 2 b sum_(l >= 1) n_l n_(l+1)} for the input gradients (none for
     * the first layer); activations, loss and AdamW add {@code O(b n)} and {@code O(parameters)}.
     *
     * @param method the benchmark method
     * @param params its JMH parameters
     * @return the workload
     */
    public static Workload workload(String method, Map<String, String> params) {
        int width = Workload.intParam(params, "n");
        int b = Workload.intParam(params, "batch");
        double sum = (double) INPUTS * width + (double) width * width + (double) width * OUTPUTS;
        double flops = 2.0 * b * (3 * sum - (double) INPUTS * width);
        return new Workload("Training step (forward, loss, backward, AdamW)",
                INPUTS + "-" + width + "-" + width + "-" + OUTPUTS + ", batch " + b, flops, b);
    }
}
