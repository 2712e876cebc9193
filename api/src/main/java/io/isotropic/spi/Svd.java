package io.isotropic.spi;

import io.isotropic.tensor.Tensor;

/**
 * A full singular value decomposition {@code A = U diag(s) V^T} of an {@code m x n} matrix
 * (method.md section 5.1 calls {@code U} R, {@code diag(s)} Sigma and {@code V} Q).
 *
 * <p>{@code U} is {@code m x m} and {@code V} is {@code n x n}, both orthogonal; {@code s} holds the
 * {@code k = min(m, n)} singular values, non-negative and non-increasing. Columns of {@code U} past {@code k}
 * (tall matrices) and of {@code V} past {@code k} (wide matrices) span the null spaces. Backends return
 * normalised factors (see {@link SvdNormaliser}).
 *
 * @param u the left singular vectors as columns, shape {@code [m, m]}
 * @param s the singular values, shape {@code [min(m, n)]}
 * @param v the right singular vectors as columns, shape {@code [n, n]}
 */
public record Svd(Tensor u, Tensor s, Tensor v) {
    /**
     * Validates the factor shapes.
     *
     * @throws IllegalArgumentException if a factor is null, the shapes are inconsistent or the dtypes differ
     */
    public Svd {
        if (u == null || s == null || v == null) {
            throw new IllegalArgumentException("Svd: factors must not be null");
        }
        if (u.rank() != 2 || v.rank() != 2 || s.rank() != 1 || u.rows() != u.cols() || v.rows() != v.cols()
                || s.size() != Math.min(u.rows(), v.rows())) {
            throw new IllegalArgumentException("Svd: inconsistent factor shapes u " + u.shape() + ", s " + s.shape()
                    + ", v " + v.shape() + "; need u [m, m], s [min(m, n)], v [n, n]");
        }
        if (u.dtype() != s.dtype() || u.dtype() != v.dtype()) {
            throw new IllegalArgumentException("Svd: factor dtypes differ: u " + u.dtype() + ", s " + s.dtype()
                    + ", v " + v.dtype());
        }
    }

    /**
     * Rows of the decomposed matrix.
     *
     * @return {@code m}
     */
    public int m() {
        return u.rows();
    }

    /**
     * Columns of the decomposed matrix.
     *
     * @return {@code n}
     */
    public int n() {
        return v.rows();
    }
}
