package io.isotropic.adapt;

/**
 * What a neurodegeneration removed and how much it can have changed the function.
 *
 * <p>For removed neuron {@code i} (in the singular basis of {@code W_l}): its singular value (0 for a null
 * direction of a tall layer), its rotated bias {@code b*_i}, the component {@code psi*_i} of the incoming
 * {@code psi_{l-1}} that is discarded, and the norm of its outgoing column {@code |W*_i|}. The bound, when a data
 * sample was given, is the largest over the sample of a bound on {@code |Delta z_{l+1}|}, the change of the next
 * pre-activation: with {@code a} the rotated pre-activation, {@code s} and {@code s'} the gains before and after,
 * {@code |Delta z| <= |s - s'| |P + A| + |s (sum_i W*_i a_i - A) - E|} where {@code |s - s'| <= (1/3) |u - u'|}
 * (the slope bound of method.md 2.2), {@code A} is what psi absorbed and {@code E} what the EXPECTATION bias
 * absorbed; it is 0 for exact removals (sigma = 0, psi* = 0, with o and psi absorbing) and grows linearly with
 * the removed singular values (method.md 6.2). Measured changes are maxima over the same sample.
 *
 * @param layer the affine map {@code l} whose output space lost neurons
 * @param singularValues removed singular values
 * @param biases removed rotated biases {@code b*}
 * @param psiComponents discarded components {@code psi*} (0 without psi)
 * @param outgoingNorms norms {@code |W*|} of the removed outgoing columns
 * @param zChangeBound max over the sample of the bound on {@code |Delta z_{l+1}|}, or NaN without a sample
 * @param zChange measured max {@code |Delta z_{l+1}|} over the sample, or NaN
 * @param outputChange measured max {@code |Delta logits|} (Euclidean, per sample) over the sample, or NaN
 * @param iterative true if the removed directions came from inverse iteration (a few neurons of a wide layer),
 *                  false if from a full SVD
 */
public record NeurodegenerationReport(int layer, double[] singularValues, double[] biases, double[] psiComponents,
                          double[] outgoingNorms, double zChangeBound, double zChange, double outputChange,
                          boolean iterative) {
    /**
     * Number of neurons removed.
     *
     * @return the count
     */
    public int removed() {
        return singularValues.length;
    }
}
