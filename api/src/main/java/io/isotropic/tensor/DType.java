package io.isotropic.tensor;

/** Element type of a {@link Tensor}: IEEE-754 single ({@link #F32}) or double ({@link #F64}) precision. */
public enum DType {
    /** 32-bit IEEE-754 floats stored in a {@code float[]}. */
    F32(4, 0x1.0p-24),
    /** 64-bit IEEE-754 doubles stored in a {@code double[]}. */
    F64(8, 0x1.0p-53);

    private final int bytes;
    private final double unitRoundoff;

    DType(int bytes, double unitRoundoff) {
        this.bytes = bytes;
        this.unitRoundoff = unitRoundoff;
    }

    /**
     * Size of one element in bytes.
     *
     * @return 4 for F32, 8 for F64
     */
    public int bytes() {
        return bytes;
    }

    /**
     * Unit roundoff {@code u} (half the machine epsilon): the bound on the relative error of one correctly
     * rounded operation, used to derive tolerances.
     *
     * @return {@code 2^-24} for F32, {@code 2^-53} for F64
     */
    public double unitRoundoff() {
        return unitRoundoff;
    }

    /**
     * Machine epsilon, the gap between 1 and the next representable number ({@code 2u}).
     *
     * @return {@code 2^-23} for F32, {@code 2^-52} for F64
     */
    public double epsilon() {
        return 2 * unitRoundoff;
    }

    /**
     * Parses a dtype name case-insensitively ({@code f32}, {@code float32}, {@code float}, {@code f64},
     * {@code float64}, {@code double}).
     *
     * @param name the name to parse
     * @return the dtype
     * @throws IllegalArgumentException if the name is null or not a known dtype
     */
    public static DType parse(String name) {
        if (name == null) {
            throw new IllegalArgumentException("dtype: name is null; expected one of f32, f64");
        }
        return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "f32", "float32", "float", "single" -> F32;
            case "f64", "float64", "double" -> F64;
            default -> throw new IllegalArgumentException("dtype: unknown name '" + name + "'; expected one of f32, f64");
        };
    }
}
