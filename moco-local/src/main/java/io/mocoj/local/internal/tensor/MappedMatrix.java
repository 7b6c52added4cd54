package io.mocoj.local.internal.tensor;

import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.gguf.GgufTensorData;
import java.nio.ByteBuffer;

/** A matrix read directly from memory-mapped GGUF data (never copied to the heap). */
public final class MappedMatrix implements Matrix {
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);
    private static final ThreadLocal<byte[]> BYTES = ThreadLocal.withInitial(() -> new byte[0]);
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

    @Override
    public float dotRow(int row, float[] x, int xOff) {
        if (type == GgmlType.F32) {
            // a bulk copy of the row and an array kernel beat element-wise reads of the mapped buffer
            float[] scratch = SCRATCH.get();
            if (scratch.length < cols) SCRATCH.set(scratch = new float[cols]);
            decodeRow(row, scratch, 0);
            return VectorMath.dot(scratch, 0, x, xOff, cols);
        }
        ByteBuffer w = data.windowOf(row);
        return GgmlCodec.dot(type, w, data.offsetOf(row), x, xOff, cols);
    }

    @Override
    public void decodeRow(int row, float[] dst, int off) {
        if (type == GgmlType.F32) {
            data.windowOf(row).asFloatBuffer().get(data.offsetOf(row) / 4, dst, off, cols);
            return;
        }
        if (type == GgmlType.Q8_0) {
            byte[] bytes = BYTES.get();
            if (bytes.length < data.rowBytes()) BYTES.set(bytes = new byte[data.rowBytes()]);
            data.windowOf(row).get(data.offsetOf(row), bytes, 0, data.rowBytes());
            VectorMath.DOT.decodeQ8_0(bytes, cols / 32, dst, off);
            return;
        }
        GgmlCodec.decode(type, data.windowOf(row), data.offsetOf(row), dst, off, cols);
    }
}
