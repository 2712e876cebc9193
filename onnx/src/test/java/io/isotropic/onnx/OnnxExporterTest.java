package io.isotropic.onnx;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.isotropic.Backends;
import io.isotropic.data.Standardiser;
import io.isotropic.nn.ActivationKind;
import io.isotropic.nn.IntrinsicLengthMode;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.nn.LinearCorrectionMode;
import io.isotropic.spi.Backend;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.ShapeMismatchException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the exported model looks like, what export refuses, and how the file is written. */
class OnnxExporterTest {
    private static final Backend BE = Backends.get();

    private static IsotropicMlp net(DType d) {
        return TestNets.random(TestNets.spec(d, ActivationKind.ISOTROPIC_TANH, IntrinsicLengthMode.TRAINABLE,
                LinearCorrectionMode.TRAINABLE_DECAY), new int[] {5, 4, 3, 2}, 0.2, 1, BE);
    }

    @Test
    void theModelUsesOnlyStandardOperatorsOfOneOpsetAndKeepsTheParameterNames() throws Exception {
        ModelProto m = OnnxExporter.build(net(DType.F64), TestNets.standardiser(5, 2));
        assertEquals(OnnxExporter.IR_VERSION, m.getIrVersion());
        assertEquals(1, m.getOpsetImportCount());
        assertEquals("", m.getOpsetImport(0).getDomain());
        assertEquals(OnnxExporter.OPSET, m.getOpsetImport(0).getVersion());
        Set<String> ops = m.getGraph().getNodeList().stream().map(NodeProto::getOpType).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(new TreeSet<>(Set.of("Abs", "Add", "Div", "Gemm", "Greater", "Max", "Mul", "ReduceSumSquare", "Sqrt",
                "Sub", "Tanh", "Where")), ops);
        assertTrue(m.getGraph().getNodeList().stream().allMatch(n -> n.getDomain().isEmpty()));
        Set<String> inits = m.getGraph().getInitializerList().stream().map(t -> t.getName()).collect(Collectors.toSet());
        assertTrue(inits.containsAll(Set.of("layers.0.weight", "layers.2.bias", "psi.0", "psi.1", "activations.1.o",
                "standardiser.mean", "standardiser.inv_std")), inits.toString());
        assertEquals(OnnxExporter.INPUT, m.getGraph().getInput(0).getName());
        assertEquals(OnnxExporter.OUTPUT, m.getGraph().getOutput(0).getName());
        Map<String, String> meta = m.getMetadataPropsList().stream()
                .collect(Collectors.toMap(StringStringEntryProto::getKey, StringStringEntryProto::getValue));
        assertEquals("5,4,3,2", meta.get("widths"));
        assertEquals("TRAINABLE", meta.get("intrinsic_length_mode"));
        assertEquals("TRAINABLE_DECAY", meta.get("linear_correction_mode"));
        assertEquals("F64", meta.get("dtype"));
        assertEquals("true", meta.get("standardised"));
        IsotropicMlp n = net(DType.F64);
        assertEquals(Double.toString(n.intrinsicLength(0)) + "," + n.intrinsicLength(1), meta.get("intrinsic_lengths"));
    }

    @Test
    void anF32NetworkHasF32InputAndOutputAndCastsOnlyAroundTheGain() throws Exception {
        ModelProto m = OnnxExporter.build(net(DType.F32), null);
        int f32 = ai.onnx.proto.OnnxMl.TensorProto.DataType.FLOAT_VALUE;
        assertEquals(f32, m.getGraph().getInput(0).getType().getTensorType().getElemType());
        assertEquals(f32, m.getGraph().getOutput(0).getType().getTensorType().getElemType());
        long casts = m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Cast")).count();
        assertEquals(2 * 2, casts, "one cast to F64 before and one back after each of the 2 gains");
        try (OrtSession s = OrtEnvironment.getEnvironment().createSession(OnnxExporter.toBytes(net(DType.F32), null))) {
            assertEquals(Set.of(OnnxExporter.INPUT), s.getInputNames());
            assertEquals(Set.of(OnnxExporter.OUTPUT), s.getOutputNames());
            assertEquals("5,4,3,2", s.getMetadata().getCustomMetadata().get("widths"));
        }
    }

    @Test
    void exportIsDeterministic() {
        assertArrayEquals(OnnxExporter.toBytes(net(DType.F32), null), OnnxExporter.toBytes(net(DType.F32), null));
    }

    @Test
    void aNonFiniteParameterIsRefusedWithItsName() {
        IsotropicMlp n = net(DType.F32);
        n.weight(1).setFlat(4, Double.NaN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxExporter.toBytes(n, null));
        assertTrue(e.getMessage().contains("OnnxExporter") && e.getMessage().contains("layers.1.weight"), e.getMessage());
    }

    @Test
    void aStandardiserOfAnotherWidthIsRefused() {
        Standardiser s = TestNets.standardiser(6, 1);
        ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> OnnxExporter.toBytes(net(DType.F64), s));
        assertTrue(e.getMessage().contains("6 features") && e.getMessage().contains("5 inputs"), e.getMessage());
    }

    @Test
    void nullArgumentsAreRefused() {
        assertThrows(NullPointerException.class, () -> OnnxExporter.toBytes(null, null));
        assertThrows(NullPointerException.class, () -> OnnxExporter.write(net(DType.F32), null, null));
    }

    @Test
    void writeReplacesTheFileAtomicallyAndLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("sub/model.onnx");
        OnnxExporter.write(net(DType.F32), null, f);
        byte[] first = Files.readAllBytes(f);
        assertArrayEquals(OnnxExporter.toBytes(net(DType.F32), null), first);
        OnnxExporter.write(net(DType.F64), null, f);
        assertArrayEquals(OnnxExporter.toBytes(net(DType.F64), null), Files.readAllBytes(f));
        try (var s = Files.list(f.getParent())) {
            assertEquals(1, s.count(), "only the model is left");
        }
    }

    @Test
    void aFailedExportLeavesAnExistingFileAlone(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("model.onnx");
        Files.writeString(f, "old");
        IsotropicMlp bad = net(DType.F32);
        bad.bias(0).setFlat(0, Double.POSITIVE_INFINITY);
        assertThrows(IllegalArgumentException.class, () -> OnnxExporter.write(bad, null, f));
        assertEquals("old", Files.readString(f));
        try (var s = Files.list(dir)) {
            assertEquals(1, s.count());
        }
    }

    @Test
    void theSmallBallConstantIsTheOneOfTheJavaCode() throws Exception {
        IsotropicMlp n = TestNets.random(TestNets.spec(DType.F64, ActivationKind.ISOTROPIC_TANH,
                IntrinsicLengthMode.TRAINABLE_SIGNED, LinearCorrectionMode.NONE), new int[] {5, 4, 3, 2}, -0.04, 1, BE);
        ModelProto m = OnnxExporter.build(n, null);
        var c = m.getGraph().getInitializerList().stream().filter(t -> t.getName().equals("activations.0.small_ball_gain"))
                .findFirst().orElseThrow();
        double v = java.nio.ByteBuffer.wrap(c.getRawData().toByteArray()).order(java.nio.ByteOrder.LITTLE_ENDIAN).getDouble();
        assertEquals(io.isotropic.activation.IsoTanh.smallBallFactor(-0.04), v, 0.0);
        assertTrue(v < 1);
    }
}
