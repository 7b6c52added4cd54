package io.mocoj.local;

import static org.junit.jupiter.api.Assertions.*;

import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.gguf.GgufFile;
import io.mocoj.local.gguf.GgufTensorInfo;
import io.mocoj.local.gguf.GgufWriter;
import io.mocoj.local.testing.TinyModels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model whose matrices are stored as Q4_K, Q6_K and Q4_0 (random blocks with small scales):
 * the engine's products on the quantised data must equal the naive reference computed from the
 * dequantised tensors (whose decoding is checked by hand in GgmlCodecTest).
 */
class LocalModelKQuantTest {
    @TempDir Path dir;

    private static ByteBuffer randomBlocks(GgmlType type, long elements, Random r) {
        int bytes = (int) type.bytesFor(elements);
        ByteBuffer b = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        byte[] raw = new byte[bytes];
        r.nextBytes(raw);
        b.put(0, raw);
        for (int at = 0; at < bytes; at += type.blockBytes()) {
            switch (type) {
                case Q4_K -> { b.putShort(at, Float.floatToFloat16(0.0005f)); b.putShort(at + 2, Float.floatToFloat16(0.0003f)); }
                case Q6_K -> b.putShort(at + 208, Float.floatToFloat16(0.0001f));
                case Q4_0 -> b.putShort(at, Float.floatToFloat16(0.02f));
                default -> throw new AssertionError(type);
            }
        }
        return b;
    }

    @Test
    void kQuantModelMatchesTheReference() throws IOException {
        TinyModels.Shape shape = new TinyModels.Shape("llama", 256, 2, 4, 2, 256, 40, 128, false, 10000f);
        Path f32 = TinyModels.write(dir.resolve("base.gguf"), shape, GgmlType.F32, 3);
        GgufFile base = GgufFile.open(f32);
        GgufWriter w = new GgufWriter().copyMetadata(base);
        Random r = new Random(4);
        for (GgufTensorInfo t : base.tensors()) {
            if (t.dimensions().length == 1) {
                w.addEncodedTensor(t.name(), GgmlType.F32, t.dimensions(), () -> base.data(t.name()).window(0).duplicate().rewind());
                continue;
            }
            GgmlType type = t.name().contains("attn_output") ? GgmlType.Q4_0
                    : t.name().contains("ffn_down") || t.name().startsWith("output") || t.name().startsWith("token") ? GgmlType.Q6_K
                    : GgmlType.Q4_K;
            ByteBuffer data = randomBlocks(type, t.elementCount(), r);
            w.addEncodedTensor(t.name(), type, t.dimensions(), () -> data.duplicate().rewind());
        }
        Path quant = dir.resolve("kquant.gguf");
        w.write(quant);
        LocalModel m = LocalModel.load(quant, LocalModelOptions.builder().threads(2).halfPrecisionCache(false).prefillBatch(4).build());
        assertEquals(GgmlType.Q4_K, m.tensorType("blk.0.attn_q.weight"));
        assertEquals(GgmlType.Q6_K, m.tensorType("blk.1.ffn_down.weight"));
        assertEquals(GgmlType.Q4_0, m.tensorType("blk.0.attn_output.weight"));
        ReferenceForward ref = new ReferenceForward(m);
        int[] tokens = {3, 99, 200, 7, 260, 11};
        try (LocalModel.Session s = m.newSession()) {
            s.append(java.util.Arrays.copyOf(tokens, 5)); // batched: decoded rows
            s.append(tokens[5]);                           // single token: products on the blocks
            double[] expected = ref.logits(tokens);
            float[] got = s.logits();
            double scale = 0, diff = 0;
            for (int i = 0; i < got.length; i++) {
                scale = Math.max(scale, Math.abs(expected[i]));
                diff = Math.max(diff, Math.abs(got[i] - expected[i]));
            }
            assertTrue(scale > 0.1, "non-trivial logits, scale " + scale);
            assertTrue(diff <= 1e-4 * Math.max(1, scale), "max diff " + diff + " at scale " + scale);
        }
    }
}
