package io.isotropic.spi;

/**
 * Unnormalised full SVD factors as a backend kernel computes them, in double precision and row-major order;
 * {@link AbstractBackend} sorts and signs them with {@link SvdNormaliser}.
 *
 * @param u left factor, {@code m x m}
 * @param s singular values, {@code min(m, n)} of them, non-negative, any order
 * @param v right factor, {@code n x n} (null only from {@link RawKernels#svdLeftF64}, which need not form it)
 */
public record RawSvd(double[] u, double[] s, double[] v) {
}
