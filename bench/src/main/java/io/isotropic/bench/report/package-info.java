/**
 * Renders JMH JSON results as the side-by-side Markdown report {@code docs/benchmarks.md} with PNG charts
 * (Jackson for the JSON, XChart for the charts); see {@link io.isotropic.bench.report.Report}. Depends on the api's
 * backend registry and on {@code bench} for the workload descriptions; {@code bench/run.sh} runs it, nothing depends
 * on it.
 */
package io.isotropic.bench.report;
