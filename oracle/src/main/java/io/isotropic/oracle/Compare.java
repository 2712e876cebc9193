package io.isotropic.oracle;

import io.isotropic.spi.Svd;
import io.isotropic.tensor.Tensor;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Comparisons of computed values with the reference, shared by the conformance suite (which turns a discrepancy
 * into a JUnit failure) and the benchmarks' checks (which throw): each returns the description of the first
 * value outside its tolerance, with its index, both values, the difference, the tolerance and its reason, or
 * nothing. A NaN anywhere counts as outside.
 */
public final class Compare {
    private Compare() {
    }

    /**
     * Compares every element: {@code |got[i] - want[i]| <= tol[i]}.
     *
     * @param what description for the message (operation, dtype, sizes)
     * @param got computed values
     * @param want reference values, same count
     * @param tol per-element tolerance, same count
     * @param reason how the tolerance was derived
     * @return the first discrepancy, e.g. {@code "K01 ...: element [3, 4] is 1.5, reference 1.25, |difference|
     *         0.25 > tolerance 1e-12 (reason)"}, or empty
     */
    public static Optional<String> elementwise(String what, Tensor got, double[] want, double[] tol, String reason) {
        if (got.size() != want.length) {
            return Optional.of(what + ": computed " + got.size() + " values, reference " + want.length);
        }
        double[] values = new double[got.size()];
        Arrays.setAll(values, got::getFlat);
        return elementwise(what, values, want, tol, reason, i -> Arrays.toString(got.unravel(i)));
    }

    /**
     * Compares every element of plain arrays, naming an element by {@code where}.
     *
     * @param what description for the message
     * @param got computed values
     * @param want reference values, same count
     * @param tol per-element tolerance, same count
     * @param reason how the tolerance was derived
     * @param where the name of element {@code i} in the message, e.g. its row and column
     * @return the first discrepancy, or empty
     */
    public static Optional<String> elementwise(String what, double[] got, double[] want, double[] tol, String reason,
                                               IntFunction<String> where) {
        if (got.length != want.length || tol.length != want.length) {
            return Optional.of(what + ": computed " + got.length + " values, reference " + want.length + ", "
                    + tol.length + " tolerances");
        }
        for (int i = 0; i < want.length; i++) {
            double d = Math.abs(got[i] - want[i]);
            if (!(d <= tol[i])) {
                return Optional.of(what + ": element " + where.apply(i) + " is " + got[i] + ", reference " + want[i]
                        + ", |difference| " + d + " > tolerance " + tol[i] + " (" + reason + ")");
            }
        }
        return Optional.empty();
    }

    /**
     * Compares a scalar.
     *
     * @param what description for the message
     * @param got computed value
     * @param want reference value
     * @param tol tolerance
     * @return the discrepancy, or empty
     */
    public static Optional<String> scalar(String what, double got, double want, Tolerance tol) {
        double d = Math.abs(got - want);
        if (!(d <= tol.value())) {
            return Optional.of(what + ": got " + got + ", reference " + want + ", |difference| " + d + " > " + tol);
        }
        return Optional.empty();
    }

    /**
     * Compares a measured quantity with a bound.
     *
     * @param what description for the message
     * @param value the measured value (an error, a norm)
     * @param bound the tolerance
     * @return the discrepancy, or empty
     */
    public static Optional<String> atMost(String what, double value, Tolerance bound) {
        if (!(value <= bound.value())) {
            return Optional.of(what + ": " + value + " > " + bound);
        }
        return Optional.empty();
    }

    /**
     * Checks a full SVD as LAPACK's tests do: square factors of the right shapes, non-negative non-increasing
     * values, orthogonality of both factors within {@link Tolerance#orthogonality} and the residual within
     * {@link Tolerance#svdResidual} (never raw entries: factors are unique only up to signs and rotations within
     * repeated singular values).
     *
     * @param what description for the message
     * @param a the decomposed matrix {@code [m, n]}
     * @param svd its decomposition
     * @return the first discrepancy, or empty
     */
    public static Optional<String> svd(String what, Tensor a, Svd svd) {
        int m = a.rows();
        int n = a.cols();
        if (svd.u().rank() != 2 || svd.u().rows() != m || svd.u().cols() != m || svd.v().rank() != 2
                || svd.v().rows() != n || svd.v().cols() != n || svd.s().rank() != 1 || svd.s().size() != Math.min(m, n)) {
            return Optional.of(what + ": factors " + svd.u().shape() + ", " + svd.s().shape() + ", " + svd.v().shape()
                    + " for a " + m + " x " + n + " matrix");
        }
        return ordered(what, svd.s())
                .or(() -> atMost(what + " U: |Q^T Q - I|_max", Reference.orthogonalityError(svd.u()),
                        Tolerance.orthogonality(m, a.dtype())))
                .or(() -> atMost(what + " V: |Q^T Q - I|_max", Reference.orthogonalityError(svd.v()),
                        Tolerance.orthogonality(n, a.dtype())))
                .or(() -> atMost(what + ": |A - U S V^T|_F", Reference.svdResidual(a, svd),
                        Tolerance.svdResidual(m, n, a.dtype(), Reference.frobenius(a))));
    }

    /**
     * Checks singular values against the reference's ({@link Reference#singularValues}): count, non-negative and
     * non-increasing, and each within {@link Tolerance#singularValue} of the reference value (the reference itself
     * errs by far less, in double precision).
     *
     * @param what description for the message
     * @param a the matrix {@code [m, n]}
     * @param s its computed singular values {@code [min(m, n)]}
     * @param reference the reference values of {@code a}, non-increasing
     * @return the first discrepancy, or empty
     */
    public static Optional<String> singularValues(String what, Tensor a, Tensor s, double[] reference) {
        int k = Math.min(a.rows(), a.cols());
        if (s.rank() != 1 || s.size() != k || reference.length != k) {
            return Optional.of(what + ": " + s.shape() + " values (reference " + reference.length + ") for a "
                    + a.shape() + " matrix");
        }
        Tolerance tol = Tolerance.singularValue(a.rows(), a.cols(), a.dtype(), Reference.frobenius(a));
        double[] bounds = new double[k];
        Arrays.fill(bounds, tol.value());
        double[] got = new double[k];
        Arrays.setAll(got, s::getFlat);
        return ordered(what, s).or(() -> elementwise(what, got, reference, bounds, tol.reason(), i -> "sigma_" + i));
    }

    /**
     * Checks that values are non-negative and non-increasing, as singular values are returned.
     *
     * @param what description for the message
     * @param s the values
     * @return the first value out of order, or empty
     */
    public static Optional<String> ordered(String what, Tensor s) {
        for (int i = 0; i < s.size(); i++) {
            double si = s.getFlat(i);
            if (!(si >= 0)) {
                return Optional.of(what + ": singular value " + i + " is " + si + ", not >= 0");
            }
            if (i > 0 && !(si <= s.getFlat(i - 1))) {
                return Optional.of(what + ": singular values not non-increasing at " + i + ": " + s.getFlat(i - 1)
                        + " then " + si);
            }
        }
        return Optional.empty();
    }
}
