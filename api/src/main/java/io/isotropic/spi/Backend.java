package io.isotropic.spi;

import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;

/**
 * The numeric kernels the method needs, implemented once per compute backend for both {@link DType}s.
 *
 * <p>All tensors are dense row-major; all operands of one call must share one dtype. Methods ending in
 * {@code Into} write into a caller-provided output and say which operands may alias it. Scalars such as
 * {@code alpha} are rounded to float for F32 operands. Every method throws {@link NullPointerException} for a
 * null operand (unless documented as optional), {@link IllegalArgumentException} for mixed dtypes, non-finite
 * scalars or forbidden aliasing, and {@link io.isotropic.tensor.ShapeMismatchException} for incompatible
 * shapes. Kernels propagate NaN and infinity in tensor data as IEEE arithmetic does, except the SVD, which
 * rejects them with {@link io.isotropic.tensor.NonFiniteValueException}. Implementations extend
 * {@link AbstractBackend}, which performs these checks.
 */
public interface Backend extends AutoCloseable {

    /**
     * The provider name this backend was created under.
     *
     * @return the lowercase name, e.g. {@code ejml}
     */
    String name();

    /**
     * Threads this backend may use for one kernel call.
     *
     * @return the thread count, {@code >= 1}
     */
    int threads();

    /**
     * General matrix product {@code C = alpha op(A) op(B) + beta C}, where {@code op(X)} is {@code X} or
     * {@code X^T}; when {@code beta == 0} the old contents of {@code C} are not read (NaN there is ignored).
     *
     * @param alpha scale of the product, finite
     * @param a matrix, {@code [m, k]} or {@code [k, m]} if transA
     * @param transA whether to use {@code A^T}
     * @param b matrix, {@code [k, n]} or {@code [n, k]} if transB
     * @param transB whether to use {@code B^T}
     * @param beta scale of the old {@code C}, finite
     * @param c the output {@code [m, n]}; must not share its array with {@code a} or {@code b}
     * @throws io.isotropic.tensor.ShapeMismatchException if the shapes are incompatible
     * @throws IllegalArgumentException if dtypes differ, a scalar is not finite or {@code c} aliases an input
     */
    void gemm(double alpha, Tensor a, boolean transA, Tensor b, boolean transB, double beta, Tensor c);

    /**
     * Matrix product {@code op(A) op(B)} into a new tensor.
     *
     * @param a matrix, {@code [m, k]} or {@code [k, m]} if transA
     * @param transA whether to use {@code A^T}
     * @param b matrix, {@code [k, n]} or {@code [n, k]} if transB
     * @param transB whether to use {@code B^T}
     * @return a new {@code [m, n]} tensor
     * @throws io.isotropic.tensor.ShapeMismatchException if the shapes are incompatible
     * @throws IllegalArgumentException if the dtypes differ
     */
    default Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB) {
        java.util.Objects.requireNonNull(a, "matmul: a is null");
        java.util.Objects.requireNonNull(b, "matmul: b is null");
        if (a.rank() != 2 || b.rank() != 2) {
            throw new io.isotropic.tensor.ShapeMismatchException("matmul: a is " + a.shape() + ", b is " + b.shape()
                    + "; both must be matrices");
        }
        Tensor c = Tensor.zeros(a.dtype(), transA ? a.cols() : a.rows(), transB ? b.rows() : b.cols());
        gemm(1.0, a, transA, b, transB, 0.0, c);
        return c;
    }

    /**
     * Matrix product {@code A B} into a new tensor.
     *
     * @param a matrix {@code [m, k]}
     * @param b matrix {@code [k, n]}
     * @return a new {@code [m, n]} tensor
     * @throws io.isotropic.tensor.ShapeMismatchException if {@code a.cols != b.rows}
     * @throws IllegalArgumentException if the dtypes differ
     */
    default Tensor matmul(Tensor a, Tensor b) {
        return matmul(a, false, b, false);
    }

    /**
     * Batched affine map {@code Y = X W^T + 1 b^T}: row {@code i} of {@code Y} is {@code W x_i + b}.
     *
     * @param x inputs, {@code [batch, in]}
     * @param w weights, {@code [out, in]} (rows are output neurons)
     * @param bias biases, {@code [out]}, or null for none
     * @param y output {@code [batch, out]}; must not share its array with {@code x}, {@code w} or {@code bias}
     * @throws io.isotropic.tensor.ShapeMismatchException if the shapes are incompatible
     * @throws IllegalArgumentException if dtypes differ or {@code y} aliases an input
     */
    void affineInto(Tensor x, Tensor w, Tensor bias, Tensor y);

    /**
     * Batched affine map {@code X W^T + 1 b^T} into a new tensor.
     *
     * @param x inputs, {@code [batch, in]}
     * @param w weights, {@code [out, in]}
     * @param bias biases, {@code [out]}, or null
     * @return a new {@code [batch, out]} tensor
     * @throws io.isotropic.tensor.ShapeMismatchException if the shapes are incompatible
     * @throws IllegalArgumentException if dtypes differ
     */
    default Tensor affine(Tensor x, Tensor w, Tensor bias) {
        java.util.Objects.requireNonNull(x, "affine: x is null");
        java.util.Objects.requireNonNull(w, "affine: w is null");
        if (x.rank() != 2 || w.rank() != 2) {
            throw new io.isotropic.tensor.ShapeMismatchException("affine: x is " + x.shape() + ", w is " + w.shape()
                    + "; both must be matrices");
        }
        Tensor y = Tensor.zeros(x.dtype(), x.rows(), w.rows());
        affineInto(x, w, bias, y);
        return y;
    }

    /**
     * Squared Euclidean norm of every row.
     *
     * @param x matrix {@code [rows, cols]}
     * @param out output {@code [rows]}
     * @throws io.isotropic.tensor.ShapeMismatchException if the shapes are incompatible
     * @throws IllegalArgumentException if dtypes differ
     */
    void rowSquaredNormsInto(Tensor x, Tensor out);

    /**
     * Squared Euclidean norm of every row into a new tensor.
     *
     * @param x matrix {@code [rows, cols]}
     * @return a new {@code [rows]} tensor
     * @throws io.isotropic.tensor.ShapeMismatchException if x is not a matrix
     */
    default Tensor rowSquaredNorms(Tensor x) {
        java.util.Objects.requireNonNull(x, "rowSquaredNorms: x is null");
        if (x.rank() != 2) {
            throw new io.isotropic.tensor.ShapeMismatchException("rowSquaredNorms: x is " + x.shape()
                    + "; must be a matrix");
        }
        Tensor out = Tensor.zeros(x.dtype(), x.rows());
        rowSquaredNormsInto(x, out);
        return out;
    }

    /**
     * Fused isotropic-tanh forward pass over a batch (method.md 2.2): per row, {@code G = gain(|z|^2; o, eps)}
     * and {@code h = G z}.
     *
     * @param z pre-activations {@code [rows, n]}
     * @param o intrinsic length, finite
     * @param eps small-ball radius, finite and {@code > 0}
     * @param gains output gains {@code [rows]}
     * @param h output activations {@code [rows, n]}; may be the same tensor as {@code z} (in place)
     * @throws io.isotropic.tensor.ShapeMismatchException if the shapes are incompatible
     * @throws IllegalArgumentException if dtypes differ or o/eps are invalid
     */
    void isoTanhForwardInto(Tensor z, double o, double eps, Tensor gains, Tensor h);

    /**
     * Fused isotropic-tanh forward pass into new tensors.
     *
     * @param z pre-activations {@code [rows, n]}
     * @param o intrinsic length, finite
     * @param eps small-ball radius, finite and {@code > 0}
     * @return the gains {@code [rows]} and activations {@code [rows, n]}
     * @throws io.isotropic.tensor.ShapeMismatchException if z is not a matrix
     * @throws IllegalArgumentException if o/eps are invalid
     */
    default ActivationOutput isoTanhForward(Tensor z, double o, double eps) {
        java.util.Objects.requireNonNull(z, "isoTanhForward: z is null");
        if (z.rank() != 2) {
            throw new io.isotropic.tensor.ShapeMismatchException("isoTanhForward: z is " + z.shape()
                    + "; must be a matrix");
        }
        Tensor gains = Tensor.zeros(z.dtype(), z.rows());
        Tensor h = Tensor.zeros(z.dtype(), z.rows(), z.cols());
        isoTanhForwardInto(z, o, eps, gains, h);
        return new ActivationOutput(gains, h);
    }

    /**
     * Vector-Jacobian product of isotropic tanh: given {@code dL/dh} (and optionally an extra {@code dL/dG} per
     * row from other uses of the gain, such as the psi correction), computes {@code dL/dz} and returns
     * {@code dL/do}.
     *
     * <p>Per row, with {@code gs = z . dh + gainGrad} and {@code G' = dG/dr}:
     * {@code dz = G dh + 2 gs G' z}; the return value is {@code sum over rows of gs G'}. Inside the small ball
     * {@code G' = 0}. The Jacobian {@code G I + 2 G' z z^T} is never materialised.
     *
     * @param z pre-activations of the forward pass {@code [rows, n]}
     * @param gains the gains of the forward pass {@code [rows]}
     * @param dh upstream gradient {@code dL/dh} {@code [rows, n]}
     * @param gainGrad extra upstream gradient {@code dL/dG} {@code [rows]}, or null for none
     * @param o intrinsic length used in the forward pass, finite
     * @param eps small-ball radius used in the forward pass, finite and {@code > 0}
     * @param dz output {@code dL/dz} {@code [rows, n]}; may be the same tensor as {@code dh}, not as {@code z}
     * @return {@code dL/do} summed over the batch
     * @throws io.isotropic.tensor.ShapeMismatchException if the shapes are incompatible
     * @throws IllegalArgumentException if dtypes differ, o/eps are invalid or {@code dz} aliases {@code z}
     */
    double isoTanhBackwardInto(Tensor z, Tensor gains, Tensor dh, Tensor gainGrad, double o, double eps, Tensor dz);

    /**
     * Element-wise tanh (the standard-MLP baseline activation).
     *
     * @param z input, any shape
     * @param h output of the same shape; may be the same tensor as {@code z}
     * @throws io.isotropic.tensor.ShapeMismatchException if the shapes differ
     * @throws IllegalArgumentException if the dtypes differ
     */
    void tanhForwardInto(Tensor z, Tensor h);

    /**
     * Backward pass of element-wise tanh: {@code dz = dh (1 - h^2)}.
     *
     * @param h the forward output {@code tanh(z)}, any shape
     * @param dh upstream gradient, same shape
     * @param dz output, same shape; may be the same tensor as {@code dh} or {@code h}
     * @throws io.isotropic.tensor.ShapeMismatchException if the shapes differ
     * @throws IllegalArgumentException if the dtypes differ
     */
    void tanhBackwardInto(Tensor h, Tensor dh, Tensor dz);

    /**
     * Full singular value decomposition {@code A = U diag(s) V^T} with square orthogonal factors, singular values
     * non-increasing and the sign convention of {@link SvdNormaliser}; any {@code m x n}
     * including empty, zero and rank-deficient matrices, at any scale: the matrix is multiplied by the power of two
     * that brings its largest magnitude into {@code [1, 2)} before the backend's kernel sees it, and the singular
     * values are scaled back (exact while the numbers involved are normal). F32 input may be computed in double
     * precision.
     *
     * @param a the matrix {@code [m, n]} (not modified)
     * @return the decomposition in {@code a}'s dtype
     * @throws io.isotropic.tensor.ShapeMismatchException if a is not a matrix
     * @throws io.isotropic.tensor.NonFiniteValueException if a contains NaN or infinity
     * @throws ArithmeticException if the iteration fails to converge, or a singular value exceeds the largest
     *     finite value of {@code a}'s dtype
     */
    Svd svd(Tensor a);

    /**
     * The left factor {@code U} ({@code m x m}) and the singular values of {@code A = U diag(s) V^T}, without
     * {@code V}: the same {@code U} and {@code s} as {@link #svd} (same order, same signs, same scaling), at the cost
     * of the left factor only. Left-partial diagonalisation and rotated neurogenesis need no more ({@code U^T A} is
     * the rotated layer); for a wide {@code m x n} layer it avoids forming the larger {@code n x n} factor.
     *
     * @param a the matrix {@code [m, n]} (not modified)
     * @return {@code U} and {@code s} in {@code a}'s dtype
     * @throws io.isotropic.tensor.ShapeMismatchException if a is not a matrix
     * @throws io.isotropic.tensor.NonFiniteValueException if a contains NaN or infinity
     * @throws ArithmeticException if the iteration fails to converge, or a singular value exceeds the largest
     *     finite value of {@code a}'s dtype
     */
    SvdLeft svdLeft(Tensor a);

    /**
     * Singular values only, non-increasing, scaled as for {@link #svd}.
     *
     * @param a the matrix {@code [m, n]} (not modified)
     * @return a new tensor {@code [min(m, n)]} in {@code a}'s dtype
     * @throws io.isotropic.tensor.ShapeMismatchException if a is not a matrix
     * @throws io.isotropic.tensor.NonFiniteValueException if a contains NaN or infinity
     * @throws ArithmeticException if the iteration fails to converge, or a singular value exceeds the largest
     *     finite value of {@code a}'s dtype
     */
    Tensor singularValues(Tensor a);

    /**
     * {@code y += alpha x}, element-wise over equal shapes.
     *
     * @param alpha the scale, finite
     * @param x the addend (not modified)
     * @param y the accumulator (modified); may not be the same tensor as x
     * @throws io.isotropic.tensor.ShapeMismatchException if the shapes differ
     * @throws IllegalArgumentException if dtypes differ or alpha is not finite
     */
    void axpy(double alpha, Tensor x, Tensor y);

    /**
     * {@code x *= alpha}, element-wise.
     *
     * @param alpha the scale, finite
     * @param x the tensor (modified)
     * @throws IllegalArgumentException if alpha is not finite
     */
    void scale(double alpha, Tensor x);

    /**
     * Inner product of two tensors of equal shape, accumulated in double precision.
     *
     * @param x first operand
     * @param y second operand
     * @return {@code sum_i x_i y_i}
     * @throws io.isotropic.tensor.ShapeMismatchException if the shapes differ
     * @throws IllegalArgumentException if the dtypes differ
     */
    double dot(Tensor x, Tensor y);

    /**
     * Column sums of a matrix (the bias gradient of a batched affine map): {@code out[j] (+)= sum_i x[i, j]}.
     *
     * @param x matrix {@code [rows, cols]}
     * @param out output {@code [cols]}
     * @param accumulate whether to add to {@code out} instead of overwriting it
     * @throws io.isotropic.tensor.ShapeMismatchException if the shapes are incompatible
     * @throws IllegalArgumentException if the dtypes differ
     */
    void columnSumsInto(Tensor x, Tensor out, boolean accumulate);

    /**
     * One fused Adam/AdamW update of a parameter tensor and its moments (see {@link AdamStep}).
     *
     * @param step hyper-parameters and step number
     * @param param the parameter (modified)
     * @param grad its gradient (not modified)
     * @param m first moment (modified)
     * @param v second moment (modified)
     * @throws io.isotropic.tensor.ShapeMismatchException if the shapes differ
     * @throws IllegalArgumentException if dtypes differ or tensors alias each other
     */
    void adamStep(AdamStep step, Tensor param, Tensor grad, Tensor m, Tensor v);

    /**
     * One fused SGD-with-momentum update (see {@link SgdStep}).
     *
     * @param step hyper-parameters
     * @param param the parameter (modified)
     * @param grad its gradient (not modified)
     * @param momentumBuffer the momentum buffer (modified), or null when momentum is 0
     * @throws io.isotropic.tensor.ShapeMismatchException if the shapes differ
     * @throws IllegalArgumentException if dtypes differ, tensors alias, or the buffer is null with momentum
     */
    void sgdStep(SgdStep step, Tensor param, Tensor grad, Tensor momentumBuffer);

    /** Releases threads or native resources held by this backend; the default does nothing. */
    @Override
    default void close() {
    }
}
