package io.isotropic.bench;

import io.isotropic.nn.IsotropicMlp;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.train.Adam;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;

import java.io.IOException;

/**
 * The trial state every network-level benchmark shares: the {@code backend} and {@code dtype} parameters, the
 * backend instance, a template network and (optionally) its optimiser, built and checked once per trial, and the
 * backend released at its end. A benchmark says what to build ({@link #build}, {@link #optimizer}) and how to
 * check it ({@link #check}); those that change the network extend {@link FreshNetworkTrial} to act on a fresh
 * copy in every invocation.
 */
@State(Scope.Thread)
public abstract class NetworkTrial {
    /** Backend name; the run script replaces the list with the backends available at run time. */
    @Param({"vector", "ojalgo", "ejml"})
    public String backend;

    /** Element type. */
    @Param({"F64", "F32"})
    public String dtype;

    /** The backend under test, created for the trial. */
    protected Backend be;

    /** The dtype under test. */
    protected DType dt;

    /** The network of the trial (trained in place by benchmarks that do not copy it). */
    protected IsotropicMlp template;

    /** Its optimiser, or null when the benchmark uses none. */
    protected Adam templateOptimizer;

    /** The benchmark method of the trial (its simple name), so a check can test just the operation timed. */
    private String method = "";

    /**
     * Creates the backend, builds the network and its optimiser, and runs the benchmark's check.
     *
     * @param params JMH's description of the trial (names the benchmark method)
     * @throws IOException if the benchmark's data cannot be read
     * @throws IllegalStateException if the backend cannot run here or the check fails
     */
    @Setup(Level.Trial)
    public void setUpTrial(BenchmarkParams params) throws IOException {
        String name = params.getBenchmark();
        method = name.substring(name.lastIndexOf('.') + 1);
        be = BenchSupport.backend(backend);
        dt = BenchSupport.dtype(dtype);
        template = build();
        templateOptimizer = optimizer(template);
        check();
    }

    /**
     * Builds the network of the trial on {@link #be} in {@link #dt}.
     *
     * @return the network
     * @throws IOException if data cannot be read
     */
    protected abstract IsotropicMlp build() throws IOException;

    /**
     * The optimiser of the trial; none by default.
     *
     * @param net the network built by {@link #build}
     * @return the optimiser, or null
     */
    protected Adam optimizer(IsotropicMlp net) {
        return null;
    }

    /**
     * Checks the operation once on the trial's network (on a copy if it changes it), throwing if it is wrong.
     *
     * @throws IllegalStateException if the result is wrong
     */
    protected abstract void check();

    /**
     * The benchmark method this trial times.
     *
     * @return its simple name, e.g. {@code "neurodegeneration"}
     */
    protected String method() {
        return method;
    }

    /**
     * The trial's backend and dtype, for check messages.
     *
     * @return e.g. {@code "ojalgo F32"}
     */
    protected String label() {
        return backend + " " + dtype;
    }

    /** Releases the backend. */
    @TearDown(Level.Trial)
    public void tearDownTrial() {
        be.close();
    }
}
