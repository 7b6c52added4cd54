package io.mocoj.local.internal.tensor;

/**
 * F16 weights times one token (decode): each worker copies a tile of {@link #ROW_TILE} rows' half
 * precision values out of the mapping in one bulk copy, converts the whole tile to floats in one
 * loop (which the JIT turns into SIMD half-to-float instructions) and multiplies it four rows at
 * a time ({@link FloatDot#dotTile}, each row the bits of one {@link FloatDot#dot}): the same float
 * row and the same dot as the batched path ({@link Parallel#matmul} decodes rows one at a time and
 * its tile kernel gives every element {@code dot}'s bits), so
 * decode and prefill agree exactly; only the per-row calls and view allocations of a decode step
 * (about 200,000 rows for the benchmark model) are saved.
 */
final class HalfMatmul {
    /** Rows per tile: 16 rows of width 576 are 18 KB of halves and 36 KB of floats. */
    static final int ROW_TILE = 16;
    private static final ThreadLocal<short[]> HALVES = ThreadLocal.withInitial(() -> new short[0]);
    private static final ThreadLocal<float[]> ROWS = ThreadLocal.withInitial(() -> new float[0]);

    private HalfMatmul() {}

    /** {@code out[r] = W[r] · x} for every row ({@code x} already rounded to half precision). */
    static void multiply(Parallel parallel, MappedMatrix w, float[] x, float[] out) {
        int rows = w.rows();
        parallel.forChunks(rows, chunk(parallel, rows), (from, to) -> rows(w, x, out, from, to));
    }

    /** The rows per piece of {@link #multiply}. */
    static int chunk(Parallel parallel, int rows) {
        return parallel.chunk(rows, Parallel.FLOAT_PIECES, ROW_TILE, ROW_TILE);
    }

    /** {@code out[r] = W[r] · x} for {@code from <= r < to}. */
    static void rows(MappedMatrix w, float[] x, float[] out, int from, int to) {
        int rows = w.rows(), cols = w.cols();
        short[] h = HALVES.get();
        if (h.length < ROW_TILE * cols) HALVES.set(h = new short[ROW_TILE * cols]);
        float[] f = ROWS.get();
        if (f.length < ROW_TILE * cols) ROWS.set(f = new float[ROW_TILE * cols]);
        for (int r0 = from; r0 < to; r0 += ROW_TILE) {
            int n = Math.min(ROW_TILE, to - r0);
            w.copyRows(r0, n, h);
            HalfKernels.toFloat(h, 0, f, 0, n * cols);
            VectorMath.DOT.dotTile(f, cols, n, x, cols, 1, out, r0, rows); // four rows at a time, dot's bits
        }
    }
}
