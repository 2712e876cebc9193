/**
 * Scaled-down reproductions of the paper's experiments (method.md section 11) on the data available here, each
 * writing a Markdown table and PNG plots. Depends on the api, XChart and the cli's common options; only the cli's
 * {@code experiment} command uses it.
 */
package io.isotropic.cli.experiments;
