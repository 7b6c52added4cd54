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

    /**
     * Shuffles moving lane {@code i + k} to lane {@code i} (modulo L), for k = 8, 4, 2, 1; each a
     * constant of its own (null where k ≥ L) so the JIT emits one permute per fold.
     */
    private static final VectorShuffle<Float> FOLD8 = fold(8), FOLD4 = fold(4), FOLD2 = fold(2), FOLD1 = fold(1);

    private static VectorShuffle<Float> fold(int k) {
        return k < L ? VectorShuffle.fromOp(S, lane -> (lane + k) % L) : null;
    }

    /**
     * The lanes' sum by pairwise folding (lane i plus lane i + k, k halving from L/2): a fixed
     * order, so the interpreter and compiled code agree, and no array per call.
     */
    static float foldLanes(FloatVector v) {
        if (L > 16) {
            for (int k = L / 2; k > 8; k /= 2) {
                int shift = k;
                v = v.add(v.rearrange(VectorShuffle.fromOp(S, lane -> (lane + shift) % L)));
            }
        }
        if (L >= 16) v = v.add(v.rearrange(FOLD8));
        if (L >= 8) v = v.add(v.rearrange(FOLD4));
        if (L >= 4) v = v.add(v.rearrange(FOLD2));
        if (L >= 2) v = v.add(v.rearrange(FOLD1));
        return v.lane(0);
    }

    /**
     * One accumulator over the whole vectors in order, its lanes folded pairwise ({@link
     * #foldLanes}), then the scalar tail: the order every float kernel below reproduces per output
     * element, so tiles of any shape give each element these bits. (Several accumulators per
     * element would break the latency chain of a single long dot, but the tiles keep many
     * elements in flight instead, and a shared order leaves room for 16 of them in registers.)
     */
    @Override
    public float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        int step = S.length();
        int bound = S.loopBound(n);
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (; i < bound; i += step) {
            acc = FloatVector.fromArray(S, a, aOff + i).fma(FloatVector.fromArray(S, b, bOff + i), acc);
        }
        return tail(foldLanes(acc), a, aOff, b, bOff, i, n);
    }

    private static float tail(float s, float[] a, int aOff, float[] x, int xOff, int i, int n) {
        for (; i < n; i++) s += a[aOff + i] * x[xOff + i];
        return s;
    }

    @Override
    public void dotMany(float[] a, float[] x, int xStride, int count, int n, float[] out, int outOff, int outStride) {
        int step = S.length();
        int bound = S.loopBound(n);
        int t = 0;
        for (; t + 3 < count; t += 4) {
            int b0 = t * xStride, b1 = b0 + xStride, b2 = b1 + xStride, b3 = b2 + xStride;
            FloatVector p0 = FloatVector.zero(S), p1 = p0, p2 = p0, p3 = p0;
            int i = 0;
            for (; i < bound; i += step) {
                FloatVector u = FloatVector.fromArray(S, a, i);
                p0 = u.fma(FloatVector.fromArray(S, x, b0 + i), p0);
                p1 = u.fma(FloatVector.fromArray(S, x, b1 + i), p1);
                p2 = u.fma(FloatVector.fromArray(S, x, b2 + i), p2);
                p3 = u.fma(FloatVector.fromArray(S, x, b3 + i), p3);
            }
            out[outOff + t * outStride] = tail(foldLanes(p0), a, 0, x, b0, i, n);
            out[outOff + (t + 1) * outStride] = tail(foldLanes(p1), a, 0, x, b1, i, n);
            out[outOff + (t + 2) * outStride] = tail(foldLanes(p2), a, 0, x, b2, i, n);
            out[outOff + (t + 3) * outStride] = tail(foldLanes(p3), a, 0, x, b3, i, n);
        }
        for (; t < count; t++) out[outOff + t * outStride] = dot(a, 0, x, t * xStride, n);
    }

    /**
     * Register tiles of four rows by four tokens (sixteen accumulators, one per output element as
     * in {@link #dot}), so each vector load of {@code a} serves four tokens and each load of
     * {@code x} four rows; leftover tokens four rows at a time (one load of {@code x} for four
     * rows, the decode case), leftover rows with {@link #dot}.
     */
    @Override
    public void dotTile(float[] a, int n, int rows, float[] x, int xStride, int tokens, float[] out, int outOff, int outStride) {
        int r = 0;
        for (; r + 3 < rows; r += 4) {
            int t = 0;
            for (; t + 3 < tokens; t += 4) tile4x4(a, r * n, n, x, t * xStride, xStride, out, outOff + t * outStride + r, outStride);
            for (; t < tokens; t++) tile4x1(a, r * n, n, x, t * xStride, out, outOff + t * outStride + r);
        }
        for (; r < rows; r++) {
            for (int t = 0; t < tokens; t++) out[outOff + t * outStride + r] = dot(a, r * n, x, t * xStride, n);
        }
    }

    /**
     * Rows {@code a[a0 ..]} (four, {@code n} apart) times tokens {@code x[x0 ..]} (four, {@code
     * xStride} apart) into {@code out[o + t*outStride + r]}: sixteen accumulators, one per element.
     * (Kept in its own small method so the JIT compiles it whole; one large method with every
     * case fell back to unintrinsified vector code.)
     */
    private static void tile4x4(float[] a, int a0, int n, float[] x, int x0, int xStride, float[] out, int o, int outStride) {
        int step = S.length(), bound = S.loopBound(n);
        int a1 = a0 + n, a2 = a1 + n, a3 = a2 + n;
        int x1 = x0 + xStride, x2 = x1 + xStride, x3 = x2 + xStride;
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00, c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        int i = 0;
        for (; i < bound; i += step) {
            FloatVector u0 = FloatVector.fromArray(S, x, x0 + i), u1 = FloatVector.fromArray(S, x, x1 + i);
            FloatVector u2 = FloatVector.fromArray(S, x, x2 + i), u3 = FloatVector.fromArray(S, x, x3 + i);
            FloatVector w = FloatVector.fromArray(S, a, a0 + i);
            c00 = w.fma(u0, c00); c01 = w.fma(u1, c01); c02 = w.fma(u2, c02); c03 = w.fma(u3, c03);
            w = FloatVector.fromArray(S, a, a1 + i);
            c10 = w.fma(u0, c10); c11 = w.fma(u1, c11); c12 = w.fma(u2, c12); c13 = w.fma(u3, c13);
            w = FloatVector.fromArray(S, a, a2 + i);
            c20 = w.fma(u0, c20); c21 = w.fma(u1, c21); c22 = w.fma(u2, c22); c23 = w.fma(u3, c23);
            w = FloatVector.fromArray(S, a, a3 + i);
            c30 = w.fma(u0, c30); c31 = w.fma(u1, c31); c32 = w.fma(u2, c32); c33 = w.fma(u3, c33);
        }
        int o1 = o + outStride, o2 = o1 + outStride, o3 = o2 + outStride;
        float s00 = foldLanes(c00), s10 = foldLanes(c10), s20 = foldLanes(c20), s30 = foldLanes(c30);
        float s01 = foldLanes(c01), s11 = foldLanes(c11), s21 = foldLanes(c21), s31 = foldLanes(c31);
        float s02 = foldLanes(c02), s12 = foldLanes(c12), s22 = foldLanes(c22), s32 = foldLanes(c32);
        float s03 = foldLanes(c03), s13 = foldLanes(c13), s23 = foldLanes(c23), s33 = foldLanes(c33);
        out[o] = tail(s00, a, a0, x, x0, i, n); out[o + 1] = tail(s10, a, a1, x, x0, i, n);
        out[o + 2] = tail(s20, a, a2, x, x0, i, n); out[o + 3] = tail(s30, a, a3, x, x0, i, n);
        out[o1] = tail(s01, a, a0, x, x1, i, n); out[o1 + 1] = tail(s11, a, a1, x, x1, i, n);
        out[o1 + 2] = tail(s21, a, a2, x, x1, i, n); out[o1 + 3] = tail(s31, a, a3, x, x1, i, n);
        out[o2] = tail(s02, a, a0, x, x2, i, n); out[o2 + 1] = tail(s12, a, a1, x, x2, i, n);
        out[o2 + 2] = tail(s22, a, a2, x, x2, i, n); out[o2 + 3] = tail(s32, a, a3, x, x2, i, n);
        out[o3] = tail(s03, a, a0, x, x3, i, n); out[o3 + 1] = tail(s13, a, a1, x, x3, i, n);
        out[o3 + 2] = tail(s23, a, a2, x, x3, i, n); out[o3 + 3] = tail(s33, a, a3, x, x3, i, n);
    }

    /** Four rows {@code a[a0 ..]} times one token {@code x[x0 ..]} into {@code out[o .. o+3]} (one load of x per four rows: decode). */
    private static void tile4x1(float[] a, int a0, int n, float[] x, int x0, float[] out, int o) {
        int step = S.length(), bound = S.loopBound(n);
        int a1 = a0 + n, a2 = a1 + n, a3 = a2 + n;
        FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0;
        int i = 0;
        for (; i < bound; i += step) {
            FloatVector u = FloatVector.fromArray(S, x, x0 + i);
            c0 = FloatVector.fromArray(S, a, a0 + i).fma(u, c0);
            c1 = FloatVector.fromArray(S, a, a1 + i).fma(u, c1);
            c2 = FloatVector.fromArray(S, a, a2 + i).fma(u, c2);
            c3 = FloatVector.fromArray(S, a, a3 + i).fma(u, c3);
        }
        float s0 = foldLanes(c0), s1 = foldLanes(c1), s2 = foldLanes(c2), s3 = foldLanes(c3);
        out[o] = tail(s0, a, a0, x, x0, i, n);
        out[o + 1] = tail(s1, a, a1, x, x0, i, n);
        out[o + 2] = tail(s2, a, a2, x, x0, i, n);
        out[o + 3] = tail(s3, a, a3, x, x0, i, n);
    }

    /** Lanes per vector on this machine. */
    public static int lanes() { return S.length(); }
}
