package io.mocoj.local.internal.tensor.simd;

import io.mocoj.local.internal.tensor.KQuantDot;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link KQuantDot} with the Vector API. For a batch, per 256-value block the weight codes are
 * unpacked once into floats already multiplied by their sub-block scale (exact integers: at most
 * 15·63 for Q4_K, 63·128 for Q6_K), then each token's block is a run of float multiply-adds with
 * its activation codes, four (or, in token tiles, sixteen) tokens sharing each weight load. For one
 * token (decode) the codes are taken straight from the block's bytes in int lanes and nothing is
 * unpacked to memory. Every lane's partial sum is an exact integer (below
 * 2<sup>24</sup>), so the integer sums the class comment of {@link KQuantDot} names come out exact
 * and the float combination after them is the plain kernel's: both kernels give the same bits.
 */
public final class VectorKQuantDot implements KQuantDot {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    /** Bytes with as many lanes as {@link #S}, or null when the block layout does not fit (fewer than 8 lanes). */
    private static final VectorSpecies<Byte> B = L >= 8 && 16 % L == 0
            ? VectorSpecies.of(byte.class, VectorShape.forBitSize(8 * L)) : null;

    /** Weight rows per prefill tile (system properties {@code mocoj.local.q4kRows}, {@code mocoj.local.q6kRows}; measured in docs/performance.md). */
    private static final int Q4K_ROWS = Integer.getInteger("mocoj.local.q4kRows", 4), Q6K_ROWS = Integer.getInteger("mocoj.local.q6kRows", 2);
    /** Floats left unused at each end of a prefill scratch array (one cache line). */
    private static final int PAD = 16;
    /** Per worker: one block's unpacked weights (256), four tokens' position sums (Q6_K, 4·32), then 8 float accumulators per token. */
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    @Override
    public void dotRow(boolean q6, byte[] w, int wOff, int blocks, float[] xq, float[] dy, int[] bsum, int tokens,
            float[] out, int outOff, int outStride) {
        if (B == null || (q6 && L != 16)) {
            KQuantDot.super.dotRow(q6, w, wOff, blocks, xq, dy, bsum, tokens, out, outOff, outStride);
            return;
        }
        if (tokens == 1 && L == 16) {
            out[outOff] = q6 ? q6kOne(w, wOff, blocks, xq, dy, bsum) : q4kOne(w, wOff, blocks, xq, dy, bsum);
            return;
        }
        int accAt = 256 + 128, need = accAt + 8 * tokens;
        float[] s = SCRATCH.get();
        if (s.length < need) SCRATCH.set(s = new float[need]);
        java.util.Arrays.fill(s, accAt, need, 0f);
        int cols = 256 * blocks;
        int[] lanes = new int[8], mins = new int[8];
        for (int b = 0; b < blocks; b++) {
            int p = wOff + (q6 ? 210 : 144) * b;
            float d = KQuantDot.half(w, p + (q6 ? 208 : 0)), dmin = q6 ? 0 : KQuantDot.half(w, p + 2);
            if (q6) {
                unpackQ6K(w, p, s);
            } else {
                unpackQ4K(w, p, s);
                for (int j = 0; j < 8; j++) mins[j] = KQuantDot.q4kMin(w, p + 4, j);
            }
            // four tokens at a time share each load of the unpacked weights
            int t = 0;
            for (; t + 3 < tokens; t += 4) {
                int x0 = t * cols + 256 * b, x1 = x0 + cols, x2 = x1 + cols, x3 = x2 + cols;
                if (q6) {
                    for (int half = 0; half < 32; half += 16) {
                        FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
                        for (int g = half; g < 256; g += 32) {
                            for (int i = g; i < g + 16; i += L) {
                                FloatVector v = FloatVector.fromArray(S, s, i);
                                s0 = v.fma(FloatVector.fromArray(S, xq, x0 + i), s0);
                                s1 = v.fma(FloatVector.fromArray(S, xq, x1 + i), s1);
                                s2 = v.fma(FloatVector.fromArray(S, xq, x2 + i), s2);
                                s3 = v.fma(FloatVector.fromArray(S, xq, x3 + i), s3);
                            }
                        }
                        s0.intoArray(s, 256 + half);
                        s1.intoArray(s, 288 + half);
                        s2.intoArray(s, 320 + half);
                        s3.intoArray(s, 352 + half);
                    }
                    for (int k = 0; k < 4; k++) {
                        q6kFinish(w, p, d, s, 256 + 32 * k, bsum, (x0 + k * cols) / 16, dy[(t + k) * blocks + b], accAt + 8 * (t + k), lanes);
                    }
                } else {
                    FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
                    for (int i = 0; i < 256; i += L) {
                        FloatVector v = FloatVector.fromArray(S, s, i);
                        s0 = v.fma(FloatVector.fromArray(S, xq, x0 + i), s0);
                        s1 = v.fma(FloatVector.fromArray(S, xq, x1 + i), s1);
                        s2 = v.fma(FloatVector.fromArray(S, xq, x2 + i), s2);
                        s3 = v.fma(FloatVector.fromArray(S, xq, x3 + i), s3);
                    }
                    q4kFinish(((IntVector) s0.convert(VectorOperators.F2I, 0)).reduceLanes(VectorOperators.ADD), d, dmin, mins, bsum, x0 / 16, dy[t * blocks + b], s, accAt + 8 * t);
                    q4kFinish(((IntVector) s1.convert(VectorOperators.F2I, 0)).reduceLanes(VectorOperators.ADD), d, dmin, mins, bsum, x1 / 16, dy[(t + 1) * blocks + b], s, accAt + 8 * (t + 1));
                    q4kFinish(((IntVector) s2.convert(VectorOperators.F2I, 0)).reduceLanes(VectorOperators.ADD), d, dmin, mins, bsum, x2 / 16, dy[(t + 2) * blocks + b], s, accAt + 8 * (t + 2));
                    q4kFinish(((IntVector) s3.convert(VectorOperators.F2I, 0)).reduceLanes(VectorOperators.ADD), d, dmin, mins, bsum, x3 / 16, dy[(t + 3) * blocks + b], s, accAt + 8 * (t + 3));
                }
            }
            for (; t < tokens; t++) {
                int x = t * cols + 256 * b;
                if (q6) {
                    for (int half = 0; half < 32; half += 16) {
                        FloatVector sum = FloatVector.zero(S);
                        for (int g = half; g < 256; g += 32) {
                            for (int i = g; i < g + 16; i += L) sum = FloatVector.fromArray(S, s, i).fma(FloatVector.fromArray(S, xq, x + i), sum);
                        }
                        sum.intoArray(s, 256 + half);
                    }
                    q6kFinish(w, p, d, s, 256, bsum, x / 16, dy[t * blocks + b], accAt + 8 * t, lanes);
                } else {
                    FloatVector sum = FloatVector.zero(S);
                    for (int i = 0; i < 256; i += L) sum = FloatVector.fromArray(S, s, i).fma(FloatVector.fromArray(S, xq, x + i), sum);
                    q4kFinish(((IntVector) sum.convert(VectorOperators.F2I, 0)).reduceLanes(VectorOperators.ADD), d, dmin, mins, bsum, x / 16, dy[t * blocks + b], s, accAt + 8 * t);
                }
            }
        }
        for (int t = 0; t < tokens; t++) {
            int a = accAt + 8 * t;
            out[outOff + t * outStride] = q6 ? KQuantDot.sum8(s, a) : s[a] - s[a + 1];
        }
    }

    /**
     * Q4_K decode (one token, 16 lanes): the codes are multiplied with the activations straight from
     * the block's bytes (no unpacked copy), two products per lane and sub-block, then scaled by the
     * sub-block scale into one accumulator (exact: at most 8·63·2·15·127 per lane); the integer
     * block sum is the same integer as {@link #dotRow}'s, and the float steps are {@link #q4kFinish}'s.
     */
    private static float q4kOne(byte[] w, int wOff, int blocks, float[] xq, float[] dy, int[] bsum) {
        float sum = 0, mins = 0;
        for (int b = 0; b < blocks; b++) {
            int p = wOff + 144 * b, x = 256 * b;
            // the eight 6-bit scales (lanes 0-7) and minimums (lanes 8-15) from the 12 packed bytes at p+4, in int lanes
            IntVector packed = (IntVector) ByteVector.fromArray(B16, w, p + 4).convertShape(VectorOperators.B2I, I, 0);
            IntVector scm = packed.rearrange(SM_LOW).lanewise(VectorOperators.ASHR, SM_SHIFT).and(SM_MASK)
                    .or(packed.rearrange(SM_HIGH).lanewise(VectorOperators.ASHR, 2).and(SM_HIGH_MASK));
            FloatVector scales = ((FloatVector) scm.convert(VectorOperators.I2F, 0));
            FloatVector tot = FloatVector.zero(S);
            for (int c = 0; c < 4; c++) {
                // the 32 bytes of sub-blocks 2c (low nibbles) and 2c+1 (high nibbles) widened to int lanes
                IntVector v0 = (IntVector) ByteVector.fromArray(B16, w, p + 16 + 32 * c).convertShape(VectorOperators.B2I, I, 0);
                IntVector v1 = (IntVector) ByteVector.fromArray(B16, w, p + 32 + 32 * c).convertShape(VectorOperators.B2I, I, 0);
                int o = x + 64 * c;
                FloatVector lo = ((FloatVector) v1.and(0xF).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(S, xq, o + 16),
                        ((FloatVector) v0.and(0xF).convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(S, xq, o)));
                FloatVector hi = ((FloatVector) v1.lanewise(VectorOperators.ASHR, 4).and(0xF).convert(VectorOperators.I2F, 0)).fma(FloatVector.fromArray(S, xq, o + 48),
                        ((FloatVector) v0.lanewise(VectorOperators.ASHR, 4).and(0xF).convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(S, xq, o + 32)));
                tot = lo.fma(scales.rearrange(LANE[2 * c]), tot);
                tot = hi.fma(scales.rearrange(LANE[2 * c + 1]), tot);
            }
            int sumi = ((IntVector) tot.convert(VectorOperators.F2I, 0)).reduceLanes(VectorOperators.ADD);
            // minimum j (lane 8+j) times the code sum of sub-block j (the 16-value sums 2j and 2j+1)
            IntVector groups = IntVector.fromArray(I, bsum, x / 16);
            int summ = scm.mul(groups.rearrange(EVEN1).add(groups.rearrange(ODD1))).and(HIGH_HALF).reduceLanes(VectorOperators.ADD);
            // KQuantDot.half written out (C2 does not inline calls into this method once it is large)
            float dyb = dy[b];
            float d = Float.float16ToFloat((short) ((w[p] & 0xFF) | (w[p + 1] << 8)));
            float dmin = Float.float16ToFloat((short) ((w[p + 2] & 0xFF) | (w[p + 3] << 8)));
            sum = Math.fma((float) sumi, d * dyb, sum);
            mins = Math.fma((float) summ, dmin * dyb, mins);
        }
        return sum - mins;
    }

    /*
     * Q4_K's 12 scale bytes b[0..12): scale j < 4 is b[j] & 63, scale j >= 4 is (b[j+4] & 15) | (b[j-4] >> 6) << 4;
     * minimum j < 4 is b[j+4] & 63, minimum j >= 4 is (b[j+4] >> 4) | (b[j] >> 6) << 4. Per lane (scales 0-7, then
     * minimums 0-7): the byte of the low bits, its shift and mask, and the byte whose top two bits are bits 4-5.
     */
    private static final VectorShuffle<Integer> SM_LOW = VectorShuffle.fromValues(I, 0, 1, 2, 3, 8, 9, 10, 11, 4, 5, 6, 7, 8, 9, 10, 11);
    private static final IntVector SM_SHIFT = IntVector.fromArray(I, new int[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 4, 4}, 0);
    private static final IntVector SM_MASK = IntVector.fromArray(I, new int[] {63, 63, 63, 63, 15, 15, 15, 15, 63, 63, 63, 63, 15, 15, 15, 15}, 0);
    private static final VectorShuffle<Integer> SM_HIGH = VectorShuffle.fromValues(I, 0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 0, 0, 4, 5, 6, 7);
    private static final IntVector SM_HIGH_MASK = IntVector.fromArray(I, new int[] {0, 0, 0, 0, 0x30, 0x30, 0x30, 0x30, 0, 0, 0, 0, 0x30, 0x30, 0x30, 0x30}, 0);
    private static final IntVector HIGH_HALF = IntVector.fromArray(I, new int[] {0, 0, 0, 0, 0, 0, 0, 0, -1, -1, -1, -1, -1, -1, -1, -1}, 0);
    /** Lane i + 4 and lane i + 2 to lane i (within each group of eight). */
    private static final VectorShuffle<Float> LANE_PLUS_4 = VectorShuffle.fromOp(S, i -> (i & 8) | ((i + 4) & 7)),
            LANE_PLUS_2 = VectorShuffle.fromOp(S, i -> (i & 8) | ((i + 2) & 7));
    /** Shuffles broadcasting lane k to every lane. */
    @SuppressWarnings("unchecked")
    private static final VectorShuffle<Float>[] LANE = new VectorShuffle[16];
    static {
        for (int k = 0; k < 16; k++) {
            int lane = k;
            LANE[k] = VectorShuffle.fromOp(S, i -> lane);
        }
    }

    /** 16 bytes, widened to 16 int lanes (sign-extended; every use masks the bits it takes). */
    private static final VectorSpecies<Byte> B16 = ByteVector.SPECIES_128;
    /** Lane indexes 0, 2, .., 30 and 1, 3, .., 31 over two vectors (the even and odd lanes of a pair of vectors). */
    private static final VectorShuffle<Integer> EVEN2 = VectorShuffle.fromOp(I, i -> 2 * i), ODD2 = VectorShuffle.fromOp(I, i -> 2 * i + 1);
    /** Lane indexes 0, 2, .., 14 and 1, 3, .., 15 within one vector, twice. */
    private static final VectorShuffle<Integer> EVEN1 = VectorShuffle.fromOp(I, i -> (2 * i) & 15), ODD1 = VectorShuffle.fromOp(I, i -> (2 * i + 1) & 15);

    /**
     * Q6_K decode (one token, 16 lanes): the 6-bit codes assembled in int lanes straight from the
     * block's bytes (no unpacked copy), each 16-value group's products with the activations
     * fused-multiply-added with its scale into one of two accumulators (positions 0-15 and 16-31
     * of every 32-value group; 8 products each, at most 8·128·63·127 &lt; 2<sup>24</sup>: exact);
     * then ggml's eight lanes (sums of four neighbouring positions) and their offset correction in
     * int lanes, and the per-block float step of {@link KQuantDot#dotRow} for the eight lanes at
     * once. The same integers and float operations as {@link #dotRow}: the same bits.
     */
    private static float q6kOne(byte[] w, int wOff, int blocks, float[] xq, float[] dy, int[] bsum) {
        FloatVector acc = FloatVector.zero(S);
        for (int b = 0; b < blocks; b++) {
            int p = wOff + 210 * b, x = 256 * b;
            FloatVector lo = FloatVector.zero(S), hi = lo;
            for (int h = 0; h < 2; h++) {
                int ql = p + 64 * h, qh = p + 128 + 32 * h, sc = p + 192 + 8 * h, o = x + 128 * h;
                for (int m = 0; m < 32; m += 16) {
                    IntVector a = (IntVector) ByteVector.fromArray(B16, w, ql + m).convertShape(VectorOperators.B2I, I, 0);
                    IntVector c = (IntVector) ByteVector.fromArray(B16, w, ql + 32 + m).convertShape(VectorOperators.B2I, I, 0);
                    IntVector u = (IntVector) ByteVector.fromArray(B16, w, qh + m).convertShape(VectorOperators.B2I, I, 0);
                    IntVector q1 = a.and(0xF).or(u.and(3).lanewise(VectorOperators.LSHL, 4));
                    IntVector q2 = c.and(0xF).or(u.lanewise(VectorOperators.LSHL, 2).and(0x30));
                    IntVector q3 = a.lanewise(VectorOperators.ASHR, 4).and(0xF).or(u.and(0x30));
                    IntVector q4 = c.lanewise(VectorOperators.ASHR, 4).and(0xF).or(u.lanewise(VectorOperators.ASHR, 2).and(0x30));
                    int g = sc + m / 16;
                    FloatVector t = ((FloatVector) q1.convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(S, xq, o + m)).mul((float) w[g]);
                    t = ((FloatVector) q2.convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(S, xq, o + 32 + m)).fma(FloatVector.broadcast(S, (float) w[g + 2]), t);
                    t = ((FloatVector) q3.convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(S, xq, o + 64 + m)).fma(FloatVector.broadcast(S, (float) w[g + 4]), t);
                    t = ((FloatVector) q4.convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(S, xq, o + 96 + m)).fma(FloatVector.broadcast(S, (float) w[g + 6]), t);
                    if (m == 0) lo = lo.add(t); else hi = hi.add(t);
                }
            }
            // pairs of neighbouring positions: lanes 0-7 from positions 0-15, 8-15 from 16-31; lane m belongs to ggml lane m/2
            IntVector li = (IntVector) lo.convert(VectorOperators.F2I, 0), hj = (IntVector) hi.convert(VectorOperators.F2I, 0);
            IntVector pairs = li.rearrange(EVEN2, hj).add(li.rearrange(ODD2, hj));
            // the codes' offset of 32: scale times code sum of each 16-value group g, which belongs to ggml lane g/2
            IntVector corr = ((IntVector) ByteVector.fromArray(B16, w, p + 192).convertShape(VectorOperators.B2I, I, 0)).mul(IntVector.fromArray(I, bsum, x / 16)).lanewise(VectorOperators.LSHL, 5);
            IntVector z = pairs.sub(corr);
            IntVector lanes = z.rearrange(EVEN1).add(z.rearrange(ODD1));
            // KQuantDot.half and sum8 written out: this method is too large for C2 to inline even small calls
            float d = Float.float16ToFloat((short) ((w[p + 208] & 0xFF) | (w[p + 209] << 8)));
            acc = FloatVector.broadcast(S, dy[b] * d).fma((FloatVector) lanes.convert(VectorOperators.I2F, 0), acc);
        }
        // ggml's sum of eight lanes, ((a0+a4)+(a2+a6))+((a1+a5)+(a3+a7))
        FloatVector r = acc.add(acc.rearrange(LANE_PLUS_4));
        r = r.add(r.rearrange(LANE_PLUS_2));
        return r.lane(0) + r.lane(1);
    }

    @Override
    public int tokenTile() { return B != null && L == 16 ? 16 : 0; }

    /*
     * The prefill form. Its hot methods are written so that C2's inlining decisions cannot change
     * their speed: no method here takes or returns a vector (a vector crossing a call C2 does not
     * inline is boxed, and whether C2 inlines a call depends on its node budget and on what it
     * compiled before, which differs between JVM starts), and each one is small enough to be
     * compiled whole: the row drivers (scalars only) call an unpacking method per row and block and
     * a tile method per block and tile of tokens, each taking arrays, offsets and scalars.
     */

    /**
     * Sixteen tokens per vector lane (activations token-minor): per position of the block one
     * broadcast of the unpacked weight and one fused multiply-add serve all sixteen tokens, with
     * the accumulators split so that each sums at most 128 (Q4_K) or 16 (Q6_K) products, exact
     * integers below 2<sup>24</sup>; the integer block sums then come out exactly as in {@link
     * #dotRow} and the float steps after them are its steps, lane by lane: the same bits per token.
     * Q4_K runs four rows per tile (each activation load serves four rows), Q6_K two.
     */
    @Override
    public void dotRowTiles(boolean q6, byte[] w, int wOff, int rowBytes, int rows, int blocks, TokenTiles x,
            float[] out, int outOff, int outStride) {
        dotRowTiles(q6, q6 ? Q6K_ROWS : Q4K_ROWS, w, wOff, rowBytes, rows, blocks, x, out, outOff, outStride);
    }

    /** {@link #dotRowTiles} with {@code n} rows per tile (1, 2, or for Q4_K 4; the rest one by one): the same bits for every n. */
    public void dotRowTiles(boolean q6, int n, byte[] w, int wOff, int rowBytes, int rows, int blocks, TokenTiles x,
            float[] out, int outOff, int outStride) {
        int r = 0;
        for (; r + n - 1 < rows; r += n) rowTiles(q6, n, w, wOff + r * rowBytes, rowBytes, blocks, x, out, outOff + r, outStride);
        for (; r < rows; r++) rowTiles(q6, 1, w, wOff + r * rowBytes, rowBytes, blocks, x, out, outOff + r, outStride);
    }

    /**
     * {@code n} rows (back to back, {@code rowBytes} apart) times every token tile. Scratch: the
     * rows' unpacked blocks (256 floats each), then per row and tile the accumulators (Q4_K: 16
     * scale sums, 16 minimum sums; Q6_K: eight lanes of 16).
     */
    private static void rowTiles(boolean q6, int n, byte[] w, int wOff, int rowBytes, int blocks, TokenTiles x,
            float[] out, int outOff, int outStride) {
        int tiles = x.tiles(), cols = x.cols(), groups = cols / 16;
        // PAD floats unused at both ends: another thread's scratch may sit next to this one in memory (after a GC
        // has moved both), and writes to one array's last cache line must not hit reads of the other's first
        int accAt = PAD + 1024, per = q6 ? 8 * 16 : 2 * 16, need = accAt + 4 * per * tiles + PAD;
        float[] s = SCRATCH.get();
        if (s.length < need) SCRATCH.set(s = new float[need]);
        java.util.Arrays.fill(s, accAt, need - PAD, 0f);
        float[] xq = x.xq(), dy = x.dy();
        int[] bsum = x.bsum();
        int[] mins = new int[32];
        float[] scales = new float[8];
        int rowAcc = per * tiles;
        for (int b = 0; b < blocks; b++) {
            for (int i = 0; i < n; i++) {
                int p = wOff + i * rowBytes + (q6 ? 210 : 144) * b;
                if (q6) {
                    unpackQ6K16(w, p, s, PAD + 256 * i);
                    scales[i] = KQuantDot.half(w, p + 208);
                } else {
                    unpackQ4K16(w, p, s, PAD + 256 * i);
                    scales[i] = KQuantDot.half(w, p);
                    scales[4 + i] = KQuantDot.half(w, p + 2);
                    for (int j = 0; j < 8; j++) mins[8 * i + j] = KQuantDot.q4kMin(w, p + 4, j);
                }
            }
            for (int tile = 0; tile < tiles; tile++) {
                int xo = (tile * cols + 256 * b) * 16, bo = (tile * groups + 16 * b) * 16, a = accAt + per * tile;
                int dyo = (tile * blocks + b) * 16;
                if (q6 && n == 2) {
                    q6kTile2(w, wOff + 210 * b, rowBytes, s, PAD, xq, xo, bsum, bo, scales[0], scales[1], dy, dyo, a, a + rowAcc);
                } else if (q6) {
                    q6kTile(w, wOff + 210 * b, s, PAD, xq, xo, bsum, bo, scales[0], dy, dyo, a);
                } else if (n == 4) {
                    q4kTile4(s, PAD, xq, xo, bsum, bo, mins, scales, dy, dyo, a, rowAcc);
                } else if (n == 2) {
                    q4kTile2(s, PAD, xq, xo, bsum, bo, mins, scales[0], scales[4], scales[1], scales[5], dy, dyo, a, a + rowAcc);
                } else {
                    q4kTile(s, PAD, xq, xo, bsum, bo, mins, scales[0], scales[4], dy, dyo, a);
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int tile = 0; tile < tiles; tile++) {
                finishTile(q6, s, accAt + i * rowAcc + per * tile, out, outOff + i + tile * 16 * outStride, outStride);
            }
        }
    }

    /** A tile's sixteen results from its accumulators at {@code s[a ..]} to {@code out[o + j·outStride]}. */
    private static void finishTile(boolean q6, float[] s, int a, float[] out, int o, int outStride) {
        FloatVector r;
        if (q6) {
            // ggml's sum of eight lanes, ((a0+a4)+(a2+a6))+((a1+a5)+(a3+a7)), for sixteen tokens at once
            FloatVector r0 = FloatVector.fromArray(S, s, a + 64).add(FloatVector.fromArray(S, s, a));
            FloatVector r1 = FloatVector.fromArray(S, s, a + 80).add(FloatVector.fromArray(S, s, a + 16));
            FloatVector r2 = FloatVector.fromArray(S, s, a + 96).add(FloatVector.fromArray(S, s, a + 32));
            FloatVector r3 = FloatVector.fromArray(S, s, a + 112).add(FloatVector.fromArray(S, s, a + 48));
            r = r0.add(r2).add(r1.add(r3));
        } else {
            r = FloatVector.fromArray(S, s, a).sub(FloatVector.fromArray(S, s, a + 16));
        }
        r.intoArray(s, PAD); // the unpacked blocks are no longer needed
        for (int j = 0; j < 16; j++) out[o + j * outStride] = s[PAD + j];
    }

    /**
     * Q4_K, one block for a tile of four rows (unpacked at {@code s[u + 256i ..]}), each activation
     * load serving the four: two accumulators per row (even and odd positions, 128 products each,
     * at most 128·945·127 &lt; 2<sup>24</sup>: exact), each converted to int and added; the minimum
     * sums in int; then per row and token the two fused multiply-adds of {@link #q4kFinish}.
     * {@code ds} holds the rows' {@code d} (0-3) and {@code dmin} (4-7), {@code mins} their eight
     * minimums each; row i's accumulators are at {@code a + i·rowAcc}.
     */
    private static void q4kTile4(float[] s, int u, float[] xq, int xo, int[] bsum, int bo, int[] mins, float[] ds,
            float[] dy, int dyo, int a, int rowAcc) {
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        for (int i = 0; i < 256; i += 2) {
            int o = xo + 16 * i;
            FloatVector xa = FloatVector.fromArray(S, xq, o), xb = FloatVector.fromArray(S, xq, o + 16);
            c0 = FloatVector.broadcast(S, s[u + i]).fma(xa, c0);
            c1 = FloatVector.broadcast(S, s[u + i + 1]).fma(xb, c1);
            c2 = FloatVector.broadcast(S, s[u + 256 + i]).fma(xa, c2);
            c3 = FloatVector.broadcast(S, s[u + 257 + i]).fma(xb, c3);
            c4 = FloatVector.broadcast(S, s[u + 512 + i]).fma(xa, c4);
            c5 = FloatVector.broadcast(S, s[u + 513 + i]).fma(xb, c5);
            c6 = FloatVector.broadcast(S, s[u + 768 + i]).fma(xa, c6);
            c7 = FloatVector.broadcast(S, s[u + 769 + i]).fma(xb, c7);
        }
        IntVector i0 = ((IntVector) c0.convert(VectorOperators.F2I, 0)).add((IntVector) c1.convert(VectorOperators.F2I, 0));
        IntVector i1 = ((IntVector) c2.convert(VectorOperators.F2I, 0)).add((IntVector) c3.convert(VectorOperators.F2I, 0));
        IntVector i2 = ((IntVector) c4.convert(VectorOperators.F2I, 0)).add((IntVector) c5.convert(VectorOperators.F2I, 0));
        IntVector i3 = ((IntVector) c6.convert(VectorOperators.F2I, 0)).add((IntVector) c7.convert(VectorOperators.F2I, 0));
        IntVector m0 = IntVector.zero(I), m1 = m0, m2 = m0, m3 = m0;
        for (int j = 0; j < 8; j++) {
            IntVector bs = IntVector.fromArray(I, bsum, bo + 32 * j).add(IntVector.fromArray(I, bsum, bo + 32 * j + 16));
            m0 = m0.add(bs.mul(mins[j]));
            m1 = m1.add(bs.mul(mins[8 + j]));
            m2 = m2.add(bs.mul(mins[16 + j]));
            m3 = m3.add(bs.mul(mins[24 + j]));
        }
        FloatVector dyv = FloatVector.fromArray(S, dy, dyo);
        int a1 = a + rowAcc, a2 = a1 + rowAcc, a3 = a2 + rowAcc;
        ((FloatVector) i0.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(S, ds[0]).mul(dyv), FloatVector.fromArray(S, s, a)).intoArray(s, a);
        ((FloatVector) i1.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(S, ds[1]).mul(dyv), FloatVector.fromArray(S, s, a1)).intoArray(s, a1);
        ((FloatVector) i2.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(S, ds[2]).mul(dyv), FloatVector.fromArray(S, s, a2)).intoArray(s, a2);
        ((FloatVector) i3.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(S, ds[3]).mul(dyv), FloatVector.fromArray(S, s, a3)).intoArray(s, a3);
        ((FloatVector) m0.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(S, ds[4]).mul(dyv), FloatVector.fromArray(S, s, a + 16)).intoArray(s, a + 16);
        ((FloatVector) m1.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(S, ds[5]).mul(dyv), FloatVector.fromArray(S, s, a1 + 16)).intoArray(s, a1 + 16);
        ((FloatVector) m2.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(S, ds[6]).mul(dyv), FloatVector.fromArray(S, s, a2 + 16)).intoArray(s, a2 + 16);
        ((FloatVector) m3.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(S, ds[7]).mul(dyv), FloatVector.fromArray(S, s, a3 + 16)).intoArray(s, a3 + 16);
    }

    /**
     * Q4_K, one block for a tile of two rows (unpacked at {@code s[u ..]} and {@code s[u + 256 ..]}),
     * each activation load serving both: four accumulators per row by position mod 4 (64 products
     * each, at most 7.7·10<sup>6</sup>), summed two and two in float (exact) and the halves in int.
     */
    private static void q4kTile2(float[] s, int u, float[] xq, int xo, int[] bsum, int bo, int[] mins,
            float d, float dmin, float e, float emin, float[] dy, int dyo, int a, int a1) {
        FloatVector dyv = FloatVector.fromArray(S, dy, dyo);
        FloatVector dd = FloatVector.broadcast(S, d).mul(dyv), dm = FloatVector.broadcast(S, dmin).mul(dyv);
        FloatVector ed = FloatVector.broadcast(S, e).mul(dyv), em = FloatVector.broadcast(S, emin).mul(dyv);
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, e0 = c0, e1 = c0, e2 = c0, e3 = c0;
        for (int i = 0; i < 256; i += 4) {
            int o = xo + 16 * i;
            FloatVector xa = FloatVector.fromArray(S, xq, o);
            c0 = FloatVector.broadcast(S, s[u + i]).fma(xa, c0);
            e0 = FloatVector.broadcast(S, s[u + 256 + i]).fma(xa, e0);
            xa = FloatVector.fromArray(S, xq, o + 16);
            c1 = FloatVector.broadcast(S, s[u + i + 1]).fma(xa, c1);
            e1 = FloatVector.broadcast(S, s[u + 257 + i]).fma(xa, e1);
            xa = FloatVector.fromArray(S, xq, o + 32);
            c2 = FloatVector.broadcast(S, s[u + i + 2]).fma(xa, c2);
            e2 = FloatVector.broadcast(S, s[u + 258 + i]).fma(xa, e2);
            xa = FloatVector.fromArray(S, xq, o + 48);
            c3 = FloatVector.broadcast(S, s[u + i + 3]).fma(xa, c3);
            e3 = FloatVector.broadcast(S, s[u + 259 + i]).fma(xa, e3);
        }
        IntVector sumi = ((IntVector) c0.add(c1).convert(VectorOperators.F2I, 0)).add((IntVector) c2.add(c3).convert(VectorOperators.F2I, 0));
        IntVector sumi1 = ((IntVector) e0.add(e1).convert(VectorOperators.F2I, 0)).add((IntVector) e2.add(e3).convert(VectorOperators.F2I, 0));
        IntVector summ = IntVector.zero(I), summ1 = summ;
        for (int j = 0; j < 8; j++) {
            IntVector bs = IntVector.fromArray(I, bsum, bo + 32 * j).add(IntVector.fromArray(I, bsum, bo + 32 * j + 16));
            summ = summ.add(bs.mul(mins[j]));
            summ1 = summ1.add(bs.mul(mins[8 + j]));
        }
        ((FloatVector) sumi.convert(VectorOperators.I2F, 0)).fma(dd, FloatVector.fromArray(S, s, a)).intoArray(s, a);
        ((FloatVector) summ.convert(VectorOperators.I2F, 0)).fma(dm, FloatVector.fromArray(S, s, a + 16)).intoArray(s, a + 16);
        ((FloatVector) sumi1.convert(VectorOperators.I2F, 0)).fma(ed, FloatVector.fromArray(S, s, a1)).intoArray(s, a1);
        ((FloatVector) summ1.convert(VectorOperators.I2F, 0)).fma(em, FloatVector.fromArray(S, s, a1 + 16)).intoArray(s, a1 + 16);
    }


    /**
     * Q4_K, one block for a tile of one row (unpacked at {@code s[u ..]}): eight accumulators by
     * position mod 8 (32 products each), summed four and four in float (exact) and the halves in
     * int; the minimum sums in int; then the two fused multiply-adds of {@link #q4kFinish} per token.
     */
    private static void q4kTile(float[] s, int u, float[] xq, int xo, int[] bsum, int bo, int[] mins, float d, float dmin, float[] dy, int dyo, int a) {
        FloatVector dyv = FloatVector.fromArray(S, dy, dyo);
        FloatVector dd = FloatVector.broadcast(S, d).mul(dyv), dm = FloatVector.broadcast(S, dmin).mul(dyv);
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
        for (int i = 0; i < 256; i += 8) {
            int o = xo + 16 * i;
            c0 = FloatVector.broadcast(S, s[u + i]).fma(FloatVector.fromArray(S, xq, o), c0);
            c1 = FloatVector.broadcast(S, s[u + i + 1]).fma(FloatVector.fromArray(S, xq, o + 16), c1);
            c2 = FloatVector.broadcast(S, s[u + i + 2]).fma(FloatVector.fromArray(S, xq, o + 32), c2);
            c3 = FloatVector.broadcast(S, s[u + i + 3]).fma(FloatVector.fromArray(S, xq, o + 48), c3);
            c4 = FloatVector.broadcast(S, s[u + i + 4]).fma(FloatVector.fromArray(S, xq, o + 64), c4);
            c5 = FloatVector.broadcast(S, s[u + i + 5]).fma(FloatVector.fromArray(S, xq, o + 80), c5);
            c6 = FloatVector.broadcast(S, s[u + i + 6]).fma(FloatVector.fromArray(S, xq, o + 96), c6);
            c7 = FloatVector.broadcast(S, s[u + i + 7]).fma(FloatVector.fromArray(S, xq, o + 112), c7);
        }
        IntVector sumi = ((IntVector) c0.add(c1).add(c2.add(c3)).convert(VectorOperators.F2I, 0))
                .add((IntVector) c4.add(c5).add(c6.add(c7)).convert(VectorOperators.F2I, 0));
        IntVector summ = IntVector.zero(I);
        for (int j = 0; j < 8; j++) {
            summ = summ.add(IntVector.fromArray(I, bsum, bo + 32 * j).add(IntVector.fromArray(I, bsum, bo + 32 * j + 16)).mul(mins[j]));
        }
        ((FloatVector) sumi.convert(VectorOperators.I2F, 0)).fma(dd, FloatVector.fromArray(S, s, a)).intoArray(s, a);
        ((FloatVector) summ.convert(VectorOperators.I2F, 0)).fma(dm, FloatVector.fromArray(S, s, a + 16)).intoArray(s, a + 16);
    }

    /**
     * Q6_K, one block for a tile of one row (unpacked at {@code s[u ..]}): per lane k (positions
     * 4k..4k+3 of every 32-value group) two float accumulators, over groups 0-3 and 4-7 (16
     * products each, exact), added in int; the offset correction in int; then per lane the fused
     * multiply-add of {@link #q6kFinish} per token.
     */
    private static void q6kTile(byte[] w, int p, float[] s, int u, float[] xq, int xo, int[] bsum, int bo, float d, float[] dy, int dyo, int a) {
        FloatVector dv = FloatVector.fromArray(S, dy, dyo).mul(d);
        for (int k = 0; k < 8; k++) {
            IntVector li = IntVector.zero(I);
            for (int h = 0; h < 2; h++) {
                FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
                for (int g = 4 * h; g < 4 * h + 4; g++) {
                    int i = 32 * g + 4 * k, o = xo + 16 * i;
                    c0 = FloatVector.broadcast(S, s[u + i]).fma(FloatVector.fromArray(S, xq, o), c0);
                    c1 = FloatVector.broadcast(S, s[u + i + 1]).fma(FloatVector.fromArray(S, xq, o + 16), c1);
                    c2 = FloatVector.broadcast(S, s[u + i + 2]).fma(FloatVector.fromArray(S, xq, o + 32), c2);
                    c3 = FloatVector.broadcast(S, s[u + i + 3]).fma(FloatVector.fromArray(S, xq, o + 48), c3);
                }
                li = li.add((IntVector) c0.add(c1).add(c2.add(c3)).convert(VectorOperators.F2I, 0));
            }
            IntVector corr = IntVector.fromArray(I, bsum, bo + 32 * k).mul(w[p + 192 + 2 * k])
                    .add(IntVector.fromArray(I, bsum, bo + 32 * k + 16).mul(w[p + 193 + 2 * k]));
            li = li.sub(corr.mul(32));
            dv.fma((FloatVector) li.convert(VectorOperators.I2F, 0), FloatVector.fromArray(S, s, a + 16 * k)).intoArray(s, a + 16 * k);
        }
    }

    /**
     * {@link #q6kTile} for two rows (blocks at {@code w[p]} and {@code w[p + rowBytes]}, unpacked at
     * {@code s[u ..]} and {@code s[u + 256 ..]}), each activation load serving both.
     */
    private static void q6kTile2(byte[] w, int p, int rowBytes, float[] s, int u, float[] xq, int xo, int[] bsum, int bo,
            float d, float e, float[] dy, int dyo, int a, int a1) {
        FloatVector dyv = FloatVector.fromArray(S, dy, dyo);
        FloatVector dv = dyv.mul(d), ev = dyv.mul(e);
        int p1 = p + rowBytes;
        for (int k = 0; k < 8; k++) {
            IntVector li = IntVector.zero(I), lj = li;
            for (int h = 0; h < 2; h++) {
                FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, e0 = c0, e1 = c0, e2 = c0, e3 = c0;
                for (int g = 4 * h; g < 4 * h + 4; g++) {
                    int i = 32 * g + 4 * k, o = xo + 16 * i;
                    FloatVector x0 = FloatVector.fromArray(S, xq, o), x1 = FloatVector.fromArray(S, xq, o + 16);
                    FloatVector x2 = FloatVector.fromArray(S, xq, o + 32), x3 = FloatVector.fromArray(S, xq, o + 48);
                    c0 = FloatVector.broadcast(S, s[u + i]).fma(x0, c0);
                    e0 = FloatVector.broadcast(S, s[u + 256 + i]).fma(x0, e0);
                    c1 = FloatVector.broadcast(S, s[u + i + 1]).fma(x1, c1);
                    e1 = FloatVector.broadcast(S, s[u + 257 + i]).fma(x1, e1);
                    c2 = FloatVector.broadcast(S, s[u + i + 2]).fma(x2, c2);
                    e2 = FloatVector.broadcast(S, s[u + 258 + i]).fma(x2, e2);
                    c3 = FloatVector.broadcast(S, s[u + i + 3]).fma(x3, c3);
                    e3 = FloatVector.broadcast(S, s[u + 259 + i]).fma(x3, e3);
                }
                li = li.add((IntVector) c0.add(c1).add(c2.add(c3)).convert(VectorOperators.F2I, 0));
                lj = lj.add((IntVector) e0.add(e1).add(e2.add(e3)).convert(VectorOperators.F2I, 0));
            }
            IntVector b0 = IntVector.fromArray(I, bsum, bo + 32 * k), b1 = IntVector.fromArray(I, bsum, bo + 32 * k + 16);
            li = li.sub(b0.mul(w[p + 192 + 2 * k]).add(b1.mul(w[p + 193 + 2 * k])).mul(32));
            lj = lj.sub(b0.mul(w[p1 + 192 + 2 * k]).add(b1.mul(w[p1 + 193 + 2 * k])).mul(32));
            dv.fma((FloatVector) li.convert(VectorOperators.I2F, 0), FloatVector.fromArray(S, s, a + 16 * k)).intoArray(s, a + 16 * k);
            ev.fma((FloatVector) lj.convert(VectorOperators.I2F, 0), FloatVector.fromArray(S, s, a1 + 16 * k)).intoArray(s, a1 + 16 * k);
        }
    }

    /**
     * Q6_K: the block's 32 exact position sums at {@code s[pos ..]} (over its eight 32-value groups)
     * into the eight lanes, the offset correction, and each lane into the token's float lanes at
     * {@code s[a ..]}.
     */
    private static void q6kFinish(byte[] w, int p, float dx, float[] s, int pos, int[] bsum, int bs, float dy, int a, int[] lanes) {
        for (int k = 0; k < 8; k++) {
            int o = pos + 4 * k;
            lanes[k] = (int) s[o] + (int) s[o + 1] + (int) s[o + 2] + (int) s[o + 3];
        }
        KQuantDot.q6kCorrect(w, p, bsum, bs, lanes);
        float d = dy * dx;
        for (int k = 0; k < 8; k++) s[a + k] = Math.fma(d, (float) lanes[k], s[a + k]);
    }

    /**
     * Q4_K: the block's exact integer sums ({@code sumi}, and the minimum sums from {@code bsum[bs ..]})
     * into the token's float sums {@code s[a]} (scales) and {@code s[a+1]} (minimums); {@code d},
     * {@code dmin} and the eight minimums decoded once per block.
     */
    private static void q4kFinish(int sumi, float d, float dmin, int[] mins, int[] bsum, int bs, float dy, float[] s, int a) {
        int summ = 0;
        for (int j = 0; j < 8; j++) summ += mins[j] * (bsum[bs + 2 * j] + bsum[bs + 2 * j + 1]);
        s[a] = Math.fma((float) sumi, d * dy, s[a]);
        s[a + 1] = Math.fma((float) summ, dmin * dy, s[a + 1]);
    }

    /**
     * A Q4_K block's 256 codes times their sub-block scales into {@code dst[o .. o+256)}, 16 lanes:
     * the bytes widened to int lanes (no byte shifts, which x86 lacks), nibbles masked, to float.
     */
    private static void unpackQ4K16(byte[] w, int p, float[] dst, int o) {
        for (int c = 0; c < 4; c++) {
            float s1 = KQuantDot.q4kScale(w, p + 4, 2 * c), s2 = KQuantDot.q4kScale(w, p + 4, 2 * c + 1);
            for (int k = 0; k < 32; k += 16) {
                IntVector v = (IntVector) ByteVector.fromArray(B16, w, p + 16 + 32 * c + k).convertShape(VectorOperators.B2I, I, 0);
                ((FloatVector) v.and(0xF).convert(VectorOperators.I2F, 0)).mul(s1).intoArray(dst, o + 64 * c + k);
                ((FloatVector) v.lanewise(VectorOperators.ASHR, 4).and(0xF).convert(VectorOperators.I2F, 0)).mul(s2)
                        .intoArray(dst, o + 64 * c + 32 + k);
            }
        }
    }

    /** A Q6_K block's 256 unsigned codes (0..63) times their sub-block scales into {@code dst[o .. o+256)}, 16 lanes, in int lanes. */
    private static void unpackQ6K16(byte[] w, int p, float[] dst, int o) {
        for (int h = 0; h < 2; h++) {
            int ql = p + 64 * h, qh = p + 128 + 32 * h, sc = p + 192 + 8 * h, d = o + 128 * h;
            for (int m = 0; m < 32; m += 16) {
                IntVector a = (IntVector) ByteVector.fromArray(B16, w, ql + m).convertShape(VectorOperators.B2I, I, 0);
                IntVector c = (IntVector) ByteVector.fromArray(B16, w, ql + 32 + m).convertShape(VectorOperators.B2I, I, 0);
                IntVector u = (IntVector) ByteVector.fromArray(B16, w, qh + m).convertShape(VectorOperators.B2I, I, 0);
                int g = sc + m / 16;
                ((FloatVector) a.and(0xF).or(u.and(3).lanewise(VectorOperators.LSHL, 4)).convert(VectorOperators.I2F, 0))
                        .mul(w[g]).intoArray(dst, d + m);
                ((FloatVector) c.and(0xF).or(u.lanewise(VectorOperators.LSHL, 2).and(0x30)).convert(VectorOperators.I2F, 0))
                        .mul(w[g + 2]).intoArray(dst, d + 32 + m);
                ((FloatVector) a.lanewise(VectorOperators.ASHR, 4).and(0xF).or(u.and(0x30)).convert(VectorOperators.I2F, 0))
                        .mul(w[g + 4]).intoArray(dst, d + 64 + m);
                ((FloatVector) c.lanewise(VectorOperators.ASHR, 4).and(0xF).or(u.lanewise(VectorOperators.ASHR, 2).and(0x30))
                        .convert(VectorOperators.I2F, 0)).mul(w[g + 6]).intoArray(dst, d + 96 + m);
            }
        }
    }

    /** A Q4_K block's 256 codes times their sub-block scales into {@code dst[0..256)}, any lane count with byte lanes {@link #B}. */
    private static void unpackQ4K(byte[] w, int p, float[] dst) {
        if (L == 16) {
            unpackQ4K16(w, p, dst, 0);
            return;
        }
        for (int c = 0; c < 4; c++) {
            float s1 = KQuantDot.q4kScale(w, p + 4, 2 * c), s2 = KQuantDot.q4kScale(w, p + 4, 2 * c + 1);
            for (int k = 0; k < 32; k += L) {
                ByteVector v = ByteVector.fromArray(B, w, p + 16 + 32 * c + k);
                ((FloatVector) v.and((byte) 0xF).convertShape(VectorOperators.B2F, S, 0)).mul(s1).intoArray(dst, 64 * c + k);
                ((FloatVector) v.lanewise(VectorOperators.LSHR, 4).and((byte) 0xF).convertShape(VectorOperators.B2F, S, 0)).mul(s2)
                        .intoArray(dst, 64 * c + 32 + k);
            }
        }
    }

    /** A Q6_K block's 256 unsigned codes (0..63) times their sub-block scales into {@code dst[0..256)} (16 lanes; {@link #dotRow} runs Q6_K only then). */
    private static void unpackQ6K(byte[] w, int p, float[] dst) {
        unpackQ6K16(w, p, dst, 0);
    }
}
