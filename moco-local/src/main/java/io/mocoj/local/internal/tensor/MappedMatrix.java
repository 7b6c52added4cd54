package io.mocoj.local.internal.tensor;

import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.gguf.GgufTensorData;
import java.nio.ByteBuffer;

/** A matrix read directly from memory-mapped GGUF data (never copied to the heap). */
public final class MappedMatrix implements Matrix {
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<byte[]> BYTES = ThreadLocal.withInitial(() -> new byte[0]);
    private static final ThreadLocal<ByteBuffer> HEAP = ThreadLocal.withInitial(() -> ByteBuffer.allocate(0));
    private static final ThreadLocal<short[]> HALVES = ThreadLocal.withInitial(() -> new short[0]);
    private final GgufTensorData data;
    private final GgmlType type;
    private final int rows;
    private final int cols;

    public MappedMatrix(GgufTensorData data) {
        this.data = data;
        this.type = data.info().type();
        if (!GgmlCodec.supports(type)) {
            throw new UnsupportedOperationException("tensor " + data.info().name() + " has type " + type
                    + ", which this engine cannot compute with (supported: F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q6_K)");
        }
        this.cols = Math.toIntExact(data.info().rowLength());
        this.rows = Math.toIntExact(data.info().rowCount());
    }

    @Override public int rows() { return rows; }

    @Override public int cols() { return cols; }

    @Override public GgmlType type() { return type; }

    /** The underlying mapped data. */
    public GgufTensorData data() { return data; }

    /**
     * Row · x as the forward pass computes it: the row decoded to floats ({@link #decodeRow}) and a
     * float dot ({@link VectorMath#dot}), so one token and a batch of tokens give identical bits.
     */
    @Override
    public float dotRow(int row, float[] x, int xOff) {
        float[] scratch = SCRATCH.get();
        if (scratch.length < cols) SCRATCH.set(scratch = new float[cols]);
        decodeRow(row, scratch, 0);
        return VectorMath.dot(scratch, 0, x, xOff, cols);
    }

    @Override
    public void decodeRow(int row, float[] dst, int off) {
        ByteBuffer window = data.windowOf(row);
        int at = data.offsetOf(row);
        if (type == GgmlType.F32) {
            window.asFloatBuffer().get(at / 4, dst, off, cols);
            return;
        }
        if (type == GgmlType.F16) {
            // bulk copy, then a conversion loop the JIT turns into SIMD half-to-float instructions
            short[] halves = HALVES.get();
            if (halves.length < cols) HALVES.set(halves = new short[cols]);
            window.asShortBuffer().get(at / 2, halves, 0, cols);
            for (int i = 0; i < cols; i++) dst[off + i] = Float.float16ToFloat(halves[i]);
            return;
        }
        // one bulk copy of the row's blocks, then decoding from the heap (far cheaper than element reads of the mapping)
        byte[] bytes = rowBytes(row);
        switch (type) {
            case Q8_0 -> VectorMath.DOT.decodeQ8_0(bytes, cols / 32, dst, off);
            case Q4_0 -> VectorMath.DOT.decodeQ4_0(bytes, cols / 32, dst, off);
            default -> GgmlCodec.decode(type, HEAP.get(), 0, dst, off, cols);
        }
    }

    /** Copies the encoded bytes of row {@code row} ({@code data().rowBytes()} of them) to {@code dst[off ..]}. */
    public void copyRow(int row, byte[] dst, int off) {
        data.windowOf(row).get(data.offsetOf(row), dst, off, data.rowBytes());
    }

    /**
     * Copies the encoded bytes of rows {@code r0 .. r0+n} to {@code dst[0 ..]}, back to back: one
     * bulk copy when the rows share a mapping window (rows are contiguous inside a window), else
     * row by row. A decode step copies about 200,000 rows of a 135M model, so the per-call cost counts.
     */
    public void copyRows(int r0, int n, byte[] dst) {
        if (inOneWindow(r0, n)) data.windowOf(r0).get(data.offsetOf(r0), dst, 0, n * data.rowBytes());
        else for (int i = 0; i < n; i++) copyRow(r0 + i, dst, i * data.rowBytes());
    }

    /** As {@link #copyRows(int, int, byte[])} for F16 rows, as half-precision bit patterns ({@code cols} per row). */
    public void copyRows(int r0, int n, short[] dst) {
        if (inOneWindow(r0, n)) {
            data.windowOf(r0).asShortBuffer().get(data.offsetOf(r0) / 2, dst, 0, n * cols);
        } else {
            for (int i = 0; i < n; i++) data.windowOf(r0 + i).asShortBuffer().get(data.offsetOf(r0 + i) / 2, dst, i * cols, cols);
        }
    }

    /** As {@link #copyRows(int, int, byte[])} for F32 rows, as floats ({@code cols} per row). */
    public void copyRows(int r0, int n, float[] dst) {
        if (inOneWindow(r0, n)) {
            data.windowOf(r0).asFloatBuffer().get(data.offsetOf(r0) / 4, dst, 0, n * cols);
        } else {
            for (int i = 0; i < n; i++) data.windowOf(r0 + i).asFloatBuffer().get(data.offsetOf(r0 + i) / 4, dst, i * cols, cols);
        }
    }

    private boolean inOneWindow(int r0, int n) {
        int per = data.rowsPerWindow();
        return r0 / per == (r0 + n - 1) / per;
    }

    /**
     * The encoded bytes of a row, copied into a per-thread buffer (valid until this thread's next
     * call; its first {@code data().rowBytes()} bytes are the row).
     */
    public byte[] rowBytes(int row) {
        byte[] bytes = BYTES.get();
        if (bytes.length < data.rowBytes() || HEAP.get().capacity() != bytes.length) {
            if (bytes.length < data.rowBytes()) BYTES.set(bytes = new byte[data.rowBytes()]);
            HEAP.set(ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN));
        }
        data.windowOf(row).get(data.offsetOf(row), bytes, 0, data.rowBytes());
        return bytes;
    }
}
