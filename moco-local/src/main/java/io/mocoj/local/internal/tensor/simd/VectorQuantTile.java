package io.mocoj.local.internal.tensor.simd;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The prefill form of {@link VectorFloatDot#dotQ8_0xQ8_0} and {@link VectorFloatDot#dotQ4_0xQ8_0}
 * (16 float lanes only): a tile of weight rows times a batch of tokens, every element with the
 * single dot's bits.
 *
 * <p>The single dot keeps, per block, sixteen exact integer lanes (lane k holding the products at
 * positions k and k + 16), converts them to float and fused-multiply-adds them with the block's
 * scale product into sixteen float lanes, folded at the end. The same lanes come out of float
 * arithmetic when the codes themselves are floats: {@code w[k]·x[k]} and then {@code
 * fma(w[k+16], x[k+16], ·)} are exact (|sum| ≤ 2·128·127, far below 2<sup>24</sup>). So the weight
 * codes of four rows are converted to floats once per tile and the activation codes once per
 * product, and a register tile of four rows × four tokens runs three float operations per
 * 32-value block and (row, token) pair, with no integer widening per pair, each weight vector
 * load serving four tokens and each activation load four rows.
 */
final class VectorQuantTile {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    private static final VectorSpecies<Byte> B16 = ByteVector.SPECIES_128;
    /** Whether this kernel applies: the preferred float vectors have 16 lanes (AVX-512). */
    static final boolean USABLE = FloatVector.SPECIES_PREFERRED.length() == 16;

    /** Per worker: four rows' weight codes as floats, then their block scales, then 256 floats for folding lanes. */
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

    private VectorQuantTile() {}

    /**
     * {@code out[outOff + t*outStride + r]} for the first {@code rows - rows % 4} rows of the tile
     * {@code w} and all {@code tokens}; returns how many rows it did (a multiple of four), the
     * caller does the rest with the single dot.
     */
    static int multiply(boolean q4, byte[] w, int rowBytes, int rows, int blocks, float[] xf, float[] dx, int tokens,
            float[] out, int outOff, int outStride) {
        int cols = 32 * blocks;
        float[] s = SCRATCH.get();
        if (s.length < 4 * cols + 4 * blocks + 256) SCRATCH.set(s = new float[4 * cols + 4 * blocks + 256]);
        int dwAt = 4 * cols;
        int r = 0;
        for (; r + 3 < rows; r += 4) {
            for (int i = 0; i < 4; i++) codes(q4, w, (r + i) * rowBytes, blocks, s, i * cols, dwAt + i * blocks);
            int t = 0;
            for (; t + 3 < tokens; t += 4) tile4x4(s, cols, blocks, dwAt, xf, dx, t, out, outOff + t * outStride + r, outStride);
            for (; t < tokens; t++) tile4x1(s, cols, blocks, dwAt, xf, dx, t, out, outOff + t * outStride + r);
        }
        return r;
    }

    /** A row's codes as floats into {@code f[fOff ..]} and its block scales into {@code f[dOff ..]}. */
    private static void codes(boolean q4, byte[] w, int p, int blocks, float[] f, int fOff, int dOff) {
        int bb = q4 ? 18 : 34;
        for (int b = 0; b < blocks; b++) {
            int q = p + bb * b, o = fOff + 32 * b;
            f[dOff + b] = Float.float16ToFloat((short) ((w[q] & 0xFF) | (w[q + 1] << 8)));
            if (q4) {
                ByteVector v = ByteVector.fromArray(B16, w, q + 2);
                ((FloatVector) v.and((byte) 0xF).sub((byte) 8).convertShape(VectorOperators.B2F, S, 0)).intoArray(f, o);
                ((FloatVector) v.lanewise(VectorOperators.LSHR, 4).and((byte) 0xF).sub((byte) 8)
                        .convertShape(VectorOperators.B2F, S, 0)).intoArray(f, o + 16);
            } else {
                ((FloatVector) ByteVector.fromArray(B16, w, q + 2).convertShape(VectorOperators.B2F, S, 0)).intoArray(f, o);
                ((FloatVector) ByteVector.fromArray(B16, w, q + 18).convertShape(VectorOperators.B2F, S, 0)).intoArray(f, o + 16);
            }
        }
    }

    private static void tile4x4(float[] s, int cols, int blocks, int dwAt, float[] xf, float[] dx, int t,
            float[] out, int o, int outStride) {
        int foldAt = dwAt + 4 * blocks;
        FloatVector a00 = FloatVector.zero(S), a01 = a00, a02 = a00, a03 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00;
        FloatVector a30 = a00, a31 = a00, a32 = a00, a33 = a00;
        int x0 = t * cols, x1 = x0 + cols, x2 = x1 + cols, x3 = x2 + cols;
        int d0 = t * blocks, d1 = d0 + blocks, d2 = d1 + blocks, d3 = d2 + blocks;
        for (int b = 0; b < blocks; b++) {
            int k = 32 * b;
            FloatVector w00 = FloatVector.fromArray(S, s, k), w01 = FloatVector.fromArray(S, s, k + 16);
            FloatVector w10 = FloatVector.fromArray(S, s, cols + k), w11 = FloatVector.fromArray(S, s, cols + k + 16);
            FloatVector w20 = FloatVector.fromArray(S, s, 2 * cols + k), w21 = FloatVector.fromArray(S, s, 2 * cols + k + 16);
            FloatVector w30 = FloatVector.fromArray(S, s, 3 * cols + k), w31 = FloatVector.fromArray(S, s, 3 * cols + k + 16);
            float e0 = s[dwAt + b], e1 = s[dwAt + blocks + b], e2 = s[dwAt + 2 * blocks + b], e3 = s[dwAt + 3 * blocks + b];
            FloatVector u = FloatVector.fromArray(S, xf, x0 + k), v = FloatVector.fromArray(S, xf, x0 + k + 16);
            float f = dx[d0 + b];
            a00 = w01.fma(v, w00.mul(u)).fma(FloatVector.broadcast(S, e0 * f), a00);
            a10 = w11.fma(v, w10.mul(u)).fma(FloatVector.broadcast(S, e1 * f), a10);
            a20 = w21.fma(v, w20.mul(u)).fma(FloatVector.broadcast(S, e2 * f), a20);
            a30 = w31.fma(v, w30.mul(u)).fma(FloatVector.broadcast(S, e3 * f), a30);
            u = FloatVector.fromArray(S, xf, x1 + k);
            v = FloatVector.fromArray(S, xf, x1 + k + 16);
            f = dx[d1 + b];
            a01 = w01.fma(v, w00.mul(u)).fma(FloatVector.broadcast(S, e0 * f), a01);
            a11 = w11.fma(v, w10.mul(u)).fma(FloatVector.broadcast(S, e1 * f), a11);
            a21 = w21.fma(v, w20.mul(u)).fma(FloatVector.broadcast(S, e2 * f), a21);
            a31 = w31.fma(v, w30.mul(u)).fma(FloatVector.broadcast(S, e3 * f), a31);
            u = FloatVector.fromArray(S, xf, x2 + k);
            v = FloatVector.fromArray(S, xf, x2 + k + 16);
            f = dx[d2 + b];
            a02 = w01.fma(v, w00.mul(u)).fma(FloatVector.broadcast(S, e0 * f), a02);
            a12 = w11.fma(v, w10.mul(u)).fma(FloatVector.broadcast(S, e1 * f), a12);
            a22 = w21.fma(v, w20.mul(u)).fma(FloatVector.broadcast(S, e2 * f), a22);
            a32 = w31.fma(v, w30.mul(u)).fma(FloatVector.broadcast(S, e3 * f), a32);
            u = FloatVector.fromArray(S, xf, x3 + k);
            v = FloatVector.fromArray(S, xf, x3 + k + 16);
            f = dx[d3 + b];
            a03 = w01.fma(v, w00.mul(u)).fma(FloatVector.broadcast(S, e0 * f), a03);
            a13 = w11.fma(v, w10.mul(u)).fma(FloatVector.broadcast(S, e1 * f), a13);
            a23 = w21.fma(v, w20.mul(u)).fma(FloatVector.broadcast(S, e2 * f), a23);
            a33 = w31.fma(v, w30.mul(u)).fma(FloatVector.broadcast(S, e3 * f), a33);
        }
        // the sixteen accumulators to scratch, folded together by foldTile (a separate compilation unit, so C2 inlines all of both)
        a00.intoArray(s, foldAt); a10.intoArray(s, foldAt + 16); a20.intoArray(s, foldAt + 32); a30.intoArray(s, foldAt + 48);
        a01.intoArray(s, foldAt + 64); a11.intoArray(s, foldAt + 80); a21.intoArray(s, foldAt + 96); a31.intoArray(s, foldAt + 112);
        a02.intoArray(s, foldAt + 128); a12.intoArray(s, foldAt + 144); a22.intoArray(s, foldAt + 160); a32.intoArray(s, foldAt + 176);
        a03.intoArray(s, foldAt + 192); a13.intoArray(s, foldAt + 208); a23.intoArray(s, foldAt + 224); a33.intoArray(s, foldAt + 240);
        foldTile(s, foldAt, out, o, outStride);
    }

    /** Lanes whose bit {@code d} is set, and the shuffle exchanging lane k with k ^ d, for d = 8, 4, 2, 1. */
    private static final VectorMask<Float> M8 = mask(8), M4 = mask(4), M2 = mask(2), M1 = mask(1);
    private static final VectorShuffle<Float> X8 = swap(8), X4 = swap(4), X2 = swap(2), X1 = swap(1);

    private static VectorMask<Float> mask(int d) {
        long m = 0;
        for (int k = 0; k < 16; k++) if ((k & d) != 0) m |= 1L << k;
        return VectorMask.fromLong(S, m);
    }

    private static VectorShuffle<Float> swap(int d) { return VectorShuffle.fromOp(S, k -> k ^ d); }

    /**
     * Lane k: {@code a[k] + a[k ^ d]} where bit d of k is clear, {@code b[k] + b[k ^ d]} where it is set:
     * one level of {@link VectorFloatDot#foldLanes}'s sum for two vectors at once.
     */
    private static FloatVector pairs(FloatVector a, FloatVector b, VectorMask<Float> m, VectorShuffle<Float> x) {
        return a.blend(b, m).add(b.blend(a, m).rearrange(x));
    }

    /**
     * The folds of sixteen accumulators at {@code s[at + 16i ..]} (i = token · 4 + row of the tile):
     * four levels of {@link #pairs} (lane distance 8, 4, 2, 1: {@link VectorFloatDot#foldLanes}'s
     * additions, operand for operand, so the same bits), which leave accumulator i's sum in the
     * lane whose index is i with its four bits reversed.
     */
    private static void foldTile(float[] s, int at, float[] out, int o, int outStride) {
        FloatVector b0 = pairs(FloatVector.fromArray(S, s, at), FloatVector.fromArray(S, s, at + 16), M8, X8);
        FloatVector b1 = pairs(FloatVector.fromArray(S, s, at + 32), FloatVector.fromArray(S, s, at + 48), M8, X8);
        FloatVector b2 = pairs(FloatVector.fromArray(S, s, at + 64), FloatVector.fromArray(S, s, at + 80), M8, X8);
        FloatVector b3 = pairs(FloatVector.fromArray(S, s, at + 96), FloatVector.fromArray(S, s, at + 112), M8, X8);
        FloatVector b4 = pairs(FloatVector.fromArray(S, s, at + 128), FloatVector.fromArray(S, s, at + 144), M8, X8);
        FloatVector b5 = pairs(FloatVector.fromArray(S, s, at + 160), FloatVector.fromArray(S, s, at + 176), M8, X8);
        FloatVector b6 = pairs(FloatVector.fromArray(S, s, at + 192), FloatVector.fromArray(S, s, at + 208), M8, X8);
        FloatVector b7 = pairs(FloatVector.fromArray(S, s, at + 224), FloatVector.fromArray(S, s, at + 240), M8, X8);
        FloatVector c0 = pairs(b0, b1, M4, X4), c1 = pairs(b2, b3, M4, X4), c2 = pairs(b4, b5, M4, X4), c3 = pairs(b6, b7, M4, X4);
        pairs(pairs(c0, c1, M2, X2), pairs(c2, c3, M2, X2), M1, X1).intoArray(s, at);
        for (int k = 0; k < 16; k++) {
            int i = REVERSED[k];
            out[o + (i >> 2) * outStride + (i & 3)] = s[at + k];
        }
    }

    /** The four bits of k reversed. */
    private static final int[] REVERSED = {0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15};

    private static void tile4x1(float[] s, int cols, int blocks, int dwAt, float[] xf, float[] dx, int t, float[] out, int o) {
        int foldAt = dwAt + 4 * blocks;
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        int x0 = t * cols, d0 = t * blocks;
        for (int b = 0; b < blocks; b++) {
            int k = 32 * b;
            FloatVector u = FloatVector.fromArray(S, xf, x0 + k), v = FloatVector.fromArray(S, xf, x0 + k + 16);
            float f = dx[d0 + b];
            a0 = FloatVector.fromArray(S, s, k + 16).fma(v, FloatVector.fromArray(S, s, k).mul(u)).fma(FloatVector.broadcast(S, s[dwAt + b] * f), a0);
            a1 = FloatVector.fromArray(S, s, cols + k + 16).fma(v, FloatVector.fromArray(S, s, cols + k).mul(u))
                    .fma(FloatVector.broadcast(S, s[dwAt + blocks + b] * f), a1);
            a2 = FloatVector.fromArray(S, s, 2 * cols + k + 16).fma(v, FloatVector.fromArray(S, s, 2 * cols + k).mul(u))
                    .fma(FloatVector.broadcast(S, s[dwAt + 2 * blocks + b] * f), a2);
            a3 = FloatVector.fromArray(S, s, 3 * cols + k + 16).fma(v, FloatVector.fromArray(S, s, 3 * cols + k).mul(u))
                    .fma(FloatVector.broadcast(S, s[dwAt + 3 * blocks + b] * f), a3);
        }
        out[o] = fold(a0, s, foldAt);
        out[o + 1] = fold(a1, s, foldAt);
        out[o + 2] = fold(a2, s, foldAt);
        out[o + 3] = fold(a3, s, foldAt);
    }

    /**
     * {@link VectorFloatDot#foldLanes}'s sum in scalar steps (lane i plus lane i + 8, then i + 4, i + 2,
     * i + 1: the same additions, so the same bits), through {@code s[at .. at+16)}; a call per
     * output that C2 inlines, where passing the vector to the shuffling fold boxed it.
     */
    private static float fold(FloatVector v, float[] s, int at) {
        v.intoArray(s, at);
        float b0 = s[at] + s[at + 8], b1 = s[at + 1] + s[at + 9], b2 = s[at + 2] + s[at + 10], b3 = s[at + 3] + s[at + 11];
        float b4 = s[at + 4] + s[at + 12], b5 = s[at + 5] + s[at + 13], b6 = s[at + 6] + s[at + 14], b7 = s[at + 7] + s[at + 15];
        float c0 = b0 + b4, c1 = b1 + b5, c2 = b2 + b6, c3 = b3 + b7;
        return (c0 + c2) + (c1 + c3);
    }
}
