package io.isotropic.conformance;

import io.isotropic.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.fail;

/** Assertion helpers that report the first offending element with its index, values and tolerance. */
public final class ContractAssertions {
    private ContractAssertions() {
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
        if (got.size() != want.length) {
            fail(what + ": backend produced " + got.size() + " values, reference " + want.length);
        }
        for (int i = 0; i < want.length; i++) {
            double g = got.getFlat(i);
            double d = Math.abs(g - want[i]);
            if (!(d <= tol[i])) {
                fail(what + ": element " + java.util.Arrays.toString(got.unravel(i)) + " is " + g + ", reference "
                        + want[i] + ", |difference| " + d + " > tolerance " + tol[i] + " (" + reason + ")");
            }
        }
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
        double d = Math.abs(got - want);
        if (!(d <= tol.value())) {
            fail(what + ": got " + got + ", reference " + want + ", |difference| " + d + " > " + tol);
        }
    }

    /**
     * Asserts a value is at most a bound.
     *
     * @param what description for the failure message
     * @param value the measured value
     * @param bound the tolerance
     */
    public static void atMost(String what, double value, Tolerance bound) {
        if (!(value <= bound.value())) {
            fail(what + ": " + value + " > " + bound);
        }
    }
}
