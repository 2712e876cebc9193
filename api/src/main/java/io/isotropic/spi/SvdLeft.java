package io.isotropic.spi;

import io.isotropic.tensor.Tensor;

/**
 * The left half of a singular value decomposition {@code A = U diag(s) V^T} of an {@code m x n} matrix: the square
 * left factor and the singular values, without {@code V}, normalised exactly as {@link Svd} is (see
 * {@link SvdNormaliser}). It is what left-partial diagonalisation and rotated neurogenesis need (method.md 5.2 and
 * 6.1 use only {@code R = U} and {@code Sigma}; the new {@code W_l} is {@code U^T W_l}), and it saves computing the
 * {@code n x n} right factor, the larger one for a wide layer.
 *
 * @param u the left singular vectors as columns, shape {@code [m, m]}
 * @param s the singular values, shape {@code [min(m, n)]}, non-negative and non-increasing
 */
public record SvdLeft(Tensor u, Tensor s) {
    /**
     * Validates the factor shapes.
     *
     * @throws IllegalArgumentException if a factor is null, the shapes are inconsistent or the dtypes differ
     */
    public SvdLeft {
        if (u == null || s == null) {
            throw new IllegalArgumentException("SvdLeft: factors must not be null");
        }
        if (u.rank() != 2 || s.rank() != 1 || u.rows() != u.cols() || s.size() > u.rows()) {
            throw new IllegalArgumentException("SvdLeft: inconsistent factor shapes u " + u.shape() + ", s "
                    + s.shape() + "; need u [m, m] and s [min(m, n)]");
        }
        if (u.dtype() != s.dtype()) {
            throw new IllegalArgumentException("SvdLeft: factor dtypes differ: u " + u.dtype() + ", s " + s.dtype());
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
}
