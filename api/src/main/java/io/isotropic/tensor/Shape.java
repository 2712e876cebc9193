package io.isotropic.tensor;

import java.util.Arrays;

/** Immutable list of non-negative dimension sizes of a dense row-major tensor (rank 0 is a scalar). */
public final class Shape {
    private final int[] dims;
    private final int size;

    private Shape(int[] dims) {
        long n = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                throw new IllegalArgumentException("shape: dimension " + i + " is " + dims[i] + " in "
                        + Arrays.toString(dims) + "; dimensions must be >= 0");
            }
            n *= dims[i];
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("shape: " + Arrays.toString(dims) + " has more than "
                        + (Integer.MAX_VALUE - 8) + " elements, the largest a Java array can hold");
            }
        }
        this.dims = dims;
        this.size = (int) n;
    }

    /**
     * Creates a shape.
     *
     * @param dims the dimension sizes, outermost first (copied)
     * @return the shape
     * @throws IllegalArgumentException if dims is null, a dimension is negative or the element count exceeds an array's capacity
     */
    public static Shape of(int... dims) {
        if (dims == null) {
            throw new IllegalArgumentException("shape: dims is null");
        }
        return new Shape(dims.clone());
    }

    /**
     * Number of dimensions.
     *
     * @return the rank (0 for a scalar)
     */
    public int rank() {
        return dims.length;
    }

    /**
     * Size of one dimension.
     *
     * @param axis the axis, {@code 0 <= axis < rank()}
     * @return the size of that axis
     * @throws IndexOutOfBoundsException if the axis is out of range
     */
    public int dim(int axis) {
        if (axis < 0 || axis >= dims.length) {
            throw new IndexOutOfBoundsException("shape: axis " + axis + " out of range for shape " + this);
        }
        return dims[axis];
    }

    /**
     * Total number of elements (product of the dimensions; 1 for a scalar).
     *
     * @return the element count
     */
    public int size() {
        return size;
    }

    /**
     * The dimensions as a new array.
     *
     * @return a copy of the dimension sizes
     */
    public int[] toArray() {
        return dims.clone();
    }

    /**
     * Row-major flat offset of a multi-index.
     *
     * @param index one index per axis
     * @return the flat offset
     * @throws IndexOutOfBoundsException if the number of indices differs from the rank or one is out of range
     */
    public int offset(int... index) {
        if (index == null || index.length != dims.length) {
            throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " has "
                    + (index == null ? 0 : index.length) + " components; shape " + this + " has rank " + dims.length);
        }
        int off = 0;
        for (int i = 0; i < dims.length; i++) {
            if (index[i] < 0 || index[i] >= dims[i]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " out of range for shape "
                        + this + " (axis " + i + ")");
            }
            off = off * dims[i] + index[i];
        }
        return off;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
