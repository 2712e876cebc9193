/**
 * Scalar mathematics shared by all backends, such as the gain of isotropic tanh and its derivative, and the seed
 * mixing of random streams. Depends on nothing but the JDK; any package may use it, so that every backend computes
 * the gain with the same code.
 */
package io.isotropic.math;
