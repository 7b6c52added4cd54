package io.mocoj.local.internal.tensor;

import io.mocoj.local.gguf.GgmlType;

/**
 * A read-only weight matrix of {@code rows × cols} values stored in some ggml type. The forward
 * pass only needs row dot products and row decoding, so quantised data is used where it lies.
 * (A 1-D tensor is a matrix with one row.)
 */
public interface Matrix {
    int rows();

    int cols();

    GgmlType type();

    /** Dot product of row {@code row} with {@code x[xOff .. xOff+cols)}. */
    float dotRow(int row, float[] x, int xOff);

    /** Decodes row {@code row} into {@code dst[off .. off+cols)}. */
    void decodeRow(int row, float[] dst, int off);

    /** All values, row-major, as a fresh array. */
    default float[] toFloats() {
        long n = (long) rows() * cols();
        if (n > Integer.MAX_VALUE - 8) throw new IllegalStateException("tensor of " + n + " values does not fit in a Java array");
        float[] out = new float[(int) n];
        for (int r = 0; r < rows(); r++) decodeRow(r, out, r * cols());
        return out;
    }
}
