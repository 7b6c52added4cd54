package io.mocoj.methods.toolbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The GGUF (version 3) container of small trained heads: string metadata and 1-D F32 tensors,
 * 32-byte aligned, as the GGUF specification lays them out. moco-methods does not depend on
 * moco-local (whose general GGUF reader and writer check these files in the tests), so the few
 * lines needed for this one shape live here. Reading accepts any metadata value type (skipping
 * the ones it does not keep) and refuses tensors that are not 1-D F32.
 */
final class HeadGguf {
    private static final int MAGIC = 0x46554747, VERSION = 3, ALIGNMENT = 32, STRING = 8, ARRAY = 9, F32 = 0;

    record Contents(Map<String, String> strings, Map<String, float[]> tensors) {}

    private HeadGguf() {}

    static void write(Path file, Map<String, String> metadata, Map<String, float[]> tensors) throws IOException {
        Map<String, String> meta = new java.util.TreeMap<>(metadata);
        Map<String, float[]> ts = new java.util.TreeMap<>(tensors);
        int header = 4 + 4 + 8 + 8;
        for (var e : meta.entrySet()) header += str(e.getKey()) + 4 + str(e.getValue());
        long[] offsets = new long[ts.size()];
        long data = 0;
        int i = 0;
        for (var e : ts.entrySet()) {
            header += str(e.getKey()) + 4 + 8 + 4 + 8;
            offsets[i++] = data;
            data = align(data + 4L * e.getValue().length);
        }
        int start = (int) align(header);
        ByteBuffer b = ByteBuffer.allocate((int) (start + data)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putInt(VERSION).putLong(ts.size()).putLong(meta.size());
        for (var e : meta.entrySet()) {
            putString(b, e.getKey());
            b.putInt(STRING);
            putString(b, e.getValue());
        }
        i = 0;
        for (var e : ts.entrySet()) {
            putString(b, e.getKey());
            b.putInt(1).putLong(e.getValue().length).putInt(F32).putLong(offsets[i++]);
        }
        i = 0;
        for (float[] v : ts.values()) {
            b.position((int) (start + offsets[i++]));
            for (float x : v) b.putFloat(x);
        }
        Files.write(file, b.array());
    }

    static Contents read(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        try {
            if (b.getInt() != MAGIC) throw new IllegalArgumentException(file + " is not a GGUF file (bad magic)");
            int version = b.getInt();
            if (version < 2 || version > 3) throw new IllegalArgumentException(file + ": GGUF version " + version + " is not supported (2 or 3)");
            long tensorCount = b.getLong(), kvCount = b.getLong();
            Map<String, String> strings = new LinkedHashMap<>();
            long alignment = ALIGNMENT;
            for (long k = 0; k < kvCount; k++) {
                String key = getString(b);
                int type = b.getInt();
                if (type == STRING) strings.put(key, getString(b));
                else if (key.equals("general.alignment") && type == 4) alignment = Integer.toUnsignedLong(b.getInt());
                else skip(b, type);
            }
            Map<String, long[]> where = new LinkedHashMap<>();
            for (long t = 0; t < tensorCount; t++) {
                String name = getString(b);
                int dims = b.getInt();
                long n = 1;
                for (int d = 0; d < dims; d++) n *= b.getLong();
                int type = b.getInt();
                long offset = b.getLong();
                if (dims != 1 || type != F32) throw new IllegalArgumentException(file + ": tensor " + name + " is not a 1-D F32 tensor");
                where.put(name, new long[] {offset, n});
            }
            long start = (b.position() + alignment - 1) / alignment * alignment;
            Map<String, float[]> tensors = new LinkedHashMap<>();
            for (var e : where.entrySet()) {
                float[] v = new float[(int) e.getValue()[1]];
                int at = (int) (start + e.getValue()[0]);
                for (int j = 0; j < v.length; j++) v[j] = b.getFloat(at + 4 * j);
                tensors.put(e.getKey(), v);
            }
            return new Contents(strings, tensors);
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException(file + " is not a complete GGUF file (it ends early)", e);
        }
    }

    private static void skip(ByteBuffer b, int type) {
        switch (type) {
            case 0, 1, 7 -> b.position(b.position() + 1);
            case 2, 3 -> b.position(b.position() + 2);
            case 4, 5, 6 -> b.position(b.position() + 4);
            case 10, 11, 12 -> b.position(b.position() + 8);
            case STRING -> getString(b);
            case ARRAY -> {
                int element = b.getInt();
                long n = b.getLong();
                for (long i = 0; i < n; i++) skip(b, element);
            }
            default -> throw new IllegalArgumentException("unknown GGUF value type " + type);
        }
    }

    private static int str(String s) { return 8 + s.getBytes(StandardCharsets.UTF_8).length; }

    private static long align(long n) { return (n + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT; }

    private static void putString(ByteBuffer b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        b.putLong(bytes.length).put(bytes);
    }

    private static String getString(ByteBuffer b) {
        long n = b.getLong();
        if (n < 0 || n > b.remaining()) throw new IllegalArgumentException("GGUF string of " + n + " bytes runs past the end");
        byte[] bytes = new byte[(int) n];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
