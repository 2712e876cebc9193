/**
 * JMH benchmarks that compare every available backend side by side in one run: matrix product, batched affine
 * map, isotropic-tanh activation, SVD, forward passes (sequential, unrolled, compact), training steps, epochs,
 * neurogenesis and neurodegeneration, sparsification, and this machine's FMA peak. Each benchmark checks its result
 * once in {@code @Setup} ({@link io.isotropic.bench.SetupChecks}, against the oracle module's references) and
 * describes its work for the report ({@link io.isotropic.bench.Workload}); {@link io.isotropic.bench.report}
 * renders the JSON results. Depends on the api and the oracle (backends arrive at run time); only its
 * {@code report} subpackage depends on it.
 */
package io.isotropic.bench;
