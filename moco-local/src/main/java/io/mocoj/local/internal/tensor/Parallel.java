package io.mocoj.local.internal.tensor;

import io.mocoj.local.gguf.GgmlType;

/**
 * Splits index ranges into a fixed number of pieces, run by the calling thread together with one
 * team of helper threads shared by the whole process (every model and trainer), so loading many
 * models starts no new threads. The team has one helper fewer than the machine has cores (the
 * caller is the last member); asking for more threads than cores splits the work finer but runs
 * at most that many pieces at once. Results never depend on the split or on which thread runs a
 * piece: every piece writes its own outputs with the same arithmetic.
 *
 * <p>A decode step hands about 240 small products to the team, so the hand-off is kept cheap, as
 * ggml's thread pool does: a helper that has finished a piece spins on the next job for a short
 * while ({@value #DEFAULT_SPIN_MICROS} µs by default, system property {@code
 * mocoj.local.spinMicros}) before it parks, and the caller spins on the helpers' last piece
 * before it parks. Pieces are taken from a shared counter, so a helper that is slow to wake (a
 * loaded machine) leaves its piece to the caller instead of holding it up. The team serves one
 * caller at a time; a second caller (another session's thread, or a body that itself calls
 * {@link #forRange}) runs its range on its own thread.
 */
public final class Parallel implements AutoCloseable {
    /** Work on the index range {@code [from, to)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /** Name prefix of the shared team's helper threads. */
    public static final String WORKER_PREFIX = "moco-local-worker-";
    /** How long an idle helper (and a waiting caller) spins before it parks, by default. */
    public static final int DEFAULT_SPIN_MICROS = 400;

    private final int threads;
    private final Team team;
    /** Per calling thread: the activations of an F16 product rounded to half precision. */
    private static final ThreadLocal<float[]> HALF_X = ThreadLocal.withInitial(() -> new float[0]);
    /** A decoded weight row per worker thread (no allocation per product). */
    private static final ThreadLocal<float[]> ROW = ThreadLocal.withInitial(() -> new float[0]);

    public Parallel(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        this.threads = threads;
        this.team = threads == 1 ? null : Team.SHARED;
    }

    public int threads() { return threads; }

    /** Runs {@code body} over {@code [0, n)} in about {@code threads} pieces of at least {@code minChunk}. */
    public void forRange(int n, int minChunk, RangeBody body) {
        if (n <= 0) return;
        int pieces = Math.min(threads, Math.max(1, n / Math.max(1, minChunk)));
        run(n, (n + pieces - 1) / pieces, body);
    }

    /**
     * Runs {@code body} over {@code [0, n)} in pieces of {@code chunk} indices (the last one
     * shorter), as many as there are; the team's members take them one at a time from a shared
     * counter, so a member whose pieces were cheap (or that started early) takes more of them.
     * For work whose cost varies along the range (causal attention: the last query reads the
     * most keys) or that must stay balanced when one member is delayed. Which member runs a
     * piece never changes its result.
     */
    public void forChunks(int n, int chunk, RangeBody body) {
        if (n <= 0) return;
        run(n, Math.max(1, chunk), body);
    }

    /**
     * A chunk for splitting {@code n} indices into about {@code perThread} pieces per thread, a
     * multiple of {@code align} and at least {@code min}; {@code n} (one piece) with one thread.
     */
    public int chunk(int n, int perThread, int align, int min) {
        if (threads == 1) return Math.max(1, n);
        int c = (n + perThread * threads - 1) / (perThread * threads);
        c = (c + align - 1) / align * align;
        return Math.max(Math.max(1, min), c);
    }

    private void run(int n, int chunk, RangeBody body) {
        int pieces = (n + chunk - 1) / chunk;
        if (team == null || pieces == 1 || !team.run(body, n, chunk, Math.min(threads, team.size() + 1) - 1)) {
            if (pieces == 1) {
                body.run(0, n);
            } else {
                // the same pieces, one after the other on this thread
                for (int from = 0; from < n; from += chunk) body.run(from, Math.min(n, from + chunk));
            }
        }
    }

    /**
     * The helper threads and the one job they work on. A job is published by a volatile write of
     * {@link #job}; helpers take piece numbers from the job's counter until none is left, and the
     * member finishing the last piece wakes the caller if it parked.
     */
    static final class Team {
        static final Team SHARED = new Team(Math.max(0, Runtime.getRuntime().availableProcessors() - 1),
                Long.getLong("mocoj.local.spinMicros", DEFAULT_SPIN_MICROS) * 1000L);

        private static final class Job {
            final RangeBody body;
            final int n, pieces, chunk, helpers;
            final Thread caller;
            final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            final java.util.concurrent.atomic.AtomicInteger remaining;
            volatile boolean callerParked;
            volatile Throwable failure;

            Job(RangeBody body, int n, int chunk, int helpers, Thread caller) {
                this.body = body;
                this.n = n;
                this.chunk = chunk;
                this.pieces = (n + chunk - 1) / chunk;
                this.helpers = helpers;
                this.caller = caller;
                this.remaining = new java.util.concurrent.atomic.AtomicInteger(this.pieces);
            }

            /** Runs pieces until none is left; wakes the caller after the last one. */
            void work() {
                int p;
                while ((p = next.getAndIncrement()) < pieces) {
                    int from = p * chunk;
                    try {
                        if (from < n) body.run(from, Math.min(n, from + chunk));
                    } catch (Throwable t) {
                        failure = t;
                    }
                    if (remaining.decrementAndGet() == 0 && callerParked) java.util.concurrent.locks.LockSupport.unpark(caller);
                }
            }
        }

        private final Thread[] helpers;
        private final java.util.concurrent.atomic.AtomicBoolean busy = new java.util.concurrent.atomic.AtomicBoolean();
        /** Per helper: parked (or about to park) waiting for a job. */
        private final java.util.concurrent.atomic.AtomicIntegerArray parked;
        private final long spinNanos;
        private volatile Job job;

        Team(int size, long spinNanos) {
            this.spinNanos = spinNanos;
            this.helpers = new Thread[size];
            this.parked = new java.util.concurrent.atomic.AtomicIntegerArray(size);
            for (int i = 0; i < size; i++) {
                int index = i;
                Thread t = new Thread(() -> helperLoop(index), WORKER_PREFIX + (i + 1));
                t.setDaemon(true);
                helpers[i] = t;
                t.start();
            }
        }

        int size() { return helpers.length; }

        /**
         * Runs the job with {@code helpers} helpers and the calling thread; false (nothing run)
         * when the team is serving another caller.
         */
        boolean run(RangeBody body, int n, int chunk, int wanted) {
            if (wanted <= 0 || !busy.compareAndSet(false, true)) return false;
            try {
                Job j = new Job(body, n, chunk, wanted, Thread.currentThread());
                job = j;
                for (int i = 0; i < wanted; i++) {
                    if (parked.get(i) != 0) java.util.concurrent.locks.LockSupport.unpark(helpers[i]);
                }
                j.work();
                if (j.remaining.get() != 0) awaitPieces(j);
                Throwable t = j.failure;
                if (t instanceof RuntimeException e) throw e;
                if (t instanceof Error e) throw e;
                if (t != null) throw new IllegalStateException(t);
                return true;
            } finally {
                busy.set(false);
            }
        }

        private void awaitPieces(Job j) {
            long start = System.nanoTime();
            while (j.remaining.get() != 0) {
                if (System.nanoTime() - start < spinNanos) {
                    Thread.onSpinWait();
                    continue;
                }
                j.callerParked = true;
                if (j.remaining.get() != 0) java.util.concurrent.locks.LockSupport.parkNanos(j, 1_000_000L);
            }
        }

        private void helperLoop(int index) {
            Job seen = null;
            while (true) {
                Job j = job;
                long start = System.nanoTime();
                while (j == seen) {
                    Thread.onSpinWait();
                    j = job;
                    if (j == seen && System.nanoTime() - start > spinNanos) {
                        parked.set(index, 1);
                        if ((j = job) == seen) java.util.concurrent.locks.LockSupport.park(this);
                        parked.set(index, 0);
                        j = job;
                        start = System.nanoTime();
                    }
                }
                seen = j;
                if (index < j.helpers) j.work();
            }
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
        if (w instanceof MappedMatrix m && (w.type() == GgmlType.Q8_0 || w.type() == GgmlType.Q4_0)) {
            quantisedMatmul(m, x, batch, out);
            return;
        }
        if (KQuantMatmul.handles(w)) {
            KQuantMatmul.multiply(this, (MappedMatrix) w, x, batch, out);
            return;
        }
        // ggml multiplies quantised weights with activations quantised to Q8_0 (Q8_0, Q4_0, Q5_0 weights),
        // Q8_1 (Q4_1, Q5_1) or Q8_K (K-quants), and half-precision weights with activations rounded to the same
        // half type; quantising and dequantising them here reproduces its block sums to float rounding (for
        // Q8_0 exactly: an f16 scale times a 7-bit integer is exact in float). Q8_1 also carries each block's
        // sum as a half-precision number, used with the weights' minimum; minDelta corrects for its rounding.
        float[] minDelta = w.type() == GgmlType.Q4_1 || w.type() == GgmlType.Q5_1
                ? Q8Activations.q8_1SumRounding(x, batch * cols) : null;
        switch (w.type()) {
            case Q8_0, Q4_0, Q4_1, Q5_0, Q5_1 -> x = Q8Activations.roundTrip(x, batch * cols);
            case Q4_K, Q6_K -> x = Q8Activations.roundTripQ8K(x, batch * cols);
            case F16 -> {
                // rounded to half precision into a per-caller buffer (SIMD, same bits as Float.floatToFloat16)
                float[] xh = HALF_X.get();
                if (xh.length < batch * cols) HALF_X.set(xh = new float[batch * cols]);
                VectorMath.HALF.roundToHalf(x, xh, batch * cols);
                x = xh;
            }
            case BF16 -> x = Q8Activations.roundTripBf16(x, batch * cols);
            default -> { }
        }
        float[] xs = x;
        if (batch == 1 && w.type() == GgmlType.F32 && w instanceof MappedMatrix m) {
            floatDecode(m, xs, out);
            return;
        }
        if (batch == 1 && w.type() == GgmlType.F16 && w instanceof MappedMatrix m) {
            // decode: tiles of rows copied and converted at once, the same float rows and dots (HalfMatmul)
            HalfMatmul.multiply(this, m, xs, out);
            return;
        }
        // every other type and batch size: each row decoded once to floats (reused for the whole batch) and
        // SIMD float dots, so results do not depend on the batch size or the thread split
        // pieces of about a quarter of a thread's share (whole tiles of rows), taken from the team's counter,
        // so a member that is late (woken up, or descheduled on a shared machine) costs a quarter share, not half
        forChunks(rows, chunk(rows, FLOAT_PIECES, FLOAT_TILE, 16), (from, to) -> {
            float[] row = ROW.get();
            if (row.length < FLOAT_TILE * cols) ROW.set(row = new float[Math.max(FLOAT_TILE, DECODE_TILE) * cols]);
            // four rows decoded at a time and multiplied as a tile with the whole batch (each load of
            // x then serves four rows); every element still bit-identical to a single dot
            for (int r0 = from; r0 < to; r0 += FLOAT_TILE) {
                int n = Math.min(FLOAT_TILE, to - r0);
                for (int i = 0; i < n; i++) w.decodeRow(r0 + i, row, i * cols);
                VectorMath.DOT.dotTile(row, cols, n, xs, cols, batch, out, r0, rows);
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

    /** Weight rows per bulk copy of an F32 decode product ({@code mocoj.local.decodeTile}, default 4: 9 KB at width 576). */
    static final int DECODE_TILE = Integer.getInteger("mocoj.local.decodeTile", 4);

    /**
     * F32 weights times one token: tiles of {@link #DECODE_TILE} rows copied out of the mapping in
     * one bulk copy and multiplied four rows at a time ({@link FloatDot#dotTile}), every element
     * the bits of {@link FloatDot#dot} as in the batched path.
     */
    private void floatDecode(MappedMatrix w, float[] x, float[] out) {
        forChunks(w.rows(), floatDecodeChunk(w.rows()), (from, to) -> floatDecodeRows(w, x, out, from, to));
    }

    private int floatDecodeChunk(int rows) { return chunk(rows, FLOAT_PIECES, DECODE_TILE, 16); }

    /** {@code out[r] = W[r] · x} for {@code from <= r < to} (F32 weights, one token). */
    private static void floatDecodeRows(MappedMatrix w, float[] x, float[] out, int from, int to) {
        int rows = w.rows(), cols = w.cols();
        float[] tile = ROW.get();
        if (tile.length < DECODE_TILE * cols) ROW.set(tile = new float[Math.max(FLOAT_TILE, DECODE_TILE) * cols]);
        for (int r0 = from; r0 < to; r0 += DECODE_TILE) {
            int n = Math.min(DECODE_TILE, to - r0);
            w.copyRows(r0, n, tile);
            VectorMath.DOT.dotTile(tile, cols, n, x, cols, 1, out, r0, rows);
        }
    }

    /**
     * {@code outs[j] = ws[j] x} for every j, the products of one token's activations {@code x}
     * with several matrices (a layer's q, k and v, or its gate and up projections) run as one
     * parallel region: one hand-off and one wait instead of one per matrix, and the activations
     * rounded or quantised once. Every element has the bits of {@link #matmul}'s. Only for one
     * token and mapped matrices of one type among F32, F16, Q8_0 and Q4_0; anything else runs
     * the products one after the other.
     */
    public void matmuls(float[] x, int batch, Matrix[] ws, float[][] outs) {
        GgmlType type = ws[0].type();
        boolean fusable = batch == 1 && ws.length > 1 && team != null
                && (type == GgmlType.F32 || type == GgmlType.F16 || type == GgmlType.Q8_0 || type == GgmlType.Q4_0);
        for (Matrix w : ws) fusable &= w instanceof MappedMatrix && w.type() == type && w.cols() == ws[0].cols();
        if (!fusable) {
            for (int j = 0; j < ws.length; j++) matmul(ws[j], x, batch, outs[j]);
            return;
        }
        int cols = ws[0].cols();
        // the pieces of every product back to back, each the rows one piece of matmul would take
        int pieces = 0;
        int[] chunks = new int[ws.length];
        for (int j = 0; j < ws.length; j++) {
            int rows = ws[j].rows();
            chunks[j] = switch (type) {
                case F32 -> floatDecodeChunk(rows);
                case F16 -> HalfMatmul.chunk(this, rows);
                default -> chunk(rows, FLOAT_PIECES, ROW_TILE, ROW_TILE);
            };
            pieces += (rows + chunks[j] - 1) / chunks[j];
        }
        int[] matrix = new int[pieces], start = new int[pieces];
        for (int j = 0, p = 0; j < ws.length; j++) {
            for (int r = 0; r < ws[j].rows(); r += chunks[j], p++) {
                matrix[p] = j;
                start[p] = r;
            }
        }
        float[] xs = x;
        byte[] qx = null;
        float[] dx = null;
        if (type == GgmlType.F16) {
            float[] xh = HALF_X.get();
            if (xh.length < cols) HALF_X.set(xh = new float[cols]);
            VectorMath.HALF.roundToHalf(x, xh, cols);
            xs = xh;
        } else if (type != GgmlType.F32) {
            qx = new byte[cols];
            dx = new float[cols / 32];
            VectorMath.DOT.quantizeQ8_0(x, 0, cols, qx, null, dx);
        }
        float[] xr = xs;
        byte[] q = qx;
        float[] d = dx;
        forChunks(pieces, 1, (from, to) -> {
            for (int p = from; p < to; p++) {
                MappedMatrix w = (MappedMatrix) ws[matrix[p]];
                float[] out = outs[matrix[p]];
                int r0 = start[p], r1 = Math.min(w.rows(), r0 + chunks[matrix[p]]);
                switch (type) {
                    case F32 -> floatDecodeRows(w, xr, out, r0, r1);
                    case F16 -> HalfMatmul.rows(w, xr, out, r0, r1);
                    default -> quantisedRows(w, q, null, d, 1, out, r0, r1);
                }
            }
        });
    }

    /** Pieces per thread of a float product (see {@link #forChunks}). */
    static final int FLOAT_PIECES = Integer.getInteger("mocoj.local.floatPieces", 4);
    /** Weight rows decoded per tile of the float products (the SIMD tile kernel takes four rows at a time). */
    static final int FLOAT_TILE = 4;
    /** Weight rows per tile of the quantised products: 16 rows of Q8_0 at width 576 are ~10 KB of blocks. */
    static final int ROW_TILE = 16;
    /** Fewest activation blocks quantised per piece (a decode step's 18-48 blocks stay on the caller). */
    static final int QUANTISE_BLOCKS = 256;
    /** Per worker: a tile of weight rows' bytes. */
    private static final ThreadLocal<byte[]> TILE = ThreadLocal.withInitial(() -> new byte[0]);

    /**
     * Q8_0 and Q4_0 weights times activations quantised to Q8_0 (as ggml multiplies them), with
     * integer block dots. The activations of the whole batch are quantised once (for a batch, also
     * as float codes); each worker takes a tile of {@link #ROW_TILE} rows, copies their blocks out
     * of the mapping once, and multiplies it with the whole batch ({@link FloatDot#dotQuantTile}:
     * token by token for one token, a register tile of rows and tokens for a batch). Every output element has the bits of
     * the same {@link FloatDot#dotQ8_0xQ8_0} call whatever the batch size or thread split, so
     * prefill and decode agree exactly.
     */
    private void quantisedMatmul(MappedMatrix w, float[] x, int batch, float[] out) {
        int rows = w.rows(), cols = w.cols(), blocks = cols / 32;
        byte[] qx = new byte[batch * cols];
        float[] dx = new float[batch * blocks];
        FloatDot k = VectorMath.DOT;
        // with several tokens the kernel may take the codes as floats too (its register tile, same bits)
        float[] xf = batch > 1 && k.usesFloatCodes() ? new float[batch * cols] : null;
        // block by block, so the split over the team does not change a bit
        forRange(batch * blocks, QUANTISE_BLOCKS, (from, to) -> k.quantizeQ8_0(x, 32 * from, 32 * to, qx, xf, dx));
        forRange(rows, ROW_TILE, (from, to) -> quantisedRows(w, qx, xf, dx, batch, out, from, to));
    }

    /** Rows {@code from .. to} of {@link #quantisedMatmul} ({@code xf}: the codes as floats too, or null). */
    private static void quantisedRows(MappedMatrix w, byte[] qx, float[] xf, float[] dx, int batch, float[] out, int from, int to) {
        int rows = w.rows(), blocks = w.cols() / 32, rowBytes = w.data().rowBytes();
        boolean q8 = w.type() == GgmlType.Q8_0;
        FloatDot k = VectorMath.DOT;
        byte[] tile = TILE.get();
        if (tile.length < ROW_TILE * rowBytes) TILE.set(tile = new byte[ROW_TILE * rowBytes]);
        for (int r0 = from; r0 < to; r0 += ROW_TILE) {
            int n = Math.min(ROW_TILE, to - r0);
            w.copyRows(r0, n, tile);
            if (xf != null) k.dotQuantTile(!q8, tile, rowBytes, n, blocks, qx, xf, dx, batch, out, r0, rows);
            else k.dotQuantTile(!q8, tile, rowBytes, n, blocks, qx, dx, batch, out, r0, rows);
        }
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

    /** Nothing to release: the team is shared by the process and its idle helpers park. */
    @Override
    public void close() {
    }
}
