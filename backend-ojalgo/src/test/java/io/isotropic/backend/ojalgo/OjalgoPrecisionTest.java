package io.isotropic.backend.ojalgo;

import io.isotropic.Backends;
import io.isotropic.spi.Backend;
import io.isotropic.spi.BackendOptions;
import io.isotropic.tensor.DType;
import io.isotropic.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * F32 products really run in single precision (the backend's Javadoc says so, and the benchmarks compare it as
 * such): {@code 1 + 2^-24 + 2^-24} accumulated in float is exactly 1 (each addition ties to even), while a
 * double accumulation rounded to float would give {@code 1 + 2^-23}.
 */
class OjalgoPrecisionTest {

    @Test
    void f32ProductsAccumulateInFloat() {
        int m = 40; // above ojAlgo's threshold of 32 rows and columns, so its multi-threaded kernel is used too
        int n = 40;
        int k = 3;
        float tiny = 0x1.0p-24f;
        float[] a = new float[m * k];
        for (int i = 0; i < m; i++) {
            a[i * k] = 1f;
            a[i * k + 1] = tiny;
            a[i * k + 2] = tiny;
        }
        Tensor b = Tensor.zeros(DType.F32, k, n).fill(1.0);
        for (int threads : new int[] {1, 2}) {
            try (Backend be = Backends.create("ojalgo", BackendOptions.withThreads(threads))) {
                Tensor c = be.matmul(Tensor.wrap(a, m, k), b);
                for (int i = 0; i < c.size(); i++) {
                    assertEquals(1.0, c.getFlat(i), 0.0, "F32 product accumulated in float, threads=" + threads
                            + ", element " + i);
                }
            }
        }
    }
}
