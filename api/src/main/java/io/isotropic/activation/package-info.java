/**
 * The isotropic activation's scalar definition (method.md section 2.2): the gain {@code G(|z|^2; o)} of isotropic
 * tanh with its small-ball branch and derivative, shared by every backend's kernels and the reference oracle.
 * Depends on nothing but the JDK.
 */
package io.isotropic.activation;
