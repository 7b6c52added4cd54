package io.mocoj.local.internal.tensor.simd;

import io.mocoj.local.internal.tensor.FloatDot;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatDot} with the Vector API (SIMD). Loaded only when the JVM runs with
 * {@code --add-modules jdk.incubator.vector}.
 */
public final class VectorFloatDot implements FloatDot {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Bytes with as many lanes as {@link #S} (for byte-to-float conversion), or null when 32 is not a multiple. */
    private static final VectorSpecies<Byte> B = 32 % S.length() == 0 && S.length() >= 8
            ? VectorSpecies.of(byte.class, VectorShape.forBitSize(S.length() * 8)) : null;

    @Override
    public void decodeQ8_0(byte[] src, int blocks, float[] dst, int off) {
        if (B == null) {
            FloatDot.super.decodeQ8_0(src, blocks, dst, off);
            return;
        }
        int step = S.length();
        for (int b = 0; b < blocks; b++) {
            int p = 34 * b;
            float d = Float.float16ToFloat((short) ((src[p] & 0xFF) | (src[p + 1] << 8)));
            for (int j = 0; j < 32; j += step) {
                FloatVector v = (FloatVector) ByteVector.fromArray(B, src, p + 2 + j).convertShape(VectorOperators.B2F, S, 0);
                v.mul(d).intoArray(dst, off + 32 * b + j);
            }
        }
    }

    /** 1.5 · 2<sup>23</sup>: adding and subtracting it rounds a float below 2<sup>22</sup> in magnitude to an integer, ties to even (as {@link Math#rint}). */
    private static final float ROUNDER = 12582912f;

    /**
     * Per block: the largest magnitude by a lane-wise maximum (exact, order-free), then the codes
     * {@code x · (127 / amax)} rounded to the nearest integer, ties to even, by {@link #ROUNDER}
     * (exact for |x · inv| ≤ 127.5, the same integers as {@code Math.rint}), narrowed to bytes.
     * Blocks whose amax or inverse is not finite go through the plain code (its casts of
     * infinities and NaN).
     */
    @Override
    public void quantizeQ8_0(float[] x, int from, int to, byte[] qs, float[] qf, float[] d) {
        if (B == null) {
            FloatDot.super.quantizeQ8_0(x, from, to, qs, qf, d);
            return;
        }
        for (int o = from; o < to; o += 32) {
            FloatVector m = FloatVector.fromArray(S, x, o).abs();
            for (int j = L; j < 32; j += L) m = m.max(FloatVector.fromArray(S, x, o + j).abs());
            float amax = m.reduceLanes(VectorOperators.MAX);
            float inv = amax != 0 ? 127f / amax : 0f;
            if (!Float.isFinite(amax) || !Float.isFinite(inv)) {
                FloatDot.super.quantizeQ8_0(x, o, o + 32, qs, qf, d);
                continue;
            }
            d[o / 32] = Float.float16ToFloat(Float.floatToFloat16(amax / 127f));
            for (int j = 0; j < 32; j += L) {
                FloatVector q = FloatVector.fromArray(S, x, o + j).mul(inv).add(ROUNDER).sub(ROUNDER);
                ((ByteVector) q.convertShape(VectorOperators.F2B, B, 0)).intoArray(qs, o + j);
                if (qf != null) q.intoArray(qf, o + j);
            }
        }
    }

    /** 16 bytes, widened to 16 float lanes: a Q4_0 block's low or high nibbles at once (only with 16-lane floats). */
    private static final VectorSpecies<Byte> B16 = S.length() == 16 ? ByteVector.SPECIES_128 : null;

    @Override
    public void decodeQ4_0(byte[] src, int blocks, float[] dst, int off) {
        if (B16 == null) {
            FloatDot.super.decodeQ4_0(src, blocks, dst, off);
            return;
        }
        for (int b = 0; b < blocks; b++) {
            int p = 18 * b;
            float d = Float.float16ToFloat((short) ((src[p] & 0xFF) | (src[p + 1] << 8)));
            ByteVector q = ByteVector.fromArray(B16, src, p + 2);
            nibbles(q, false).mul(d).intoArray(dst, off + 32 * b);
            nibbles(q, true).mul(d).intoArray(dst, off + 32 * b + 16);
        }
    }

    /** The low (or high) nibbles of 16 bytes minus 8, as 16 floats (exact, as the scalar decode's int arithmetic). */
    private static FloatVector nibbles(ByteVector q, boolean high) {
        ByteVector v = high ? q.lanewise(VectorOperators.LSHR, 4).and((byte) 0xF) : q.and((byte) 0xF);
        return (FloatVector) v.sub((byte) 8).convertShape(VectorOperators.B2F, S, 0);
    }

    /** Float lanes {@code L}; bytes and shorts with {@code 2L} lanes and ints with {@code L} for the integer dots. */
    private static final int L = S.length();
    private static final boolean INT_DOTS = L >= 4 && 16 % L == 0;
    private static final VectorSpecies<Byte> BYTES_2L = INT_DOTS ? VectorSpecies.of(byte.class, VectorShape.forBitSize(2 * L * 8)) : null;
    private static final VectorSpecies<Short> SHORTS_2L = INT_DOTS ? VectorSpecies.of(short.class, VectorShape.forBitSize(2 * L * 16)) : null;
    private static final VectorSpecies<Integer> INTS = INT_DOTS ? VectorSpecies.of(int.class, S.vectorShape()) : null;
    /** 16 shorts (a Q4_0 block's low or high nibbles widened), and the bytes they come from. */
    private static final VectorSpecies<Short> SHORTS_16 = ShortVector.SPECIES_256;
    private static final VectorSpecies<Byte> BYTES_16 = ByteVector.SPECIES_128;

    /**
     * Bytes widened to shorts, multiplied (|products| at most 128·128, exact in 16 bits), the
     * products widened to ints and summed pairwise per lane (exact), converted to float and
     * accumulated with the block's two scales in one float vector; lanes summed in order at the end.
     */
    @Override
    public float dotQ8_0xQ8_0(byte[] w, int wOff, int blocks, byte[] qx, int qOff, float[] dx, int dOff) {
        if (!INT_DOTS) return FloatDot.super.dotQ8_0xQ8_0(w, wOff, blocks, qx, qOff, dx, dOff);
        FloatVector acc = FloatVector.zero(S);
        for (int b = 0; b < blocks; b++) {
            int p = wOff + 34 * b, q = qOff + 32 * b;
            float d = Float.float16ToFloat((short) ((w[p] & 0xFF) | (w[p + 1] << 8))) * dx[dOff + b];
            IntVector sum = IntVector.zero(INTS);
            for (int j = 0; j < 32; j += 2 * L) {
                ShortVector a = (ShortVector) ByteVector.fromArray(BYTES_2L, w, p + 2 + j).convertShape(VectorOperators.B2S, SHORTS_2L, 0);
                ShortVector x = (ShortVector) ByteVector.fromArray(BYTES_2L, qx, q + j).convertShape(VectorOperators.B2S, SHORTS_2L, 0);
                ShortVector prod = a.mul(x);
                sum = sum.add((IntVector) prod.convertShape(VectorOperators.S2I, INTS, 0))
                        .add((IntVector) prod.convertShape(VectorOperators.S2I, INTS, 1));
            }
            acc = ((FloatVector) sum.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(S, d), acc);
        }
        return foldLanes(acc);
    }

    /**
     * As {@link #dotQ8_0xQ8_0} for Q4_0 rows: the 16 bytes widened to shorts once, low and high
     * nibbles (minus 8) multiplied with the block's first and second 16 activations and added
     * (at most 2·8·128 in magnitude, exact in 16 bits).
     */
    @Override
    public float dotQ4_0xQ8_0(byte[] w, int wOff, int blocks, byte[] qx, int qOff, float[] dx, int dOff) {
        if (!INT_DOTS) return FloatDot.super.dotQ4_0xQ8_0(w, wOff, blocks, qx, qOff, dx, dOff);
        FloatVector acc = FloatVector.zero(S);
        for (int b = 0; b < blocks; b++) {
            int p = wOff + 18 * b, q = qOff + 32 * b;
            float d = Float.float16ToFloat((short) ((w[p] & 0xFF) | (w[p + 1] << 8))) * dx[dOff + b];
            ShortVector v = ((ShortVector) ByteVector.fromArray(BYTES_16, w, p + 2).convertShape(VectorOperators.B2S, SHORTS_16, 0))
                    .and((short) 0xFF);
            ShortVector lo = v.and((short) 0xF).sub((short) 8);
            ShortVector hi = v.lanewise(VectorOperators.LSHR, 4).sub((short) 8);
            ShortVector x0 = (ShortVector) ByteVector.fromArray(BYTES_16, qx, q).convertShape(VectorOperators.B2S, SHORTS_16, 0);
            ShortVector x1 = (ShortVector) ByteVector.fromArray(BYTES_16, qx, q + 16).convertShape(VectorOperators.B2S, SHORTS_16, 0);
            ShortVector prod = lo.mul(x0).add(hi.mul(x1));
            IntVector sum = (IntVector) prod.convertShape(VectorOperators.S2I, INTS, 0);
            for (int part = 1; part < 16 / L; part++) sum = sum.add((IntVector) prod.convertShape(VectorOperators.S2I, INTS, part));
            acc = ((FloatVector) sum.convert(VectorOperators.I2F, 0)).fma(FloatVector.broadcast(S, d), acc);
        }
        return foldLanes(acc);
    }

    /** Four rows by four tokens in float lanes ({@link VectorQuantTile}); leftover rows with the single dots. */
    @Override
    public void dotQuantTile(boolean q4, byte[] w, int rowBytes, int rows, int blocks, byte[] qx, float[] xf, float[] dx,
            int tokens, float[] out, int outOff, int outStride) {
        if (!usesFloatCodes()) {
            dotQuantTile(q4, w, rowBytes, rows, blocks, qx, dx, tokens, out, outOff, outStride);
            return;
        }
        int done = VectorQuantTile.multiply(q4, w, rowBytes, rows, blocks, xf, dx, tokens, out, outOff, outStride);
        int cols = 32 * blocks;
        for (int t = 0; t < tokens; t++) {
            for (int r = done; r < rows; r++) {
                out[outOff + t * outStride + r] = q4 ? dotQ4_0xQ8_0(w, r * rowBytes, blocks, qx, t * cols, dx, t * blocks)
                        : dotQ8_0xQ8_0(w, r * rowBytes, blocks, qx, t * cols, dx, t * blocks);
            }
        }
    }

    @Override
    public boolean usesFloatCodes() { return INT_DOTS && VectorQuantTile.USABLE; }

    /** Shuffles moving lane {@code i + k} to lane {@code i}, for k = L/2, L/4, ..., 1. */
    private static final VectorShuffle<Float>[] FOLDS = folds();

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] folds() {
        int n = Integer.numberOfTrailingZeros(L);
        VectorShuffle<Float>[] f = new VectorShuffle[n];
        for (int i = 0, k = L / 2; k >= 1; i++, k /= 2) {
            int shift = k;
            f[i] = VectorShuffle.fromOp(S, lane -> (lane + shift) % L);
        }
        return f;
    }

    /**
     * The lanes' sum by pairwise folding (lane i plus lane i + k, k halving): a fixed order, so the
     * interpreter and compiled code agree, and no array per call.
     */
    private static float foldLanes(FloatVector v) {
        for (VectorShuffle<Float> f : FOLDS) v = v.add(v.rearrange(f));
        return v.lane(0);
    }

    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        int step = S.length();
        int bound = S.loopBound(n);
        FloatVector acc0 = FloatVector.zero(S), acc1 = FloatVector.zero(S);
        int i = 0;
        for (; i + step < bound; i += 2 * step) {
            acc0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc0);
            acc1 = FloatVector.fromArray(S, a, aOff + i + step).fma(FloatVector.fromArray(S, b, bOff + i + step), acc1);
        }
        for (; i < bound; i += step) {
            acc0 = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc0);
        }
        // lanes summed in a fixed order: reduceLanes may associate differently before and after JIT
        // compilation, which would make results depend on warm-up
        float[] lanes = new float[step];
        acc0.add(acc1).intoArray(lanes, 0);
        float s = 0;
        for (float v : lanes) s += v;
        for (; i < n; i++) s += a[aOff + i] * b[bOff + i];
        return s;
    }

    @Override
    public void dotMany(float[] a, float[] x, int xOff, int xStride, int count, int n, float[] out, int outOff, int outStride) {
        int step = S.length();
        int bound = S.loopBound(n);
        float[] lanes = new float[step];
        int t = 0;
        for (; t + 3 < count; t += 4) {
            int b0 = xOff + t * xStride, b1 = b0 + xStride, b2 = b1 + xStride, b3 = b2 + xStride;
            FloatVector p0 = FloatVector.zero(S), q0 = FloatVector.zero(S), p1 = FloatVector.zero(S), q1 = FloatVector.zero(S);
            FloatVector p2 = FloatVector.zero(S), q2 = FloatVector.zero(S), p3 = FloatVector.zero(S), q3 = FloatVector.zero(S);
            int i = 0;
            for (; i + step < bound; i += 2 * step) {
                FloatVector u = FloatVector.fromArray(S, a, i), v = FloatVector.fromArray(S, a, i + step);
                p0 = u.fma(FloatVector.fromArray(S, x, b0 + i), p0);
                q0 = v.fma(FloatVector.fromArray(S, x, b0 + i + step), q0);
                p1 = u.fma(FloatVector.fromArray(S, x, b1 + i), p1);
                q1 = v.fma(FloatVector.fromArray(S, x, b1 + i + step), q1);
                p2 = u.fma(FloatVector.fromArray(S, x, b2 + i), p2);
                q2 = v.fma(FloatVector.fromArray(S, x, b2 + i + step), q2);
                p3 = u.fma(FloatVector.fromArray(S, x, b3 + i), p3);
                q3 = v.fma(FloatVector.fromArray(S, x, b3 + i + step), q3);
            }
            for (; i < bound; i += step) {
                FloatVector u = FloatVector.fromArray(S, a, i);
                p0 = u.fma(FloatVector.fromArray(S, x, b0 + i), p0);
                p1 = u.fma(FloatVector.fromArray(S, x, b1 + i), p1);
                p2 = u.fma(FloatVector.fromArray(S, x, b2 + i), p2);
                p3 = u.fma(FloatVector.fromArray(S, x, b3 + i), p3);
            }
            out[outOff + t * outStride] = finish(p0.add(q0), lanes, a, x, b0, i, n);
            out[outOff + (t + 1) * outStride] = finish(p1.add(q1), lanes, a, x, b1, i, n);
            out[outOff + (t + 2) * outStride] = finish(p2.add(q2), lanes, a, x, b2, i, n);
            out[outOff + (t + 3) * outStride] = finish(p3.add(q3), lanes, a, x, b3, i, n);
        }
        for (; t < count; t++) out[outOff + t * outStride] = dot(a, 0, x, xOff + t * xStride, n);
    }

    /** Whether the four-rows-by-four-tokens tile ({@link VectorFloatTile}) runs (system property {@code mocoj.local.tile4x4}, default true). */
    private static final boolean TILE_4X4 = !"false".equalsIgnoreCase(System.getProperty("mocoj.local.tile4x4", "true"));

    /**
     * Four rows by four tokens at a time ({@link VectorFloatTile}), then four rows by two tokens,
     * two accumulators per pair alternating by vector exactly as {@link #dot} does (sixteen
     * accumulators), so each load of {@code x} serves four rows and each load of {@code a} two
     * tokens; the rest of the tile element by element with {@link #dot}. Every element has
     * {@link #dot}'s bits.
     */
    @Override
    public void dotTile(float[] a, int n, int rows, float[] x, int xStride, int tokens, float[] out, int outOff, int outStride) {
        int step = S.length();
        int bound = S.loopBound(n);
        float[] lanes = new float[step];
        int r = 0;
        for (; r + 3 < rows; r += 4) {
            int a0 = r * n, a1 = a0 + n, a2 = a1 + n, a3 = a2 + n;
            int t = 0;
            if (TILE_4X4) {
                for (; t + 3 < tokens; t += 4) VectorFloatTile.tile4x4(a, n, r, x, xStride, t, out, outOff, outStride);
            }
            for (; t + 1 < tokens; t += 2) {
                int x0 = t * xStride, x1 = x0 + xStride;
                FloatVector p00 = FloatVector.zero(S), q00 = p00, p10 = p00, q10 = p00, p20 = p00, q20 = p00, p30 = p00, q30 = p00;
                FloatVector p01 = p00, q01 = p00, p11 = p00, q11 = p00, p21 = p00, q21 = p00, p31 = p00, q31 = p00;
                int i = 0;
                for (; i + step < bound; i += 2 * step) {
                    FloatVector u0 = FloatVector.fromArray(S, x, x0 + i), v0 = FloatVector.fromArray(S, x, x0 + i + step);
                    FloatVector u1 = FloatVector.fromArray(S, x, x1 + i), v1 = FloatVector.fromArray(S, x, x1 + i + step);
                    FloatVector w = FloatVector.fromArray(S, a, a0 + i), z = FloatVector.fromArray(S, a, a0 + i + step);
                    p00 = w.fma(u0, p00); q00 = z.fma(v0, q00); p01 = w.fma(u1, p01); q01 = z.fma(v1, q01);
                    w = FloatVector.fromArray(S, a, a1 + i); z = FloatVector.fromArray(S, a, a1 + i + step);
                    p10 = w.fma(u0, p10); q10 = z.fma(v0, q10); p11 = w.fma(u1, p11); q11 = z.fma(v1, q11);
                    w = FloatVector.fromArray(S, a, a2 + i); z = FloatVector.fromArray(S, a, a2 + i + step);
                    p20 = w.fma(u0, p20); q20 = z.fma(v0, q20); p21 = w.fma(u1, p21); q21 = z.fma(v1, q21);
                    w = FloatVector.fromArray(S, a, a3 + i); z = FloatVector.fromArray(S, a, a3 + i + step);
                    p30 = w.fma(u0, p30); q30 = z.fma(v0, q30); p31 = w.fma(u1, p31); q31 = z.fma(v1, q31);
                }
                for (; i < bound; i += step) {
                    FloatVector u0 = FloatVector.fromArray(S, x, x0 + i), u1 = FloatVector.fromArray(S, x, x1 + i);
                    FloatVector w = FloatVector.fromArray(S, a, a0 + i);
                    p00 = w.fma(u0, p00); p01 = w.fma(u1, p01);
                    w = FloatVector.fromArray(S, a, a1 + i);
                    p10 = w.fma(u0, p10); p11 = w.fma(u1, p11);
                    w = FloatVector.fromArray(S, a, a2 + i);
                    p20 = w.fma(u0, p20); p21 = w.fma(u1, p21);
                    w = FloatVector.fromArray(S, a, a3 + i);
                    p30 = w.fma(u0, p30); p31 = w.fma(u1, p31);
                }
                int o0 = outOff + t * outStride + r, o1 = o0 + outStride;
                out[o0] = finish(p00.add(q00), lanes, a, a0, x, x0, i, n);
                out[o0 + 1] = finish(p10.add(q10), lanes, a, a1, x, x0, i, n);
                out[o0 + 2] = finish(p20.add(q20), lanes, a, a2, x, x0, i, n);
                out[o0 + 3] = finish(p30.add(q30), lanes, a, a3, x, x0, i, n);
                out[o1] = finish(p01.add(q01), lanes, a, a0, x, x1, i, n);
                out[o1 + 1] = finish(p11.add(q11), lanes, a, a1, x, x1, i, n);
                out[o1 + 2] = finish(p21.add(q21), lanes, a, a2, x, x1, i, n);
                out[o1 + 3] = finish(p31.add(q31), lanes, a, a3, x, x1, i, n);
            }
            for (; t < tokens; t++) rows4(a, n, a0, x, t * xStride, out, outOff + t * outStride + r, lanes);
        }
        for (; r < rows; r++) {
            for (int t = 0; t < tokens; t++) out[outOff + t * outStride + r] = dot(a, r * n, x, t * xStride, n);
        }
    }

    /**
     * Four rows (from {@code a[a0]}, {@code n} apart) times one token: {@code out[o + k] = dot(a,
     * a0 + k*n, x, x0, n)} for {@code k < 4}, with {@link #dot}'s two alternating accumulators per
     * row (eight in all), so each load of {@code x} serves four rows and the four dependency chains
     * overlap (a decode step's products: one chain per row leaves the multiply-add units waiting).
     */
    private static void rows4(float[] a, int n, int a0, float[] x, int x0, float[] out, int o, float[] lanes) {
        int step = S.length(), bound = S.loopBound(n);
        int a1 = a0 + n, a2 = a1 + n, a3 = a2 + n;
        FloatVector p0 = FloatVector.zero(S), q0 = p0, p1 = p0, q1 = p0, p2 = p0, q2 = p0, p3 = p0, q3 = p0;
        int i = 0;
        for (; i + step < bound; i += 2 * step) {
            FloatVector u = FloatVector.fromArray(S, x, x0 + i), v = FloatVector.fromArray(S, x, x0 + i + step);
            p0 = FloatVector.fromArray(S, a, a0 + i).fma(u, p0);
            q0 = FloatVector.fromArray(S, a, a0 + i + step).fma(v, q0);
            p1 = FloatVector.fromArray(S, a, a1 + i).fma(u, p1);
            q1 = FloatVector.fromArray(S, a, a1 + i + step).fma(v, q1);
            p2 = FloatVector.fromArray(S, a, a2 + i).fma(u, p2);
            q2 = FloatVector.fromArray(S, a, a2 + i + step).fma(v, q2);
            p3 = FloatVector.fromArray(S, a, a3 + i).fma(u, p3);
            q3 = FloatVector.fromArray(S, a, a3 + i + step).fma(v, q3);
        }
        for (; i < bound; i += step) {
            FloatVector u = FloatVector.fromArray(S, x, x0 + i);
            p0 = FloatVector.fromArray(S, a, a0 + i).fma(u, p0);
            p1 = FloatVector.fromArray(S, a, a1 + i).fma(u, p1);
            p2 = FloatVector.fromArray(S, a, a2 + i).fma(u, p2);
            p3 = FloatVector.fromArray(S, a, a3 + i).fma(u, p3);
        }
        out[o] = finish(p0.add(q0), lanes, a, a0, x, x0, i, n);
        out[o + 1] = finish(p1.add(q1), lanes, a, a1, x, x0, i, n);
        out[o + 2] = finish(p2.add(q2), lanes, a, a2, x, x0, i, n);
        out[o + 3] = finish(p3.add(q3), lanes, a, a3, x, x0, i, n);
    }

    /** The same lane sum and scalar tail as {@link #dot}, for a row at {@code a[aOff ..]}. */
    private static float finish(FloatVector acc, float[] lanes, float[] a, int aOff, float[] x, int xOff, int i, int n) {
        acc.intoArray(lanes, 0);
        float s = 0;
        for (float v : lanes) s += v;
        for (; i < n; i++) s += a[aOff + i] * x[xOff + i];
        return s;
    }

    /** The same lane sum and scalar tail as {@link #dot}. */
    private static float finish(FloatVector acc, float[] lanes, float[] a, float[] x, int xOff, int i, int n) {
        return finish(acc, lanes, a, 0, x, xOff, i, n);
    }

    /** Lanes per vector on this machine. */
    public static int lanes() { return S.length(); }
}
