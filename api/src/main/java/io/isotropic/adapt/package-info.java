/**
 * Adaptive topology (method.md sections 4-10): function-preserving rotations and diagonalisation, neurogenesis
 * and neurodegeneration with optimiser-state transforms ({@link io.isotropic.adapt.Restructure}), the scaffold
 * {@link io.isotropic.adapt.Controller} and {@link io.isotropic.adapt.WidthSchedule}, sparsification with a
 * {@link io.isotropic.adapt.CompactMlp} that stores diagonal layers as vectors, metrics, and the unrolled
 * ("generalised isotropic perceptron") forward pass. Depends on {@code nn}, {@code train}, {@code spi},
 * {@code linalg}, {@code activation} and {@code tensor}; it is the top of the api, used by the cli, bench and the
 * conformance suite, and no other api package depends on it.
 */
package io.isotropic.adapt;
