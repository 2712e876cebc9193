package io.isotropic.conformance;

import io.isotropic.oracle.Invariance;
import io.isotropic.oracle.Tolerance;
import io.isotropic.adapt.Growth;
import io.isotropic.adapt.Restructure;
import io.isotropic.nn.IsotropicMlp;
import io.isotropic.nn.ParameterNames;
import io.isotropic.nn.LinearCorrectionMode;
import io.isotropic.nn.Parameter;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import io.isotropic.train.Adam;
import io.isotropic.train.LearningRateSchedule;
import io.isotropic.train.Loss;
import io.isotropic.train.Batch;
import io.isotropic.train.Objective;
import io.isotropic.train.Optimizer;
import io.isotropic.train.Trainer;
import io.isotropic.train.ParameterState;
import io.isotropic.train.Sgd;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Contracts R15-R16: optimiser state follows every restructuring (method.md section 8; properties 26-29), in F32 and F64,
 * with the invariance tolerance of {@link Invariance}.
 */
public interface OptimiserStateContract extends RestructuringFixture {

    private static double sum(Tensor t) {
        double s = 0;
        for (int i = 0; i < t.size(); i++) {
            s += t.getFlat(i);
        }
        return s;
    }

    /**
     * R15: after every operation the optimiser state has the parameters' new shapes, step counts are kept, appended
     * entries are zero, and the second-moment transform keeps v >= 0, column sums and constants.
     */
    @Test
    default void r15_optimiserStateFollowsShapes() {
        IsotropicMlp net = net(DType.F64, 1501, LinearCorrectionMode.TRAINABLE_DECAY, 10, 8, 7, 4);
        Adam opt = Adam.adamW(1e-2, 1e-3);
        Tensor x = Nets.inputs(DType.F64, 1502, 6, 10);
        int[] y = {0, 1, 2, 3, 0, 1};
        for (int i = 0; i < 3; i++) {
            Trainer.step(net, opt, Objective.of(Loss.CROSS_ENTROPY), new Batch(x, y, null));
        }
        // constant second moment of W_1 is preserved by the rotation, sums of columns too
        ParameterState s1 = opt.states().get(ParameterNames.weightName(1));
        s1.second().fill(0.25);
        double sumV0 = sum(opt.states().get(ParameterNames.weightName(0)).second());
        List<Consumer<IsotropicMlp>> ops = List.of(
                n -> Restructure.leftDiagonalise(n, 0, opt),
                n -> Restructure.fullDiagonalise(n, 1, opt),
                n -> Restructure.neurogenesis(n, 0, 2, Growth.reference(1), opt),
                n -> Restructure.neurodegeneration(n, 1, 2, opt, null),
                n -> Restructure.addInputs(n, 3, opt),
                n -> Restructure.addOutputs(n, 2, opt),
                n -> Restructure.removeOutputs(n, n.widths()[n.depth()] - 1, 1, opt),
                n -> Restructure.removeInputs(n, n.widths()[0] - 2, 2, opt));
        for (int i = 0; i < ops.size(); i++) {
            ops.get(i).accept(net);
            for (Parameter p : net.parameters()) {
                ParameterState st = opt.states().get(p.name());
                assertEquals(p.value().shape(), st.first().shape(), "R15 op " + i + ": m shape of " + p.name());
                assertEquals(p.value().shape(), st.second().shape(), "R15 op " + i + ": v shape of " + p.name());
                assertEquals(3, st.step(), "R15 op " + i + ": step kept for " + p.name());
                for (int j = 0; j < st.second().size(); j++) {
                    assertTrue(st.second().getFlat(j) >= 0, "R15 op " + i + ": v >= 0 for " + p.name());
                }
            }
            if (i == 0) {
                Tensor v1 = opt.states().get(ParameterNames.weightName(1)).second();
                for (int j = 0; j < v1.size(); j++) {
                    assertEquals(0.25, v1.getFlat(j), 1e-15, "R15: a constant v stays constant");
                }
                ContractAssertions.close("R15: sum of v preserved", sum(opt.states().get(ParameterNames.weightName(0)).second()),
                        sumV0, new Tolerance(1e-14 * Math.max(1, sumV0), "rows of R.R sum to 1"));
            }
            if (i == 2) {
                Tensor m0 = opt.states().get(ParameterNames.weightName(0)).first();
                for (int j = 0; j < m0.cols(); j++) {
                    assertEquals(0.0, m0.get(m0.rows() - 1, j), "R15: appended rows of m are zero");
                }
            }
        }
        // training continues without shape errors
        Trainer.step(net, opt, Objective.of(Loss.CROSS_ENTROPY), new Batch(Nets.inputs(DType.F64, 1503, 4,
                net.widths()[0]), new int[] {0, 1, 2, 4}, null));
    }

    /**
     * R16: SGD with momentum is rotation-equivariant: 5 steps, a full diagonalisation with the momentum transform,
     * 5 more steps give the same function as 10 steps without it (F64).
     */
    @Test
    default void r16_sgdMomentumEquivariance() {
        Tensor[] outs = new Tensor[2];
        Tensor probe = Nets.inputs(DType.F64, 1602, 9, 10);
        for (int run = 0; run < 2; run++) {
            IsotropicMlp net = net(DType.F64, 1601, LinearCorrectionMode.TRAINABLE_DECAY, 10, 9, 8, 7, 4);
            Optimizer opt = new Sgd(LearningRateSchedule.constant(0.05), 0.9, 1e-3, false);
            for (int step = 0; step < 10; step++) {
                if (run == 1 && step == 5) {
                    Restructure.fullDiagonalise(net, 1, opt);
                    Restructure.leftDiagonalise(net, 2, opt);
                }
                Tensor x = Nets.inputs(DType.F64, 1700 + step, 6, 10);
                Trainer.step(net, opt, Objective.of(Loss.CROSS_ENTROPY), new Batch(x, new int[] {0, 1, 2, 3, 0, 1},
                        null));
            }
            outs[run] = net.predict(probe);
        }
        ContractAssertions.atMost("R16 |y_rotated - y_plain|", Invariance.maxDiff(outs[0], outs[1]),
                new Tolerance(1e-10 * (1 + outs[0].maxAbs()), "rotation error ~1e-13 amplified by 5 steps; 1e-10"));
    }

    /**
     * R15 (values): on every path of every structural operation, the optimiser moments are exactly the transforms of
     * method.md section 8 by the factors the operation returns, with non-zero AdamW moments: rows rotated by
     * {@code P^T} ({@code m' = P^T m}, {@code v' = (P^T.P^T) v}), columns by {@code P} ({@code m' = m P},
     * {@code v' = v (P.P)}), appended entries zero, dropped entries gone. Paths: left and full diagonalisation,
     * neurogenesis rotated and unrotated, neurodegeneration by SVD, by inverse iteration (a 128-wide layer) and from a
     * tall layer's null space. Tolerance {@code 8 n u max|m|} per entry (one product of rounding in double).
     */
    @Test
    default void r15_momentsTransformByTheReturnedFactors() {
        // widths: 160 -> 128 (wide, inverse iteration) -> 140 (tall: 12 null directions) -> 20 -> 10
        IsotropicMlp net = net(DType.F64, 1511, LinearCorrectionMode.TRAINABLE_DECAY, 160, 128, 140, 20, 10);
        Adam opt = Adam.adamW(1e-2, 1e-3);
        for (int i = 0; i < 3; i++) {
            Trainer.step(net, opt, Objective.of(Loss.CROSS_ENTROPY), new Batch(Nets.inputs(DType.F64, 1512 + i, 16,
                    160), new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5}, null));
        }
        // a scaffold neuron with zero incoming weights makes the inverse-iteration path converge at once
        Restructure.neurogenesis(net, 0, 1, Growth.unrotated(1513), opt);
        Trainer.step(net, opt, Objective.of(Loss.CROSS_ENTROPY), new Batch(Nets.inputs(DType.F64, 1514, 16, 160),
                new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5}, null));
        net.replaceParameters(java.util.Map.of(ParameterNames.weightName(0), zeroRow(net.weight(0), 128)));

        // neurodegeneration on the wide layer 0 (129 -> 128) by inverse iteration
        Snapshot s0 = Snapshot.of(opt, 0);
        io.isotropic.adapt.NeurodegenerationReport r0 = Restructure.neurodegeneration(net, 0, 1, opt, null,
                io.isotropic.adapt.NeurodegenerationSettings.ITERATION_AT_ANY_WIDTH);
        assertEquals(io.isotropic.adapt.NeurodegenerationMethod.INVERSE_ITERATION, r0.method(), "R15: the fast path");
        s0.expectRemoval("R15 inverse iteration", opt, r0.rotation(), 1, false);

        // neurodegeneration on the tall layer 1 (140 fed by 128) from the null space
        Snapshot s1 = Snapshot.of(opt, 1);
        io.isotropic.adapt.NeurodegenerationReport r1 = Restructure.neurodegeneration(net, 1, 3, opt, null);
        assertEquals(io.isotropic.adapt.NeurodegenerationMethod.NULL_SPACE, r1.method(), "R15: the null space");
        s1.expectRemoval("R15 null space", opt, r1.rotation(), 3, true);

        // neurodegeneration by SVD, forced
        Snapshot s2 = Snapshot.of(opt, 1);
        io.isotropic.adapt.NeurodegenerationReport r2 = Restructure.neurodegeneration(net, 1, 2, opt, null,
                io.isotropic.adapt.NeurodegenerationSettings.SVD_ONLY);
        s2.expectRemoval("R15 SVD", opt, r2.rotation(), 2, true);

        // neurogenesis, rotated: R^T on rows and R on columns, then appended zeros
        Snapshot s3 = Snapshot.of(opt, 2);
        io.isotropic.adapt.NeurogenesisReport g = Restructure.neurogenesis(net, 2, 2, Growth.reference(1515), opt);
        s3.expectGrowth("R15 rotated neurogenesis", opt, g.rotation(), 2, true);
        // unrotated: only appended zeros
        Snapshot s4 = Snapshot.of(opt, 0);
        Restructure.neurogenesis(net, 0, 3, Growth.unrotated(1516), opt);
        s4.expectGrowth("R15 unrotated neurogenesis", opt, null, 3, false);

        // left diagonalisation of layer 1 and full diagonalisation of layer 2
        Snapshot s5 = Snapshot.of(opt, 1);
        io.isotropic.spi.SvdLeft left = Restructure.leftDiagonalise(net, 1, opt);
        s5.expectRemoval("R15 left diagonalisation", opt, left.u(), 0, true);
        Snapshot s6 = Snapshot.of(opt, 2);
        Snapshot s6prev = Snapshot.of(opt, 1);
        io.isotropic.spi.Svd full = Restructure.fullDiagonalise(net, 2, opt);
        s6.expectRemoval("R15 full diagonalisation (R side)", opt, full.u(), 0, true, full.v());
        s6prev.expectRows("R15 full diagonalisation (Q side)", opt, full.v(), 0, true);
    }

    private static Tensor zeroRow(Tensor w, int row) {
        Tensor c = w.copy();
        for (int j = 0; j < c.cols(); j++) {
            c.set(0.0, row, j);
        }
        return c;
    }

    /**
     * The moments around hidden space {@code l+1} before an operation on layer {@code l}: rows of W_l, b_l and
     * psi_{l-1}, columns of W_{l+1}.
     */
    final class Snapshot {
        private final int layer;
        private final java.util.Map<String, Tensor[]> moments = new java.util.HashMap<>();

        private Snapshot(int layer) {
            this.layer = layer;
        }

        static Snapshot of(Optimizer opt, int layer) {
            Snapshot s = new Snapshot(layer);
            for (String name : List.of(ParameterNames.weightName(layer), ParameterNames.biasName(layer),
                    ParameterNames.psiName(layer - 1 < 0 ? 0 : layer - 1), ParameterNames.weightName(layer + 1))) {
                ParameterState st = opt.states().get(name);
                if (st != null) {
                    s.moments.put(name, new Tensor[] {st.first().to(DType.F64), st.second().to(DType.F64)});
                }
            }
            return s;
        }

        /** Rotation P of hidden space l+1 then the last k dropped (k = 0: a pure rotation). */
        void expectRemoval(String what, Optimizer opt, Tensor p, int k, boolean psiRotates) {
            expectRemoval(what, opt, p, k, psiRotates, null);
        }

        void expectRemoval(String what, Optimizer opt, Tensor p, int k, boolean psiRotates, Tensor q) {
            int m = p.rows();
            Tensor[] w = moments.get(ParameterNames.weightName(layer));
            Tensor wRight = q == null ? null : q;
            check(what + " W_l first", opt, ParameterNames.weightName(layer), 0,
                    keepRows(rows(p, w[0], wRight, false), m - k));
            check(what + " W_l second", opt, ParameterNames.weightName(layer), 1,
                    keepRows(rows(p, w[1], wRight, true), m - k));
            Tensor[] b = moments.get(ParameterNames.biasName(layer));
            check(what + " b_l first", opt, ParameterNames.biasName(layer), 0, keepRows(rows(p, b[0], null, false), m - k));
            check(what + " b_l second", opt, ParameterNames.biasName(layer), 1, keepRows(rows(p, b[1], null, true), m - k));
            if (layer >= 1 && psiRotates) {
                Tensor[] ps = moments.get(ParameterNames.psiName(layer - 1));
                check(what + " psi first", opt, ParameterNames.psiName(layer - 1), 0,
                        keepRows(rows(p, ps[0], null, false), m - k));
                check(what + " psi second", opt, ParameterNames.psiName(layer - 1), 1,
                        keepRows(rows(p, ps[1], null, true), m - k));
            }
            Tensor[] next = moments.get(ParameterNames.weightName(layer + 1));
            check(what + " W_l+1 first", opt, ParameterNames.weightName(layer + 1), 0,
                    keepCols(cols(next[0], p, false), m - k));
            check(what + " W_l+1 second", opt, ParameterNames.weightName(layer + 1), 1,
                    keepCols(cols(next[1], p, true), m - k));
        }

        /** Rows of W_l, b_l, psi_{l-1} rotated by Q^T (the previous layer's side of a full diagonalisation). */
        void expectRows(String what, Optimizer opt, Tensor q, int k, boolean psiRotates) {
            int m = q.rows();
            Tensor[] w = moments.get(ParameterNames.weightName(layer));
            check(what + " W first", opt, ParameterNames.weightName(layer), 0, keepRows(rows(q, w[0], null, false), m - k));
            check(what + " W second", opt, ParameterNames.weightName(layer), 1, keepRows(rows(q, w[1], null, true), m - k));
            Tensor[] b = moments.get(ParameterNames.biasName(layer));
            check(what + " b first", opt, ParameterNames.biasName(layer), 0, keepRows(rows(q, b[0], null, false), m - k));
            if (layer >= 1 && psiRotates) {
                Tensor[] ps = moments.get(ParameterNames.psiName(layer - 1));
                check(what + " psi first", opt, ParameterNames.psiName(layer - 1), 0,
                        keepRows(rows(q, ps[0], null, false), m - k));
            }
        }

        /** Optional rotation R, then k appended zero rows (W_l, b_l, psi_{l-1}) and columns (W_{l+1}). */
        void expectGrowth(String what, Optimizer opt, Tensor r, int k, boolean psiRotates) {
            Tensor[] w = moments.get(ParameterNames.weightName(layer));
            int m = w[0].rows();
            Tensor p = r == null ? Tensor.identity(DType.F64, m) : r;
            check(what + " W_l first", opt, ParameterNames.weightName(layer), 0, padRows(rows(p, w[0], null, false), k));
            check(what + " W_l second", opt, ParameterNames.weightName(layer), 1, padRows(rows(p, w[1], null, true), k));
            Tensor[] next = moments.get(ParameterNames.weightName(layer + 1));
            check(what + " W_l+1 first", opt, ParameterNames.weightName(layer + 1), 0,
                    padCols(cols(next[0], p, false), k));
            check(what + " W_l+1 second", opt, ParameterNames.weightName(layer + 1), 1,
                    padCols(cols(next[1], p, true), k));
            if (layer >= 1 && psiRotates && moments.containsKey(ParameterNames.psiName(layer - 1))) {
                Tensor[] ps = moments.get(ParameterNames.psiName(layer - 1));
                check(what + " psi first", opt, ParameterNames.psiName(layer - 1), 0,
                        padRows(rows(p, ps[0], null, false), k));
            }
        }

        private static void check(String what, Optimizer opt, String name, int which, Tensor want) {
            ParameterState st = opt.states().get(name);
            Tensor got = (which == 0 ? st.first() : st.second()).to(DType.F64);
            assertEquals(want.shape(), got.shape(), what + ": shape of " + name);
            int n = Math.max(want.rank() == 2 ? Math.max(want.rows(), want.cols()) : want.size(), 1);
            double tol = 8 * n * DType.F64.unitRoundoff() * Math.max(want.maxAbs(), Double.MIN_NORMAL) * 4;
            ContractAssertions.atMost(what + ": |moment - transform by the returned factor|", Invariance.maxDiff(got,
                    want), new Tolerance(tol, "8 n u max|m|, a few products in double"));
        }

        /** (P^T M [Q]) for a matrix, P^T v for a vector; squared entries of P (and Q) for second moments. */
        private static Tensor rows(Tensor p, Tensor x, Tensor q, boolean squared) {
            int m = p.rows();
            boolean vec = x.rank() == 1;
            int c = vec ? 1 : x.cols();
            double[] out = new double[m * c];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < c; j++) {
                    double s = 0;
                    for (int r = 0; r < m; r++) {
                        double pr = p.get(r, i);
                        s += (squared ? pr * pr : pr) * x.getFlat(r * c + j);
                    }
                    out[i * c + j] = s;
                }
            }
            Tensor t = vec ? Tensor.wrap(out, m) : Tensor.wrap(out, m, c);
            return q == null ? t : cols(t, q, squared);
        }

        /** M P for a matrix, (M (P.P)) for second moments. */
        private static Tensor cols(Tensor x, Tensor p, boolean squared) {
            int r = x.rows();
            int m = p.rows();
            double[] out = new double[r * m];
            for (int i = 0; i < r; i++) {
                for (int j = 0; j < m; j++) {
                    double s = 0;
                    for (int q = 0; q < m; q++) {
                        double pq = p.get(q, j);
                        s += x.get(i, q) * (squared ? pq * pq : pq);
                    }
                    out[i * m + j] = s;
                }
            }
            return Tensor.wrap(out, r, m);
        }

        private static Tensor keepRows(Tensor t, int keep) {
            if (t.rank() == 1) {
                return Tensor.wrap(java.util.Arrays.copyOf(t.f64(), keep), keep);
            }
            return Tensor.wrap(java.util.Arrays.copyOf(t.f64(), keep * t.cols()), keep, t.cols());
        }

        private static Tensor keepCols(Tensor t, int keep) {
            Tensor out = Tensor.zeros(DType.F64, t.rows(), keep);
            for (int i = 0; i < t.rows(); i++) {
                System.arraycopy(t.f64(), i * t.cols(), out.f64(), i * keep, keep);
            }
            return out;
        }

        private static Tensor padRows(Tensor t, int k) {
            if (t.rank() == 1) {
                return Tensor.wrap(java.util.Arrays.copyOf(t.f64(), t.size() + k), t.size() + k);
            }
            return Tensor.wrap(java.util.Arrays.copyOf(t.f64(), (t.rows() + k) * t.cols()), t.rows() + k, t.cols());
        }

        private static Tensor padCols(Tensor t, int k) {
            Tensor out = Tensor.zeros(DType.F64, t.rows(), t.cols() + k);
            for (int i = 0; i < t.rows(); i++) {
                System.arraycopy(t.f64(), i * t.cols(), out.f64(), i * (t.cols() + k), t.cols());
            }
            return out;
        }
    }
}
