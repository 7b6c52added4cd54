package io.mocoj.local.testing;

import static org.junit.jupiter.api.Assertions.*;

import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.internal.tensor.GgmlCodec;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Blocks written by {@link KQuantizer} decode (with the engine's ggml decoder) to the quantised
 * values: the error of every value stays within half a quantisation step of its sub-block plus the
 * slack of the rounded sub-block scale, and the RMS error matches uniform rounding (step/√12).
 */
class KQuantizerTest {
    @ParameterizedTest
    @CsvSource({"Q4_K, 15, 32", "Q6_K, 63, 16"})
    void decodesBackWithinHalfAStep(GgmlType type, int levels, int subBlock) {
        Random r = new Random(type.ordinal());
        float[] x = new float[256 * 64];
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() * 0.02 * (1 + (i / 256) % 4));
        float[] y = new float[x.length];
        GgmlCodec.decode(type, KQuantizer.quantize(type, x), 0, y, 0, x.length);
        double err2 = 0, expected2 = 0;
        for (int s = 0; s < x.length; s += subBlock) {
            float lo = 0, hi = 0, big = 0;
            for (int i = 0; i < subBlock; i++) {
                lo = Math.min(lo, x[s + i]);
                hi = Math.max(hi, x[s + i]);
                big = Math.max(big, Math.abs(x[s + i]));
            }
            // Q4_K spreads [min(0, lo), max(0, hi)] over 15 steps; Q6_K puts the largest magnitude on level -32
            double step = type == GgmlType.Q4_K ? (hi - lo) / levels : big / 32;
            for (int i = 0; i < subBlock; i++) {
                double e = Math.abs(y[s + i] - x[s + i]);
                // half a step, plus the rounding of the sub-block's integer scale (and min), which moves the
                // extreme levels by up to a few percent of the value when that scale is small
                double slack = 0.6 * step + 0.06 * Math.abs(x[s + i]) + 1e-6;
                assertTrue(e <= slack, type + " value " + (s + i) + ": " + x[s + i] + " decoded as " + y[s + i]);
                err2 += e * e;
                expected2 += step * step / 12;
            }
        }
        double ratio = Math.sqrt(err2 / expected2);
        System.out.printf("%s: RMS error %.3f x step/sqrt(12)%n", type, ratio);
        assertTrue(ratio > 0.8 && ratio < 1.25, type + ": RMS error " + ratio + " × step/√12");
    }
}
