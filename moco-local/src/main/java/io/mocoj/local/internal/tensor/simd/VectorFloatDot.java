package io.mocoj.local.internal.tensor.simd;

import io.mocoj.local.internal.tensor.FloatDot;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
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

    /**
     * Fused decode and dot, in exactly {@link #dot}'s order over the decoded values (two
     * accumulators alternating by vector, lanes summed in order), so the bits equal
     * {@code decodeQ8_0} + {@code dot}.
     */
    @Override
    public float dotQ8_0(byte[] src, int blocks, float[] x, int xOff, float[] scratch) {
        if (B == null) return FloatDot.super.dotQ8_0(src, blocks, x, xOff, scratch);
        int step = S.length();
        FloatVector acc0 = FloatVector.zero(S), acc1 = FloatVector.zero(S);
        boolean first = true; // which accumulator the next vector goes to
        for (int b = 0; b < blocks; b++) {
            int p = 34 * b;
            float d = Float.float16ToFloat((short) ((src[p] & 0xFF) | (src[p + 1] << 8)));
            for (int j = 0; j < 32; j += step) {
                FloatVector w = ((FloatVector) ByteVector.fromArray(B, src, p + 2 + j).convertShape(VectorOperators.B2F, S, 0)).mul(d);
                FloatVector xv = FloatVector.fromArray(S, x, xOff + 32 * b + j);
                if (first) acc0 = w.fma(xv, acc0); else acc1 = w.fma(xv, acc1);
                first = !first;
            }
        }
        return sumLanes(acc0.add(acc1), step);
    }

    @Override
    public float dotQ4_0(byte[] src, int blocks, float[] x, int xOff, float[] scratch) {
        if (B16 == null) return FloatDot.super.dotQ4_0(src, blocks, x, xOff, scratch);
        FloatVector acc0 = FloatVector.zero(S), acc1 = FloatVector.zero(S);
        for (int b = 0; b < blocks; b++) {
            int p = 18 * b;
            float d = Float.float16ToFloat((short) ((src[p] & 0xFF) | (src[p + 1] << 8)));
            ByteVector q = ByteVector.fromArray(B16, src, p + 2);
            acc0 = nibbles(q, false).mul(d).fma(FloatVector.fromArray(S, x, xOff + 32 * b), acc0);
            acc1 = nibbles(q, true).mul(d).fma(FloatVector.fromArray(S, x, xOff + 32 * b + 16), acc1);
        }
        return sumLanes(acc0.add(acc1), S.length());
    }

    private static float sumLanes(FloatVector acc, int step) {
        float[] lanes = new float[step];
        acc.intoArray(lanes, 0);
        float s = 0;
        for (float v : lanes) s += v;
        return s;
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
    public void dotMany(float[] a, float[] x, int xStride, int count, int n, float[] out, int outOff, int outStride) {
        int step = S.length();
        int bound = S.loopBound(n);
        float[] lanes = new float[step];
        int t = 0;
        for (; t + 3 < count; t += 4) {
            int b0 = t * xStride, b1 = b0 + xStride, b2 = b1 + xStride, b3 = b2 + xStride;
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
        for (; t < count; t++) out[outOff + t * outStride] = dot(a, 0, x, t * xStride, n);
    }

    /** The same lane sum and scalar tail as {@link #dot}. */
    private static float finish(FloatVector acc, float[] lanes, float[] a, float[] x, int xOff, int i, int n) {
        acc.intoArray(lanes, 0);
        float s = 0;
        for (float v : lanes) s += v;
        for (; i < n; i++) s += a[i] * x[xOff + i];
        return s;
    }

    /** Lanes per vector on this machine. */
    public static int lanes() { return S.length(); }
}
