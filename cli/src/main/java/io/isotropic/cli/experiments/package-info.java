/**
 * Scaled-down reproductions of the paper's experiments (method.md section 11) on the data available here, each
 * writing a Markdown table and PNG plots. Depends on the api and XChart.
 */
package io.isotropic.cli.experiments;
