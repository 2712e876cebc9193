package io.isotropic.conformance;

import io.isotropic.oracle.Compare;
import io.isotropic.oracle.Tolerance;
import io.isotropic.tensor.Tensor;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The JUnit face of the oracle ({@link io.isotropic.oracle}): each assertion runs one of its {@link Compare}
 * comparisons and fails with its message, which names the first offending element with its index, values and
 * tolerance.
 */
public final class ContractAssertions {
    private ContractAssertions() {
    }

    private static void require(Optional<String> discrepancy) {
        discrepancy.ifPresent(m -> fail(m));
    }

    /**
     * Asserts {@code |got[i] - want[i]| <= tol[i]} for every element.
     *
     * @param what description for the failure message (contract id, operation, dtype, sizes)
     * @param got values from the backend
     * @param want reference values
     * @param tol per-element tolerance
     * @param reason how the tolerance was derived
     */
    public static void close(String what, Tensor got, double[] want, double[] tol, String reason) {
        require(Compare.elementwise(what, got, want, tol, reason));
    }

    /**
     * Asserts {@code |got[i] - want[i]| <= tol.value() magnitude[i]} for every element (a relative tolerance of
     * {@link Tolerance}'s named factories).
     *
     * @param what description for the failure message
     * @param got values from the backend
     * @param reference {value, magnitude} as {@link io.isotropic.oracle.Reference} returns them
     * @param tol the relative tolerance
     */
    public static void close(String what, Tensor got, double[][] reference, Tolerance tol) {
        require(Compare.elementwise(what, got, reference[0], tol.bounds(reference[1]), tol.reason()));
    }

    /**
     * Asserts a scalar is within a tolerance of a reference.
     *
     * @param what description for the failure message
     * @param got backend value
     * @param want reference value
     * @param tol tolerance
     */
    public static void close(String what, double got, double want, Tolerance tol) {
        require(Compare.scalar(what, got, want, tol));
    }

    /**
     * Asserts a value is at most a bound.
     *
     * @param what description for the failure message
     * @param value the measured value
     * @param bound the tolerance
     */
    public static void atMost(String what, double value, Tolerance bound) {
        require(Compare.atMost(what, value, bound));
    }

    /**
     * Asserts a full SVD has square factors, ordered values, orthogonal factors and a small residual
     * ({@link Compare#svd}: LAPACK's bounds).
     *
     * @param what description for the failure message
     * @param a the decomposed matrix
     * @param svd the backend's decomposition
     */
    public static void svd(String what, Tensor a, io.isotropic.spi.Svd svd) {
        require(Compare.svd(what, a, svd));
    }
}
