package io.mocoj.local.internal.tensor.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float prefill tile: four weight rows times four tokens with every product bit-identical to
 * {@link VectorFloatDot#dot}. {@code dot} keeps two accumulators, the first taking the even
 * vectors of the row and the second the odd ones, adds them, sums the lanes in order and adds the
 * scalar tail in order. The two accumulators are two independent chains of fused multiply-adds,
 * so the tile runs them one after the other: a pass over the even vectors with one accumulator
 * per output (sixteen registers, eight loads per sixteen multiply-adds), its sums parked in a
 * scratch array, then the same pass over the odd vectors; each output then gets {@code even +
 * odd} and {@code dot}'s lane sum and tail. The methods stay small so that C2 intrinsifies them.
 */
final class VectorFloatTile {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private VectorFloatTile() {}

    /** Per thread: 2 × 16 accumulators' lanes. */
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[2 * 16 * L]);

    /**
     * {@code out[outOff + (t0+j)*outStride + r0 + k] = dot(a, (r0+k)*n, x, (t0+j)*xStride, n)} for
     * {@code j, k < 4}.
     */
    static void tile4x4(float[] a, int n, int r0, float[] x, int xStride, int t0, float[] out, int outOff, int outStride) {
        float[] acc = SCRATCH.get();
        int bound = S.loopBound(n);
        int a0 = r0 * n, x0 = t0 * xStride;
        pass(a, a0, n, x, x0, xStride, 0, bound, acc, 0);
        pass(a, a0, n, x, x0, xStride, L, bound, acc, 16 * L);
        if (L == 16 && bound == n) {
            // the usual case (widths a multiple of 16): sixteen lane sums interleaved
            laneSums16(acc);
            for (int k = 0; k < 4; k++) {
                for (int j = 0; j < 4; j++) out[outOff + (t0 + j) * outStride + r0 + k] = acc[SUMS + 4 * k + j];
            }
            return;
        }
        for (int k = 0; k < 4; k++) {
            for (int j = 0; j < 4; j++) {
                int e = 4 * k + j;
                out[outOff + (t0 + j) * outStride + r0 + k] = finish(acc, e, a, a0 + k * n, x, x0 + j * xStride, bound, n);
            }
        }
    }

    /**
     * One chain of {@code dot}'s two: vectors at {@code start, start + 2L, ...} below {@code bound}
     * of rows {@code a0 + k*n} times tokens {@code x0 + j*xs}, one accumulator per (k, j), stored
     * at {@code acc[at + (4k + j)*L ..]}.
     */
    private static void pass(float[] a, int a0, int n, float[] x, int x0, int xs, int start, int bound, float[] acc, int at) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00, c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        int x1 = x0 + xs, x2 = x1 + xs, x3 = x2 + xs, a1 = a0 + n, a2 = a1 + n, a3 = a2 + n;
        for (int i = start; i < bound; i += 2 * L) {
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
        c00.intoArray(acc, at); c01.intoArray(acc, at + L); c02.intoArray(acc, at + 2 * L); c03.intoArray(acc, at + 3 * L);
        c10.intoArray(acc, at + 4 * L); c11.intoArray(acc, at + 5 * L); c12.intoArray(acc, at + 6 * L); c13.intoArray(acc, at + 7 * L);
        c20.intoArray(acc, at + 8 * L); c21.intoArray(acc, at + 9 * L); c22.intoArray(acc, at + 10 * L); c23.intoArray(acc, at + 11 * L);
        c30.intoArray(acc, at + 12 * L); c31.intoArray(acc, at + 13 * L); c32.intoArray(acc, at + 14 * L); c33.intoArray(acc, at + 15 * L);
    }

    /** Where {@link #laneSums16} leaves its sums in the scratch array. */
    private static final int SUMS = 16 * 16;

    /**
     * With sixteen lanes and no scalar tail: {@code dot}'s lane sums of the sixteen outputs at
     * once. Each output's even and odd accumulators are added lane by lane (into the even half),
     * then sixteen scalar sums run side by side, each adding its output's lanes in order from
     * zero, exactly as {@code dot}'s loop does, so the chains' latencies overlap. The sums land
     * in {@code acc[SUMS + e]}.
     */
    private static void laneSums16(float[] acc) {
        for (int e = 0; e < 16; e++) {
            FloatVector.fromArray(S, acc, e * 16).add(FloatVector.fromArray(S, acc, (16 + e) * 16)).intoArray(acc, e * 16);
        }
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        float s8 = 0, s9 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0, s14 = 0, s15 = 0;
        for (int l = 0; l < 16; l++) {
            s0 += acc[l]; s1 += acc[16 + l]; s2 += acc[32 + l]; s3 += acc[48 + l];
            s4 += acc[64 + l]; s5 += acc[80 + l]; s6 += acc[96 + l]; s7 += acc[112 + l];
            s8 += acc[128 + l]; s9 += acc[144 + l]; s10 += acc[160 + l]; s11 += acc[176 + l];
            s12 += acc[192 + l]; s13 += acc[208 + l]; s14 += acc[224 + l]; s15 += acc[240 + l];
        }
        int o = SUMS;
        acc[o] = s0; acc[o + 1] = s1; acc[o + 2] = s2; acc[o + 3] = s3; acc[o + 4] = s4; acc[o + 5] = s5; acc[o + 6] = s6; acc[o + 7] = s7;
        acc[o + 8] = s8; acc[o + 9] = s9; acc[o + 10] = s10; acc[o + 11] = s11; acc[o + 12] = s12; acc[o + 13] = s13; acc[o + 14] = s14; acc[o + 15] = s15;
    }

    /** Output {@code e}: its even and odd sums added, the lanes summed in order, the scalar tail added: {@code dot}'s steps. */
    private static float finish(float[] acc, int e, float[] a, int aOff, float[] x, int xOff, int i, int n) {
        int p = e * L, q = (16 + e) * L;
        float s = 0;
        for (int l = 0; l < L; l++) s += acc[p + l] + acc[q + l];
        for (; i < n; i++) s += a[aOff + i] * x[xOff + i];
        return s;
    }
}
