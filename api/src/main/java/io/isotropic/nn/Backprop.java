package io.isotropic.nn;

import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.ShapeMismatchException;
import io.isotropic.tensor.Tensor;

import java.util.Arrays;
import java.util.Objects;

import static io.isotropic.nn.ParameterNames.biasName;
import static io.isotropic.nn.ParameterNames.psiName;
import static io.isotropic.nn.ParameterNames.weightName;

/**
 * The exact backward pass of {@link IsotropicMlp} (method.md section 2.2 for the activation's Jacobian
 * {@code G I + z (dG/dz)^T}; psi enters through the gains), written once for every backend: three products per
 * layer and the backend's fused activation backward.
 */
final class Backprop {
    private Backprop() {
    }

    static Gradients backward(IsotropicMlp net, ForwardPass pass, Tensor dLogits) {
        Backend backend = net.backend();
        DType dtype = net.dtype();
        Objects.requireNonNull(pass, "backward: pass is null");
        Objects.requireNonNull(dLogits, "backward: dLogits is null");
        if (!Arrays.equals(pass.widths(), net.widths())) {
            throw new IllegalStateException("backward: the forward pass had widths " + Arrays.toString(pass.widths())
                    + " but the network now has " + Arrays.toString(net.widths()) + "; run forward again");
        }
        if (!dLogits.shape().equals(pass.logits().shape()) || dLogits.dtype() != dtype) {
            throw new ShapeMismatchException("backward: dLogits is " + dLogits.dtype() + " " + dLogits.shape()
                    + "; expected " + dtype + " " + pass.logits().shape());
        }
        int depth = net.depth();
        int batch = pass.batchSize();
        Tensor[] gW = new Tensor[depth];
        Tensor[] gB = new Tensor[depth];
        Tensor[] gPsi = new Tensor[depth - 1];
        double[] gTheta = new double[depth - 1];
        Tensor dz = dLogits;
        for (int l = depth - 1; l >= 0; l--) {
            Tensor hl = pass.h(l);
            gW[l] = backend.matmul(dz, true, hl, false);
            gB[l] = Tensor.zeros(dtype, dz.cols());
            backend.columnSumsInto(dz, gB[l], false);
            Tensor gainGrad = null;
            if (l >= 1 && net.psi(l - 1) != null) {
                Tensor s = pass.gain(l - 1).reshape(batch, 1);
                if (net.linearCorrectionMode().psiTrainable()) {
                    gPsi[l - 1] = backend.matmul(dz, true, s, false).reshape(dz.cols());
                }
                gainGrad = backend.matmul(dz, false, net.psi(l - 1).reshape(net.psi(l - 1).size(), 1), false).reshape(batch);
            }
            if (l == 0) {
                break;
            }
            Tensor dh = backend.matmul(dz, false, net.weight(l), false);
            int a = l - 1; // the activation producing h_l
            Tensor dzPrev = dh; // computed in place
            if (net.activation() == ActivationKind.ISOTROPIC_TANH) {
                double o = net.intrinsicLength(a);
                double dO = backend.isoTanhBackwardInto(pass.z(a), pass.gain(a), dh, gainGrad, o, net.epsilon(), dzPrev);
                gTheta[a] = net.intrinsicLengthMode() == IntrinsicLengthMode.TRAINABLE ? dO * o : dO;
            } else {
                backend.tanhBackwardInto(hl, dh, dzPrev);
            }
            dz = dzPrev;
        }
        Gradients g = new Gradients();
        for (int l = 0; l < depth; l++) {
            g.put(weightName(l), gW[l]);
            g.put(biasName(l), gB[l]);
        }
        if (net.intrinsicLengthMode().trainable()) {
            for (int l = 0; l < depth - 1; l++) {
                Tensor t = Tensor.zeros(dtype, 1);
                t.setFlat(0, gTheta[l]);
                g.put(net.lengthName(l), t);
            }
        }
        if (net.linearCorrectionMode().psiTrainable()) {
            for (int l = 0; l < depth - 1; l++) {
                if (gPsi[l] == null) {
                    // psi_{L-2} always receives a gradient; earlier ones too, since l >= 1 covers 0..L-2
                    gPsi[l] = Tensor.zeros(dtype, net.psi(l).size());
                }
                g.put(psiName(l), gPsi[l]);
            }
        }
        return g;
    }

}
