/**
 * JMH benchmarks that compare every available backend side by side in one run: matrix product, batched affine
 * map, isotropic-tanh activation, SVD, and this machine's FMA peak. Each benchmark checks its result once in
 * {@code @Setup} ({@link io.isotropic.bench.SetupChecks}) and describes its work for the report
 * ({@link io.isotropic.bench.Workload}); {@link io.isotropic.bench.report} renders the JSON results.
 */
package io.isotropic.bench;
