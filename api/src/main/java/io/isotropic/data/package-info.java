/**
 * Labelled data sets, per-feature standardisation, and readers for IDX (MNIST format) and CSV files; the UCI
 * digits ship as a resource. Depends on {@code tensor}; used by {@code train} and the cli, and knows nothing of
 * networks.
 */
package io.isotropic.data;
