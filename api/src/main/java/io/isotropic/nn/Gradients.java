package io.isotropic.nn;

import io.isotropic.tensor.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Gradients of a loss with respect to the trainable parameters of a network, keyed by parameter name. */
public final class Gradients {
    private final Map<String, Tensor> byName = new LinkedHashMap<>();

    /** Creates an empty gradient set. */
    public Gradients() {
    }

    /**
     * Stores the gradient of one parameter.
     *
     * @param name the parameter name
     * @param grad the gradient, same shape as the parameter
     */
    public void put(String name, Tensor grad) {
        byName.put(name, grad);
    }

    /**
     * The gradient of one parameter.
     *
     * @param name the parameter name
     * @return the gradient, or null if the parameter has none (not trainable)
     */
    public Tensor get(String name) {
        return byName.get(name);
    }

    /**
     * All gradients in parameter order.
     *
     * @return an unmodifiable view
     */
    public Map<String, Tensor> asMap() {
        return Collections.unmodifiableMap(byName);
    }

    /**
     * The first gradient entry that is NaN or infinite, described for an error message.
     *
     * @return e.g. {@code "layers.1.weight [3, 7] = NaN"}, or null if all are finite
     */
    public String firstNonFinite() {
        for (Map.Entry<String, Tensor> e : byName.entrySet()) {
            int bad = e.getValue().firstNonFinite();
            if (bad >= 0) {
                return e.getKey() + " " + java.util.Arrays.toString(e.getValue().unravel(bad)) + " = "
                        + e.getValue().getFlat(bad);
            }
        }
        return null;
    }
}
