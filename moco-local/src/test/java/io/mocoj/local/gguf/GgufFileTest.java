package io.mocoj.local.gguf;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufFileTest {
    @TempDir Path dir;

    /** Little-endian byte builder for hand-made files (independent of GgufWriter). */
    static final class Bytes {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        Bytes u8(int v) { out.write(v); return this; }
        Bytes u16(int v) { u8(v & 0xFF); return u8((v >>> 8) & 0xFF); }
        Bytes u32(long v) { for (int i = 0; i < 4; i++) out.write((int) (v >>> (8 * i)) & 0xFF); return this; }
        Bytes u64(long v) { for (int i = 0; i < 8; i++) out.write((int) (v >>> (8 * i)) & 0xFF); return this; }
        Bytes f32(float f) { return u32(Float.floatToIntBits(f)); }
        Bytes str(String s) { byte[] b = s.getBytes(StandardCharsets.UTF_8); u64(b.length); out.writeBytes(b); return this; }
        Bytes zeros(int n) { for (int i = 0; i < n; i++) out.write(0); return this; }
        Bytes pad(int align) { while (out.size() % align != 0) out.write(0); return this; }
        int size() { return out.size(); }
        byte[] bytes() { return out.toByteArray(); }
    }

    private Path write(byte[] b) throws IOException {
        Path p = dir.resolve("m.gguf");
        Files.write(p, b);
        return p;
    }

    private static Bytes header(int tensors, int kvs) {
        return new Bytes().u32(0x46554747).u32(3).u64(tensors).u64(kvs);
    }

    @Test
    void readsHandMadeFileWithEveryValueType() throws IOException {
        Bytes b = header(1, 14)
                .str("u8").u32(0).u8(200)
                .str("i8").u32(1).u8(0xFE)
                .str("u16").u32(2).u16(65000)
                .str("i16").u32(3).u16(0xFFFD)
                .str("u32").u32(4).u32(4_000_000_000L)
                .str("i32").u32(5).u32(-7)
                .str("f32").u32(6).f32(1.5f)
                .str("bool").u32(7).u8(1)
                .str("str").u32(8).str("héllo")
                .str("arr").u32(9).u32(5).u64(3).u32(1).u32(-2).u32(3)
                .str("u64").u32(10).u64(-1L)
                .str("i64").u32(11).u64(-5L)
                .str("f64").u32(12).u64(Double.doubleToLongBits(0.25))
                .str("strs").u32(9).u32(8).u64(2).str("a").str("bc")
                // tensor: 2 x 3 f32 (ne0 = 3 columns, ne1 = 2 rows) at offset 0
                .str("w").u32(2).u64(3).u64(2).u32(0).u64(0);
        b.pad(32);
        long dataStart = b.size();
        for (int i = 0; i < 6; i++) b.f32(i + 0.5f);
        GgufFile f = GgufFile.open(write(b.bytes()));
        Map<String, Object> m = f.metadata();
        assertEquals(List.of("u8", "i8", "u16", "i16", "u32", "i32", "f32", "bool", "str", "arr", "u64", "i64", "f64", "strs"),
                List.copyOf(m.keySet()));
        assertEquals(200L, m.get("u8"));
        assertEquals(-2L, m.get("i8"));
        assertEquals(65000L, m.get("u16"));
        assertEquals(-3L, m.get("i16"));
        assertEquals(4_000_000_000L, m.get("u32"));
        assertEquals(-7L, m.get("i32"));
        assertEquals(1.5, m.get("f32"));
        assertEquals(true, m.get("bool"));
        assertEquals("héllo", m.get("str"));
        assertEquals(List.of(1L, -2L, 3L), m.get("arr"));
        assertEquals(-1L, m.get("u64"));
        assertEquals(-5L, m.get("i64"));
        assertEquals(0.25, m.get("f64"));
        assertEquals(List.of("a", "bc"), m.get("strs"));
        assertEquals(GgufValueType.INT32, f.arrayElementType("arr"));
        assertEquals(3, f.version());
        GgufTensorInfo t = f.tensor("w");
        assertArrayEquals(new int[] {2, 3}, t.shape());
        assertEquals(dataStart, t.fileOffset());
        assertEquals(24, t.byteSize());
        GgufTensorData d = f.data("w");
        assertEquals(12, d.rowBytes());
        assertEquals(5.5f, d.windowOf(1).getFloat(d.offsetOf(1) + 8));
    }

    @Test
    void honoursCustomAlignment() throws IOException {
        Bytes b = header(2, 1).str("general.alignment").u32(4).u32(64)
                .str("a").u32(1).u64(2).u32(0).u64(0)
                .str("b").u32(1).u64(2).u32(0).u64(64);
        b.pad(64);
        long start = b.size();
        b.f32(1).f32(2);
        b.pad(64);
        b.f32(3).f32(4);
        GgufFile f = GgufFile.open(write(b.bytes()));
        assertEquals(64, f.alignment());
        assertEquals(start + 64, f.tensor("b").fileOffset());
        assertEquals(3f, f.data("b").window(0).getFloat(0));
    }

    private GgufFormatException bad(byte[] bytes) throws IOException {
        Path p = write(bytes);
        GgufFormatException e = assertThrows(GgufFormatException.class, () -> GgufFile.open(p));
        assertTrue(e.getMessage().contains(p.toString()), e.getMessage());
        return e;
    }

    @Test
    void rejectsWrongMagic() throws IOException {
        GgufFormatException e = bad(new Bytes().u32(0x12345678).u32(3).u64(0).u64(0).bytes());
        assertTrue(e.getMessage().contains("not a GGUF file"), e.getMessage());
        assertEquals(0, e.offset());
    }

    @Test
    void rejectsVersion1AndUnknownVersions() throws IOException {
        assertTrue(bad(new Bytes().u32(0x46554747).u32(1).u64(0).u64(0).bytes()).getMessage().contains("version 1"));
        assertTrue(bad(new Bytes().u32(0x46554747).u32(9).u64(0).u64(0).bytes()).getMessage().contains("version 9"));
    }

    @Test
    void rejectsAbsurdCountsWithoutAllocating() throws IOException {
        GgufFormatException e = bad(header(0, 0).bytes().length == 24
                ? new Bytes().u32(0x46554747).u32(3).u64(0).u64(Long.MAX_VALUE / 2).bytes() : null);
        assertTrue(e.getMessage().contains("metadata count"), e.getMessage());
        e = bad(new Bytes().u32(0x46554747).u32(3).u64(1L << 40).u64(0).bytes());
        assertTrue(e.getMessage().contains("tensor count"), e.getMessage());
        // a string claiming 2^62 bytes
        e = bad(header(0, 1).u64(1L << 62).u64(0).u64(0).u64(0).bytes());
        assertTrue(e.getMessage().contains("length"), e.getMessage());
        // an array claiming 2^40 elements
        e = bad(header(0, 1).str("x").u32(9).u32(4).u64(1L << 40).u32(0).bytes());
        assertTrue(e.getMessage().contains("claims"), e.getMessage());
    }

    @Test
    void rejectsTruncatedFiles() throws IOException {
        byte[] full = header(0, 1).str("key").u32(8).str("a longer value").bytes();
        for (int cut : new int[] {10, 30, full.length - 1}) {
            byte[] part = java.util.Arrays.copyOf(full, cut);
            GgufFormatException e = bad(part);
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("too small")
                    || e.getMessage().contains("remain") || e.getMessage().contains("impossible"), e.getMessage());
        }
        // tensor data beyond the end of the file
        Bytes b = header(1, 0).str("w").u32(1).u64(64).u32(0).u64(0);
        b.pad(32);
        b.f32(1);
        GgufFormatException e = bad(b.bytes());
        assertTrue(e.getMessage().contains("tensor w") && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void rejectsUnknownTypesAndInconsistentShapes() throws IOException {
        assertTrue(bad(header(0, 1).str("k").u32(77).u32(0).zeros(64).bytes()).getMessage().contains("unknown value type 77"));
        assertTrue(bad(header(1, 0).str("w").u32(1).u64(32).u32(99).u64(0).pad(32).zeros(64).bytes())
                .getMessage().contains("unknown ggml type id 99"));
        // Q8_0 row length 33 is not a multiple of 32
        assertTrue(bad(header(1, 0).str("w").u32(1).u64(33).u32(8).u64(0).pad(32).zeros(64).bytes())
                .getMessage().contains("block size"));
        assertTrue(bad(header(1, 0).str("w").u32(5).zeros(64).bytes()).getMessage().contains("dimensions"));
        assertTrue(bad(header(1, 0).str("w").u32(1).u64(0).u32(0).u64(0).zeros(64).bytes()).getMessage().contains("non-positive"));
        // misaligned offset
        assertTrue(bad(header(1, 0).str("w").u32(1).u64(1).u32(0).u64(4).pad(32).u64(0).u64(0).bytes())
                .getMessage().contains("alignment"));
        // bad bool
        assertTrue(bad(header(0, 1).str("b").u32(7).u8(2).zeros(64).bytes()).getMessage().contains("bool"));
        // overlapping tensors
        Bytes b = header(2, 0).str("a").u32(1).u64(16).u32(0).u64(0).str("b").u32(1).u64(16).u32(0).u64(32);
        b.pad(32);
        for (int i = 0; i < 32; i++) b.f32(0);
        assertTrue(bad(b.bytes()).getMessage().contains("overlap"));
        // alignment that is not a power of two
        assertTrue(bad(header(0, 1).str("general.alignment").u32(4).u32(48).zeros(64).bytes()).getMessage().contains("power of two"));
    }

    @Test
    void randomGarbageNeverCrashesOtherwise() throws IOException {
        java.util.Random r = new java.util.Random(7);
        byte[] valid = header(1, 2).str("a").u32(8).str("xyz").str("b").u32(9).u32(4).u64(2).u32(1).u32(2)
                .str("w").u32(2).u64(4).u64(2).u32(0).u64(0).pad(32).bytes();
        byte[] full = java.util.Arrays.copyOf(valid, valid.length + 32);
        for (int trial = 0; trial < 300; trial++) {
            byte[] m = full.clone();
            for (int k = 0; k < 3; k++) m[8 + r.nextInt(m.length - 8)] = (byte) r.nextInt(256);
            Path p = write(m);
            try {
                GgufFile.open(p);
            } catch (GgufFormatException expected) {
                assertTrue(expected.getMessage().contains(p.toString()));
            }
        }
    }

    @Test
    void bufferLayoutIsLittleEndian() {
        ByteBuffer bb = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(GgufFile.MAGIC);
        assertArrayEquals("GGUF".getBytes(StandardCharsets.US_ASCII), bb.array());
    }
}
