package io.isotropic.nn;

import io.isotropic.tensor.DType;
import io.isotropic.tensor.ShapeMismatchException;
import io.isotropic.tensor.Tensor;

import static io.isotropic.nn.ParameterNames.biasName;
import static io.isotropic.nn.ParameterNames.psiName;
import static io.isotropic.nn.ParameterNames.weightName;

/** Validation of a complete parameter set of an {@link IsotropicMlp} (dtypes, ranks, chaining shapes, finiteness). */
final class ParameterChecks {
    private ParameterChecks() {
    }

    static void validate(String op, MlpSpec spec, Tensor[] w, Tensor[] b, Tensor[] o, Tensor[] p) {
        DType dtype = spec.dtype();
        for (int l = 0; l < w.length; l++) {
            check(op, weightName(l), w[l], dtype, 2);
            check(op, biasName(l), b[l], dtype, 1);
            if (w[l].rows() < 1 || w[l].cols() < 1) {
                throw new ShapeMismatchException(op + ": " + weightName(l) + " is " + w[l].shape()
                        + "; every layer needs at least one neuron");
            }
            if (l > 0 && w[l].cols() != w[l - 1].rows()) {
                throw new ShapeMismatchException(op + ": " + weightName(l) + " is " + w[l].shape() + " but "
                        + weightName(l - 1) + " is " + w[l - 1].shape() + "; W_l.cols must equal W_(l-1).rows");
            }
            if (b[l].size() != w[l].rows()) {
                throw new ShapeMismatchException(op + ": " + biasName(l) + " is " + b[l].shape() + " but "
                        + weightName(l) + " is " + w[l].shape() + "; b_l must be [n_(l+1)]");
            }
        }
        for (int l = 0; l < o.length; l++) {
            if (o[l] != null) {
                check(op, ParameterNames.lengthName(l, spec.intrinsicLengthMode()), o[l], dtype, 1);
                if (o[l].size() != 1) {
                    throw new ShapeMismatchException(op + ": intrinsic length " + l + " is " + o[l].shape()
                            + "; must be [1]");
                }
                double theta = o[l].getFlat(0);
                double value = spec.intrinsicLengthMode() == IntrinsicLengthMode.TRAINABLE ? Math.exp(theta) : theta;
                if (!Double.isFinite(dtype == DType.F32 ? (float) value : value)) {
                    throw new IllegalArgumentException(op + ": " + ParameterNames.lengthName(l,
                            spec.intrinsicLengthMode()) + " = " + theta + " gives intrinsic length o = "
                            + (dtype == DType.F32 ? (float) value : value) + ", not finite in " + dtype);
                }
            }
            if (p[l] != null) {
                check(op, psiName(l), p[l], dtype, 1);
                if (p[l].size() != w[l + 1].rows()) {
                    throw new ShapeMismatchException(op + ": " + psiName(l) + " is " + p[l].shape() + " but "
                            + weightName(l + 1) + " is " + w[l + 1].shape() + "; psi_l must be [n_(l+2)]");
                }
            }
        }
    }

    private static void check(String op, String name, Tensor t, DType dtype, int rank) {
        if (t == null) {
            throw new IllegalArgumentException(op + ": " + name + " is null");
        }
        if (t.dtype() != dtype) {
            throw new IllegalArgumentException(op + ": " + name + " is " + t.dtype() + "; the network is " + dtype);
        }
        if (t.rank() != rank) {
            throw new ShapeMismatchException(op + ": " + name + " is " + t.shape() + "; must have rank " + rank);
        }
        t.requireFinite(op, name);
    }
}
