package io.mocoj.local.internal.tensor;

import io.mocoj.local.gguf.GgmlType;

/** An F32 matrix held in a heap array (tensors replaced in memory, small vectors). */
public final class ArrayMatrix implements Matrix {
    private final float[] values;
    private final int rows;
    private final int cols;

    public ArrayMatrix(float[] values, int rows, int cols) {
        if ((long) rows * cols != values.length) {
            throw new IllegalArgumentException("matrix " + rows + "x" + cols + " needs " + (long) rows * cols + " values, got " + values.length);
        }
        this.values = values;
        this.rows = rows;
        this.cols = cols;
    }

    @Override public int rows() { return rows; }

    @Override public int cols() { return cols; }

    @Override public GgmlType type() { return GgmlType.F32; }

    @Override
    public float dotRow(int row, float[] x, int xOff) {
        return VectorMath.dot(values, row * cols, x, xOff, cols);
    }

    @Override
    public void decodeRow(int row, float[] dst, int off) {
        System.arraycopy(values, row * cols, dst, off, cols);
    }

    @Override
    public float[] toFloats() { return values.clone(); }
}
