/**
 * Renders JMH JSON results as the side-by-side Markdown report {@code docs/benchmarks.md} with PNG charts
 * (Jackson for the JSON, XChart for the charts); see {@link io.isotropic.bench.report.Report}.
 */
package io.isotropic.bench.report;
