/**
 * ONNX export of isotropic networks: {@link io.isotropic.onnx.OnnxExporter} writes the whole forward pass
 * (input standardisation, isotropic or element-wise tanh with its small-ball branch, psi corrections, affine
 * maps) as a model of standard ONNX operators that any ONNX runtime can serve outside the JVM.
 */
package io.isotropic.onnx;
