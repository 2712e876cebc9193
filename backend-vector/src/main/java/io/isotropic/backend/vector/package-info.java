/**
 * The {@code vector} compute backend: every raw kernel ({@link io.isotropic.spi.RawKernels}) in F32 and F64 written
 * with the JDK's incubating Vector API ({@code jdk.incubator.vector}), with multi-threaded matrix products and an SVD
 * of its own; no dependency beyond the {@code api} module and the JDK, and nothing depends on it at compile time
 * (the cli and bench load it at run time).
 *
 * <p>{@link io.isotropic.backend.vector.VectorBackendProvider} is the only public type. It refers to no Vector API
 * class, so that it can be loaded and report itself unavailable (naming {@code --add-modules jdk.incubator.vector})
 * on a JVM started without the module; every other class here is package-private and uses the Vector API freely.
 * Vector species are {@code static final} ({@code Lanes}), fixed per JVM: the preferred shape, or 128 or 256 bits
 * under the test and measurement property {@code isotropic.vector.testBits}. The matrix products choose their cache
 * blocks from the cache sizes read at start-up ({@code CacheSizes}).
 */
package io.isotropic.backend.vector;
