package io.mocoj.local.internal.tensor;

import io.mocoj.local.gguf.GgmlType;

/**
 * Q4_K and Q6_K weights times activations quantised to Q8_K, as ggml multiplies them: the batch's
 * activations are quantised once, each worker copies a tile of weight rows out of the mapping and
 * multiplies every row with the whole batch through the fused kernel: whole tiles of tokens
 * (prefill) through {@link KQuantDot#dotRowTiles} with the activations rearranged token-minor once
 * per product, the remaining tokens (and decode) through {@link KQuantDot#dotRow}. Both give a
 * token the same bits, so decode and prefill, and every thread split, agree exactly.
 */
final class KQuantMatmul {
    /** The kernel in use: SIMD when the Vector API is present (and not disabled), else plain Java. */
    static final KQuantDot KERNEL = VectorMath.simd() ? simd() : KQuantDot.SCALAR;
    /** Weight rows copied per tile: 16 rows at width 1536 are ~13 KB of Q4_K blocks. */
    private static final int ROW_TILE = 16;
    /** Fewest activation blocks (256 values) quantised per piece: a decode step's 2-6 blocks stay on the caller. */
    private static final int QUANTISE_BLOCKS = 16;
    private static final ThreadLocal<byte[]> TILE = ThreadLocal.withInitial(() -> new byte[0]);

    private KQuantMatmul() {}

    private static KQuantDot simd() {
        try {
            return (KQuantDot) Class.forName("io.mocoj.local.internal.tensor.simd.VectorKQuantDot").getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            return KQuantDot.SCALAR;
        }
    }

    /** Whether {@link #multiply} handles {@code w}. */
    static boolean handles(Matrix w) {
        return w instanceof MappedMatrix && (w.type() == GgmlType.Q4_K || w.type() == GgmlType.Q6_K);
    }

    /** {@code out[t*rows + r] = W[r] · x[t*cols ..]} for every token {@code t < batch}, split over rows by {@code parallel}. */
    static void multiply(Parallel parallel, MappedMatrix w, float[] x, int batch, float[] out) {
        int rows = w.rows(), cols = w.cols(), blocks = cols / 256, rowBytes = w.data().rowBytes();
        float[] xq = new float[batch * cols];
        float[] dy = new float[batch * blocks];
        int[] bsum = new int[batch * cols / 16];
        // quantised block by block and rearranged tile by tile, split over the team (no bit depends on the split)
        parallel.forRange(batch * blocks, QUANTISE_BLOCKS, (from, to) -> Q8Activations.quantizeQ8K(x, 256 * from, 256 * to, xq, dy, bsum));
        boolean q6 = w.type() == GgmlType.Q6_K;
        // prefill: whole tiles of tokens through the token-minor kernel, the rest token by token (same bits)
        int width = KERNEL.tokenTile(), tiles = width == 0 ? 0 : batch / width, tiled = tiles * width, rest = batch - tiled;
        KQuantDot.TokenTiles tt = tiles == 0 ? null : KQuantDot.TokenTiles.allocate(width, tiles, cols);
        if (tt != null) parallel.forRange(tiles, 1, (from, to) -> tt.copy(from, to, xq, dy, bsum));
        float[] rq = tiles == 0 ? xq : java.util.Arrays.copyOfRange(xq, tiled * cols, batch * cols);
        float[] rd = tiles == 0 ? dy : java.util.Arrays.copyOfRange(dy, tiled * blocks, batch * blocks);
        int[] rb = tiles == 0 ? bsum : java.util.Arrays.copyOfRange(bsum, tiled * cols / 16, batch * cols / 16);
        parallel.forRange(rows, ROW_TILE, (from, to) -> {
            byte[] tile = TILE.get();
            if (tile.length < ROW_TILE * rowBytes) TILE.set(tile = new byte[ROW_TILE * rowBytes]);
            for (int r0 = from; r0 < to; r0 += ROW_TILE) {
                int n = Math.min(ROW_TILE, to - r0);
                w.copyRows(r0, n, tile);
                if (tt != null) KERNEL.dotRowTiles(q6, tile, 0, rowBytes, n, blocks, tt, out, r0, rows);
                if (rest > 0) {
                    for (int i = 0; i < n; i++) KERNEL.dotRow(q6, tile, i * rowBytes, blocks, rq, rd, rb, rest, out, tiled * rows + r0 + i, rows);
                }
            }
        });
    }
}
