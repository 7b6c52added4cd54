package io.mocoj.local.internal.tensor;

import static org.junit.jupiter.api.Assertions.*;

import io.mocoj.local.internal.tensor.simd.VectorFloatDot;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FloatDotTest {
    @Test
    void scalarAndSimdKernelsMatchADoublePrecisionSum() {
        Random r = new Random(1);
        FloatDot simd = new VectorFloatDot();
        for (int n : new int[] {0, 1, 7, 16, 31, 64, 577, 1536}) {
            float[] a = new float[n + 5], b = new float[n + 3];
            for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
            for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
            double exact = 0, mag = 0;
            for (int i = 0; i < n; i++) { exact += (double) a[i + 5] * b[i + 3]; mag += Math.abs((double) a[i + 5] * b[i + 3]); }
            double tol = 1e-6 * mag + 1e-7;
            assertEquals(exact, FloatDot.SCALAR.dot(a, 5, b, 3, n), tol, "scalar n=" + n);
            assertEquals(exact, simd.dot(a, 5, b, 3, n), tol, "simd n=" + n);
        }
        // dotMany equals dot bit for bit, for every count (groups of 4 and the rest)
        for (int n : new int[] {7, 64, 577}) {
            float[] a = new float[n], x = new float[11 * n];
            for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
            for (FloatDot k : new FloatDot[] {FloatDot.SCALAR, simd}) {
                float[] out = new float[3 * 11];
                k.dotMany(a, x, n, 11, n, out, 1, 3);
                for (int t = 0; t < 11; t++) assertEquals(k.dot(a, 0, x, t * n, n), out[1 + 3 * t], "n=" + n + " t=" + t);
            }
        }
        // dotTile equals dot bit for bit, for tile shapes around the 4x4 and 4x2 register blocks (tokens 4k, 4k+1..3),
        // widths with tails, odd and even numbers of whole vectors (48 = 3 x 16, 576 = 36 x 16)
        for (int n : new int[] {7, 48, 64, 576, 577}) {
            for (int rows : new int[] {1, 4, 7, 8}) {
              for (int tokens : new int[] {1, 2, 4, 5, 7, 11}) {
                float[] a = new float[rows * n], x = new float[tokens * (n + 3)];
                for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
                for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
                for (FloatDot k : new FloatDot[] {FloatDot.SCALAR, simd}) {
                    float[] out = new float[2 + tokens * 9];
                    k.dotTile(a, n, rows, x, n + 3, tokens, out, 2, 9);
                    for (int t = 0; t < tokens; t++) {
                        for (int q = 0; q < rows; q++) {
                            assertEquals(k.dot(a, q * n, x, t * (n + 3), n), out[2 + 9 * t + q],
                                    k + " n=" + n + " rows=" + rows + " tokens=" + tokens + " row " + q + " token " + t);
                        }
                    }
                }
              }
            }
        }
        // Q8_0 block decoding: SIMD equals the scalar definition exactly
        byte[] blocks = new byte[34 * 3];
        r.nextBytes(blocks);
        for (int b = 0; b < 3; b++) { short d = Float.floatToFloat16(0.01f * (b + 1)); blocks[34 * b] = (byte) d; blocks[34 * b + 1] = (byte) (d >> 8); }
        float[] scalar = new float[96 + 2], vector = new float[96 + 2];
        FloatDot.SCALAR.decodeQ8_0(blocks, 3, scalar, 2);
        simd.decodeQ8_0(blocks, 3, vector, 2);
        assertArrayEquals(scalar, vector);
        assertEquals(Float.float16ToFloat(Float.floatToFloat16(0.01f)) * blocks[2], scalar[2]);
        assertEquals(Float.float16ToFloat(Float.floatToFloat16(0.03f)) * blocks[34 * 2 + 2 + 31], scalar[2 + 95]);
        assertTrue(VectorMath.simd(), "surefire runs with the Vector API module, so the SIMD kernel is chosen");
        assertEquals(VectorFloatDot.lanes() == 16, VectorMath.DOT.usesFloatCodes(), "the float-lane tile runs with 16-lane vectors");
    }

    /**
     * The SIMD activation quantiser writes the plain one's bits: Gaussian blocks, blocks whose
     * scaled values fall exactly on halves (ties to even), all-zero, signed-zero, tiny and huge
     * blocks, and blocks holding an infinity or NaN (plain casts); whole arrays and sub-ranges.
     */
    @Test
    void simdActivationQuantisationMatchesThePlainOne() {
        Random r = new Random(11);
        FloatDot simd = new VectorFloatDot();
        int blocks = 40, n = 32 * blocks;
        float[] x = new float[n];
        for (int b = 0; b < blocks; b++) {
            for (int j = 0; j < 32; j++) {
                int i = 32 * b + j;
                x[i] = switch (b % 10) {
                    case 0 -> 0f;
                    case 1 -> j % 2 == 0 ? -0f : 0f;
                    // amax 127: codes are the values themselves, here k + 0.5 (ties), both signs
                    case 2 -> j == 0 ? 127f : (j - 16) + 0.5f;
                    case 3 -> (float) r.nextGaussian() * 1e-30f;
                    case 4 -> (float) r.nextGaussian() * 1e30f;
                    case 5 -> j == 3 ? Float.POSITIVE_INFINITY : (float) r.nextGaussian();
                    case 6 -> j == 9 ? Float.NaN : (float) r.nextGaussian();
                    case 7 -> j == 0 ? Float.MIN_VALUE : 0f;
                    default -> (float) r.nextGaussian() * (j % 5 == 0 ? 8 : 1);
                };
            }
        }
        byte[] qa = new byte[n], qb = new byte[n];
        float[] fa = new float[n], fb = new float[n], da = new float[blocks], db = new float[blocks];
        Q8Activations.quantizeQ8_0(x, n, qa, fa, da);
        simd.quantizeQ8_0(x, 0, n, qb, fb, db);
        assertArrayEquals(qa, qb);
        assertArrayEquals(fa, fb);
        assertArrayEquals(da, db);
        for (int i = 0; i < n; i++) assertEquals(Float.floatToRawIntBits(fa[i]), Float.floatToRawIntBits(fb[i]), "code " + i);
        // ties go to even: 0.5 -> 0, 1.5 -> 2, 2.5 -> 2, -1.5 -> -2
        assertArrayEquals(new byte[] {-2, 0, 0, 2, 2}, java.util.Arrays.copyOfRange(qa, 64 + 14, 64 + 19));
        // pieces of the range (as the team splits it), without the float codes
        java.util.Arrays.fill(qb, (byte) 0);
        java.util.Arrays.fill(db, 0f);
        for (int from = 0; from < blocks; from += 7) simd.quantizeQ8_0(x, 32 * from, 32 * Math.min(blocks, from + 7), qb, null, db);
        assertArrayEquals(qa, qb);
        assertArrayEquals(da, db);
    }

    /** Random Q8_0 (or Q4_0) weight blocks with half-precision scales, and activations quantised by Q8Activations. */
    @Test
    void integerBlockDotsAreExactBlockSumsTimesTheScales() {
        Random r = new Random(7);
        FloatDot simd = new VectorFloatDot();
        int blocks = 18, cols = 32 * blocks;
        float[] x = new float[cols];
        for (int i = 0; i < cols; i++) x[i] = (float) r.nextGaussian() * (i % 7 == 0 ? 5 : 1);
        byte[] qx = new byte[cols + 32];
        float[] dx = new float[blocks + 1];
        float[] xq = new float[cols + 32];
        System.arraycopy(x, 0, xq, 32, cols);
        Q8Activations.quantizeQ8_0(xq, cols + 32, qx, dx);
        // the quantised values dequantise to exactly roundTrip's
        float[] round = Q8Activations.roundTrip(xq, cols + 32);
        for (int i = 0; i < cols + 32; i++) assertEquals(round[i], dx[i / 32] * qx[i], 0f, "value " + i);
        for (int type = 0; type < 2; type++) {
            int bb = type == 0 ? 34 : 18;
            byte[] w = new byte[5 + bb * blocks];
            r.nextBytes(w);
            double exact = 0, mag = 0;
            float[] decoded = new float[cols];
            for (int b = 0; b < blocks; b++) {
                short h = Float.floatToFloat16(0.001f * (1 + r.nextInt(50)));
                w[5 + bb * b] = (byte) h;
                w[5 + bb * b + 1] = (byte) (h >> 8);
                float d = Float.float16ToFloat(h);
                long sum = 0;
                for (int j = 0; j < 32; j++) {
                    int q = type == 0 ? w[5 + bb * b + 2 + j]
                            : j < 16 ? (w[5 + bb * b + 2 + j] & 0xF) - 8 : ((w[5 + bb * b + 2 + j - 16] & 0xFF) >>> 4) - 8;
                    decoded[32 * b + j] = d * q;
                    sum += (long) q * qx[32 + 32 * b + j];
                }
                exact += (double) d * dx[1 + b] * sum;
                mag += Math.abs((double) d * dx[1 + b] * sum);
            }
            for (FloatDot k : new FloatDot[] {FloatDot.SCALAR, simd}) {
                float got = type == 0 ? k.dotQ8_0xQ8_0(w, 5, blocks, qx, 32, dx, 1) : k.dotQ4_0xQ8_0(w, 5, blocks, qx, 32, dx, 1);
                assertEquals(exact, got, 1e-6 * mag, k + " type " + type);
                // a tile of rows and tokens (the prefill kernel) gives each single dot's bits: two
                // 4x4 register tiles, a leftover token and two leftover rows in the float-lane tile
                int rows = 10, tokens = 9;
                byte[] tile = new byte[rows * bb * blocks];
                for (int q = 0; q < rows; q++) System.arraycopy(w, 5, tile, q * bb * blocks, bb * blocks);
                r.nextBytes(tile);
                for (int q = 0; q < rows * blocks; q++) { short h = Float.floatToFloat16(0.002f * (1 + q % 9)); tile[bb * q] = (byte) h; tile[bb * q + 1] = (byte) (h >> 8); }
                float[] xs = new float[tokens * cols];
                for (int i = 0; i < xs.length; i++) xs[i] = (float) r.nextGaussian();
                byte[] tq = new byte[xs.length];
                float[] tf = new float[xs.length];
                float[] td = new float[tokens * blocks];
                Q8Activations.quantizeQ8_0(xs, xs.length, tq, tf, td);
                for (int i = 0; i < xs.length; i++) assertEquals(tq[i], tf[i], 0f, "float code " + i);
                float[] tileOut = new float[1 + 12 * tokens], floatTileOut = new float[1 + 12 * tokens];
                k.dotQuantTile(type == 1, tile, bb * blocks, rows, blocks, tq, td, tokens, tileOut, 1, 12);
                k.dotQuantTile(type == 1, tile, bb * blocks, rows, blocks, tq, tf, td, tokens, floatTileOut, 1, 12);
                for (int t = 0; t < tokens; t++) {
                    for (int q = 0; q < rows; q++) {
                        float single = type == 0 ? k.dotQ8_0xQ8_0(tile, q * bb * blocks, blocks, tq, t * cols, td, t * blocks)
                                : k.dotQ4_0xQ8_0(tile, q * bb * blocks, blocks, tq, t * cols, td, t * blocks);
                        assertEquals(single, tileOut[1 + 12 * t + q], k + " type " + type + " row " + q + " token " + t);
                        assertEquals(single, floatTileOut[1 + 12 * t + q], k + " type " + type + " float codes, row " + q + " token " + t);
                    }
                }
                // and the float dot of the dequantised row with the round-tripped activations agrees to rounding
                assertEquals(VectorMath.dot(decoded, 0, round, 32, cols), got, 1e-5 * mag, k + " type " + type);
            }
        }
    }
}
