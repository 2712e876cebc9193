package io.isotropic.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import io.isotropic.activation.IsoTanh;
import io.isotropic.data.Standardiser;
import io.isotropic.nn.ActivationKind;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.persist.AtomicFiles;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.ShapeMismatchException;
import io.isotropic.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Exports an {@link IsotropicMlp} as an ONNX model of standard operators (opset {@value #OPSET}, IR version
 * {@value #IR_VERSION}) that computes the same logits as {@link IsotropicMlp#predict} (method.md 3.1).
 *
 * <p>The graph has one input {@value #INPUT} {@code [batch, n_0]} and one output {@value #OUTPUT}
 * {@code [batch, n_L]}, both of the network's dtype (F32 or F64); {@code batch} is a symbolic dimension. It
 * computes, for {@code l = 0 .. L-1}:
 * <pre>
 *   h_0 = (x - mean) * inv_std                 (only when a Standardiser is given)
 *   z_l = Gemm(h_l, W_l, b_l, transB = 1)      (W_l stored [n_{l+1}, n_l] as in the model file)
 *   z_l = z_l + s_{l-1} * psi_{l-1}            (l >= 1, psi modes)
 *   isotropic tanh: r = ReduceSumSquare(z_l, axis 1), rho = Sqrt(Abs(r + o_l)),
 *                   s_l = Where(Greater(rho, eps), Tanh(rho) / Max(rho, eps), c(o_l)),  h_{l+1} = s_l * z_l
 *   element-wise tanh: h_{l+1} = Tanh(z_l)
 *   logits = z_{L-1}
 * </pre>
 * As in the Java kernels, the per-row gain {@code s_l} (norm, intrinsic length, small-ball test) and the input
 * standardisation are computed in double precision also for an F32 network and rounded to F32 afterwards
 * ({@code Cast} nodes); {@code o_l = exp(theta_l)} (mode TRAINABLE) and the small-ball gain
 * {@code c(o_l) = IsoTanh.smallBallFactor(o_l)} are evaluated here in double and stored as constants, so inside
 * the small ball ({@code rho <= eps}) the exported gain is exactly the one {@link IsoTanh#gain} returns.
 *
 * <p>Initialisers keep the model file's names ({@code layers.<l>.weight}, {@code layers.<l>.bias},
 * {@code psi.<l>}, {@code standardiser.mean}, {@code standardiser.inv_std}); the intrinsic length itself is
 * {@code activations.<l>.o}. The model's metadata records widths, activation, modes, epsilon, dtype and the
 * intrinsic lengths. Every operator used has double-precision kernels in ONNX Runtime's CPU provider.
 */
public final class OnnxExporter {
    /** Name of the graph input, shape {@code [batch, n_0]}. */
    public static final String INPUT = "input";
    /** Name of the graph output, shape {@code [batch, n_L]}. */
    public static final String OUTPUT = "logits";
    /** The ONNX operator set the graph uses. */
    public static final int OPSET = 17;
    /** The ONNX IR version written (8: the one that goes with opset 17). */
    public static final long IR_VERSION = 8;
    /** Value of the model's {@code producer_name}. */
    public static final String PRODUCER = "isotropic";

    private static final String BATCH = "batch";

    private OnnxExporter() {
    }

    /**
     * Builds the ONNX model of a network and returns its serialised bytes (an ONNX {@code ModelProto}).
     *
     * @param net the network: finite parameters, F32 or F64
     * @param standardiser input standardisation folded into the graph, with {@code n_0} features; or null for none
     * @return the model, ready to be written to a {@code .onnx} file or given to an ONNX runtime
     * @throws NullPointerException if net is null
     * @throws ShapeMismatchException if the standardiser does not have {@code n_0} features
     * @throws IllegalArgumentException if a parameter or intrinsic length of the network is not finite
     */
    public static byte[] toBytes(IsotropicMlp net, Standardiser standardiser) {
        return build(net, standardiser).toByteArray();
    }

    /**
     * Writes the ONNX model of a network to a file atomically ({@link AtomicFiles#write}): a temporary file beside
     * it is written, forced to disk and renamed over {@code file}, so a reader never sees a half-written model and on
     * failure the old file (if any) is unchanged.
     *
     * @param net the network: finite parameters, F32 or F64
     * @param standardiser input standardisation folded into the graph, or null
     * @param file the target, replaced if it exists; missing parent directories are created
     * @throws NullPointerException if net or file is null
     * @throws ShapeMismatchException if the standardiser does not have {@code n_0} features
     * @throws IllegalArgumentException if a parameter or intrinsic length of the network is not finite
     * @throws IOException if the file cannot be written
     */
    public static void write(IsotropicMlp net, Standardiser standardiser, Path file) throws IOException {
        Objects.requireNonNull(file, "OnnxExporter.write: file is null");
        byte[] bytes = toBytes(net, standardiser);
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        AtomicFiles.write(abs, bytes);
    }

    // ================================================================ graph

    static ModelProto build(IsotropicMlp net, Standardiser standardiser) {
        String op = "OnnxExporter";
        Objects.requireNonNull(net, op + ": net is null");
        String bad = net.firstInvalidParameter();
        if (bad != null) {
            throw new IllegalArgumentException(op + ": the network has a non-finite parameter: " + bad);
        }
        int[] widths = net.widths();
        if (standardiser != null && standardiser.mean().length != widths[0]) {
            throw new ShapeMismatchException(op + ": the standardiser has " + standardiser.mean().length
                    + " features; the network " + Arrays.toString(widths) + " has " + widths[0] + " inputs");
        }
        DType dtype = net.dtype();
        int elem = elemType(dtype);
        Graph g = new Graph(dtype);
        int depth = net.depth();

        String h = INPUT;
        if (standardiser != null) {
            String x64 = dtype == DType.F64 ? h : g.cast(h, DType.F64, "standardiser.input_f64");
            String mean = g.constant64("standardiser.mean", standardiser.mean(), widths[0]);
            String inv = g.constant64("standardiser.inv_std", standardiser.invStd(), widths[0]);
            String c = g.node("Sub", "standardiser.centred", List.of(x64, mean));
            String s = g.node("Mul", "standardiser.scaled", List.of(c, inv));
            h = dtype == DType.F64 ? s : g.cast(s, dtype, "standardiser.output");
        }
        String prevGain = null;
        String[] lengthsMeta = new String[depth - 1];
        for (int l = 0; l < depth; l++) {
            String w = g.parameter("layers." + l + ".weight", net.weight(l));
            String b = g.parameter("layers." + l + ".bias", net.bias(l));
            boolean last = l == depth - 1;
            boolean withPsi = l >= 1 && net.psi(l - 1) != null;
            String z = g.node("Gemm", last && !withPsi ? OUTPUT : "layers." + l + ".affine", List.of(h, w, b),
                    attrInt("transB", 1));
            if (withPsi) {
                String p = g.parameter("psi." + (l - 1), net.psi(l - 1));
                String sp = g.node("Mul", "psi." + (l - 1) + ".scaled", List.of(prevGain, p));
                z = g.node("Add", last ? OUTPUT : "layers." + l + ".preactivation", List.of(z, sp));
            }
            if (last) {
                break;
            }
            String a = "activations." + l;
            if (net.activation() == ActivationKind.ISOTROPIC_TANH) {
                double o = net.intrinsicLength(l);
                double c = IsoTanh.smallBallFactor(o);
                lengthsMeta[l] = Double.toString(o);
                String z64 = dtype == DType.F64 ? z : g.cast(z, DType.F64, a + ".z_f64");
                String r = g.node("ReduceSumSquare", a + ".squared_norm", List.of(z64),
                        attrInts("axes", 1), attrInt("keepdims", 1));
                String oc = g.scalar64(a + ".o", o);
                String u = g.node("Abs", a + ".u", List.of(g.node("Add", a + ".r_plus_o", List.of(r, oc))));
                String rho = g.node("Sqrt", a + ".rho", List.of(u));
                String eps = g.scalar64(a + ".epsilon", net.epsilon());
                String outside = g.node("Greater", a + ".outside_small_ball", List.of(rho, eps));
                String t = g.node("Tanh", a + ".tanh_rho", List.of(rho));
                String den = g.node("Max", a + ".rho_at_least_eps", List.of(rho, eps));
                String main = g.node("Div", a + ".tanh_rho_over_rho", List.of(t, den));
                String cb = g.scalar64(a + ".small_ball_gain", c);
                String gain64 = g.node("Where", dtype == DType.F64 ? a + ".gain" : a + ".gain_f64",
                        List.of(outside, main, cb));
                String gain = dtype == DType.F64 ? gain64 : g.cast(gain64, dtype, a + ".gain");
                h = g.node("Mul", a + ".output", List.of(z, gain));
                prevGain = gain;
            } else {
                h = g.node("Tanh", a + ".output", List.of(z));
                prevGain = null;
            }
        }

        GraphProto.Builder gb = g.graph;
        gb.setName("isotropic_mlp");
        gb.addInput(valueInfo(INPUT, elem, widths[0]));
        gb.addOutput(valueInfo(OUTPUT, elem, widths[depth]));
        gb.setDocString("Isotropic MLP " + Arrays.toString(widths) + " exported by isotropic; logits = forward(x)");

        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "isotropic-mlp");
        meta.put("widths", joined(widths));
        meta.put("activation", net.activation().name());
        meta.put("intrinsic_length_mode", net.intrinsicLengthMode().name());
        meta.put("linear_correction_mode", net.linearCorrectionMode().name());
        meta.put("epsilon", Double.toString(net.epsilon()));
        meta.put("dtype", dtype.name());
        meta.put("standardised", Boolean.toString(standardiser != null));
        if (net.activation() == ActivationKind.ISOTROPIC_TANH) {
            meta.put("intrinsic_lengths", String.join(",", lengthsMeta));
        }
        ModelProto.Builder mb = ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName(PRODUCER)
                .setProducerVersion("0.1.0")
                .setDomain("io.isotropic")
                .setModelVersion(1)
                .setDocString("Isotropic MLP (G. Bird, arXiv:2602.23405): input '" + INPUT + "' [batch, " + widths[0]
                        + "], output '" + OUTPUT + "' [batch, " + widths[depth] + "]")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(gb);
        meta.forEach((k, v) -> mb.addMetadataProps(StringStringEntryProto.newBuilder().setKey(k).setValue(v)));
        return mb.build();
    }

    private static String joined(int[] a) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < a.length; i++) {
            sb.append(i == 0 ? "" : ",").append(a[i]);
        }
        return sb.toString();
    }

    private static int elemType(DType d) {
        return d == DType.F64 ? TensorProto.DataType.DOUBLE_VALUE : TensorProto.DataType.FLOAT_VALUE;
    }

    private static ValueInfoProto valueInfo(String name, int elem, int width) {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(width))
                .build();
        TypeProto type = TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(elem).setShape(shape))
                .build();
        return ValueInfoProto.newBuilder().setName(name).setType(type).build();
    }

    private static AttributeProto attrInt(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    private static AttributeProto attrInts(String name, long... v) {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long x : v) {
            b.addInts(x);
        }
        return b.build();
    }

    /** Accumulates nodes and initialisers; every value gets a unique, readable name. */
    private static final class Graph {
        final GraphProto.Builder graph = GraphProto.newBuilder();
        final DType dtype;

        Graph(DType dtype) {
            this.dtype = dtype;
        }

        String node(String opType, String output, List<String> inputs, AttributeProto... attrs) {
            NodeProto.Builder n = NodeProto.newBuilder()
                    .setOpType(opType)
                    .setName(output)
                    .addAllInput(inputs)
                    .addOutput(output);
            for (AttributeProto a : attrs) {
                n.addAttribute(a);
            }
            graph.addNode(n);
            return output;
        }

        String cast(String input, DType to, String output) {
            return node("Cast", output, List.of(input), attrInt("to", elemType(to)));
        }

        /** An initialiser holding a parameter tensor as it is (its own dtype and shape). */
        String parameter(String name, Tensor t) {
            TensorProto.Builder b = TensorProto.newBuilder().setName(name).setDataType(elemType(t.dtype()));
            for (int d : t.shape().toArray()) {
                b.addDims(d);
            }
            ByteBuffer buf = ByteBuffer.allocate(t.size() * t.dtype().bytes()).order(ByteOrder.LITTLE_ENDIAN);
            if (t.dtype() == DType.F64) {
                buf.asDoubleBuffer().put(t.f64(), 0, t.size());
            } else {
                buf.asFloatBuffer().put(t.f32(), 0, t.size());
            }
            b.setRawData(ByteString.copyFrom(buf.array()));
            graph.addInitializer(b);
            return name;
        }

        /** A double-precision initialiser of shape {@code [n]}. */
        String constant64(String name, double[] values, int n) {
            return parameter(name, Tensor.of(values, n));
        }

        /** A double-precision scalar initialiser (rank 0, broadcasting against anything). */
        String scalar64(String name, double v) {
            ByteBuffer buf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(0, v);
            graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(TensorProto.DataType.DOUBLE_VALUE)
                    .setRawData(ByteString.copyFrom(buf.array())));
            return name;
        }
    }
}
