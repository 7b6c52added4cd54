package io.mocoj.model;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class DistributionsTest {

    @Test
    void logSoftmaxOfKnownLogits() {
        // logits ln 1, ln 2, ln 5: probabilities 1/8, 2/8, 5/8
        float[] lp = Distributions.logSoftmax(new float[] {0f, (float) Math.log(2), (float) Math.log(5)});
        assertEquals(Math.log(1.0 / 8), lp[0], 1e-6);
        assertEquals(Math.log(2.0 / 8), lp[1], 1e-6);
        assertEquals(Math.log(5.0 / 8), lp[2], 1e-6);
    }

    @Test
    void logSoftmaxIsStableForLargeLogits() {
        // no overflow to NaN/infinity; the result is a float near 1000 minus a float near 1000.69,
        // so its precision is one float ulp at 1000 (6.1e-5)
        float[] lp = Distributions.logSoftmax(new float[] {1000f, 1000f});
        assertEquals(Math.log(0.5), lp[0], 1.3e-4);
        assertEquals(Math.log(0.5), lp[1], 1.3e-4);
    }

    @Test
    void argmaxTakesTheFirstOfTies() {
        assertEquals(1, Distributions.argmax(new float[] {0f, 3f, 3f, -1f}));
        assertThrows(IllegalArgumentException.class, () -> Distributions.argmax(new float[0]));
    }
}
