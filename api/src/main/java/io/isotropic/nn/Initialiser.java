package io.isotropic.nn;

import io.isotropic.linalg.Orthogonal;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;

import java.util.random.RandomGenerator;

/** How weight matrices are initialised; biases and psi vectors always start at zero. */
public enum Initialiser {
    /** Haar-random (semi-)orthogonal weights: every singular value is 1 (all experiments of the reference method). */
    ORTHOGONAL,
    /** Xavier/Glorot normal: {@code N(0, 2 / (fan_in + fan_out))} (the method's default). */
    XAVIER_NORMAL,
    /** Xavier/Glorot uniform: {@code U(-a, a)} with {@code a = sqrt(6 / (fan_in + fan_out))}. */
    XAVIER_UNIFORM;

    /**
     * Draws one weight matrix.
     *
     * @param out rows {@code n_{l+1}}, {@code >= 1}
     * @param in columns {@code n_l}, {@code >= 1}
     * @param dtype element type of the result
     * @param rng the random source (advanced)
     * @param backend the backend whose products the orthogonal initialisation uses
     * @return the matrix {@code [out, in]}
     * @throws IllegalArgumentException if a size is below 1 or the matrix would exceed the largest array
     */
    public Tensor draw(int out, int in, DType dtype, RandomGenerator rng, Backend backend) {
        if (out < 1 || in < 1 || (long) out * in > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("Initialiser " + this + ": a " + out + " x " + in
                    + " weight matrix is out of range (each side >= 1, at most 2^31 - 9 entries)");
        }
        return switch (this) {
            case ORTHOGONAL -> Orthogonal.random(out, in, rng, backend).to(dtype);
            case XAVIER_NORMAL -> Tensor.randomNormal(dtype, rng, Math.sqrt(2.0 / (in + (double) out)), out, in);
            case XAVIER_UNIFORM -> {
                double a = Math.sqrt(6.0 / (in + (double) out));
                yield Tensor.randomUniform(dtype, rng, -a, a, out, in);
            }
        };
    }
}
