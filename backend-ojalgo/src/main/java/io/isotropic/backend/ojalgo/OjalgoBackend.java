package io.isotropic.backend.ojalgo;

import io.isotropic.spi.AbstractBackend;

/**
 * Backend over ojAlgo 57.1 ({@link OjalgoKernels}): matrix products through
 * {@code R064Store}/{@code R032Store.fillByMultiplying} on stores that wrap the tensors' arrays, and ojAlgo's SVD
 * ({@code SingularValue.R064}). Row-wise and element-wise kernels use the portable scalar loops, since ojAlgo has no
 * fused equivalents that would be faster.
 *
 * <p><b>Layout.</b> ojAlgo stores are column-major, so a row-major {@code r x c} array is, without copying, the
 * column-major {@code c x r} matrix of its transpose. A row-major product {@code C = op(A) op(B)} is therefore
 * computed as the column-major {@code C^T = op(B)^T op(A)^T} directly in {@code C}'s array. An operand that is
 * not transposed wraps as it is; a transposed operand ({@code transA} or {@code transB}) must be copied once into
 * the other layout ({@code O(rows cols)} work against {@code O(m n k)} for the product), because ojAlgo's fast
 * kernel ({@code MultiplyNeither}) needs both operands as plain column-major arrays and its transposed views go
 * through a per-element accessor. {@code alpha != 1} costs one extra pass over {@code C}; {@code beta != 0} costs
 * a scratch {@code m x n} product, since ojAlgo has no multiply-add. With {@code beta == 0}, {@code C} is
 * overwritten without being read.
 *
 * <p><b>Precision.</b> F32 products run in ojAlgo's single-precision kernel (float arrays, float accumulation;
 * error within {@code gamma_k}). ojAlgo has no single-precision SVD: F32 SVDs are computed in double precision
 * and rounded by {@link AbstractBackend}.
 *
 * <p><b>SVD.</b> ojAlgo's default ({@code SingularValue.R064.make(matrix, false)}) is a Golub-Kahan-Reinsch SVD
 * ({@code RawSingularValue}) that returns thin factors; asking for full factors ({@code fullSize = true}), or more
 * than 1024 columns, selects the slower {@code DenseSingularValue}. This backend decomposes whichever of {@code A}
 * or {@code A^T} is tall (measured faster than giving it a wide matrix). For square and moderately rectangular
 * matrices (aspect ratio up to 2) it asks for the fast thin SVD: for square matrices the thin factors are already
 * the full ones, otherwise the missing {@code |m - n|} columns of the larger factor are completed to an
 * orthonormal basis with a Householder QR of the thin factor (the trailing columns of its full {@code Q}, computed
 * in plain Java by {@code OjalgoKernels.complement}: ojAlgo's own QR lost orthogonality on graded factors).
 * Beyond aspect ratio 2 the completion costs more than it saves and the dense full-size SVD is used (see
 * {@link OjalgoKernels#fullSizeFaster}; measurements are in this module's README).
 * {@link OjalgoKernels#singularValuesF64} uses the thin values-only path ({@code computeValuesOnly}) for every
 * shape. ojAlgo returns the values sorted, but
 * {@link AbstractBackend} sorts and signs them regardless.
 *
 * <p><b>Threads.</b> ojAlgo's parallelism is a process-wide setting per operation class; see
 * {@link OjalgoParallelism} for how each call of this backend is limited to {@link #threads()} threads anyway.
 */
public final class OjalgoBackend extends AbstractBackend {

    /**
     * Creates the backend.
     *
     * @param threads threads per kernel call, {@code >= 1}
     * @throws IllegalArgumentException if threads is below 1
     */
    public OjalgoBackend(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("OjalgoBackend: threads must be >= 1, got " + threads);
        }
        super(OjalgoBackendProvider.NAME, threads, new OjalgoKernels(threads));
    }
}
