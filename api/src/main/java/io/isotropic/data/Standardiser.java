package io.isotropic.data;

import io.isotropic.tensor.ShapeMismatchException;
import io.isotropic.tensor.Tensor;

/**
 * Per-feature standardisation {@code x' = (x - mean) * invStd}, with the population standard deviation and
 * {@code invStd = 1/std} if {@code std > 1e-8}, else 1 (method.md 3.3: constant pixels are only centred).
 *
 * @param mean per-feature means
 * @param invStd per-feature inverse standard deviations
 */
public record Standardiser(double[] mean, double[] invStd) {
    /**
     * Validates the statistics.
     *
     * @throws IllegalArgumentException if the arrays are null, of different lengths or not finite
     */
    public Standardiser {
        if (mean == null || invStd == null || mean.length != invStd.length) {
            throw new IllegalArgumentException("Standardiser: mean and invStd must have equal lengths");
        }
        for (int j = 0; j < mean.length; j++) {
            if (!Double.isFinite(mean[j]) || !Double.isFinite(invStd[j]) || !(invStd[j] > 0)) {
                throw new IllegalArgumentException("Standardiser: feature " + j + " has mean " + mean[j] + ", invStd "
                        + invStd[j]);
            }
        }
        mean = mean.clone();
        invStd = invStd.clone();
    }

    /**
     * Computes the statistics of a feature matrix in double precision (two passes).
     *
     * @param x features {@code [N, d]}, {@code N >= 1}
     * @return the standardiser
     * @throws IllegalArgumentException if x has no rows
     */
    public static Standardiser fit(Tensor x) {
        int n = x.rows();
        int d = x.cols();
        if (n == 0) {
            throw new IllegalArgumentException("Standardiser.fit: no samples");
        }
        double[] mean = new double[d];
        double[] inv = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += x.getFlat(i * d + j);
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double c = x.getFlat(i * d + j) - mean[j];
                inv[j] += c * c;
            }
        }
        for (int j = 0; j < d; j++) {
            double std = Math.sqrt(inv[j] / n);
            inv[j] = std > 1e-8 ? 1 / std : 1;
        }
        return new Standardiser(mean, inv);
    }

    /**
     * Applies the standardisation to a feature matrix.
     *
     * @param x features {@code [N, d]}
     * @return a new tensor of the same dtype
     * @throws ShapeMismatchException if x does not have d columns
     */
    public Tensor apply(Tensor x) {
        int d = mean.length;
        if (x.rank() != 2 || x.cols() != d) {
            throw new ShapeMismatchException("Standardiser.apply: features are " + x.shape() + "; statistics are for "
                    + d + " features");
        }
        Tensor out = Tensor.zeros(x.dtype(), x.rows(), d);
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < d; j++) {
                out.setFlat(i * d + j, (x.getFlat(i * d + j) - mean[j]) * invStd[j]);
            }
        }
        return out;
    }
}
