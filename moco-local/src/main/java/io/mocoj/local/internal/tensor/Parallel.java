package io.mocoj.local.internal.tensor;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Splits index ranges into a fixed number of pieces, run on one worker pool shared by the whole
 * process (every model and trainer), so loading many models starts no new threads. The pool has
 * as many workers as the machine has cores; asking for more threads than that splits the work
 * finer but runs at most that many pieces at once. Results never depend on the split.
 */
public final class Parallel implements AutoCloseable {
    /** Work on the index range {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** Name prefix of the shared pool's worker threads. */
    public static final String WORKER_PREFIX = "moco-local-worker-";

    private static final class Shared {
        static final ForkJoinPool POOL = create();

        private static ForkJoinPool create() {
            java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
            ForkJoinPool.ForkJoinWorkerThreadFactory factory = pool -> {
                java.util.concurrent.ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                t.setName(WORKER_PREFIX + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            return new ForkJoinPool(Math.max(1, Runtime.getRuntime().availableProcessors()), factory, null, false);
        }
    }

    private final int threads;
    private final ForkJoinPool pool;
    /** A decoded weight row per worker thread (no allocation per product). */
    private static final ThreadLocal<float[]> ROW = ThreadLocal.withInitial(() -> new float[0]);

    public Parallel(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        this.threads = threads;
        this.pool = threads == 1 ? null : Shared.POOL;
    }

    public int threads() { return threads; }

    /** Runs {@code body} over {@code [0, n)} in about {@code threads} pieces of at least {@code minChunk}. */
    public void forRange(int n, int minChunk, RangeBody body) {
        if (n <= 0) return;
        int pieces = Math.min(threads, Math.max(1, n / Math.max(1, minChunk)));
        if (pool == null || pieces == 1) {
            body.run(0, n);
            return;
        }
        int chunk = (n + pieces - 1) / pieces;
        pool.invoke(new Split(body, 0, n, chunk));
    }

    private static final class Split extends RecursiveAction {
        private final RangeBody body;
        private final int from, to, chunk;

        Split(RangeBody body, int from, int to, int chunk) {
            this.body = body;
            this.from = from;
            this.to = to;
            this.chunk = chunk;
        }

        @Override
        protected void compute() {
            if (to - from <= chunk) {
                body.run(from, to);
                return;
            }
            int mid = from + ((to - from) / chunk / 2) * chunk;
            if (mid <= from) mid = from + chunk;
            invokeAll(new Split(body, from, mid, chunk), new Split(body, mid, to, chunk));
        }
    }

    /**
     * {@code out[t*rows + r] = W[r] · x[t*cols ..]} for every token {@code t < batch}: a batched
     * matrix-vector product parallel over rows. With several tokens each row is decoded once and
     * reused for the whole batch.
     */
    public void matmul(Matrix w, float[] x, int batch, float[] out) {
        if (w instanceof LowRankSum sum) {
            lowRank(sum, x, batch, out);
            return;
        }
        int rows = w.rows(), cols = w.cols();
        // ggml multiplies quantised weights with activations quantised to Q8_0 (Q8_0, Q4_0, Q5_0 weights),
        // Q8_1 (Q4_1, Q5_1) or Q8_K (K-quants), and half-precision weights with activations rounded to the same
        // half type; quantising and dequantising them here reproduces its block sums to float rounding (for
        // Q8_0 exactly: an f16 scale times a 7-bit integer is exact in float). Q8_1 also carries each block's
        // sum as a half-precision number, used with the weights' minimum; minDelta corrects for its rounding.
        float[] minDelta = w.type() == io.mocoj.local.gguf.GgmlType.Q4_1 || w.type() == io.mocoj.local.gguf.GgmlType.Q5_1
                ? Q8Activations.q8_1SumRounding(x, batch * cols) : null;
        switch (w.type()) {
            case Q8_0, Q4_0, Q4_1, Q5_0, Q5_1 -> x = Q8Activations.roundTrip(x, batch * cols);
            case Q4_K, Q6_K -> x = Q8Activations.roundTripQ8K(x, batch * cols);
            case F16 -> x = Q8Activations.roundTripF16(x, batch * cols);
            case BF16 -> x = Q8Activations.roundTripBf16(x, batch * cols);
            default -> { }
        }
        float[] xs = x;
        // every type and batch size: each row decoded once to floats (reused for the whole batch) and
        // SIMD float dots, so results do not depend on the batch size or the thread split
        // a few tokens of Q8_0 / Q4_0 weights: fused decode-and-dot on the row's bytes, in the same
        // arithmetic order as decoding and dotting (so the bits are the same as for large batches)
        boolean fused = batch < 4 && w instanceof MappedMatrix && (w.type() == io.mocoj.local.gguf.GgmlType.Q8_0
                || w.type() == io.mocoj.local.gguf.GgmlType.Q4_0);
        forRange(rows, 16, (from, to) -> {
            float[] row = ROW.get();
            if (row.length < cols) ROW.set(row = new float[cols]);
            if (fused) {
                MappedMatrix m = (MappedMatrix) w;
                boolean q8 = w.type() == io.mocoj.local.gguf.GgmlType.Q8_0;
                for (int r = from; r < to; r++) {
                    byte[] bytes = m.rowBytes(r);
                    for (int t = 0; t < batch; t++) {
                        out[t * rows + r] = q8 ? VectorMath.DOT.dotQ8_0(bytes, cols / 32, xs, t * cols, row)
                                : VectorMath.DOT.dotQ4_0(bytes, cols / 32, xs, t * cols, row);
                    }
                }
                return;
            }
            for (int r = from; r < to; r++) {
                w.decodeRow(r, row, 0);
                VectorMath.DOT.dotMany(row, xs, cols, batch, cols, out, r, rows);
            }
            if (minDelta != null) {
                MappedMatrix m = (MappedMatrix) w;
                int blocks = cols / 32, bytes = w.type().blockBytes();
                for (int r = from; r < to; r++) {
                    java.nio.ByteBuffer buf = m.data().windowOf(r);
                    int at = m.data().offsetOf(r);
                    for (int t = 0; t < batch; t++) {
                        float c = 0;
                        for (int b = 0; b < blocks; b++) {
                            c += GgmlCodec.f16(buf.getShort(at + b * bytes + 2)) * minDelta[t * blocks + b];
                        }
                        out[t * rows + r] += c;
                    }
                }
            }
        });
    }

    /** {@code W x + Σ scale · B (A x)}: the base in its stored type, each term in F32. */
    private void lowRank(LowRankSum w, float[] x, int batch, float[] out) {
        matmul(w.base(), x, batch, out);
        int rows = w.rows();
        float[] delta = new float[batch * rows];
        for (LowRankSum.Term t : w.terms()) {
            float[] ax = new float[batch * t.a().rows()];
            matmul(t.a(), t.halfActivations() ? Q8Activations.roundTripF16(x, batch * w.cols()) : x, batch, ax);
            matmul(t.b(), t.halfActivations() ? Q8Activations.roundTripF16(ax, ax.length) : ax, batch, delta);
            float s = t.scale();
            for (int i = 0; i < delta.length; i++) out[i] += s * delta[i];
        }
    }

    /** Nothing to release: the worker pool is shared by the process and its idle workers end by themselves. */
    @Override
    public void close() {
    }
}
