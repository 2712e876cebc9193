package io.isotropic.bench;

import io.isotropic.spi.Svd;
import io.isotropic.activation.IsoTanh;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;

/**
 * One-off correctness checks that every benchmark runs in its {@code @Setup} on the result of the backend under
 * test, against plain scalar double-precision loops, with tolerances derived as in the conformance suite
 * ({@code gamma_k = k u / (1 - k u)} for a sum of {@code k} terms, Higham Thm 3.5; LAPACK's factor 30 for the
 * SVD). A wrong result throws, so a broken backend cannot produce a benchmark number.
 */
public final class Checks {
    private Checks() {
    }

    /**
     * {@code gamma_k} for unit roundoff {@code u}.
     *
     * @param k number of terms
     * @param u unit roundoff
     * @return {@code k u / (1 - k u)}, or infinity if {@code k u >= 1}
     */
    public static double gamma(int k, double u) {
        double ku = k * u;
        return ku >= 1 ? Double.POSITIVE_INFINITY : ku / (1 - ku);
    }

    private static IllegalStateException wrong(String what, String where, double got, double want, double tol) {
        return new IllegalStateException("benchmark check failed: " + what + " at " + where + ": got " + got
                + ", reference " + want + ", tolerance " + tol);
    }

    /**
     * Checks {@code c = a b} (no transposes) within {@code 2 gamma_(k+2) |A||B|} per element. All rows are checked
     * when {@code m n k <= 2^27}; otherwise 16 rows spread over the matrix (first and last included), which still
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
        int k = a.cols();
        int n = b.cols();
        double g = 2 * gamma(k + 2, a.dtype().unitRoundoff());
        boolean all = (long) m * n * k <= (1L << 27);
        int rowsChecked = all ? m : Math.min(m, 16);
        for (int r = 0; r < rowsChecked; r++) {
            int i = all || rowsChecked == 1 ? r : (int) ((long) r * (m - 1) / (rowsChecked - 1));
            for (int j = 0; j < n; j++) {
                double ref = 0;
                double mag = 0;
                for (int l = 0; l < k; l++) {
                    double p = a.get(i, l) * b.get(l, j);
                    ref += p;
                    mag += Math.abs(p);
                }
                double got = c.get(i, j);
                if (!(Math.abs(got - ref) <= g * mag)) {
                    throw wrong(what, "(" + i + ", " + j + ")", got, ref, g * mag);
                }
            }
        }
    }

    /**
     * Checks {@code y = x w^T + b} within {@code 2 gamma_(in+1) (|X||W^T| + |b|)}.
     *
     * @param x inputs {@code [batch, in]}
     * @param w weights {@code [out, in]}
     * @param bias biases {@code [out]}
     * @param y the backend's output {@code [batch, out]}
     * @throws IllegalStateException if an element is outside the tolerance
     */
    public static void affine(Tensor x, Tensor w, Tensor bias, Tensor y) {
        int in = x.cols();
        double g = 2 * gamma(in + 1, x.dtype().unitRoundoff());
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < w.rows(); j++) {
                double ref = bias.getFlat(j);
                double mag = Math.abs(ref);
                for (int l = 0; l < in; l++) {
                    double p = x.get(i, l) * w.get(j, l);
                    ref += p;
                    mag += Math.abs(p);
                }
                double got = y.get(i, j);
                if (!(Math.abs(got - ref) <= g * mag)) {
                    throw wrong("affine", "(" + i + ", " + j + ")", got, ref, g * mag);
                }
            }
        }
    }

    /**
     * Checks the isotropic-tanh forward pass against {@code G = gain(|z|^2)}, {@code h = G z} in double, within
     * {@code (gamma_n + 16u)} relative (contract A05).
     *
     * @param z pre-activations {@code [rows, n]}
     * @param o intrinsic length
     * @param eps small-ball radius
     * @param gains the backend's gains {@code [rows]}
     * @param h the backend's activations {@code [rows, n]}
     * @throws IllegalStateException if a value is outside the tolerance
     */
    public static void isoTanhForward(Tensor z, double o, double eps, Tensor gains, Tensor h) {
        int n = z.cols();
        double tol = gamma(n, z.dtype().unitRoundoff()) + 16 * z.dtype().unitRoundoff();
        for (int i = 0; i < z.rows(); i++) {
            double r = 0;
            for (int j = 0; j < n; j++) {
                r += z.get(i, j) * z.get(i, j);
            }
            double g = IsoTanh.gain(r, o, eps);
            if (!(Math.abs(gains.getFlat(i) - g) <= tol * g)) {
                throw wrong("isoTanhForward gain", "row " + i, gains.getFlat(i), g, tol * g);
            }
            for (int j = 0; j < n; j++) {
                double ref = g * z.get(i, j);
                if (!(Math.abs(h.get(i, j) - ref) <= tol * Math.abs(ref))) {
                    throw wrong("isoTanhForward", "(" + i + ", " + j + ")", h.get(i, j), ref, tol * Math.abs(ref));
                }
            }
        }
    }

    /**
     * Checks the isotropic-tanh backward pass ({@code dz = G dh + 2 (z . dh) G' z}, without extra gain gradient)
     * against double precision, within {@code 2 (gamma_n + 16u)} on the magnitudes of the terms (contract A06).
     *
     * @param z pre-activations {@code [rows, n]}
     * @param dh upstream gradient {@code [rows, n]}
     * @param o intrinsic length
     * @param eps small-ball radius
     * @param dz the backend's gradient {@code [rows, n]}
     * @throws IllegalStateException if a value is outside the tolerance
     */
    public static void isoTanhBackward(Tensor z, Tensor dh, double o, double eps, Tensor dz) {
        int n = z.cols();
        double tol = 2 * (gamma(n, z.dtype().unitRoundoff()) + 16 * z.dtype().unitRoundoff());
        for (int i = 0; i < z.rows(); i++) {
            double r = 0;
            double zdh = 0;
            double zdhMag = 0;
            for (int j = 0; j < n; j++) {
                r += z.get(i, j) * z.get(i, j);
                zdh += z.get(i, j) * dh.get(i, j);
                zdhMag += Math.abs(z.get(i, j) * dh.get(i, j));
            }
            double g = IsoTanh.gain(r, o, eps);
            double slope = IsoTanh.gainSlope(r, o, eps);
            for (int j = 0; j < n; j++) {
                double ref = g * dh.get(i, j) + 2 * zdh * slope * z.get(i, j);
                double mag = Math.abs(g * dh.get(i, j)) + Math.abs(2 * zdhMag * slope * z.get(i, j));
                if (!(Math.abs(dz.get(i, j) - ref) <= tol * mag)) {
                    throw wrong("isoTanhBackward", "(" + i + ", " + j + ")", dz.get(i, j), ref, tol * mag);
                }
            }
        }
    }

    /**
     * Checks a full SVD: shapes, non-increasing non-negative values, orthogonality of both factors within LAPACK's
     * {@code 30 m eps} and reconstruction within {@code 30 max(m, n) eps |A|_F} (contract S01; eps is the dtype's
     * machine epsilon {@code 2u}).
     *
     * @param a the decomposed matrix {@code [m, n]}
     * @param svd the backend's decomposition
     * @throws IllegalStateException if a check fails
     */
    public static void svd(Tensor a, Svd svd) {
        int m = a.rows();
        int n = a.cols();
        int k = Math.min(m, n);
        double eps = 2 * a.dtype().unitRoundoff();
        Tensor u = svd.u();
        Tensor s = svd.s();
        Tensor v = svd.v();
        if (u.rows() != m || u.cols() != m || v.rows() != n || v.cols() != n || s.size() != k) {
            throw new IllegalStateException("benchmark check failed: svd factors " + u.shape() + ", " + s.shape()
                    + ", " + v.shape() + " for a " + m + " x " + n + " matrix");
        }
        values("svd", a, s);
        orthogonal("svd U", u, 30.0 * m * eps);
        orthogonal("svd V", v, 30.0 * n * eps);
        double normA = frobenius(a);
        double err = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double x = 0;
                for (int l = 0; l < k; l++) {
                    x += u.get(i, l) * s.getFlat(l) * v.get(j, l);
                }
                double d = x - a.get(i, j);
                err += d * d;
            }
        }
        double tol = 30.0 * Math.max(m, n) * eps * normA;
        if (!(Math.sqrt(err) <= tol)) {
            throw wrong("svd reconstruction |A - U S V^T|_F", "whole matrix", Math.sqrt(err), 0, tol);
        }
    }

    /**
     * Checks singular values alone: non-increasing, non-negative, and {@code sum s_i^2 = |A|_F^2} within
     * {@code 2 sqrt(k) 30 max(m, n) eps |A|_F^2} (each value within the Weyl bound {@code 30 max(m, n) eps |A|_F},
     * summed by Cauchy-Schwarz).
     *
     * @param what a label for the message
     * @param a the matrix {@code [m, n]}
     * @param s its singular values {@code [min(m, n)]}
     * @throws IllegalStateException if a check fails
     */
    public static void values(String what, Tensor a, Tensor s) {
        int m = a.rows();
        int n = a.cols();
        int k = Math.min(m, n);
        if (s.rank() != 1 || s.size() != k) {
            throw new IllegalStateException("benchmark check failed: " + what + " returned " + s.shape() + " values for "
                    + a.shape());
        }
        double eps = 2 * a.dtype().unitRoundoff();
        double sum = 0;
        for (int i = 0; i < k; i++) {
            double si = s.getFlat(i);
            if (!(si >= 0) || (i > 0 && si > s.getFlat(i - 1))) {
                throw wrong(what + " ordering (non-increasing, non-negative)", "value " + i, si,
                        i > 0 ? s.getFlat(i - 1) : 0, 0);
            }
            sum += si * si;
        }
        double normA = frobenius(a);
        double tol = 2 * Math.sqrt(k) * 30.0 * Math.max(m, n) * eps * normA * normA;
        if (!(Math.abs(sum - normA * normA) <= tol)) {
            throw wrong(what + " sum of squared singular values vs |A|_F^2", "whole matrix", sum, normA * normA, tol);
        }
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
    public static void close(String what, double got, double want, double tol) {
        if (!(Math.abs(got - want) <= tol)) {
            throw wrong(what, "value", got, want, tol);
        }
    }

    /**
     * The tolerance for "the function is unchanged" after an exact restructuring, as in the conformance suite's
     * {@code Invariance}: SVD and rotations run in double with backward error {@code 30 max(m, n) eps_64 =
     * 60 n u_64} relative to the weights, the new parameters are rounded to the dtype, and each of the two forward
     * passes compared errs by about {@code gamma_n} per layer, so {@code |y' - y|_inf <= (4 L n u + 60 n u_64)
     * (1 + |y|_inf)} with {@code n} the largest width and {@code L} the depth.
     *
     * @param net the network (widths after the operation)
     * @param reference the logits before
     * @return the tolerance
     */
    public static double invarianceTolerance(IsotropicMlp net, Tensor reference) {
        int n = 0;
        for (int w : net.widths()) {
            n = Math.max(n, w);
        }
        double u = net.dtype().unitRoundoff();
        return (4.0 * net.depth() * n * u + 60.0 * n * DType.F64.unitRoundoff()) * (1 + reference.maxAbs());
    }

    /**
     * Checks that two batches of logits agree within {@link #invarianceTolerance}.
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
        double tol = invarianceTolerance(net, before);
        for (int i = 0; i < before.size(); i++) {
            if (!(Math.abs(after.getFlat(i) - before.getFlat(i)) <= tol)) {
                throw wrong(what + " (function preserved)", "logit " + i, after.getFlat(i), before.getFlat(i), tol);
            }
        }
    }

    /**
     * Frobenius inner product {@code <A, B> = sum_ij A_ij B_ij} in double precision.
     *
     * @param a first tensor
     * @param b second tensor, same size
     * @return the inner product
     */
    public static double inner(Tensor a, Tensor b) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += a.getFlat(i) * b.getFlat(i);
        }
        return s;
    }

    /**
     * Frobenius norm in double precision.
     *
     * @param a the tensor
     * @return {@code |A|_F}
     */
    public static double norm(Tensor a) {
        return frobenius(a);
    }

    private static void orthogonal(String what, Tensor q, double tol) {
        int n = q.rows();
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double d = 0;
                for (int l = 0; l < n; l++) {
                    d += q.get(l, i) * q.get(l, j);
                }
                double want = i == j ? 1 : 0;
                if (!(Math.abs(d - want) <= tol)) {
                    throw wrong(what + " orthogonality (Q^T Q)", "(" + i + ", " + j + ")", d, want, tol);
                }
            }
        }
    }

    private static double frobenius(Tensor a) {
        double s = 0;
        for (int i = 0; i < a.size(); i++) {
            s += a.getFlat(i) * a.getFlat(i);
        }
        return Math.sqrt(s);
    }
}
