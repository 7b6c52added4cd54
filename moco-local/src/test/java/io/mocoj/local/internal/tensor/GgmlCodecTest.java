package io.mocoj.local.internal.tensor;

import static org.junit.jupiter.api.Assertions.*;

import io.mocoj.local.gguf.GgmlType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Block layouts checked against values computed by hand from ggml's definitions. */
class GgmlCodecTest {
    private static final short ONE = 0x3C00, HALF = 0x3800;

    private static ByteBuffer buf(int n) { return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN); }

    @Test
    void f16AndBf16() {
        assertEquals(1f, GgmlCodec.f16(ONE));
        assertEquals(0.5f, GgmlCodec.f16(HALF));
        assertEquals((short) 0xC000, GgmlCodec.toF16(-2f));
        assertEquals(1f, GgmlCodec.bf16((short) 0x3F80));
        // 1 + 2^-8 lies exactly between two bf16 values: ties to even gives 1.0
        assertEquals((short) 0x3F80, GgmlCodec.toBf16(Float.intBitsToFloat(0x3F808000)));
        assertEquals((short) 0x3F82, GgmlCodec.toBf16(Float.intBitsToFloat(0x3F818000)));
    }

    @Test
    void q8_0HandBlock() {
        ByteBuffer b = buf(34);
        b.putShort(0, HALF);
        b.put(2, (byte) 1).put(3, (byte) -2).put(33, (byte) 127);
        float[] y = new float[32];
        GgmlCodec.decode(GgmlType.Q8_0, b, 0, y, 0, 32);
        assertEquals(0.5f, y[0]);
        assertEquals(-1f, y[1]);
        assertEquals(0f, y[2]);
        assertEquals(63.5f, y[31]);
    }

    @Test
    void q8_0Quantisation() {
        float[] x = new float[32];
        for (int j = 0; j < 32; j++) x[j] = j - 16; // amax 16 -> d = 16/127
        ByteBuffer b = buf(34);
        GgmlCodec.encode(GgmlType.Q8_0, x, 0, 32, b, 0);
        assertEquals(Float.floatToFloat16(16f / 127f), b.getShort(0));
        assertEquals(-127, b.get(2));           // -16 * 127/16
        assertEquals(64, b.get(2 + 24));        // 8 * 127/16 = 63.5 -> 64 (half away from zero)
        assertEquals(-64, b.get(2 + 8));        // -8 -> -63.5 -> -64
        assertEquals(0, b.get(2 + 16));
        float[] y = new float[32];
        GgmlCodec.decode(GgmlType.Q8_0, b, 0, y, 0, 32);
        for (int j = 0; j < 32; j++) assertEquals(x[j], y[j], 16f / 127f / 2 + 0.02f);
    }

    @Test
    void q4_0HandBlockAndQuantisation() {
        ByteBuffer b = buf(18);
        b.putShort(0, ONE);
        b.put(2, (byte) 0x9F);
        float[] y = new float[32];
        GgmlCodec.decode(GgmlType.Q4_0, b, 0, y, 0, 32);
        assertEquals(7f, y[0]);
        assertEquals(1f, y[16]);
        assertEquals(-8f, y[1]);
        float[] x = new float[32];
        x[5] = -8f; // the max magnitude value: d = -8 / -8 = 1
        x[6] = 3.2f;
        x[20] = -2.6f;
        ByteBuffer q = buf(18);
        GgmlCodec.encode(GgmlType.Q4_0, x, 0, 32, q, 0);
        assertEquals(ONE, q.getShort(0));
        GgmlCodec.decode(GgmlType.Q4_0, q, 0, y, 0, 32);
        assertEquals(-8f, y[5]);
        assertEquals(3f, y[6]);
        assertEquals(-3f, y[20]); // -2.6 + 8.5 = 5.9 -> 5 -> -3
        assertEquals(0f, y[0]);
    }

    @Test
    void q4_1Q5_0Q5_1HandBlocks() {
        ByteBuffer a = buf(20);
        a.putShort(0, ONE).putShort(2, HALF).put(4, (byte) 0x9F);
        float[] y = new float[32];
        GgmlCodec.decode(GgmlType.Q4_1, a, 0, y, 0, 32);
        assertEquals(15.5f, y[0]);
        assertEquals(9.5f, y[16]);
        assertEquals(0.5f, y[1]);

        ByteBuffer b = buf(22);
        b.putShort(0, HALF).putInt(2, 0x00010001).put(6, (byte) 0x21);
        GgmlCodec.decode(GgmlType.Q5_0, b, 0, y, 0, 32);
        assertEquals(0.5f, y[0]);    // (1 | 16) - 16 = 1
        assertEquals(1.0f, y[16]);   // (2 | 16) - 16 = 2
        assertEquals(-8f, y[1]);     // 0 - 16

        ByteBuffer c = buf(24);
        c.putShort(0, ONE).putShort(2, (short) 0xC000 /* -2 */).putInt(4, 0x80000000).put(8 + 15, (byte) 0x30);
        GgmlCodec.decode(GgmlType.Q5_1, c, 0, y, 0, 32);
        assertEquals(17f, y[31]);    // (3 | 16) - 2
        assertEquals(-2f, y[15]);
        for (GgmlType t : new GgmlType[] {GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1}) assertTrue(GgmlCodec.supports(t));
    }

    @Test
    void q4_KHandBlock() {
        ByteBuffer b = buf(144);
        b.putShort(0, ONE);           // d
        b.putShort(2, HALF);          // dmin
        int s = 4;
        b.put(s, (byte) 0x43);        // sc0 = 3, top bits 01 -> sc4 high bits
        b.put(s + 1, (byte) 2);       // sc1 = 2
        b.put(s + 4, (byte) 5);       // m0 = 5
        b.put(s + 5, (byte) 4);       // m1 = 4
        b.put(s + 8, (byte) 0x21);    // sc4 = 1 | 1<<4 = 17, m4 = 2
        b.put(s + 9, (byte) 0x30);    // sc5 = 0, m5 = 3
        int qs = 16;
        b.put(qs, (byte) 0x7A);       // values 0 (low nibble 10) and 32 (high nibble 7)
        b.put(qs + 64, (byte) 0x03);  // values 128 (3) and 160 (0)
        float[] y = new float[256];
        GgmlCodec.decode(GgmlType.Q4_K, b, 0, y, 0, 256);
        assertEquals(3 * 10 - 0.5f * 5, y[0]);
        assertEquals(2 * 7 - 0.5f * 4, y[32]);
        assertEquals(17 * 3 - 0.5f * 2, y[128]);
        assertEquals(-0.5f * 3, y[160]);
        assertEquals(-0.5f * 5, y[1]);
    }

    @Test
    void q6_KHandBlock() {
        ByteBuffer b = buf(210);
        b.putShort(208, HALF);
        int sc = 192;
        b.put(sc, (byte) 2).put(sc + 1, (byte) 5).put(sc + 2, (byte) -3).put(sc + 4, (byte) 1).put(sc + 6, (byte) 4);
        b.put(0, (byte) 0x21);   // ql[0]
        b.put(32, (byte) 0x43);  // ql[32]
        b.put(128, (byte) 0xE4); // qh[0] = 11 10 01 00
        float[] y = new float[256];
        GgmlCodec.decode(GgmlType.Q6_K, b, 0, y, 0, 256);
        assertEquals(0.5f * 2 * (1 - 32), y[0]);
        assertEquals(0.5f * -3 * ((3 | 16) - 32), y[32]);
        assertEquals(0.5f * 1 * ((2 | 32) - 32), y[64]);
        assertEquals(0.5f * 4 * ((4 | 48) - 32), y[96]);
        assertEquals(0.5f * 5 * -32, y[16]);
        assertEquals(0f, Math.abs(y[128])); // scale 8 is zero
    }

    @Test
    void dotProductsAgreeWithDecodedValues() {
        Random r = new Random(11);
        for (GgmlType t : new GgmlType[] {GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0,
                GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1, GgmlType.Q4_K, GgmlType.Q6_K}) {
            int n = 512;
            ByteBuffer b = buf((int) t.bytesFor(n) + 8);
            byte[] raw = new byte[b.capacity()];
            r.nextBytes(raw);
            b.put(0, raw);
            // keep the f16 scales finite and small
            fixScales(t, b, n);
            float[] w = new float[n];
            GgmlCodec.decode(t, b, 8, w, 0, n);
            float[] x = new float[n];
            for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
            double expected = 0, norm = 0;
            for (int i = 0; i < n; i++) { expected += (double) w[i] * x[i]; norm += Math.abs((double) w[i] * x[i]); }
            assertEquals(expected, GgmlCodec.dot(t, b, 8, x, 0, n), 1e-5 * norm + 1e-6, t.toString());
        }
    }

    private static void fixScales(GgmlType t, ByteBuffer b, int n) {
        switch (t) {
            case F32 -> { for (int i = 0; i < n; i++) b.putFloat(8 + 4 * i, (float) Math.sin(i)); }
            case F16 -> { for (int i = 0; i < n; i++) b.putShort(8 + 2 * i, GgmlCodec.toF16((float) Math.sin(i))); }
            case BF16 -> { for (int i = 0; i < n; i++) b.putShort(8 + 2 * i, GgmlCodec.toBf16((float) Math.sin(i))); }
            case Q8_0, Q4_0, Q5_0 -> { for (int k = 0; k < n / 32; k++) b.putShort(8 + k * t.blockBytes(), GgmlCodec.toF16(0.01f * (k + 1))); }
            case Q4_1, Q5_1 -> {
                for (int k = 0; k < n / 32; k++) {
                    b.putShort(8 + k * t.blockBytes(), GgmlCodec.toF16(0.01f * (k + 1)));
                    b.putShort(10 + k * t.blockBytes(), GgmlCodec.toF16(-0.05f));
                }
            }
            case Q4_K -> { for (int k = 0; k < n / 256; k++) { b.putShort(8 + 144 * k, GgmlCodec.toF16(0.02f)); b.putShort(10 + 144 * k, GgmlCodec.toF16(0.01f)); } }
            case Q6_K -> { for (int k = 0; k < n / 256; k++) b.putShort(8 + 210 * k + 208, GgmlCodec.toF16(0.003f)); }
            default -> throw new AssertionError();
        }
    }

    @Test
    void unsupportedTypeIsNamed() {
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> GgmlCodec.decode(GgmlType.Q5_K, buf(176), 0, new float[256], 0, 256));
        assertTrue(e.getMessage().contains("Q5_K"));
    }
}
