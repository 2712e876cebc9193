package io.isotropic.adapt;

import io.isotropic.linalg.HouseholderBasis;
import io.isotropic.nn.ActivationKind;
import io.isotropic.nn.ForwardPass;
import io.isotropic.nn.IntrinsicLengthMode;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.nn.LinearCorrectionMode;
import io.isotropic.spi.Backend;
import io.isotropic.spi.Svd;
import io.isotropic.spi.SvdLeft;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Seeds;
import io.isotropic.tensor.ShapeMismatchException;
import io.isotropic.tensor.Tensor;
import io.isotropic.train.Optimizer;

import java.util.Objects;

import static io.isotropic.nn.ParameterNames.biasName;
import static io.isotropic.nn.ParameterNames.psiName;
import static io.isotropic.nn.ParameterNames.weightName;

/**
 * Function-preserving restructuring of an {@link IsotropicMlp} (method.md sections 4-6): basis rotations,
 * left-partial and full diagonalisation, neurogenesis, neurodegeneration, and input/output resizing.
 *
 * <p>Every operation validates its arguments and the network first, computes in double precision (F32 networks
 * are widened and rounded back), transforms the optimiser's state when one is given (section 8: first moments and
 * momentum buffers rotate exactly, second moments by the squared rotation, appended entries are zero, deleted
 * entries vanish, step counts are kept, additive updates of {@code o}, psi and biases leave states alone), and
 * replaces parameters and states in one step at the end: a failed operation changes nothing. Layer arguments use
 * method.md's indexing: {@code layer = l} acts on affine map {@code l} and so on hidden space {@code l+1}.
 * Restructuring requires isotropic activations, since rotations change an element-wise tanh network's function.
 */
public final class Restructure {
    private Restructure() {
    }

    // ================================================================ rotations and diagonalisation

    /**
     * Rotates hidden space {@code j} by an orthogonal {@code O} (method.md section 4):
     * {@code W_{j-1} <- O W_{j-1}}, {@code b_{j-1} <- O b_{j-1}}, {@code psi_{j-2} <- O psi_{j-2}},
     * {@code W_j <- W_j O^T}; the function is unchanged.
     *
     * @param net the network
     * @param space the hidden space {@code j}, {@code 1 <= j <= L-1}
     * @param o orthogonal matrix {@code [n_j, n_j]} (any dtype; used in double), {@code |O^T O - I|_max <= 1e-6}
     * @param opt the optimiser whose state to transform, or null
     * @throws IndexOutOfBoundsException if the space is not hidden
     * @throws ShapeMismatchException if O has the wrong shape
     * @throws IllegalArgumentException if O is not orthogonal, or the network is element-wise or not finite
     */
    public static void rotateHidden(IsotropicMlp net, int space, Tensor o, Optimizer opt) {
        String op = "rotateHidden";
        checkNetwork(op, net);
        if (space < 1 || space > net.depth() - 1) {
            throw new IndexOutOfBoundsException(op + ": hidden space " + space + " out of range 1.." + (net.depth() - 1));
        }
        int n = net.widths()[space];
        Objects.requireNonNull(o, op + ": o is null");
        if (o.rank() != 2 || o.rows() != n || o.cols() != n) {
            throw new ShapeMismatchException(op + ": O is " + o.shape() + "; hidden space " + space + " has width " + n);
        }
        Tensor of = o.to(DType.F64);
        of.requireFinite(op, "O");
        double dev = orthogonalityDefect(net.backend(), of);
        if (dev > 1e-6) {
            throw new IllegalArgumentException(op + ": O is not orthogonal: |O^T O - I|_max = " + dev);
        }
        StagedChange e = new StagedChange(net, opt);
        rotate(e, net, space, of);
        e.commit();
    }

    private static void rotate(StagedChange e, IsotropicMlp net, int j, Tensor o) {
        e.leftMultiply(weightName(j - 1), o);
        e.leftMultiply(biasName(j - 1), o);
        if (j >= 2 && net.psi(j - 2) != null) {
            e.leftMultiply(psiName(j - 2), o);
        }
        e.rightMultiply(weightName(j), o.transpose());
    }

    /**
     * Left-partial diagonalisation of layer {@code l} (method.md 5.2): with {@code W_l = R S Q^T},
     * {@code W_l <- S Q^T} (rows mutually orthogonal, row norms the singular values in descending order, zero
     * rows for a tall layer), {@code b_l <- R^T b_l}, {@code psi_{l-1} <- R^T psi_{l-1}},
     * {@code W_{l+1} <- W_{l+1} R}. The function is unchanged.
     *
     * @param net the network
     * @param layer {@code l}, {@code 0 <= l <= L-2}
     * @param opt the optimiser whose state to transform, or null
     * @return the left factor {@code R} and singular values of the old {@code W_l} (double precision)
     * @throws IndexOutOfBoundsException if the layer is out of range
     * @throws IllegalArgumentException if the network is element-wise or has non-finite parameters
     */
    public static SvdLeft leftDiagonalise(IsotropicMlp net, int layer, Optimizer opt) {
        String op = "leftDiagonalise";
        checkNetwork(op, net);
        checkHiddenOutput(op, net, layer);
        StagedChange e = new StagedChange(net, opt);
        SvdLeft svd = leftDiagonalise(e, net, layer);
        e.commit();
        return svd;
    }

    /** The left factor only ({@link Backend#svdLeft}): the n x n right factor of a wide layer is never formed. */
    private static SvdLeft leftDiagonalise(StagedChange e, IsotropicMlp net, int l) {
        Backend be = e.backend();
        Tensor w = e.param(weightName(l));
        SvdLeft svd = be.svdLeft(w);
        Tensor rT = svd.u().transpose();
        e.leftMultiply(weightName(l), rT); // R^T W_l = S Q^T: rows orthogonal, norms the singular values
        e.leftMultiply(biasName(l), rT);
        if (l >= 1 && net.psi(l - 1) != null) {
            e.leftMultiply(psiName(l - 1), rT);
        }
        e.rightMultiply(weightName(l + 1), svd.u());
        return svd;
    }

    /**
     * Full diagonalisation of layer {@code l} (method.md 5.3): rotates hidden space {@code l+1} by {@code R^T} and
     * hidden space {@code l} by {@code Q^T}, so that {@code W_l} becomes exactly the rectangular diagonal
     * {@code S} (off-diagonal entries exactly 0); the function is unchanged.
     *
     * @param net the network
     * @param layer {@code l}, {@code 1 <= l <= L-2} (both neighbouring spaces hidden)
     * @param opt the optimiser whose state to transform, or null
     * @return the SVD of the old {@code W_l}
     * @throws IndexOutOfBoundsException if {@code l} is 0, {@code L-1} or out of range
     * @throws IllegalArgumentException if the network is element-wise or has non-finite parameters
     */
    public static Svd fullDiagonalise(IsotropicMlp net, int layer, Optimizer opt) {
        String op = "fullDiagonalise";
        checkNetwork(op, net);
        if (layer < 1 || layer > net.depth() - 2) {
            throw new IndexOutOfBoundsException(op + ": layer " + layer + " out of range 1.." + (net.depth() - 2)
                    + " (both spaces around W_l must be hidden; the input and output spaces are never rotated)");
        }
        StagedChange e = new StagedChange(net, opt);
        Svd svd = fullDiagonalise(e, net, layer);
        e.commit();
        return svd;
    }

    static Svd fullDiagonalise(StagedChange e, IsotropicMlp net, int l) {
        Backend be = e.backend();
        Svd svd = be.svd(e.param(weightName(l)));
        Tensor r = svd.u();
        Tensor q = svd.v();
        Tensor rT = r.transpose();
        Tensor qT = q.transpose();
        e.leftMultiplyState(weightName(l), rT); // R^T W_l Q is S: set exactly, only the state is multiplied
        e.rightMultiplyState(weightName(l), q);
        e.assign(weightName(l), rectangularDiagonal(svd));
        e.leftMultiply(biasName(l), rT);
        if (net.psi(l - 1) != null) {
            e.leftMultiply(psiName(l - 1), rT);
        }
        e.leftMultiply(weightName(l - 1), qT);
        e.leftMultiply(biasName(l - 1), qT);
        if (l >= 2 && net.psi(l - 2) != null) {
            e.leftMultiply(psiName(l - 2), qT);
        }
        e.rightMultiply(weightName(l + 1), r);
        return svd;
    }

    // ================================================================ neurogenesis

    /**
     * Neurogenesis (method.md 6.1): adds {@code k} scaffold neurons to hidden space {@code l+1} with zero incoming
     * weights, zero bias and zero psi entry, and outgoing weights drawn as {@code growth} says; optionally after a
     * left-partial diagonalisation. The function is unchanged up to rounding for any outgoing weights, because
     * the new neurons' pre-activations are identically 0.
     *
     * @param net the network
     * @param layer {@code l}, {@code 0 <= l <= L-2}
     * @param k neurons to add, {@code >= 1}
     * @param growth rotation and outgoing-weight settings
     * @param opt the optimiser whose state to transform (appended entries are zero), or null
     * @return the rotation applied (if any) and the new outgoing weights
     * @throws IndexOutOfBoundsException if the layer is out of range
     * @throws IllegalArgumentException if k is below 1, or the network is element-wise or not finite
     */
    public static NeurogenesisReport neurogenesis(IsotropicMlp net, int layer, int k, Growth growth, Optimizer opt) {
        String op = "neurogenesis";
        checkNetwork(op, net);
        checkHiddenOutput(op, net, layer);
        Objects.requireNonNull(growth, op + ": growth is null");
        if (k < 1) {
            throw new IllegalArgumentException(op + ": k must be >= 1, got " + k);
        }
        StagedChange e = new StagedChange(net, opt);
        Tensor rotation = growth.rotate() ? leftDiagonalise(e, net, layer).u() : null;
        e.appendRows(weightName(layer), k, null);
        e.appendRows(biasName(layer), k, null);
        if (layer >= 1 && net.psi(layer - 1) != null) {
            e.appendRows(psiName(layer - 1), k, null);
        }
        int out = net.widths()[layer + 2];
        Tensor c = Tensor.zeros(DType.F64, out, k);
        if (growth.outgoingStd() > 0) {
            java.util.SplittableRandom rng = new java.util.SplittableRandom(
                    Seeds.mix(growth.seed(), layer, net.widths()[layer + 1], k));
            for (int i = 0; i < c.size(); i++) {
                c.f64()[i] = growth.outgoingStd() * rng.nextGaussian();
            }
        }
        e.appendColumns(weightName(layer + 1), k, c);
        e.commit();
        return new NeurogenesisReport(layer, k, rotation, c);
    }

    // ================================================================ neurodegeneration

    /**
     * Neurodegeneration (method.md 6.2): removes the {@code k} neurons of hidden space {@code l+1} with the
     * smallest singular values of {@code W_l} (null directions first for a tall layer), absorbing each removed
     * neuron's constant output: {@code o_l += b*^2} (modes CONSTANT, TRAINABLE, TRAINABLE_SIGNED),
     * {@code psi_l += b* W*} (psi modes) or {@code b_{l+1} += mean(s_l) b* W*} (EXPECTATION, with the gains
     * stored by the last forward pass). The removed component {@code psi*} of {@code psi_{l-1}} is discarded.
     * Exact (to rounding) when the removed singular values and psi* are 0; otherwise the error vanishes linearly
     * with them.
     *
     * @param net the network
     * @param layer {@code l}, {@code 0 <= l <= L-2}
     * @param k neurons to remove, {@code 1 <= k < n_{l+1}}
     * @param opt the optimiser whose state to transform, or null
     * @param sample inputs {@code [N, n_0]} on which to bound and measure the change, or null
     * @return what was removed and, with a sample, the bound and the measured change
     * @throws IndexOutOfBoundsException if the layer is out of range
     * @throws IllegalArgumentException if k is out of range (a layer keeps at least one neuron), the network is
     *         element-wise or not finite, or the sample does not fit
     * @throws IllegalStateException in mode EXPECTATION before any forward pass
     */
    public static NeurodegenerationReport neurodegeneration(IsotropicMlp net, int layer, int k, Optimizer opt,
                                                            Tensor sample) {
        return neurodegeneration(net, layer, k, opt, sample, NeurodegenerationSettings.DEFAULT);
    }

    /**
     * Neurodegeneration as {@link #neurodegeneration(IsotropicMlp, int, int, Optimizer, Tensor)}, with settings (for
     * instance forcing the reference method, a full SVD). Which {@code k} directions go is decided as follows:
     * the left singular directions of {@code W_l} with the {@code k} smallest singular values (the implicit zeros of a
     * tall layer first); where the cut falls inside a cluster of equal values, a canonical choice that depends only
     * on the cluster's subspace, the incoming psi and the bias (see method.md 6.2), so every backend and every path
     * removes the same neurons.
     *
     * @param net the network
     * @param layer {@code l}, {@code 0 <= l <= L-2}
     * @param k neurons to remove, {@code 1 <= k < n_{l+1}}
     * @param opt the optimiser whose state to transform, or null
     * @param sample inputs {@code [N, n_0]} on which to bound and measure the change, or null
     * @param settings which paths may be used
     * @return what was removed and how, and with a sample the bound and the measured change
     * @throws IndexOutOfBoundsException if the layer is out of range
     * @throws IllegalArgumentException if k is out of range (a layer keeps at least one neuron), the network is
     *         element-wise or not finite, or the sample does not fit
     * @throws IllegalStateException in mode EXPECTATION before any forward pass
     */
    public static NeurodegenerationReport neurodegeneration(IsotropicMlp net, int layer, int k, Optimizer opt,
                                                            Tensor sample, NeurodegenerationSettings settings) {
        String op = "neurodegeneration";
        Objects.requireNonNull(settings, op + ": settings is null");
        checkNetwork(op, net);
        checkHiddenOutput(op, net, layer);
        int m = net.widths()[layer + 1];
        if (k < 1 || k >= m) {
            throw new IllegalArgumentException(op + ": k = " + k + " for hidden layer " + (layer + 1) + " of width " + m
                    + "; need 1 <= k < width (a layer keeps at least one neuron)");
        }
        if (sample != null && (sample.rank() != 2 || sample.cols() != net.widths()[0] || sample.rows() == 0)) {
            throw new ShapeMismatchException(op + ": sample is " + sample.shape() + "; need [N >= 1, "
                    + net.widths()[0] + "]");
        }
        LinearCorrectionMode pm = net.linearCorrectionMode();
        double meanGain = pm == LinearCorrectionMode.EXPECTATION ? net.meanStoredGain(layer) : 0; // throws if none
        IsotropicMlp before = sample == null ? null : net.copy();

        StagedChange e = new StagedChange(net, opt);
        // Rotate hidden space l+1 so that its last k neurons span the k removed directions: the k smallest singular
        // directions of W_l, chosen canonically inside a cluster of equal values (RemovalChoice), found by block
        // inverse iteration with the Gram matrix's Cholesky factor for a few neurons of a wide layer, from the null
        // space of a tall one, else by an SVD. Any completion of the basis gives the same function, since the kept
        // neurons span the same subspace; a Householder basis applies it in O(m n k).
        Tensor psiIn = layer >= 1 && net.psi(layer - 1) != null ? e.param(psiName(layer - 1)) : null;
        RemovalChoice.Removal removal = RemovalChoice.choose(e.backend(), e.param(weightName(layer)), k,
                e.param(biasName(layer)), psiIn, settings);
        HouseholderBasis hb = HouseholderBasis.ofLastColumns(removal.directions());
        e.leftRotate(weightName(layer), hb);
        e.leftRotate(biasName(layer), hb);
        if (psiIn != null) {
            e.leftRotate(psiName(layer - 1), hb);
        }
        e.rightRotate(weightName(layer + 1), hb);
        Tensor basis = hb.dense();
        double[] smallest = removal.values();
        Tensor bRot = e.param(biasName(layer));
        Tensor wNext = e.param(weightName(layer + 1));
        Tensor psiRot = psiIn == null ? null : e.param(psiName(layer - 1));
        double[] sv = smallest;
        double[] bStar = new double[k];
        double[] psiStar = new double[k];
        double[] wNorm = new double[k];
        int nNext = wNext.rows();
        double[] absorbed = new double[nNext]; // sum_i b*_i W*_i
        double biasSquares = 0;
        for (int r = 0; r < k; r++) {
            int i = m - k + r;
            bStar[r] = bRot.getFlat(i);
            psiStar[r] = psiRot == null ? 0.0 : psiRot.getFlat(i);
            double nrm = 0;
            for (int j = 0; j < nNext; j++) {
                double wji = wNext.f64()[j * m + i];
                nrm += wji * wji;
                absorbed[j] += bStar[r] * wji;
            }
            wNorm[r] = Math.sqrt(nrm);
            biasSquares += bStar[r] * bStar[r];
        }
        if (net.intrinsicLengthMode() != IntrinsicLengthMode.NONE) {
            double o = net.intrinsicLength(layer) + biasSquares;
            double stored = net.intrinsicLengthMode() == IntrinsicLengthMode.TRAINABLE ? Math.log(o) : o;
            if (!Double.isFinite(stored)) {
                throw new IllegalArgumentException(op + ": the new intrinsic length " + o + " is not representable");
            }
            e.assign(net.lengthName(layer), Tensor.wrap(new double[] {stored}, 1));
        }
        if (pm.psiPresent()) {
            Tensor p = e.param(psiName(layer)).copy();
            for (int j = 0; j < nNext; j++) {
                p.f64()[j] += absorbed[j];
            }
            e.assign(psiName(layer), p);
        } else if (pm == LinearCorrectionMode.EXPECTATION) {
            Tensor b = e.param(biasName(layer + 1)).copy();
            for (int j = 0; j < nNext; j++) {
                b.f64()[j] += meanGain * absorbed[j];
            }
            e.assign(biasName(layer + 1), b);
        }
        e.dropRows(weightName(layer), k);
        e.dropRows(biasName(layer), k);
        if (psiRot != null) {
            e.dropRows(psiName(layer - 1), k);
        }
        e.dropColumns(weightName(layer + 1), k);
        e.commit();
        if (sample == null) {
            return new NeurodegenerationReport(layer, sv, bStar, psiStar, wNorm, Double.NaN, Double.NaN, Double.NaN,
                    removal.method(), basis);
        }
        NeurodegenerationReport r = measure(before, net, layer, sample, basis, bStar, absorbed, biasSquares, meanGain,
                sv, psiStar, wNorm, k);
        return new NeurodegenerationReport(r.layer(), sv, bStar, psiStar, wNorm, r.zChangeBound(), r.zChange(),
                r.outputChange(), removal.method(), basis);
    }

    /** Bound and measured change of z_{l+1} and the logits on a sample (see {@link NeurodegenerationReport}). */
    private static NeurodegenerationReport measure(IsotropicMlp before, IsotropicMlp after, int l, Tensor sample, Tensor basis,
                                       double[] bStar, double[] absorbed, double biasSquares, double meanGain,
                                       double[] sv, double[] psiStar, double[] wNorm, int k) {
        Backend be = before.backend();
        Tensor x = sample.to(before.dtype());
        ForwardPass f0 = before.forward(x);
        ForwardPass f1 = after.forward(x);
        // rotated pre-activations a = R^T z_l per sample (double precision)
        Tensor z = f0.z(l).to(DType.F64);
        Tensor a = be.matmul(z, false, basis, false); // rows: (P^T z)^T = z^T P
        int m = a.cols();
        int rest = m - k;
        Tensor wRot = be.matmul(before.weight(l + 1).to(DType.F64), false, basis, false); // W_{l+1} P
        int nNext = wRot.rows();
        boolean oAbsorbs = before.intrinsicLengthMode() != IntrinsicLengthMode.NONE;
        boolean psiAbsorbs = before.linearCorrectionMode().psiPresent();
        boolean expect = before.linearCorrectionMode() == LinearCorrectionMode.EXPECTATION;
        Tensor psiL = psiAbsorbs ? before.psi(l).to(DType.F64) : null;
        double bound = 0;
        double zChange = 0;
        double outChange = 0;
        Tensor zNext0 = l + 1 < before.depth() - 1 ? f0.z(l + 1) : f0.logits();
        Tensor zNext1 = l + 1 < after.depth() - 1 ? f1.z(l + 1) : f1.logits();
        for (int s = 0; s < x.rows(); s++) {
            double rRemoved = 0;
            for (int i = rest; i < m; i++) {
                double ai = a.f64()[s * m + i];
                rRemoved += ai * ai;
            }
            double gain = f0.gain(l).getFlat(s);
            double du = Math.abs(rRemoved - (oAbsorbs ? biasSquares : 0));
            double pNorm = 0;
            double second = 0;
            for (int j = 0; j < nNext; j++) {
                double pj = (psiAbsorbs ? psiL.f64()[j] + absorbed[j] : 0);
                double direct = 0;
                for (int i = 0; i < m; i++) {
                    double w = wRot.f64()[j * m + i];
                    if (i < rest) {
                        pj += w * a.f64()[s * m + i];
                    } else {
                        direct += w * a.f64()[s * m + i];
                    }
                }
                pNorm += pj * pj;
                double t = gain * (direct - (psiAbsorbs ? absorbed[j] : 0)) - (expect ? meanGain * absorbed[j] : 0);
                second += t * t;
            }
            bound = Math.max(bound, du / 3 * Math.sqrt(pNorm) + Math.sqrt(second));
            zChange = Math.max(zChange, rowDistance(zNext0, zNext1, s));
            outChange = Math.max(outChange, rowDistance(f0.logits(), f1.logits(), s));
        }
        return new NeurodegenerationReport(l, sv, bStar, psiStar, wNorm, bound, zChange, outChange,
                NeurodegenerationMethod.SVD, basis);
    }

    private static double rowDistance(Tensor p, Tensor q, int row) {
        double d = 0;
        int n = p.cols();
        for (int j = 0; j < n; j++) {
            double x = p.getFlat(row * n + j) - q.getFlat(row * n + j);
            d += x * x;
        }
        return Math.sqrt(d);
    }

    // ================================================================ inputs and outputs (task appending / removal)

    /**
     * Appends {@code k} input features: zero columns of {@code W_0}, so the function ignores them until trained
     * (method.md 6.3).
     *
     * @param net the network
     * @param k features to add, {@code >= 1}
     * @param opt the optimiser whose state to pad with zeros, or null
     * @throws IllegalArgumentException if k is below 1 or the network has non-finite parameters
     */
    public static void addInputs(IsotropicMlp net, int k, Optimizer opt) {
        requirePositive("addInputs", k);
        addInputsAndOutputs(net, k, 0, opt);
    }

    /**
     * Appends {@code k} output classes: zero rows of {@code W_{L-1}}, zero biases and zero {@code psi_{L-2}}
     * entries, so the new logits start at 0 and the old ones are unchanged (method.md 6.3).
     *
     * @param net the network
     * @param k classes to add, {@code >= 1}
     * @param opt the optimiser whose state to pad with zeros, or null
     * @throws IllegalArgumentException if k is below 1 or the network has non-finite parameters
     */
    public static void addOutputs(IsotropicMlp net, int k, Optimizer opt) {
        requirePositive("addOutputs", k);
        addInputsAndOutputs(net, 0, k, opt);
    }

    /**
     * Appends input features and output classes in one change (a task's input block and output head): zero columns
     * of {@code W_0}, zero rows of {@code W_{L-1}} with zero biases and {@code psi_{L-2}} entries. The logits of
     * inputs that are zero on the new features are unchanged (the old ones; the new ones are 0).
     *
     * @param net the network
     * @param inputs features to add, {@code >= 0}
     * @param outputs classes to add, {@code >= 0}, not both 0
     * @param opt the optimiser whose state to pad with zeros, or null
     * @throws IllegalArgumentException if a count is negative or both are 0, or the network has non-finite parameters
     */
    public static void addInputsAndOutputs(IsotropicMlp net, int inputs, int outputs, Optimizer opt) {
        String op = "addInputsAndOutputs";
        checkFinite(op, net);
        if (inputs < 0 || outputs < 0 || inputs + (long) outputs == 0) {
            throw new IllegalArgumentException(op + ": need inputs, outputs >= 0 and not both 0, got " + inputs + ", "
                    + outputs);
        }
        int last = net.depth() - 1;
        StagedChange e = new StagedChange(net, opt);
        if (inputs > 0) {
            e.appendColumns(weightName(0), inputs, null);
        }
        if (outputs > 0) {
            e.appendRows(weightName(last), outputs, null);
            e.appendRows(biasName(last), outputs, null);
            if (net.psi(last - 1) != null) {
                e.appendRows(psiName(last - 1), outputs, null);
            }
        }
        e.commit();
    }

    /**
     * Removes {@code k} input features starting at {@code offset} (columns of {@code W_0}); the function changes
     * unless those inputs were zero (so removing a task's input block leaves the other tasks' functions unchanged).
     *
     * @param net the network
     * @param offset the first feature to remove, {@code 0 <= offset}
     * @param k features to remove, {@code 1 <= k < n_0}, {@code offset + k <= n_0}
     * @param opt the optimiser whose state to shrink, or null
     * @throws IllegalArgumentException if the range is out of bounds or the network has non-finite parameters
     */
    public static void removeInputs(IsotropicMlp net, int offset, int k, Optimizer opt) {
        requirePositive("removeInputs", k);
        removeInputsAndOutputs(net, offset, k, 0, 0, opt);
    }

    /**
     * Removes {@code k} output classes starting at {@code offset} (rows of {@code W_{L-1}}, entries of
     * {@code b_{L-1}} and {@code psi_{L-2}}); the remaining logits are unchanged.
     *
     * @param net the network
     * @param offset the first class to remove, {@code 0 <= offset}
     * @param k classes to remove, {@code 1 <= k < n_L}, {@code offset + k <= n_L}
     * @param opt the optimiser whose state to shrink, or null
     * @throws IllegalArgumentException if the range is out of bounds or the network has non-finite parameters
     */
    public static void removeOutputs(IsotropicMlp net, int offset, int k, Optimizer opt) {
        requirePositive("removeOutputs", k);
        removeInputsAndOutputs(net, 0, 0, offset, k, opt);
    }

    /**
     * Removes a block of input features and a block of output classes in one change (a task's input block and output
     * head): columns {@code inputOffset ..} of {@code W_0}, rows {@code outputOffset ..} of {@code W_{L-1}},
     * {@code b_{L-1}} and {@code psi_{L-2}}. The remaining logits of inputs that are zero on the removed features are
     * unchanged.
     *
     * @param net the network
     * @param inputOffset first feature to remove
     * @param inputs features to remove, {@code 0 <= inputs < n_0}
     * @param outputOffset first class to remove
     * @param outputs classes to remove, {@code 0 <= outputs < n_L}, not both counts 0
     * @param opt the optimiser whose state to shrink, or null
     * @throws IllegalArgumentException if a range is out of bounds (a layer keeps at least one neuron), both counts
     *         are 0, or the network has non-finite parameters
     */
    public static void removeInputsAndOutputs(IsotropicMlp net, int inputOffset, int inputs, int outputOffset,
                                              int outputs, Optimizer opt) {
        String op = "removeInputsAndOutputs";
        checkFinite(op, net);
        int last = net.depth() - 1;
        int n0 = net.widths()[0];
        int nL = net.widths()[last + 1];
        if (inputs < 0 || inputs >= n0 || (inputs > 0 && (inputOffset < 0 || inputOffset > n0 - inputs))) {
            throw new IllegalArgumentException(op + ": features " + inputOffset + ".." + (inputOffset + inputs - 1)
                    + " (k = " + inputs + ") with " + n0 + " inputs; need 0 <= k < n_0 and 0 <= offset <= n_0 - k");
        }
        if (outputs < 0 || outputs >= nL || (outputs > 0 && (outputOffset < 0 || outputOffset > nL - outputs))) {
            throw new IllegalArgumentException(op + ": classes " + outputOffset + ".." + (outputOffset + outputs - 1)
                    + " (k = " + outputs + ") with " + nL + " outputs; need 0 <= k < n_L and 0 <= offset <= n_L - k");
        }
        if (inputs + outputs == 0) {
            throw new IllegalArgumentException(op + ": nothing to remove (both counts are 0)");
        }
        StagedChange e = new StagedChange(net, opt);
        if (inputs > 0) {
            e.dropColumns(weightName(0), inputOffset, inputs);
        }
        if (outputs > 0) {
            e.dropRows(weightName(last), outputOffset, outputs);
            e.dropRows(biasName(last), outputOffset, outputs);
            if (net.psi(last - 1) != null) {
                e.dropRows(psiName(last - 1), outputOffset, outputs);
            }
        }
        e.commit();
    }

    // ================================================================ helpers

    static void checkNetwork(String op, IsotropicMlp net) {
        Objects.requireNonNull(net, op + ": net is null");
        if (net.activation() != ActivationKind.ISOTROPIC_TANH) {
            throw new IllegalArgumentException(op + ": the network uses " + net.activation() + "; rotations preserve "
                    + "the function only for isotropic activations");
        }
        checkFinite(op, net);
    }

    static void checkFinite(String op, IsotropicMlp net) {
        Objects.requireNonNull(net, op + ": net is null");
        String bad = net.firstInvalidParameter();
        if (bad != null) {
            throw new IllegalArgumentException(op + ": the network has a non-finite parameter: " + bad);
        }
    }

    static void checkHiddenOutput(String op, IsotropicMlp net, int layer) {
        if (layer < 0 || layer > net.depth() - 2) {
            throw new IndexOutOfBoundsException(op + ": layer " + layer + " out of range 0.." + (net.depth() - 2)
                    + " (the output space of W_l must be hidden)");
        }
    }

    private static void requirePositive(String op, int k) {
        if (k < 1) {
            throw new IllegalArgumentException(op + ": k must be >= 1, got " + k);
        }
    }

    private static Tensor rectangularDiagonal(Svd svd) {
        Tensor out = Tensor.zeros(DType.F64, svd.m(), svd.n());
        for (int i = 0; i < svd.s().size(); i++) {
            out.f64()[i * svd.n() + i] = svd.s().getFlat(i);
        }
        return out;
    }

    private static double orthogonalityDefect(Backend be, Tensor o) {
        Tensor g = be.matmul(o, true, o, false);
        double worst = 0;
        for (int i = 0; i < g.rows(); i++) {
            for (int j = 0; j < g.cols(); j++) {
                worst = Math.max(worst, Math.abs(g.get(i, j) - (i == j ? 1 : 0)));
            }
        }
        return worst;
    }
}
