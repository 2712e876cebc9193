/**
 * Renders JMH JSON results, and the peers' results of {@code bench/peers}, as the side-by-side Markdown report
 * {@code docs/benchmarks.md} with PNG charts: {@link io.isotropic.bench.report.ResultFiles} reads (Jackson),
 * {@link io.isotropic.bench.report.Comparison} arranges (workloads from {@link io.isotropic.bench.Workloads}),
 * {@code Markdown} and {@code Charts} (XChart) write, {@link io.isotropic.bench.report.Report} is the command line.
 * Depends on the api's backend registry and on {@code bench} for the workload descriptions; {@code bench/run.sh}
 * runs it, nothing depends on it.
 */
package io.isotropic.bench.report;
