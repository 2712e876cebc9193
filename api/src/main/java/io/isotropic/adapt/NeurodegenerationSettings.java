package io.isotropic.adapt;

import java.util.Arrays;

/**
 * Settings of {@link Restructure#neurodegeneration(io.isotropic.nn.IsotropicMlp, int, int,
 * io.isotropic.train.Optimizer, io.isotropic.tensor.Tensor, NeurodegenerationSettings)}.
 *
 * @param allowFastPaths whether the removed directions may come from block inverse iteration (a few neurons of a
 *                       wide layer) or a tall layer's null space; false forces a full SVD (the reference method).
 *                       Both give the same removal to the SVD's accuracy.
 * @param knownSingularValues the singular values of {@code W_l} as it is now (descending, {@code min(m, n)} of them),
 *                            when the caller has computed them already (the controller does, to count scaffolds),
 *                            or null: they let the inverse iteration be skipped when it would not converge within
 *                            its budget, and its result is checked against them
 * @param iterateAtAnyWidth whether block inverse iteration is tried on every layer it applies to ({@code m >= 96}),
 *                          also below the width (256 rows) under which a full SVD is
 *                          faster; false (the default) leaves narrower layers to the SVD. Either way the removal is
 *                          the same to the SVD's accuracy; true exists to exercise the iteration on small layers
 */
public record NeurodegenerationSettings(boolean allowFastPaths, double[] knownSingularValues,
                                        boolean iterateAtAnyWidth) {
    /** The default: fast paths where they apply and are predicted to be faster, an SVD otherwise. */
    public static final NeurodegenerationSettings DEFAULT = new NeurodegenerationSettings(true, null);
    /** Always a full SVD. */
    public static final NeurodegenerationSettings SVD_ONLY = new NeurodegenerationSettings(false, null);
    /** Fast paths wherever they apply, block inverse iteration also on layers narrower than it pays off for. */
    public static final NeurodegenerationSettings ITERATION_AT_ANY_WIDTH = new NeurodegenerationSettings(true, null,
            true);

    /**
     * Copies and validates the spectrum.
     *
     * @throws IllegalArgumentException if a known singular value is negative or not finite, or they increase
     */
    public NeurodegenerationSettings {
        if (knownSingularValues != null) {
            knownSingularValues = knownSingularValues.clone();
            for (int i = 0; i < knownSingularValues.length; i++) {
                double s = knownSingularValues[i];
                if (!(s >= 0) || Double.isInfinite(s) || (i > 0 && s > knownSingularValues[i - 1])) {
                    throw new IllegalArgumentException("NeurodegenerationSettings: known singular values must be "
                            + "finite, >= 0 and non-increasing; value " + i + " is " + s + " in "
                            + Arrays.toString(knownSingularValues));
                }
            }
        }
    }

    /**
     * Settings that leave the iteration to layers wide enough for it to pay off.
     *
     * @param allowFastPaths whether fast paths may be used
     * @param knownSingularValues the current spectrum of {@code W_l}, or null
     * @throws IllegalArgumentException if a known singular value is negative or not finite, or they increase
     */
    public NeurodegenerationSettings(boolean allowFastPaths, double[] knownSingularValues) {
        this(allowFastPaths, knownSingularValues, false);
    }

    /**
     * The default settings with a spectrum computed by the caller.
     *
     * @param singularValues the singular values of {@code W_l}, descending
     * @return the settings
     */
    public static NeurodegenerationSettings withSpectrum(double[] singularValues) {
        return new NeurodegenerationSettings(true, singularValues);
    }

    @Override
    public double[] knownSingularValues() {
        return knownSingularValues == null ? null : knownSingularValues.clone();
    }
}
