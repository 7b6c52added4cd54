package io.mocoj.local.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Sampling frequencies against the analytic distribution (binomial intervals of 4.5 standard deviations). */
class SamplerTest {
    private static final float[] LOGITS = {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.2), -50f};
    private static final int N = 20_000;

    private static int[] counts(Sampler s) {
        int[] c = new int[LOGITS.length];
        for (int i = 0; i < N; i++) c[s.sample(LOGITS.clone())]++;
        return c;
    }

    private static void assertFrequency(double p, int count) {
        double sd = Math.sqrt(N * p * (1 - p));
        assertEquals(N * p, count, 4.5 * sd + 1e-9, "expected probability " + p);
    }

    @Test
    void temperatureOneFollowsTheSoftmax() {
        int[] c = counts(new Sampler(1.0, 1.0, 0, new Random(1)));
        assertFrequency(0.5, c[0]);
        assertFrequency(0.3, c[1]);
        assertFrequency(0.2, c[2]);
        assertEquals(0, c[3]);
    }

    @Test
    void temperatureSharpens() {
        // T = 0.5 squares the probabilities: 0.25, 0.09, 0.04 normalised by 0.38
        int[] c = counts(new Sampler(0.5, 1.0, 0, new Random(2)));
        assertFrequency(0.25 / 0.38, c[0]);
        assertFrequency(0.09 / 0.38, c[1]);
        assertFrequency(0.04 / 0.38, c[2]);
    }

    @Test
    void topPKeepsTheSmallestNucleus() {
        // 0.5 < 0.75 <= 0.8: tokens 0 and 1 remain, renormalised to 5/8 and 3/8
        int[] c = counts(new Sampler(1.0, 0.75, 0, new Random(3)));
        assertFrequency(0.625, c[0]);
        assertFrequency(0.375, c[1]);
        assertEquals(0, c[2]);
    }

    @Test
    void topKAndGreedy() {
        int[] c = counts(new Sampler(1.0, 1.0, 2, new Random(4)));
        assertFrequency(0.625, c[0]);
        assertEquals(0, c[2]);
        assertEquals(0, new Sampler(0, 1.0, 0, new Random(5)).sample(LOGITS.clone()));
        assertArrayEquals(new int[] {0, 1, 2}, Sampler.topIndices(LOGITS, 3));
        assertArrayEquals(new int[] {0, 1, 2, 3}, Sampler.sortedDescending(LOGITS));
    }

    @Test
    void sameSeedSameSamples() {
        Sampler a = new Sampler(1.0, 0.9, 0, new Random(9)), b = new Sampler(1.0, 0.9, 0, new Random(9));
        for (int i = 0; i < 100; i++) assertEquals(a.sample(LOGITS.clone()), b.sample(LOGITS.clone()));
    }
}
