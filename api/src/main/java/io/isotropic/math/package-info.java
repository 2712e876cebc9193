/**
 * Scalar mathematics shared by all backends, such as the gain of isotropic tanh and its derivative. Depends on
 * nothing but the JDK.
 */
package io.isotropic.math;
