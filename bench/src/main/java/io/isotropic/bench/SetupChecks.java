package io.isotropic.bench;

import io.isotropic.nn.IsotropicMlp;
import io.isotropic.oracle.Compare;
import io.isotropic.oracle.Invariance;
import io.isotropic.oracle.Reference;
import io.isotropic.oracle.Tolerance;
import io.isotropic.spi.Svd;
import io.isotropic.tensor.Tensor;

import java.util.Optional;

/**
 * The one-off correctness checks that every benchmark runs in its {@code @Setup} on the result of the backend
 * under test: each is a call into the oracle ({@link io.isotropic.oracle}, the reference loops and tolerances the
 * conformance suite uses too) that throws instead of failing a test, so a broken backend cannot produce a
 * benchmark number.
 */
public final class SetupChecks {
    /** Products with more multiply-adds than this are checked on {@link #SAMPLED_ROWS} rows only. */
    private static final long FULL_CHECK_LIMIT = 1L << 27;

    /** Rows checked of a larger product: spread over the matrix, first and last included. */
    private static final int SAMPLED_ROWS = 16;

    private SetupChecks() {
    }

    /**
     * Throws if the oracle found a discrepancy.
     *
     * @param discrepancy the oracle's finding
     * @throws IllegalStateException with the discrepancy, if there is one
     */
    static void require(Optional<String> discrepancy) {
        if (discrepancy.isPresent()) {
            throw new IllegalStateException("benchmark check failed: " + discrepancy.get());
        }
    }

    /**
     * Checks {@code c = a b} (no transposes) within {@link Tolerance#product}. All rows are checked when
     * {@code m n k <= 2^27}; otherwise 16 rows spread over the matrix (first and last included), which still
     * covers every column and the vector tails.
     *
     * @param what a label for the message
     * @param a left factor {@code [m, k]}
     * @param b right factor {@code [k, n]}
     * @param c the backend's product {@code [m, n]}
     * @throws IllegalStateException if an element is outside the tolerance
     */
    public static void product(String what, Tensor a, Tensor b, Tensor c) {
        int m = a.rows();
        int n = b.cols();
        boolean all = (long) m * n * a.cols() <= FULL_CHECK_LIMIT;
        int[] rows = Reference.spreadRows(m, all ? m : SAMPLED_ROWS);
        double[][] ref = Reference.gemmRows(1.0, a, false, b, false, 0.0, null, rows);
        double[] got = new double[rows.length * n];
        for (int r = 0; r < rows.length; r++) {
            for (int j = 0; j < n; j++) {
                got[r * n + j] = c.get(rows[r], j);
            }
        }
        Tolerance tol = Tolerance.product(a.cols(), a.dtype());
        require(Compare.elementwise(what, got, ref[0], tol.bounds(ref[1]), tol.reason(),
                i -> "[" + rows[i / n] + ", " + i % n + "]"));
    }

    /**
     * Checks {@code y = x w^T + b} within {@link Tolerance#affine}.
     *
     * @param x inputs {@code [batch, in]}
     * @param w weights {@code [out, in]}
     * @param bias biases {@code [out]}
     * @param y the backend's output {@code [batch, out]}
     * @throws IllegalStateException if an element is outside the tolerance
     */
    public static void affine(Tensor x, Tensor w, Tensor bias, Tensor y) {
        Tolerance tol = Tolerance.affine(x.cols(), x.dtype());
        double[][] ref = Reference.affine(x, w, bias);
        require(Compare.elementwise("affine", y, ref[0], tol.bounds(ref[1]), tol.reason()));
    }

    /**
     * Checks the isotropic-tanh forward pass (gains and activations) within {@link Tolerance#isoTanhForward}
     * (contract A05).
     *
     * @param z pre-activations {@code [rows, n]}
     * @param o intrinsic length
     * @param eps small-ball radius
     * @param gains the backend's gains {@code [rows]}
     * @param h the backend's activations {@code [rows, n]}
     * @throws IllegalStateException if a value is outside the tolerance
     */
    public static void isoTanhForward(Tensor z, double o, double eps, Tensor gains, Tensor h) {
        Tolerance tol = Tolerance.isoTanhForward(z.cols(), z.dtype());
        double[][] ref = Reference.isoTanh(z, o, eps);
        double[] absH = ref[1].clone();
        for (int i = 0; i < absH.length; i++) {
            absH[i] = Math.abs(absH[i]);
        }
        require(Compare.elementwise("isoTanhForward gain", gains, ref[0], tol.bounds(ref[0]), tol.reason()));
        require(Compare.elementwise("isoTanhForward", h, ref[1], tol.bounds(absH), tol.reason()));
    }

    /**
     * Checks the isotropic-tanh backward pass ({@code dz = G dh + 2 (z . dh) G' z}, without extra gain gradient,
     * with the reference's own gains) within {@link Tolerance#isoTanhBackward} (contract A06).
     *
     * @param z pre-activations {@code [rows, n]}
     * @param dh upstream gradient {@code [rows, n]}
     * @param o intrinsic length
     * @param eps small-ball radius
     * @param dz the backend's gradient {@code [rows, n]}
     * @throws IllegalStateException if a value is outside the tolerance
     */
    public static void isoTanhBackward(Tensor z, Tensor dh, double o, double eps, Tensor dz) {
        Tolerance tol = Tolerance.isoTanhBackward(z.cols(), z.dtype());
        double[][] ref = Reference.isoTanhBackward(z, null, dh, null, o, eps);
        require(Compare.elementwise("isoTanhBackward", dz, ref[0], tol.bounds(ref[1]), tol.reason()));
    }

    /**
     * Checks a full SVD with LAPACK's bounds ({@link Compare#svd}, contract S01).
     *
     * @param a the decomposed matrix {@code [m, n]}
     * @param svd the backend's decomposition
     * @throws IllegalStateException if a check fails
     */
    public static void svd(Tensor a, Svd svd) {
        require(Compare.svd("svd", a, svd));
    }

    /**
     * Checks singular values alone against the oracle's ({@link Reference#singularValues}, one-sided Jacobi in
     * double precision): count, non-negative and non-increasing, and each value within the Weyl bound
     * {@link Tolerance#singularValue} of the reference one ({@link Compare#singularValues}, contract S02).
     *
     * @param what a label for the message
     * @param a the matrix {@code [m, n]}
     * @param s its singular values {@code [min(m, n)]}
     * @param reference the oracle's values of {@code a}
     * @throws IllegalStateException if a check fails
     */
    public static void values(String what, Tensor a, Tensor s, double[] reference) {
        require(Compare.singularValues(what, a, s, reference));
    }

    /**
     * Checks a scalar within an absolute tolerance.
     *
     * @param what a label for the message
     * @param got the computed value
     * @param want the reference
     * @param tol the tolerance, derived by the caller
     * @throws IllegalStateException if {@code |got - want| > tol} or a value is NaN
     */
    public static void close(String what, double got, double want, Tolerance tol) {
        require(Compare.scalar(what, got, want, tol));
    }

    /**
     * Checks that two batches of logits agree within the oracle's {@link Invariance#of invariance tolerance}.
     *
     * @param what a label for the message
     * @param net the network after the operation
     * @param before the reference logits
     * @param after the logits to check, same shape
     * @throws IllegalStateException if an entry differs by more than the tolerance
     */
    public static void invariant(String what, IsotropicMlp net, Tensor before, Tensor after) {
        if (!before.shape().equals(after.shape())) {
            throw new IllegalStateException("benchmark check failed: " + what + ": logits " + after.shape()
                    + " instead of " + before.shape());
        }
        Tolerance tol = Invariance.of(net, before);
        double[] bounds = new double[before.size()];
        java.util.Arrays.fill(bounds, tol.value());
        require(Compare.elementwise(what + " (function preserved)", after, before.toDoubleArray(), bounds,
                tol.reason()));
    }
}
