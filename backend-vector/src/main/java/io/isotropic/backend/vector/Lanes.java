package io.isotropic.backend.vector;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector species every kernel of this backend uses, fixed once per JVM in {@code static final} fields so that
 * C2 treats them as constants (a species read from an instance field defeats the Vector API intrinsics).
 *
 * <p>The species is the platform's preferred one, unless the system property {@value #TEST_BITS_PROPERTY} is
 * {@code 128} or {@code 256} and no wider than the preferred shape: then species of that width are used. 128 bits
 * (2 doubles, 4 floats) is for tests, so that the tail code of every kernel runs on machines whose preferred
 * vectors are wider (a second surefire execution); 256 bits lets an AVX-512 machine approximate an AVX2 one in
 * measurements (for a closer match also start the JVM with {@code -XX:UseAVX=2}, which limits C2 to AVX2
 * instructions and 16 vector registers and makes 256 bits the preferred width).
 */
final class Lanes {
    /** Test and measurement switch: {@code -Disotropic.vector.testBits=128} (or 256) forces narrower species. */
    static final String TEST_BITS_PROPERTY = "isotropic.vector.testBits";

    /** Species of the double-precision kernels. */
    static final VectorSpecies<Double> F64;
    /** Species of the single-precision kernels (same bit width as {@link #F64}). */
    static final VectorSpecies<Float> F32;
    /**
     * Half-width float species with as many lanes as {@link #F64}: float data loaded with it converts to one full
     * double vector, which is how single-precision reductions accumulate in double.
     */
    static final VectorSpecies<Float> F32_HALF;

    static {
        String forced = System.getProperty(TEST_BITS_PROPERTY);
        if (forced == null || forced.isBlank()) {
            F64 = DoubleVector.SPECIES_PREFERRED;
            F32 = FloatVector.SPECIES_PREFERRED;
        } else if (forced.trim().equals("128")) {
            F64 = DoubleVector.SPECIES_128;
            F32 = FloatVector.SPECIES_128;
        } else if (forced.trim().equals("256") && VectorShape.preferredShape().vectorBitSize() >= 256) {
            F64 = DoubleVector.SPECIES_256;
            F32 = FloatVector.SPECIES_256;
        } else {
            throw new IllegalStateException("system property " + TEST_BITS_PROPERTY + "='" + forced
                    + "' is not supported; the accepted values are 128 and (where the preferred vectors are at"
                    + " least that wide) 256");
        }
        F32_HALF = VectorSpecies.of(float.class, VectorShape.forBitSize(F64.vectorBitSize() / 2));
    }

    private Lanes() {
    }

    /**
     * Sum of the lanes in a fixed order (lane 0 first). {@code reduceLanes(ADD)} leaves the order open, and the
     * interpreter's fallback and C2's intrinsic really do add in different orders, so the same call could round
     * differently before and after it is compiled; a fixed order keeps every kernel deterministic.
     *
     * @param v the vector
     * @return {@code ((v_0 + v_1) + v_2) + ...}
     */
    static double sum(DoubleVector v) {
        double s = v.lane(0);
        for (int i = 1; i < v.length(); i++) {
            s += v.lane(i);
        }
        return s;
    }

    /**
     * Describes the species in use.
     *
     * @return for example {@code "512-bit vectors (8 doubles, 16 floats)"}
     */
    static String describe() {
        return F64.vectorBitSize() + "-bit vectors (" + F64.length() + " doubles, " + F32.length() + " floats)"
                + (F64.vectorShape() == VectorShape.preferredShape() ? "" : ", forced by " + TEST_BITS_PROPERTY
                + " (preferred: " + VectorShape.preferredShape().vectorBitSize() + "-bit)");
    }
}
