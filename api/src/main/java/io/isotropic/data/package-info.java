/**
 * Labelled data sets, per-feature standardisation, and readers for IDX (MNIST format) and CSV files; the UCI
 * digits ship as a resource. Depends on {@code tensor}.
 */
package io.isotropic.data;
