package io.mocoj.local.internal.tensor;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The half-precision accumulator kernels in use (SIMD with the Vector API) give the bits of
 * {@code Float.floatToFloat16} rounding, on a sample of every float range and the edge cases
 * (subnormal halves, the largest half, the rounding-to-infinity threshold, ties, zeros, NaN).
 */
class HalfKernelsTest {
    private static float[] samples() {
        Random r = new Random(16);
        float[] special = {0f, -0f, 65504f, -65504f, 65519.996f, 65520f, -65520f, 1e9f, Float.MAX_VALUE, Float.MIN_VALUE,
                -Float.MIN_VALUE, 5.96e-8f, 2.98e-8f, 2.9802322e-8f, 6.1035156e-5f, 6.1e-5f, 1f + 1f / 2048, 1f + 3f / 2048,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1.00048828125f, 2049f, 2051f};
        float[] xs = new float[1 << 20];
        System.arraycopy(special, 0, xs, 0, special.length);
        for (int i = special.length; i < xs.length; i++) {
            // uniformly random bit patterns cover every exponent; the rest lie in the half range
            xs[i] = i % 2 == 0 ? Float.intBitsToFloat(r.nextInt()) : (float) (r.nextGaussian() * Math.pow(2, r.nextInt(40) - 26));
        }
        return xs;
    }

    private static void assertSameBits(float[] want, float[] got) {
        for (int i = 0; i < want.length; i++) {
            if (Float.isNaN(want[i])) assertTrue(Float.isNaN(got[i]), "index " + i);
            else assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]), "index " + i + ": " + want[i] + " vs " + got[i]);
        }
    }

    @Test
    void scaleRoundsLikeFloatToFloat16() {
        float[] xs = samples();
        for (float s : new float[] {1f, 0.37f, 3.1f}) {
            float[] want = xs.clone(), got = xs.clone();
            HalfKernels.SCALAR.scaleHalf(want, 0, s, want.length);
            VectorMath.HALF.scaleHalf(got, 0, s, got.length);
            for (int i = 0; i < 4; i++) assertEquals(HalfKernels.half(xs[i] * s), want[i]);
            assertSameBits(want, got);
        }
    }

    @Test
    void activationRoundingIsFloatToFloat16() {
        float[] xs = samples();
        // a length that is not a multiple of the lanes exercises the scalar tail
        int n = xs.length - 7;
        float[] want = new float[n], got = new float[n];
        for (int i = 0; i < n; i++) want[i] = Float.float16ToFloat(Float.floatToFloat16(xs[i]));
        VectorMath.HALF.roundToHalf(xs, got, n);
        assertSameBits(want, got);
        float[] scalar = new float[n];
        HalfKernels.SCALAR.roundToHalf(xs, scalar, n);
        assertSameBits(want, scalar);
    }

    @Test
    void multiplyAddRoundsLikeFloatToFloat16() {
        float[] xs = samples(), v = samples();
        float[] want = xs.clone(), got = xs.clone();
        // an odd offset and length exercise the scalar tail
        HalfKernels.SCALAR.madHalf(want, 3, v, 5, 0.7f, xs.length - 11);
        VectorMath.HALF.madHalf(got, 3, v, 5, 0.7f, xs.length - 11);
        assertEquals(HalfKernels.half(xs[3] + v[5] * 0.7f), want[3]);
        assertSameBits(want, got);
    }

    @Test
    void halfBitsRoundTrip() {
        short[] bits = new short[1 << 16];
        float[] f = new float[bits.length];
        for (int i = 0; i < bits.length; i++) bits[i] = (short) i;
        HalfKernels.toFloat(bits, 0, f, 0, bits.length);
        short[] back = new short[bits.length];
        HalfKernels.toHalf(f, 0, back, 0, f.length);
        for (int i = 0; i < bits.length; i++) {
            if (!Float.isNaN(f[i])) assertEquals(bits[i], back[i], "half bits " + Integer.toHexString(i));
        }
    }
}
