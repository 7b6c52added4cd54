package io.mocoj.local.gguf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed GGUF file (versions 2 and 3): metadata, tensor directory and memory-mapped tensor data.
 *
 * <p>Metadata values are exposed as: every integer type as {@link Long}, {@code f32}/{@code f64} as
 * {@link Double}, {@code bool} as {@link Boolean}, strings as {@link String}, arrays as
 * {@code List<Object>} with the same mapping for elements. The original on-disk types are kept
 * ({@link #valueType}, {@link #arrayElementType}) so a file can be rewritten faithfully.
 *
 * <p>Tensor data is never copied into the heap: each tensor is mapped read-only in windows of at
 * most {@link #MAX_WINDOW_BYTES} bytes holding whole rows, so files and tensors larger than 2 GB work.
 * Every count and size is checked against the file size before anything is allocated.
 */
public final class GgufFile {
    /** The magic number "GGUF" read as a little-endian u32. */
    public static final int MAGIC = 0x46554747;
    /** Alignment used when {@code general.alignment} is absent. */
    public static final int DEFAULT_ALIGNMENT = 32;
    /** Largest mapped window; a window always holds whole rows. */
    public static final long MAX_WINDOW_BYTES = 1L << 30;
    private static final int MAX_DIMS = 4;
    /** Longest tensor name, in bytes, as llama.cpp's GGML_MAX_NAME (64, with its terminating zero) allows. */
    public static final int MAX_TENSOR_NAME_BYTES = 63;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GgufFile.class);

    /**
     * File text as it may be quoted in a message: control and non-ASCII-printable characters escaped,
     * at most 64 characters, so that a corrupt length never floods a message with raw bytes.
     */
    public static String quote(String text) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < text.length() && sb.length() < 64; i++) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f) sb.append(c);
            else sb.append(String.format("\\u%04x", (int) c));
        }
        if (sb.length() >= 64 && text.length() > 0) sb.setLength(64);
        return sb.length() < escapedLength(text) ? sb + "…" : sb.toString();
    }

    private static int escapedLength(String text) {
        int n = 0;
        for (int i = 0; i < text.length(); i++) n += text.charAt(i) >= 0x20 && text.charAt(i) < 0x7f ? 1 : 6;
        return n;
    }

    private final Path path;
    private final int version;
    private final Map<String, Object> metadata;
    private final Map<String, GgufValueType> valueTypes;
    private final Map<String, GgufValueType> arrayElementTypes;
    private final List<GgufTensorInfo> tensors;
    private final Map<String, GgufTensorInfo> tensorsByName;
    private final int alignment;
    private final long dataOffset;
    private final long fileSize;
    private final Map<String, GgufTensorData> mapped = new HashMap<>();

    private GgufFile(Path path, int version, Map<String, Object> metadata, Map<String, GgufValueType> valueTypes,
                     Map<String, GgufValueType> arrayElementTypes, List<GgufTensorInfo> tensors, int alignment,
                     long dataOffset, long fileSize) {
        this.path = path;
        this.version = version;
        this.metadata = Collections.unmodifiableMap(metadata);
        this.valueTypes = Collections.unmodifiableMap(valueTypes);
        this.arrayElementTypes = Collections.unmodifiableMap(arrayElementTypes);
        this.tensors = List.copyOf(tensors);
        Map<String, GgufTensorInfo> byName = new LinkedHashMap<>();
        for (GgufTensorInfo t : tensors) byName.put(t.name(), t);
        this.tensorsByName = Collections.unmodifiableMap(byName);
        this.alignment = alignment;
        this.dataOffset = dataOffset;
        this.fileSize = fileSize;
    }

    /**
     * Reads the header, metadata and tensor directory of a GGUF file and maps its tensor data.
     *
     * @throws GgufFormatException when the file is not a well-formed GGUF v2/v3 file
     * @throws IOException         when the file cannot be read
     */
    public static GgufFile open(Path path) throws IOException {
        return open(path, MAX_WINDOW_BYTES);
    }

    /** As {@link #open(Path)} with a smaller mapping window (tests exercise multi-window tensors with it). */
    static GgufFile open(Path path, long maxWindowBytes) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            Parser p = new Parser(path, ch);
            GgufFile file = p.parse();
            for (GgufTensorInfo t : file.tensors) file.mapped.put(t.name(), file.map(ch, t, maxWindowBytes));
            return file;
        }
    }

    public Path path() { return path; }

    /** Format version (2 or 3). */
    public int version() { return version; }

    /** All metadata in file order (see the class comment for the value mapping). */
    public Map<String, Object> metadata() { return metadata; }

    /** The on-disk type of a metadata value, or null when the key is absent. */
    public GgufValueType valueType(String key) { return valueTypes.get(key); }

    /** The element type of an array metadata value, or null when the key is not an array. */
    public GgufValueType arrayElementType(String key) { return arrayElementTypes.get(key); }

    /** Tensors in file order. */
    public List<GgufTensorInfo> tensors() { return tensors; }

    /** The tensor with this name, or null. */
    public GgufTensorInfo tensor(String name) { return tensorsByName.get(name); }

    /** Data alignment in bytes. */
    public int alignment() { return alignment; }

    /** Absolute offset where the tensor data section begins. */
    public long dataOffset() { return dataOffset; }

    public long fileSize() { return fileSize; }

    /** The mapped data of a tensor of this file. */
    public GgufTensorData data(String tensorName) {
        GgufTensorData d = mapped.get(tensorName);
        if (d == null) throw new IllegalArgumentException(path + " has no tensor named '" + tensorName + "'");
        return d;
    }

    /** A metadata string, or null when absent; a value of another type is an error naming the key. */
    public String string(String key) {
        Object v = metadata.get(key);
        if (v == null) return null;
        if (v instanceof String s) return s;
        throw new GgufFormatException(path, 0, "metadata " + quote(key) + " should be a string but is " + valueTypes.get(key));
    }

    private GgufTensorData map(FileChannel ch, GgufTensorInfo t, long maxWindowBytes) throws IOException {
        long rowBytes = t.type().bytesFor(t.rowLength());
        long rows = t.rowCount();
        long rowsPerWindow = Math.max(1, maxWindowBytes / Math.max(1, rowBytes));
        if (rowBytes > Integer.MAX_VALUE) {
            throw new GgufFormatException(path, t.fileOffset(), "tensor " + t.name() + " has rows of " + rowBytes + " bytes (over 2 GB)");
        }
        int windows = Math.toIntExact((rows + rowsPerWindow - 1) / rowsPerWindow);
        ByteBuffer[] buffers = new ByteBuffer[Math.max(1, windows)];
        for (int w = 0; w < windows; w++) {
            long firstRow = w * rowsPerWindow;
            long n = Math.min(rowsPerWindow, rows - firstRow);
            buffers[w] = ch.map(FileChannel.MapMode.READ_ONLY, t.fileOffset() + firstRow * rowBytes, n * rowBytes)
                    .order(ByteOrder.LITTLE_ENDIAN);
        }
        if (windows == 0) buffers[0] = ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
        return new GgufTensorData(t, (int) rowBytes, (int) rowsPerWindow, buffers);
    }

    /** Sequential reader over the header, checking every length against the file size. */
    private static final class Parser {
        private final Path path;
        private final FileChannel ch;
        private final long size;
        private final ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        private long bufStart; // file offset of buf position 0
        private final Map<String, GgufValueType> valueTypes = new HashMap<>();
        private final Map<String, GgufValueType> arrayElementTypes = new HashMap<>();

        Parser(Path path, FileChannel ch) throws IOException {
            this.path = path;
            this.ch = ch;
            this.size = ch.size();
            buf.limit(0);
        }

        long pos() { return bufStart + buf.position(); }

        GgufFormatException error(long at, String problem) { return new GgufFormatException(path, at, problem); }

        void need(int n, String what) throws IOException {
            if (buf.remaining() >= n) return;
            long at = pos();
            if (at + n > size) {
                throw error(at, "file ends (size " + size + ") while reading " + what + "; the file is truncated");
            }
            buf.compact(); // the unread bytes (file offsets at ..) now start the buffer
            while (buf.position() < n) {
                int r = ch.read(buf, at + buf.position());
                if (r < 0) throw error(at, "unexpected end of file while reading " + what);
            }
            buf.flip();
            bufStart = at;
        }

        long remaining() { return size - pos(); }

        int u32(String what) throws IOException { need(4, what); return buf.getInt(); }

        long u64(String what) throws IOException { need(8, what); return buf.getLong(); }

        String string(String what) throws IOException { return string(what, Long.MAX_VALUE); }

        String string(String what, long maxLength) throws IOException {
            long at = pos();
            long len = u64(what + " length");
            if (len < 0 || len > remaining()) {
                throw error(at, what + " has length " + Long.toUnsignedString(len) + " but only " + remaining() + " bytes remain");
            }
            if (len > maxLength) {
                throw error(at, what + " has length " + len + ", over the " + maxLength + " bytes llama.cpp allows; the file is corrupt");
            }
            byte[] bytes = new byte[(int) len];
            int done = 0;
            while (done < len) {
                if (!buf.hasRemaining()) need(1, what);
                int n = Math.min(buf.remaining(), (int) len - done);
                buf.get(bytes, done, n);
                done += n;
            }
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                // llama.cpp does not validate UTF-8 here; keep the bytes readable rather than failing.
                invalidUtf8.add(what);
                return new String(bytes, StandardCharsets.UTF_8);
            }
        }

        private final List<String> invalidUtf8 = new ArrayList<>();
        private final List<String> oddKeys = new ArrayList<>();

        GgufFile parse() throws IOException {
            if (size < 24) throw error(0, "file has " + size + " bytes, too small for a GGUF header (24 bytes)");
            int magic = u32("magic");
            if (magic != MAGIC) {
                throw error(0, String.format("not a GGUF file: magic is 0x%08x, expected 0x%08x (\"GGUF\")", magic, MAGIC));
            }
            int version = u32("version");
            if (version == 1) throw error(4, "GGUF version 1 is not supported (only versions 2 and 3); re-convert the model");
            if (version != 2 && version != 3) throw error(4, "unsupported GGUF version " + Integer.toUnsignedString(version) + " (expected 2 or 3)");
            long countAt = pos();
            long tensorCount = u64("tensor count");
            long kvCount = u64("metadata count");
            // each metadata entry needs at least 8 (key length) + 4 (type) + 1 bytes; each tensor info at least 8+4+8+4+8.
            if (tensorCount < 0 || tensorCount > remaining() / 32) {
                throw error(countAt, "tensor count " + Long.toUnsignedString(tensorCount) + " is impossible for a file of " + size + " bytes");
            }
            if (kvCount < 0 || kvCount > remaining() / 13) {
                throw error(countAt + 8, "metadata count " + Long.toUnsignedString(kvCount) + " is impossible for a file of " + size + " bytes");
            }
            Map<String, Object> metadata = new LinkedHashMap<>();
            for (long i = 0; i < kvCount; i++) {
                long at = pos();
                String key = string("metadata key #" + i, 1 << 16);
                if (key.isEmpty()) throw error(at, "metadata key #" + i + " is empty; the file is corrupt");
                if (metadata.containsKey(key)) throw error(at, "duplicate metadata key '" + quote(key) + "'");
                if (!key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) oddKeys.add(key);
                long typeAt = pos();
                int typeId = u32("type of metadata " + quote(key));
                GgufValueType type = GgufValueType.byId(Integer.toUnsignedLong(typeId));
                if (type == null) throw error(typeAt, "metadata '" + quote(key) + "' has unknown value type " + Integer.toUnsignedString(typeId));
                valueTypes.put(key, type);
                metadata.put(key, value(type, key, 0));
            }
            if (!oddKeys.isEmpty()) {
                LOG.warn("{}: {} metadata key(s) contain spaces, control or non-ASCII characters and are probably corrupt (first: '{}'); they are kept but nothing reads them",
                        path, oddKeys.size(), quote(oddKeys.get(0)));
            }
            int alignment = DEFAULT_ALIGNMENT;
            Object a = metadata.get("general.alignment");
            if (a != null) {
                if (!(a instanceof Long l) || l <= 0 || l > (1 << 30) || (l & (l - 1)) != 0) {
                    throw error(0, "general.alignment must be a positive power of two, was " + a);
                }
                alignment = (int) (long) l;
            }
            List<GgufTensorInfo> infos = new ArrayList<>();
            long[] relOffsets = new long[(int) tensorCount];
            java.util.Set<String> names = new java.util.HashSet<>();
            for (int i = 0; i < tensorCount; i++) {
                long at = pos();
                String name = string("name of tensor #" + i, MAX_TENSOR_NAME_BYTES);
                if (name.isEmpty()) {
                    throw error(at, "tensor #" + i + " of " + tensorCount + " has an empty name; the header's tensor count ("
                            + tensorCount + ") is probably larger than the number of tensors in the file, or the file is corrupt");
                }
                if (!names.add(name)) throw error(at, "duplicate tensor name '" + quote(name) + "'");
                long dimsAt = pos();
                int nDims = u32("dimension count of tensor " + quote(name));
                if (nDims < 1 || nDims > MAX_DIMS) {
                    throw error(dimsAt, "tensor " + quote(name) + " has " + Integer.toUnsignedString(nDims) + " dimensions (1 to " + MAX_DIMS + " allowed)");
                }
                long[] dims = new long[nDims];
                long elements = 1;
                for (int d = 0; d < nDims; d++) {
                    dims[d] = u64("dimension " + d + " of tensor " + quote(name));
                    if (dims[d] <= 0) throw error(dimsAt, "tensor " + quote(name) + " has non-positive dimension " + d + " = " + Long.toUnsignedString(dims[d]));
                    try {
                        elements = Math.multiplyExact(elements, dims[d]);
                    } catch (ArithmeticException e) {
                        throw error(dimsAt, "tensor " + quote(name) + " has an element count that overflows 64 bits");
                    }
                }
                long typeAt = pos();
                int typeId = u32("type of tensor " + quote(name));
                GgmlType type = GgmlType.byId(Integer.toUnsignedLong(typeId));
                if (type == null) throw error(typeAt, "tensor " + quote(name) + " has unknown ggml type id " + Integer.toUnsignedString(typeId));
                if (dims[0] % type.blockSize() != 0) {
                    throw error(dimsAt, "tensor " + quote(name) + " of type " + type + " has row length " + dims[0]
                            + ", not a multiple of the block size " + type.blockSize());
                }
                long offAt = pos();
                long off = u64("data offset of tensor " + quote(name));
                if (off < 0 || off % alignment != 0) {
                    throw error(offAt, "tensor " + quote(name) + " has data offset " + Long.toUnsignedString(off) + ", not a multiple of the alignment " + alignment);
                }
                relOffsets[i] = off;
                long bytes = elements / type.blockSize();
                if (bytes > Long.MAX_VALUE / type.blockBytes()) throw error(dimsAt, "tensor " + quote(name) + " is absurdly large");
                infos.add(new GgufTensorInfo(name, dims, type, off, bytes * type.blockBytes()));
            }
            long headerEnd = pos();
            long dataOffset = (headerEnd + alignment - 1) / alignment * alignment;
            List<GgufTensorInfo> placed = new ArrayList<>(infos.size());
            for (GgufTensorInfo t : infos) {
                long start = dataOffset + t.fileOffset();
                if (t.fileOffset() > size || start > size || t.byteSize() > size - start) {
                    throw error(headerEnd, "tensor " + quote(t.name()) + " needs bytes " + start + ".." + (start + t.byteSize())
                            + " but the file has only " + size + " bytes; the file is truncated or corrupt");
                }
                placed.add(new GgufTensorInfo(t.name(), t.dimensions(), t.type(), start, t.byteSize()));
            }
            checkOverlaps(placed, headerEnd);
            checkLayout(infos, dataOffset, alignment, headerEnd);
            return new GgufFile(path, version, metadata, valueTypes, arrayElementTypes, placed, alignment, dataOffset, size);
        }

        /**
         * The layout llama.cpp writes and expects: tensors stored in directory order, each at the running
         * data size rounded up to the alignment, and the file ending with the last tensor's data (plus at
         * most its padding). A wrong tensor count or a shifted header shows up here as a tensor at an
         * unexpected offset or as data left over after the last tensor.
         */
        private void checkLayout(List<GgufTensorInfo> infos, long dataOffset, int alignment, long headerEnd) {
            long expected = 0;
            for (GgufTensorInfo t : infos) {
                if (t.fileOffset() != expected) {
                    throw error(headerEnd, "tensor " + quote(t.name()) + " has data offset " + t.fileOffset() + " but " + expected
                            + " was expected (tensors are stored in order, each aligned to " + alignment + " bytes); the file is corrupt");
                }
                expected = (t.fileOffset() + t.byteSize() + alignment - 1) / alignment * alignment;
            }
            long lastEnd = infos.isEmpty() ? 0 : infos.get(infos.size() - 1).fileOffset() + infos.get(infos.size() - 1).byteSize();
            long dataSize = size - dataOffset;
            if (dataSize > expected || (!infos.isEmpty() && dataSize < lastEnd)) {
                throw error(headerEnd, "the data section holds " + dataSize + " bytes but the " + infos.size() + " tensors of the header need "
                        + lastEnd + (expected != lastEnd ? " (" + expected + " with padding)" : "")
                        + "; the header's tensor count or a tensor's size is wrong, or the file has trailing data");
            }
        }

        private void checkOverlaps(List<GgufTensorInfo> placed, long at) {
            List<GgufTensorInfo> sorted = new ArrayList<>(placed);
            sorted.sort(java.util.Comparator.comparingLong(GgufTensorInfo::fileOffset));
            for (int i = 1; i < sorted.size(); i++) {
                GgufTensorInfo prev = sorted.get(i - 1), cur = sorted.get(i);
                if (prev.fileOffset() + prev.byteSize() > cur.fileOffset()) {
                    throw error(at, "tensors " + quote(prev.name()) + " and " + quote(cur.name()) + " overlap in the data section");
                }
            }
        }

        private Object value(GgufValueType type, String key, int depth) throws IOException {
            return switch (type) {
                case UINT8 -> { need(1, key); yield (long) (buf.get() & 0xFF); }
                case INT8 -> { need(1, key); yield (long) buf.get(); }
                case UINT16 -> { need(2, key); yield (long) (buf.getShort() & 0xFFFF); }
                case INT16 -> { need(2, key); yield (long) buf.getShort(); }
                case UINT32 -> { need(4, key); yield Integer.toUnsignedLong(buf.getInt()); }
                case INT32 -> { need(4, key); yield (long) buf.getInt(); }
                case UINT64, INT64 -> { need(8, key); yield buf.getLong(); }
                case FLOAT32 -> { need(4, key); yield (double) buf.getFloat(); }
                case FLOAT64 -> { need(8, key); yield buf.getDouble(); }
                case BOOL -> {
                    long at = pos();
                    need(1, key);
                    byte b = buf.get();
                    if (b != 0 && b != 1) throw error(at, "metadata '" + quote(key) + "' is a bool with value " + b + " (expected 0 or 1)");
                    yield b == 1;
                }
                case STRING -> string("metadata '" + quote(key) + "'");
                case ARRAY -> {
                    if (depth > 8) throw error(pos(), "metadata '" + quote(key) + "' nests arrays more than 8 deep");
                    long at = pos();
                    int et = u32("element type of metadata " + quote(key));
                    GgufValueType elementType = GgufValueType.byId(Integer.toUnsignedLong(et));
                    if (elementType == null) throw error(at, "array metadata '" + quote(key) + "' has unknown element type " + Integer.toUnsignedString(et));
                    long count = u64("length of array " + quote(key));
                    if (count < 0 || count > remaining() / elementType.minBytes()) {
                        throw error(at + 4, "array metadata '" + quote(key) + "' claims " + Long.toUnsignedString(count)
                                + " elements but only " + remaining() + " bytes remain");
                    }
                    if (depth == 0) arrayElementTypes.put(key, elementType);
                    List<Object> list = new ArrayList<>((int) count);
                    for (long i = 0; i < count; i++) list.add(value(elementType, key, depth + 1));
                    yield Collections.unmodifiableList(list);
                }
            };
        }
    }
}
