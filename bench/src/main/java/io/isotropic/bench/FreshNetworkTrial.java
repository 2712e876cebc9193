package io.isotropic.bench;

import io.isotropic.nn.IsotropicMlp;
import io.isotropic.train.Adam;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;

/**
 * A {@link NetworkTrial} whose operation changes the network (restructuring, sparsification, an epoch of
 * training): every invocation gets its own copy of the template network and optimiser, made in
 * {@code @Setup(Level.Invocation)} and so not timed. Repeating an operation on one network would time an easier
 * problem (after a rotated growth {@code W_0} is row-orthogonal and its next SVD converges faster, a sparsified
 * network has diagonal layers, widths would drift). JMH's per-invocation timestamps cost far less than the
 * shortest of these operations; the copy leaves the network in cache, as a network just updated by an optimiser
 * step is.
 */
public abstract class FreshNetworkTrial extends NetworkTrial {
    /** This invocation's copy of the template network. */
    protected IsotropicMlp net;

    /** This invocation's copy of the template optimiser, or null. */
    protected Adam opt;

    /** Gives the coming invocation its own copy of the network and optimiser (not timed). */
    @Setup(Level.Invocation)
    public void freshCopy() {
        net = template.copy();
        opt = templateOptimizer == null ? null : BenchNets.copy(templateOptimizer);
    }
}
