package io.mocoj.local.internal.tensor;

import static org.junit.jupiter.api.Assertions.*;

import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.internal.tensor.simd.VectorKQuantDot;
import io.mocoj.local.testing.TinyModels;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fused K-quant kernels against an independent reference: the rows decoded to floats by
 * {@link GgmlCodec#decode} times the activations' Q8_K round trip, summed in double; a token's
 * result alone and in a batch bit for bit; the plain and SIMD kernels bit for bit.
 */
class KQuantDotTest {
    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q4_K", "Q6_K"})
    void plainAndSimdKernelsMatchTheDecodedRowsAndAreBatchIndependent(GgmlType type) {
        Random r = new Random(type.ordinal());
        boolean q6 = type == GgmlType.Q6_K;
        for (int blocks : new int[] {1, 2, 6}) {
            // 37 tokens: two token tiles of sixteen and five left over (four together and one alone)
            int cols = 256 * blocks, rows = 7, tokens = 37;
            ByteBuffer wb = TinyModels.randomBlocks(type, (long) rows * cols, r);
            // realistic block scales (randomBlocks' are tiny): the f16 scales drawn per block
            int blockBytes = type.blockBytes();
            for (int at = 0; at < wb.capacity(); at += blockBytes) {
                if (q6) {
                    wb.putShort(at + 208, Float.floatToFloat16((float) (0.001 + 0.01 * r.nextDouble())));
                } else {
                    wb.putShort(at, Float.floatToFloat16((float) (0.001 + 0.01 * r.nextDouble())));
                    wb.putShort(at + 2, Float.floatToFloat16((float) (0.001 + 0.01 * r.nextDouble())));
                }
            }
            byte[] w = wb.array();
            float[] x = new float[tokens * cols];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
            x[7] = 0; // and one all-zero block of activations
            java.util.Arrays.fill(x, cols, cols + 256, 0f);
            float[] xq = new float[x.length], dy = new float[tokens * blocks];
            int[] bsum = new int[x.length / 16];
            Q8Activations.quantizeQ8K(x, x.length, xq, dy, bsum);
            float[] dequant = Q8Activations.roundTripQ8K(x, x.length);
            float[][] results = new float[2][];
            KQuantDot[] kernels = {KQuantDot.SCALAR, new VectorKQuantDot()};
            for (int ki = 0; ki < 2; ki++) {
                KQuantDot k = kernels[ki];
                results[ki] = new float[rows * tokens];
                for (int row = 0; row < rows; row++) {
                    int rowBytes = blockBytes * blocks;
                    float[] decoded = new float[cols];
                    GgmlCodec.decode(type, wb, row * rowBytes, decoded, 0, cols);
                    float[] batch = new float[2 * tokens];
                    k.dotRow(q6, w, row * rowBytes, blocks, xq, dy, bsum, tokens, batch, 1, 2);
                    for (int t = 0; t < tokens; t++) {
                        double exact = 0, mag = 0;
                        for (int i = 0; i < cols; i++) {
                            double p = (double) decoded[i] * dequant[t * cols + i];
                            exact += p;
                            mag += Math.abs(p);
                        }
                        assertEquals(exact, batch[1 + 2 * t], 1e-5 * mag + 1e-7, k + " " + type + " blocks=" + blocks + " row " + row + " token " + t);
                        results[ki][row * tokens + t] = batch[1 + 2 * t];
                        // the token alone: its slices of the activations at offset 0
                        float[] one = new float[1];
                        k.dotRow(q6, w, row * rowBytes, blocks, java.util.Arrays.copyOfRange(xq, t * cols, (t + 1) * cols),
                                java.util.Arrays.copyOfRange(dy, t * blocks, (t + 1) * blocks),
                                java.util.Arrays.copyOfRange(bsum, t * cols / 16, (t + 1) * cols / 16), 1, one, 0, 1);
                        assertEquals(Float.floatToRawIntBits(one[0]), Float.floatToRawIntBits(batch[1 + 2 * t]),
                                k + " " + type + ": token " + t + " alone vs in the batch");
                    }
                    // the prefill form: whole tiles of tokens token-minor, every token with dotRow's bits
                    if (k.tokenTile() > 0) {
                        int width = k.tokenTile(), tiles = tokens / width;
                        float[] tiled = new float[2 * tokens];
                        k.dotRowTiles(q6, w, row * rowBytes, rowBytes, 1, blocks, KQuantDot.TokenTiles.of(width, tiles, cols, xq, dy, bsum), tiled, 1, 2);
                        for (int t = 0; t < tiles * width; t++) {
                            assertEquals(Float.floatToRawIntBits(batch[1 + 2 * t]), Float.floatToRawIntBits(tiled[1 + 2 * t]),
                                    k + " " + type + " blocks=" + blocks + ": token " + t + " in a token tile vs dotRow");
                        }
                    }
                }
            }
            // all seven rows at once through the token tiles (Q4_K: four rows sharing the activation loads, then three alone; Q6_K: pairs, then one)
            KQuantDot simd = kernels[1];
            if (simd.tokenTile() > 0) {
                int width = simd.tokenTile(), tiles = tokens / width;
                float[] all = new float[tokens * rows];
                simd.dotRowTiles(q6, w, 0, blockBytes * blocks, rows, blocks, KQuantDot.TokenTiles.of(width, tiles, cols, xq, dy, bsum), all, 0, rows);
                for (int t = 0; t < tiles * width; t++) {
                    for (int row = 0; row < rows; row++) {
                        assertEquals(Float.floatToRawIntBits(results[1][row * tokens + t]), Float.floatToRawIntBits(all[t * rows + row]),
                                type + " blocks=" + blocks + ": row " + row + " token " + t + " in a tile of rows and tokens vs dotRow");
                    }
                }
            }
            // exact integer sums and the same float steps after them: the plain and SIMD kernels agree to the bit
            assertArrayEquals(results[0], results[1], type + " blocks=" + blocks + ": plain vs SIMD");
        }
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"Q4_K", "Q6_K"})
    void extremeCodesStayExact(GgmlType type) {
        // every weight code and scale at its extreme and activations at ±127: the SIMD kernel's float lanes
        // must still hold exact integers, so it agrees with the plain kernel's integer sums to float rounding
        boolean q6 = type == GgmlType.Q6_K;
        int blocks = 4, cols = 256 * blocks;
        byte[] w = new byte[type.blockBytes() * blocks];
        java.util.Arrays.fill(w, (byte) (q6 ? 0x00 : 0xFF)); // Q6_K: codes 0 (-32); Q4_K: codes 15, scales/mins 63
        for (int b = 0; b < blocks; b++) {
            int p = type.blockBytes() * b;
            if (q6) {
                for (int j = 0; j < 16; j++) w[p + 192 + j] = (byte) -128;
                w[p + 208] = 0x00; w[p + 209] = 0x3C; // d = 1
            } else {
                w[p] = 0x00; w[p + 1] = 0x3C; w[p + 2] = 0x00; w[p + 3] = 0x38; // d = 1, dmin = 0.5
            }
        }
        float[] xq = new float[cols], dy = new float[blocks];
        int[] bsum = new int[cols / 16];
        java.util.Arrays.fill(xq, 127f);
        java.util.Arrays.fill(dy, 1f);
        java.util.Arrays.fill(bsum, 16 * 127);
        double perBlock = q6 ? 256.0 * (-32) * (-128) * 127 : 256.0 * 15 * 63 * 127 - 0.5 * 8 * 63 * 32 * 127;
        float[] plain = new float[1], simd = new float[1];
        KQuantDot.SCALAR.dotRow(q6, w, 0, blocks, xq, dy, bsum, 1, plain, 0, 1);
        new VectorKQuantDot().dotRow(q6, w, 0, blocks, xq, dy, bsum, 1, simd, 0, 1);
        assertEquals(blocks * perBlock, plain[0], 1e-6 * blocks * Math.abs(perBlock));
        assertEquals(blocks * perBlock, simd[0], 1e-6 * blocks * Math.abs(perBlock));
        assertEquals(plain[0], simd[0], type + ": plain vs SIMD");
        // the prefill form at the same extremes: five rows (Q4_K: a tile of four, then one) times a tile of sixteen tokens
        KQuantDot k = new VectorKQuantDot();
        if (k.tokenTile() > 0) {
            int width = k.tokenTile(), rows = 5;
            byte[] ws = new byte[rows * w.length];
            for (int i = 0; i < rows; i++) System.arraycopy(w, 0, ws, i * w.length, w.length);
            float[] tq = new float[width * cols], td = new float[width * blocks];
            int[] tb = new int[width * cols / 16];
            for (int t = 0; t < width; t++) {
                System.arraycopy(xq, 0, tq, t * cols, cols);
                System.arraycopy(dy, 0, td, t * blocks, blocks);
                System.arraycopy(bsum, 0, tb, t * cols / 16, cols / 16);
            }
            float[] tiled = new float[width * rows];
            k.dotRowTiles(q6, ws, 0, w.length, rows, blocks, KQuantDot.TokenTiles.of(width, 1, cols, tq, td, tb), tiled, 0, rows);
            for (int i = 0; i < tiled.length; i++) assertEquals(plain[0], tiled[i], type + ": tile element " + i + " vs plain");
        }
    }
}
