/**
 * ONNX export of isotropic networks: {@link io.isotropic.onnx.OnnxExporter} writes the whole forward pass
 * (input standardisation, isotropic or element-wise tanh with its small-ball branch, psi corrections, affine
 * maps) as a model of standard ONNX operators that any ONNX runtime can serve outside the JVM. Depends on the api,
 * on {@code persist} for atomic writes, and on the ONNX protobuf classes; used by the cli's {@code export}.
 */
package io.isotropic.onnx;
