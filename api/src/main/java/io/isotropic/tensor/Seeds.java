package io.isotropic.tensor;

/**
 * Derives independent seeds from a base seed and keys (epoch, layer, ...), so that random streams depend only on
 * where they are used and a resumed run draws exactly what an uninterrupted one would.
 */
public final class Seeds {
    private Seeds() {
    }

    /**
     * Mixes a base seed with keys through the 64-bit MurmurHash3 finaliser, one key at a time.
     *
     * @param base the base seed
     * @param keys the keys
     * @return a well-mixed seed; different keys give unrelated seeds
     */
    public static long mix(long base, long... keys) {
        long h = fmix(base ^ 0x9E3779B97F4A7C15L);
        for (long k : keys) {
            h = fmix(h ^ fmix(k + 0x632BE59BD9B4E019L));
        }
        return h;
    }

    private static long fmix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
