/**
 * Dense row-major tensors over float or double arrays, their shapes and dtypes, and the shape and non-finite
 * exceptions. Depends on nothing but the JDK; everything else may depend on it.
 */
package io.isotropic.tensor;
