package io.mocoj.local.gguf;

import io.mocoj.local.internal.tensor.GgmlCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Writes GGUF version 3 files: typed metadata, then tensor infos, then tensor data, each tensor
 * aligned to {@link #alignment()} bytes (32 unless {@code general.alignment} says otherwise), the
 * layout llama.cpp expects. Tensors given as floats are encoded to F32, F16, BF16, Q8_0 or Q4_0;
 * already-encoded tensors of any type can be copied as bytes. The file is written to a temporary
 * sibling and moved into place, so a failed write never leaves a half-written model.
 */
public final class GgufWriter {
    private record Entry(GgufValueType type, GgufValueType elementType, Object value) {}

    private record PendingTensor(String name, long[] dims, GgmlType type, Supplier<float[]> floats,
                                 Supplier<ByteBuffer> encoded, long byteSize) {}

    private final Map<String, Entry> metadata = new LinkedHashMap<>();
    private final Map<String, PendingTensor> tensors = new LinkedHashMap<>();
    private int alignment = GgufFile.DEFAULT_ALIGNMENT;

    public int alignment() { return alignment; }

    /** Sets the data alignment (a power of two) and records it as {@code general.alignment} when not 32. */
    public GgufWriter alignment(int bytes) {
        if (bytes <= 0 || (bytes & (bytes - 1)) != 0) throw new IllegalArgumentException("alignment must be a power of two, was " + bytes);
        alignment = bytes;
        if (bytes != GgufFile.DEFAULT_ALIGNMENT) metadata.put("general.alignment", new Entry(GgufValueType.UINT32, null, (long) bytes));
        else metadata.remove("general.alignment");
        return this;
    }

    public GgufWriter putString(String key, String value) { return put(key, GgufValueType.STRING, value); }

    public GgufWriter putUInt32(String key, long value) { return put(key, GgufValueType.UINT32, value); }

    public GgufWriter putInt32(String key, long value) { return put(key, GgufValueType.INT32, value); }

    public GgufWriter putUInt64(String key, long value) { return put(key, GgufValueType.UINT64, value); }

    public GgufWriter putFloat32(String key, double value) { return put(key, GgufValueType.FLOAT32, value); }

    public GgufWriter putBool(String key, boolean value) { return put(key, GgufValueType.BOOL, value); }

    /**
     * Puts a scalar value of the given type ({@link Number} for numeric types, {@link Boolean},
     * {@link String}).
     */
    public GgufWriter put(String key, GgufValueType type, Object value) {
        Objects.requireNonNull(key, "key");
        if (type == GgufValueType.ARRAY) throw new IllegalArgumentException("use putArray for array metadata '" + key + "'");
        checkScalar(key, type, value);
        if (key.equals("general.alignment")) {
            alignment(Math.toIntExact(((Number) value).longValue()));
            metadata.put(key, new Entry(type, null, value));
            return this;
        }
        metadata.put(key, new Entry(type, null, value));
        return this;
    }

    /** Puts an array of scalars of one element type. */
    public GgufWriter putArray(String key, GgufValueType elementType, List<?> values) {
        Objects.requireNonNull(key, "key");
        if (elementType == GgufValueType.ARRAY) throw new IllegalArgumentException("nested arrays are not supported ('" + key + "')");
        for (Object v : values) checkScalar(key, elementType, v);
        metadata.put(key, new Entry(GgufValueType.ARRAY, elementType, List.copyOf(values)));
        return this;
    }

    /** Removes a metadata key. */
    public GgufWriter remove(String key) { metadata.remove(key); return this; }

    /** Copies every metadata entry of a file with its original types. */
    public GgufWriter copyMetadata(GgufFile file) {
        for (Map.Entry<String, Object> e : file.metadata().entrySet()) {
            GgufValueType t = file.valueType(e.getKey());
            if (t == GgufValueType.ARRAY) {
                GgufValueType et = file.arrayElementType(e.getKey());
                if (et == GgufValueType.ARRAY) continue; // nested arrays are not used by llama-family models
                putArray(e.getKey(), et, (List<?>) e.getValue());
            } else {
                put(e.getKey(), t, e.getValue());
            }
        }
        return this;
    }

    private static void checkScalar(String key, GgufValueType type, Object value) {
        boolean ok = switch (type) {
            case STRING -> value instanceof String;
            case BOOL -> value instanceof Boolean;
            case FLOAT32, FLOAT64 -> value instanceof Number;
            default -> value instanceof Number n && !(n instanceof Double) && !(n instanceof Float);
        };
        if (!ok) throw new IllegalArgumentException("metadata '" + key + "' of type " + type + " cannot hold " + value
                + (value == null ? "" : " (" + value.getClass().getSimpleName() + ")"));
    }

    /**
     * Adds a tensor given as floats, encoded to {@code type} when written.
     *
     * @param dims ggml dimensions, innermost first (for a matrix: row length, then rows)
     */
    public GgufWriter addTensor(String name, GgmlType type, long[] dims, float[] data) {
        long n = count(name, dims, type);
        if (data.length != n) throw new IllegalArgumentException("tensor " + name + " has " + data.length + " values, shape needs " + n);
        return addTensor(name, type, dims, () -> data);
    }

    /** Adds a tensor whose floats are produced only when it is written (one tensor in memory at a time). */
    public GgufWriter addTensor(String name, GgmlType type, long[] dims, Supplier<float[]> data) {
        if (!GgmlCodec.canEncode(type)) throw new IllegalArgumentException("cannot write tensor " + name + " as " + type
                + " (writable types: F32, F16, BF16, Q8_0, Q4_0)");
        long n = count(name, dims, type);
        putTensor(new PendingTensor(name, dims.clone(), type, data, null, type.bytesFor(n)));
        return this;
    }

    /** Adds a tensor from its already-encoded bytes (from position 0 to the limit of the supplied buffer). */
    public GgufWriter addEncodedTensor(String name, GgmlType type, long[] dims, Supplier<ByteBuffer> bytes) {
        long n = count(name, dims, type);
        putTensor(new PendingTensor(name, dims.clone(), type, null, bytes, type.bytesFor(n)));
        return this;
    }

    private void putTensor(PendingTensor t) {
        if (tensors.putIfAbsent(t.name(), t) != null) throw new IllegalArgumentException("tensor " + t.name() + " added twice");
    }

    private static long count(String name, long[] dims, GgmlType type) {
        if (dims.length < 1 || dims.length > 4) throw new IllegalArgumentException("tensor " + name + " needs 1 to 4 dimensions");
        long n = 1;
        for (long d : dims) {
            if (d <= 0) throw new IllegalArgumentException("tensor " + name + " has a non-positive dimension");
            n = Math.multiplyExact(n, d);
        }
        if (dims[0] % type.blockSize() != 0) {
            throw new IllegalArgumentException("tensor " + name + ": row length " + dims[0] + " is not a multiple of "
                    + type + "'s block size " + type.blockSize());
        }
        return n;
    }

    /** Writes the file (atomically replacing {@code path}). */
    public void write(Path path) throws IOException {
        Path abs = path.toAbsolutePath();
        Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            Header h = new Header();
            h.u32(GgufFile.MAGIC);
            h.u32(3);
            h.u64(tensors.size());
            h.u64(metadata.size());
            for (Map.Entry<String, Entry> e : metadata.entrySet()) {
                h.string(e.getKey());
                Entry v = e.getValue();
                h.u32(v.type().id());
                if (v.type() == GgufValueType.ARRAY) {
                    List<?> list = (List<?>) v.value();
                    h.u32(v.elementType().id());
                    h.u64(list.size());
                    for (Object o : list) h.scalar(v.elementType(), o);
                } else {
                    h.scalar(v.type(), v.value());
                }
            }
            long offset = 0;
            List<Long> offsets = new ArrayList<>();
            for (PendingTensor t : tensors.values()) {
                h.string(t.name());
                h.u32(t.dims().length);
                for (long d : t.dims()) h.u64(d);
                h.u32(t.type().id());
                h.u64(offset);
                offsets.add(offset);
                offset = align(offset + t.byteSize());
            }
            ByteBuffer header = h.finish();
            long dataStart = align(header.remaining());
            writeFully(ch, header, 0);
            long pos = dataStart;
            int i = 0;
            for (PendingTensor t : tensors.values()) {
                long at = dataStart + offsets.get(i++);
                ByteBuffer bytes;
                if (t.encoded() != null) {
                    bytes = t.encoded().get().duplicate();
                    if (bytes.remaining() != t.byteSize()) {
                        throw new IllegalArgumentException("tensor " + t.name() + ": " + bytes.remaining() + " bytes supplied, "
                                + t.byteSize() + " expected for " + t.type());
                    }
                } else {
                    float[] f = t.floats().get();
                    long n = t.byteSize() / t.type().blockBytes() * t.type().blockSize();
                    if (f.length != n) throw new IllegalArgumentException("tensor " + t.name() + " has " + f.length + " values, shape needs " + n);
                    bytes = ByteBuffer.allocate(Math.toIntExact(t.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
                    GgmlCodec.encode(t.type(), f, 0, f.length, bytes, 0);
                }
                writeFully(ch, bytes, at);
                pos = at + t.byteSize();
            }
            // pad the end so the last tensor is followed by alignment padding, as ggml writes it
            long end = align(pos);
            if (end > pos) writeFully(ch, ByteBuffer.allocate((int) (end - pos)), pos);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private long align(long v) { return (v + alignment - 1) / alignment * alignment; }

    private static void writeFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        long p = at;
        while (b.hasRemaining()) p += ch.write(b, p);
    }

    /** A growable little-endian buffer for the header. */
    private static final class Header {
        private ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);

        private void ensure(int n) {
            if (buf.remaining() >= n) return;
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n)).order(ByteOrder.LITTLE_ENDIAN);
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }

        void u32(long v) { ensure(4); buf.putInt((int) v); }

        void u64(long v) { ensure(8); buf.putLong(v); }

        void string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            ensure(b.length);
            buf.put(b);
        }

        void scalar(GgufValueType type, Object v) {
            switch (type) {
                case UINT8, INT8 -> { ensure(1); buf.put((byte) ((Number) v).longValue()); }
                case UINT16, INT16 -> { ensure(2); buf.putShort((short) ((Number) v).longValue()); }
                case UINT32, INT32 -> u32(((Number) v).longValue());
                case UINT64, INT64 -> u64(((Number) v).longValue());
                case FLOAT32 -> { ensure(4); buf.putFloat(((Number) v).floatValue()); }
                case FLOAT64 -> { ensure(8); buf.putDouble(((Number) v).doubleValue()); }
                case BOOL -> { ensure(1); buf.put((byte) (((Boolean) v) ? 1 : 0)); }
                case STRING -> string((String) v);
                case ARRAY -> throw new IllegalArgumentException("nested arrays are not supported");
            }
        }

        ByteBuffer finish() { return buf.flip(); }
    }
}
