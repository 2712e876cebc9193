package io.isotropic.train;

import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LossAndScheduleTest {

    @Test
    void crossEntropyMatchesHandComputationAndIsStableForHugeLogits() {
        Tensor logits = Tensor.of(new double[] {0, Math.log(3), 1000, 1000}, 2, 2);
        LossValue lv = Loss.CROSS_ENTROPY.evaluate(logits, new int[] {1, 0});
        // sample 0: p = (1/4, 3/4), loss -ln(3/4); sample 1: p = (1/2, 1/2), loss ln 2
        assertEquals((-Math.log(0.75) + Math.log(2)) / 2, lv.loss(), 1e-15);
        assertEquals((0.25 - 0) / 2, lv.gradient().get(0, 0), 1e-15);
        assertEquals((0.75 - 1) / 2, lv.gradient().get(0, 1), 1e-15);
        assertEquals((0.5 - 1) / 2, lv.gradient().get(1, 0), 1e-15);
        assertEquals(2, lv.correct()); // ties pick the first index
    }

    @Test
    void mseIsMeanOverAllEntriesAgainstOneHot() {
        LossValue lv = Loss.MSE.evaluate(Tensor.of(new float[] {1, 1, 0, 0}, 2, 2), new int[] {0, 1});
        // squared errors (0, 1) and (0, 1): mean 0.5
        assertEquals(0.5, lv.loss(), 1e-7);
        assertEquals(2.0 * 1 / 4, lv.gradient().get(0, 1), 1e-7);
        assertEquals(DType.F32, lv.gradient().dtype());
    }

    @Test
    void lossRejectsBadLabels() {
        Tensor logits = Tensor.zeros(DType.F64, 2, 3);
        assertThrows(IllegalArgumentException.class, () -> Loss.CROSS_ENTROPY.evaluate(logits, new int[] {0, 3}));
        assertThrows(IllegalArgumentException.class, () -> Loss.CROSS_ENTROPY.evaluate(logits, new int[] {0}));
    }

    @Test
    void cosineScheduleEndpointsAndMidpoint() {
        LearningRateSchedule s = LearningRateSchedule.cosine(1.0, 100, 0.1);
        assertEquals(1.0, s.at(0), 1e-15);
        assertEquals(0.55, s.at(50), 1e-12);
        assertEquals(0.1, s.at(100), 1e-15);
        assertEquals(0.1, s.at(1000), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.cosine(0.1, 10, 0.2));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.constant(Double.NaN));
    }
}
