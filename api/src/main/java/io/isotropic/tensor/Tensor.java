package io.isotropic.tensor;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Dense row-major tensor over a {@code float[]} ({@link DType#F32}) or {@code double[]} ({@link DType#F64}).
 *
 * <p>The element array is owned by the tensor but exposed through {@link #f64()} and {@link #f32()} so that
 * backends can wrap it without copying; factories named {@code of} copy their input, factories named
 * {@code wrap} do not. Tensors are mutable and not thread-safe.
 */
public final class Tensor {
    private final DType dtype;
    private final Shape shape;
    private final double[] f64;
    private final float[] f32;

    private Tensor(Shape shape, double[] f64, float[] f32) {
        this.shape = shape;
        this.f64 = f64;
        this.f32 = f32;
        this.dtype = f64 != null ? DType.F64 : DType.F32;
    }

    // ---------------------------------------------------------------- factories

    /**
     * Creates a tensor filled with zeros.
     *
     * @param dtype the element type
     * @param dims the shape
     * @return a new zero tensor
     * @throws IllegalArgumentException if dtype is null or the shape is invalid
     */
    public static Tensor zeros(DType dtype, int... dims) {
        return zeros(dtype, Shape.of(dims));
    }

    /**
     * Creates a tensor filled with zeros.
     *
     * @param dtype the element type
     * @param shape the shape
     * @return a new zero tensor
     * @throws IllegalArgumentException if dtype or shape is null
     */
    public static Tensor zeros(DType dtype, Shape shape) {
        if (dtype == null || shape == null) {
            throw new IllegalArgumentException("Tensor.zeros: dtype and shape must not be null (dtype=" + dtype
                    + ", shape=" + shape + ")");
        }
        return dtype == DType.F64 ? new Tensor(shape, new double[shape.size()], null)
                : new Tensor(shape, null, new float[shape.size()]);
    }

    /**
     * Creates the {@code n x n} identity matrix.
     *
     * @param dtype the element type
     * @param n the order, {@code n >= 0}
     * @return a new identity matrix of shape {@code [n, n]}
     * @throws IllegalArgumentException if dtype is null or n is negative
     */
    public static Tensor identity(DType dtype, int n) {
        Tensor t = zeros(dtype, n, n);
        for (int i = 0; i < n; i++) {
            t.setFlat(i * n + i, 1.0);
        }
        return t;
    }

    /**
     * Creates an F64 tensor holding a copy of the given values.
     *
     * @param data the elements in row-major order (copied)
     * @param dims the shape; its element count must equal {@code data.length}
     * @return a new F64 tensor
     * @throws IllegalArgumentException if data is null or its length does not match the shape
     */
    public static Tensor of(double[] data, int... dims) {
        Objects.requireNonNull(data, "Tensor.of: data is null");
        return wrap(data.clone(), dims);
    }

    /**
     * Creates an F32 tensor holding a copy of the given values.
     *
     * @param data the elements in row-major order (copied)
     * @param dims the shape; its element count must equal {@code data.length}
     * @return a new F32 tensor
     * @throws IllegalArgumentException if data is null or its length does not match the shape
     */
    public static Tensor of(float[] data, int... dims) {
        Objects.requireNonNull(data, "Tensor.of: data is null");
        return wrap(data.clone(), dims);
    }

    /**
     * Creates a matrix of the given dtype from rows of doubles (rounded to float for F32).
     *
     * @param dtype the element type
     * @param rows the rows; all must have the same length
     * @return a new tensor of shape {@code [rows.length, rows[0].length]}
     * @throws IllegalArgumentException if rows is null, contains null or is ragged
     */
    public static Tensor ofRows(DType dtype, double[][] rows) {
        if (rows == null) {
            throw new IllegalArgumentException("Tensor.ofRows: rows is null");
        }
        int cols = rows.length == 0 ? 0 : Objects.requireNonNull(rows[0], "Tensor.ofRows: row 0 is null").length;
        Tensor t = zeros(dtype, rows.length, cols);
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] == null || rows[i].length != cols) {
                throw new IllegalArgumentException("Tensor.ofRows: row " + i + " has "
                        + (rows[i] == null ? "null" : rows[i].length + " entries") + ", row 0 has " + cols);
            }
            for (int j = 0; j < cols; j++) {
                t.setFlat(i * cols + j, rows[i][j]);
            }
        }
        return t;
    }

    /**
     * Wraps an array without copying; later writes to the array are visible in the tensor and vice versa.
     *
     * @param data the elements in row-major order (not copied)
     * @param dims the shape; its element count must equal {@code data.length}
     * @return a new F64 tensor backed by {@code data}
     * @throws IllegalArgumentException if data is null or its length does not match the shape
     */
    public static Tensor wrap(double[] data, int... dims) {
        if (data == null) {
            throw new IllegalArgumentException("Tensor.wrap: data is null");
        }
        Shape s = Shape.of(dims);
        checkLength("Tensor.wrap", data.length, s);
        return new Tensor(s, data, null);
    }

    /**
     * Wraps an array without copying; later writes to the array are visible in the tensor and vice versa.
     *
     * @param data the elements in row-major order (not copied)
     * @param dims the shape; its element count must equal {@code data.length}
     * @return a new F32 tensor backed by {@code data}
     * @throws IllegalArgumentException if data is null or its length does not match the shape
     */
    public static Tensor wrap(float[] data, int... dims) {
        if (data == null) {
            throw new IllegalArgumentException("Tensor.wrap: data is null");
        }
        Shape s = Shape.of(dims);
        checkLength("Tensor.wrap", data.length, s);
        return new Tensor(s, null, data);
    }

    /**
     * Creates a tensor of i.i.d. normal values with mean 0 and the given standard deviation.
     *
     * @param dtype the element type
     * @param rng the random source (e.g. {@code new SplittableRandom(seed)}); advanced by this call
     * @param std the standard deviation, finite and {@code >= 0}
     * @param dims the shape
     * @return a new random tensor
     * @throws IllegalArgumentException if an argument is null, std is negative or not finite, or the shape is invalid
     */
    public static Tensor randomNormal(DType dtype, RandomGenerator rng, double std, int... dims) {
        if (rng == null) {
            throw new IllegalArgumentException("Tensor.randomNormal: rng is null");
        }
        if (!(std >= 0) || Double.isInfinite(std)) {
            throw new IllegalArgumentException("Tensor.randomNormal: std must be finite and >= 0, got " + std);
        }
        Tensor t = zeros(dtype, dims);
        for (int i = 0; i < t.size(); i++) {
            t.setFlat(i, std * rng.nextGaussian());
        }
        return t;
    }

    /**
     * Creates a tensor of i.i.d. normal values from a seed (same seed, same values, on every machine).
     *
     * @param dtype the element type
     * @param seed the seed of a {@link SplittableRandom}
     * @param std the standard deviation, finite and {@code >= 0}
     * @param dims the shape
     * @return a new random tensor
     * @throws IllegalArgumentException if dtype is null, std is invalid or the shape is invalid
     */
    public static Tensor randomNormal(DType dtype, long seed, double std, int... dims) {
        return randomNormal(dtype, new SplittableRandom(seed), std, dims);
    }

    /**
     * Creates a tensor of i.i.d. values uniform on {@code [lo, hi)}.
     *
     * @param dtype the element type
     * @param rng the random source; advanced by this call
     * @param lo the lower bound, finite
     * @param hi the upper bound, finite and {@code > lo}
     * @param dims the shape
     * @return a new random tensor
     * @throws IllegalArgumentException if an argument is null, the bounds are not finite or {@code hi <= lo}
     */
    public static Tensor randomUniform(DType dtype, RandomGenerator rng, double lo, double hi, int... dims) {
        if (rng == null) {
            throw new IllegalArgumentException("Tensor.randomUniform: rng is null");
        }
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || !(hi > lo)) {
            throw new IllegalArgumentException("Tensor.randomUniform: need finite lo < hi, got lo=" + lo + ", hi=" + hi);
        }
        Tensor t = zeros(dtype, dims);
        for (int i = 0; i < t.size(); i++) {
            t.setFlat(i, rng.nextDouble(lo, hi));
        }
        return t;
    }

    private static void checkLength(String op, int length, Shape s) {
        if (length != s.size()) {
            throw new IllegalArgumentException(op + ": array has " + length + " elements but shape " + s
                    + " needs " + s.size());
        }
    }

    // ---------------------------------------------------------------- shape

    /**
     * The element type.
     *
     * @return F32 or F64
     */
    public DType dtype() {
        return dtype;
    }

    /**
     * The shape.
     *
     * @return the (immutable) shape
     */
    public Shape shape() {
        return shape;
    }

    /**
     * Number of dimensions.
     *
     * @return the rank
     */
    public int rank() {
        return shape.rank();
    }

    /**
     * Size of one axis.
     *
     * @param axis the axis
     * @return its size
     * @throws IndexOutOfBoundsException if the axis is out of range
     */
    public int dim(int axis) {
        return shape.dim(axis);
    }

    /**
     * Number of elements.
     *
     * @return the product of the dimensions
     */
    public int size() {
        return shape.size();
    }

    /**
     * Number of rows of a matrix.
     *
     * @return {@code dim(0)}
     * @throws IllegalStateException if the tensor is not rank 2
     */
    public int rows() {
        requireMatrix("rows");
        return shape.dim(0);
    }

    /**
     * Number of columns of a matrix.
     *
     * @return {@code dim(1)}
     * @throws IllegalStateException if the tensor is not rank 2
     */
    public int cols() {
        requireMatrix("cols");
        return shape.dim(1);
    }

    private void requireMatrix(String op) {
        if (shape.rank() != 2) {
            throw new IllegalStateException("Tensor." + op + ": tensor of shape " + shape + " is not a matrix");
        }
    }

    // ---------------------------------------------------------------- data

    /**
     * The live backing array of an F64 tensor.
     *
     * @return the backing array (not a copy)
     * @throws IllegalStateException if the tensor is F32
     */
    public double[] f64() {
        if (f64 == null) {
            throw new IllegalStateException("Tensor.f64: tensor " + shape + " is F32; use f32() or to(DType.F64)");
        }
        return f64;
    }

    /**
     * The live backing array of an F32 tensor.
     *
     * @return the backing array (not a copy)
     * @throws IllegalStateException if the tensor is F64
     */
    public float[] f32() {
        if (f32 == null) {
            throw new IllegalStateException("Tensor.f32: tensor " + shape + " is F64; use f64() or to(DType.F32)");
        }
        return f32;
    }

    /**
     * Element at a flat row-major position, widened to double.
     *
     * @param i the flat index
     * @return the value
     * @throws IndexOutOfBoundsException if i is out of range
     */
    public double getFlat(int i) {
        Objects.checkIndex(i, shape.size());
        return f64 != null ? f64[i] : f32[i];
    }

    /**
     * Sets the element at a flat row-major position (rounded to float for F32).
     *
     * @param i the flat index
     * @param value the value
     * @throws IndexOutOfBoundsException if i is out of range
     */
    public void setFlat(int i, double value) {
        Objects.checkIndex(i, shape.size());
        if (f64 != null) {
            f64[i] = value;
        } else {
            f32[i] = (float) value;
        }
    }

    /**
     * Element at a multi-index, widened to double.
     *
     * @param index one index per axis
     * @return the value
     * @throws IndexOutOfBoundsException if the index does not match the shape
     */
    public double get(int... index) {
        return getFlat(shape.offset(index));
    }

    /**
     * Element of a matrix.
     *
     * @param i the row
     * @param j the column
     * @return the value
     * @throws IllegalStateException if the tensor is not a matrix
     * @throws IndexOutOfBoundsException if i or j is out of range
     */
    public double get(int i, int j) {
        requireMatrix("get");
        return getFlat(shape.offset(i, j));
    }

    /**
     * Sets an element at a multi-index.
     *
     * @param value the value
     * @param index one index per axis
     * @throws IndexOutOfBoundsException if the index does not match the shape
     */
    public void set(double value, int... index) {
        setFlat(shape.offset(index), value);
    }

    /**
     * Fills every element with one value.
     *
     * @param value the value
     * @return this tensor
     */
    public Tensor fill(double value) {
        if (f64 != null) {
            Arrays.fill(f64, value);
        } else {
            Arrays.fill(f32, (float) value);
        }
        return this;
    }

    /**
     * Copies the elements of another tensor of the same shape into this one, converting the dtype if needed.
     *
     * @param source the tensor to copy from
     * @return this tensor
     * @throws ShapeMismatchException if the shapes differ
     */
    public Tensor assign(Tensor source) {
        Objects.requireNonNull(source, "Tensor.assign: source is null");
        if (!source.shape.equals(shape)) {
            throw new ShapeMismatchException("Tensor.assign: target is " + shape + ", source is " + source.shape
                    + "; shapes must be equal");
        }
        if (f64 != null && source.f64 != null) {
            System.arraycopy(source.f64, 0, f64, 0, f64.length);
        } else if (f32 != null && source.f32 != null) {
            System.arraycopy(source.f32, 0, f32, 0, f32.length);
        } else {
            for (int i = 0; i < size(); i++) {
                setFlat(i, source.getFlat(i));
            }
        }
        return this;
    }

    /**
     * A deep copy with the same dtype and shape.
     *
     * @return the copy
     */
    public Tensor copy() {
        return f64 != null ? new Tensor(shape, f64.clone(), null) : new Tensor(shape, null, f32.clone());
    }

    /**
     * The Frobenius (Euclidean) norm of all elements, scaled by the largest magnitude first so that neither huge nor
     * tiny entries over- or underflow.
     *
     * @return {@code sqrt(sum x_i^2)}
     */
    public double frobeniusNorm() {
        double scale = maxAbs();
        if (scale == 0 || !Double.isFinite(scale)) {
            return scale;
        }
        double s = 0;
        for (int i = 0; i < size(); i++) {
            double q = getFlat(i) / scale;
            s += q * q;
        }
        return scale * Math.sqrt(s);
    }

    /**
     * The transpose of a matrix, as a new tensor of the same dtype.
     *
     * @return {@code [cols, rows]}
     * @throws IllegalStateException if the tensor is not rank 2
     */
    public Tensor transpose() {
        requireMatrix("transpose");
        int r = shape.dim(0);
        int c = shape.dim(1);
        if (f64 != null) {
            double[] out = new double[r * c];
            for (int i = 0; i < r; i++) {
                for (int j = 0; j < c; j++) {
                    out[j * r + i] = f64[i * c + j];
                }
            }
            return new Tensor(Shape.of(c, r), out, null);
        }
        float[] out = new float[r * c];
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                out[j * r + i] = f32[i * c + j];
            }
        }
        return new Tensor(Shape.of(c, r), null, out);
    }

    /**
     * A deep copy converted to another dtype (F64 to F32 rounds to nearest).
     *
     * @param target the dtype of the copy
     * @return a new tensor
     * @throws IllegalArgumentException if target is null
     */
    public Tensor to(DType target) {
        if (target == null) {
            throw new IllegalArgumentException("Tensor.to: target dtype is null");
        }
        if (target == dtype) {
            return copy();
        }
        return target == DType.F64 ? new Tensor(shape, toDoubleArray(), null) : new Tensor(shape, null, toFloatArray());
    }

    /**
     * The elements as a new double array.
     *
     * @return a row-major copy, widened to double
     */
    public double[] toDoubleArray() {
        if (f64 != null) {
            return f64.clone();
        }
        double[] out = new double[f32.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = f32[i];
        }
        return out;
    }

    /**
     * The elements as a new float array.
     *
     * @return a row-major copy, rounded to float
     */
    public float[] toFloatArray() {
        if (f32 != null) {
            return f32.clone();
        }
        float[] out = new float[f64.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) f64[i];
        }
        return out;
    }

    /**
     * A view with another shape of the same element count, sharing this tensor's array.
     *
     * @param dims the new shape
     * @return a tensor sharing the data
     * @throws IllegalArgumentException if the element count differs
     */
    public Tensor reshape(int... dims) {
        Shape s = Shape.of(dims);
        checkLength("Tensor.reshape", shape.size(), s);
        return new Tensor(s, f64, f32);
    }

    /**
     * Position of the first NaN or infinite element.
     *
     * @return its flat index, or -1 if every element is finite
     */
    public int firstNonFinite() {
        // Chunks are screened branch-free on the bit patterns (read through a memory segment, which C2 vectorises;
        // the early-exit loop below does not vectorise and ran 3x slower on 670,000 cached floats): an
        // element is NaN or infinite exactly when its exponent bits are all ones, and adding one unit of the
        // exponent's lowest bit to the masked exponent then carries into the sign bit. Only a chunk that holds such
        // an element is scanned element by element, for the first one.
        if (f64 != null) {
            java.lang.foreign.MemorySegment seg = java.lang.foreign.MemorySegment.ofArray(f64);
            for (int base = 0; base < f64.length; base += SCREEN_CHUNK) {
                int end = Math.min(f64.length, base + SCREEN_CHUNK);
                long acc = 0;
                for (int i = base; i < end; i++) {
                    acc |= (seg.getAtIndex(java.lang.foreign.ValueLayout.JAVA_LONG, i) & 0x7FF0000000000000L)
                            + 0x0010000000000000L;
                }
                if (acc < 0) {
                    for (int i = base; i < end; i++) {
                        if (!Double.isFinite(f64[i])) {
                            return i;
                        }
                    }
                }
            }
        } else {
            java.lang.foreign.MemorySegment seg = java.lang.foreign.MemorySegment.ofArray(f32);
            for (int base = 0; base < f32.length; base += SCREEN_CHUNK) {
                int end = Math.min(f32.length, base + SCREEN_CHUNK);
                int acc = 0;
                for (int i = base; i < end; i++) {
                    acc |= (seg.getAtIndex(java.lang.foreign.ValueLayout.JAVA_INT, i) & 0x7F800000) + 0x00800000;
                }
                if (acc < 0) {
                    for (int i = base; i < end; i++) {
                        if (!Float.isFinite(f32[i])) {
                            return i;
                        }
                    }
                }
            }
        }
        return -1;
    }

    /** Elements screened at once by {@link #firstNonFinite} before any is looked at singly. */
    private static final int SCREEN_CHUNK = 1024;

    /**
     * Throws if any element is NaN or infinite.
     *
     * @param operation the operation to name in the message
     * @param operand the operand to name in the message
     * @return this tensor
     * @throws NonFiniteValueException naming the operation, operand, multi-index and value of the first bad element
     */
    public Tensor requireFinite(String operation, String operand) {
        int bad = firstNonFinite();
        if (bad >= 0) {
            throw new NonFiniteValueException(operation + ": " + operand + " " + shape + " has non-finite value "
                    + getFlat(bad) + " at " + Arrays.toString(unravel(bad)));
        }
        return this;
    }

    /**
     * Converts a flat offset to a multi-index.
     *
     * @param flat the flat offset
     * @return one index per axis
     * @throws IndexOutOfBoundsException if flat is out of range
     */
    public int[] unravel(int flat) {
        Objects.checkIndex(flat, Math.max(1, shape.size()));
        int[] idx = new int[shape.rank()];
        for (int a = shape.rank() - 1; a >= 0; a--) {
            int d = shape.dim(a);
            idx[a] = d == 0 ? 0 : flat % d;
            flat = d == 0 ? 0 : flat / d;
        }
        return idx;
    }

    /**
     * Largest absolute value of any element (NaN if any element is NaN).
     *
     * @return the max-abs norm, 0 for an empty tensor
     */
    public double maxAbs() {
        double m = 0;
        for (int i = 0; i < size(); i++) {
            double a = Math.abs(getFlat(i));
            if (a > m || Double.isNaN(a)) {
                m = a;
                if (Double.isNaN(a)) {
                    return a;
                }
            }
        }
        return m;
    }

    /**
     * Whether another tensor has the same dtype, shape and bit-identical elements.
     *
     * @param other the tensor to compare with
     * @return true if identical
     */
    public boolean contentEquals(Tensor other) {
        return other != null && other.dtype == dtype && other.shape.equals(shape)
                && (f64 != null ? Arrays.equals(f64, other.f64) : Arrays.equals(f32, other.f32));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor(").append(dtype).append(", ").append(shape).append(", [");
        int n = Math.min(size(), 8);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ", ").append(getFlat(i));
        }
        return sb.append(size() > n ? ", ...])" : "])").toString();
    }
}
