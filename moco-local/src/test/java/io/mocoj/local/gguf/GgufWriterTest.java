package io.mocoj.local.gguf;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufWriterTest {
    @TempDir Path dir;

    @Test
    void writesTheExactByteLayout() throws IOException {
        Path p = dir.resolve("t.gguf");
        new GgufWriter().putUInt32("n", 7).addTensor("w", GgmlType.F32, new long[] {2}, new float[] {1f, -2f}).write(p);
        byte[] b = Files.readAllBytes(p);
        // header 4+4+8+8, kv: 8+1 key, 4 type, 4 value; tensor info: 8+1 name, 4 ndims, 8 dim, 4 type, 8 offset
        int headerLen = 24 + (9 + 4 + 4) + (9 + 4 + 8 + 4 + 8);
        assertEquals(74, headerLen);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(GgufFile.MAGIC, bb.getInt(0));
        assertEquals(3, bb.getInt(4));
        assertEquals(1, bb.getLong(8));
        assertEquals(1, bb.getLong(16));
        assertEquals(1, bb.getLong(24));
        assertEquals('n', b[32]);
        assertEquals(4, bb.getInt(33));
        assertEquals(7, bb.getInt(37));
        assertEquals(1, bb.getLong(41));
        assertEquals('w', b[49]);
        assertEquals(1, bb.getInt(50));
        assertEquals(2, bb.getLong(54));
        assertEquals(0, bb.getInt(62));
        assertEquals(0, bb.getLong(66));
        // data starts at 96 (86 rounded up to 32)
        assertEquals(1f, bb.getFloat(96));
        assertEquals(-2f, bb.getFloat(100));
        assertEquals(128, b.length, "file padded to the alignment");
    }

    @Test
    void roundTripsMetadataAndTensors() throws IOException {
        Path p = dir.resolve("r.gguf");
        float[] w = new float[64 * 3];
        for (int i = 0; i < w.length; i++) w[i] = (float) Math.sin(i * 0.37) * 3;
        new GgufWriter()
                .putString("general.architecture", "llama")
                .putUInt32("llama.block_count", 2)
                .putFloat32("eps", 1e-5)
                .putBool("flag", false)
                .put("u8", GgufValueType.UINT8, 255L)
                .put("i64", GgufValueType.INT64, -9L)
                .put("f64", GgufValueType.FLOAT64, 0.1)
                .putArray("tokens", GgufValueType.STRING, List.of("<s>", "a", "ü"))
                .putArray("scores", GgufValueType.FLOAT32, List.of(0.5, -1.0))
                .addTensor("f32", GgmlType.F32, new long[] {64, 3}, w)
                .addTensor("f16", GgmlType.F16, new long[] {64, 3}, w)
                .addTensor("q8", GgmlType.Q8_0, new long[] {64, 3}, w)
                .addTensor("odd", GgmlType.F32, new long[] {3}, new float[] {1, 2, 3})
                .addTensor("q4", GgmlType.Q4_0, new long[] {64, 3}, w)
                .write(p);
        GgufFile f = GgufFile.open(p);
        assertEquals("llama", f.metadata().get("general.architecture"));
        assertEquals(2L, f.metadata().get("llama.block_count"));
        assertEquals(GgufValueType.UINT32, f.valueType("llama.block_count"));
        assertEquals((double) 1e-5f, (double) f.metadata().get("eps"));
        assertEquals(false, f.metadata().get("flag"));
        assertEquals(255L, f.metadata().get("u8"));
        assertEquals(-9L, f.metadata().get("i64"));
        assertEquals(0.1, f.metadata().get("f64"));
        assertEquals(List.of("<s>", "a", "ü"), f.metadata().get("tokens"));
        assertEquals(List.of(0.5, -1.0), f.metadata().get("scores"));
        for (GgufTensorInfo t : f.tensors()) assertEquals(0, t.fileOffset() % 32, t.name());
        assertEquals(List.of("f32", "f16", "q8", "odd", "q4"), f.tensors().stream().map(GgufTensorInfo::name).toList());
        GgufTensorData d = f.data("f32");
        for (int i = 0; i < w.length; i++) assertEquals(w[i], d.window(0).getFloat(4 * i));
        GgufTensorData h = f.data("f16");
        for (int i = 0; i < w.length; i++) assertEquals(w[i], Float.float16ToFloat(h.window(0).getShort(2 * i)), 2e-3);
        assertEquals(34 * 2, f.data("q8").rowBytes());
        assertEquals(3, f.tensor("q8").rowCount());

        // copying the metadata keeps the types
        Path p2 = dir.resolve("copy.gguf");
        new GgufWriter().copyMetadata(f).write(p2);
        GgufFile g = GgufFile.open(p2);
        assertEquals(f.metadata(), g.metadata());
        assertEquals(GgufValueType.UINT8, g.valueType("u8"));
        assertEquals(GgufValueType.FLOAT32, g.arrayElementType("scores"));
    }

    @Test
    void largeMetadataCrossesReadBufferBoundaries() throws IOException {
        // strings of varying length so values straddle the reader's 64 KiB buffer at many offsets
        java.util.List<String> tokens = new java.util.ArrayList<>();
        java.util.List<Long> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 60_000; i++) {
            tokens.add("tok" + i + "x".repeat(i % 13));
            ids.add((long) (i * 7));
        }
        Path p = dir.resolve("big.gguf");
        new GgufWriter().putArray("tokens", GgufValueType.STRING, tokens).putArray("ids", GgufValueType.UINT32, ids)
                .putString("after", "end").write(p);
        GgufFile f = GgufFile.open(p);
        assertEquals(tokens, f.metadata().get("tokens"));
        assertEquals(ids, f.metadata().get("ids"));
        assertEquals("end", f.metadata().get("after"));
    }

    @Test
    void tensorsSpanningSeveralMappingWindowsReadCorrectly() throws IOException {
        float[] w = new float[64 * 37];
        for (int i = 0; i < w.length; i++) w[i] = i * 0.25f - 100;
        Path p = dir.resolve("windows.gguf");
        new GgufWriter().addTensor("w", GgmlType.F32, new long[] {64, 37}, w)
                .addTensor("q", GgmlType.Q8_0, new long[] {64, 37}, w).write(p);
        GgufFile f = GgufFile.open(p, 1000); // 3 rows of 256 bytes per window
        GgufTensorData d = f.data("w");
        assertEquals(3, d.rowsPerWindow());
        assertEquals(13, d.windowCount());
        for (int r = 0; r < 37; r++) {
            for (int c = 0; c < 64; c++) assertEquals(w[r * 64 + c], d.windowOf(r).getFloat(d.offsetOf(r) + 4 * c), "row " + r);
        }
        GgufTensorData q = f.data("q");
        assertEquals(68, q.rowBytes());
        assertEquals(14, q.rowsPerWindow());
        assertEquals(3, q.windowCount());
        GgufTensorData whole = GgufFile.open(p).data("q");
        for (int r = 0; r < 37; r++) {
            for (int b = 0; b < 68; b++) assertEquals(whole.windowOf(r).get(whole.offsetOf(r) + b), q.windowOf(r).get(q.offsetOf(r) + b));
        }
    }

    @Test
    void customAlignmentIsRecordedAndUsed() throws IOException {
        Path p = dir.resolve("a.gguf");
        new GgufWriter().alignment(128).addTensor("a", GgmlType.F32, new long[] {1}, new float[] {1})
                .addTensor("b", GgmlType.F32, new long[] {1}, new float[] {2}).write(p);
        GgufFile f = GgufFile.open(p);
        assertEquals(128, f.alignment());
        assertEquals(0, f.tensor("b").fileOffset() % 128);
        assertEquals(128, f.tensor("b").fileOffset() - f.tensor("a").fileOffset());
    }

    @Test
    void rejectsBadInput() {
        GgufWriter w = new GgufWriter();
        assertThrows(IllegalArgumentException.class, () -> w.addTensor("q", GgmlType.Q8_0, new long[] {33}, new float[33]));
        assertThrows(IllegalArgumentException.class, () -> w.addTensor("q", GgmlType.Q6_K, new long[] {256}, new float[256]));
        assertThrows(IllegalArgumentException.class, () -> w.addTensor("q", GgmlType.F32, new long[] {4}, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> w.putUInt32("x", 1).put("y", GgufValueType.UINT32, "no"));
    }
}
