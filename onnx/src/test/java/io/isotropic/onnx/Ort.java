package io.isotropic.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs exported models with ONNX Runtime's CPU provider (default session options, as a user would). */
final class Ort {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private Ort() {
    }

    /** Runs a serialised model on x and returns every requested output as a tensor of x's dtype. */
    static Map<String, Tensor> run(byte[] model, Tensor x, List<String> outputs) throws OrtException {
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions();
             OrtSession session = ENV.createSession(model, so);
             OnnxTensor in = input(x);
             OrtSession.Result res = session.run(Map.of(OnnxExporter.INPUT, in), new java.util.LinkedHashSet<>(outputs))) {
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (String name : outputs) {
                OnnxTensor t = (OnnxTensor) res.get(name).orElseThrow();
                long[] shape = t.getInfo().getShape();
                int rows = (int) shape[0];
                int cols = shape.length > 1 ? (int) shape[1] : 1;
                if (x.dtype() == DType.F64) {
                    double[] d = new double[rows * cols];
                    t.getDoubleBuffer().get(d);
                    out.put(name, Tensor.wrap(d, rows, cols));
                } else {
                    float[] f = new float[rows * cols];
                    t.getFloatBuffer().get(f);
                    out.put(name, Tensor.wrap(f, rows, cols));
                }
            }
            return out;
        }
    }

    /** Logits of the exported model. */
    static Tensor logits(byte[] model, Tensor x) throws OrtException {
        return run(model, x, List.of(OnnxExporter.OUTPUT)).get(OnnxExporter.OUTPUT);
    }

    private static OnnxTensor input(Tensor x) throws OrtException {
        long[] shape = {x.rows(), x.cols()};
        if (x.dtype() == DType.F64) {
            return OnnxTensor.createTensor(ENV, DoubleBuffer.wrap(x.f64().clone()), shape);
        }
        return OnnxTensor.createTensor(ENV, FloatBuffer.wrap(x.f32().clone()), shape);
    }

    /** The same model with the per-row gains {@code activations.<l>.gain} [batch, 1] of every activation as outputs. */
    static byte[] withGainOutputs(ModelProto model, DType dtype, int activations) {
        ModelProto.Builder b = model.toBuilder();
        int elem = dtype == DType.F64 ? TensorProto.DataType.DOUBLE_VALUE : TensorProto.DataType.FLOAT_VALUE;
        for (int l = 0; l < activations; l++) {
            TensorShapeProto shape = TensorShapeProto.newBuilder()
                    .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
                    .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(1)).build();
            b.getGraphBuilder().addOutput(ValueInfoProto.newBuilder().setName(gainName(l))
                    .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(elem)
                            .setShape(shape))));
        }
        return b.build().toByteArray();
    }

    static String gainName(int l) {
        return "activations." + l + ".gain";
    }

    static List<String> gainNames(int activations) {
        List<String> names = new ArrayList<>();
        for (int l = 0; l < activations; l++) {
            names.add(gainName(l));
        }
        return names;
    }
}
