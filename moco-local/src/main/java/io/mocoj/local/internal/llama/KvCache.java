package io.mocoj.local.internal.llama;

import io.mocoj.local.internal.tensor.HalfKernels;
import java.util.Arrays;

/**
 * Keys and values of every layer for the positions decoded so far; grows on demand up to a limit.
 * Stored as IEEE half-precision bits (two bytes a value, as llama.cpp's default F16 cache) or as
 * floats. Position {@code p}'s keys of layer {@code l} are {@code kvDim} values from {@code p * kvDim}.
 */
public final class KvCache {
    private final int layers;
    private final int kvDim;
    private final int vDim;
    private final int maxPositions;
    private final boolean half;
    private short[][] keysHalf, valuesHalf;
    private float[][] keys, values;
    private int capacity;
    private int length;

    /** @param half store half-precision bits (values must be rounded to half precision already) */
    public KvCache(int layers, int kvDim, int vDim, int maxPositions, boolean half) {
        this.layers = layers;
        this.kvDim = kvDim;
        this.vDim = vDim;
        this.maxPositions = maxPositions;
        this.half = half;
        resize(0);
    }

    private KvCache(KvCache o) {
        this(o.layers, o.kvDim, o.vDim, o.maxPositions, o.half);
        resize(o.length);
        for (int l = 0; l < layers; l++) {
            if (half) {
                System.arraycopy(o.keysHalf[l], 0, keysHalf[l], 0, o.length * kvDim);
                System.arraycopy(o.valuesHalf[l], 0, valuesHalf[l], 0, o.length * vDim);
            } else {
                System.arraycopy(o.keys[l], 0, keys[l], 0, o.length * kvDim);
                System.arraycopy(o.values[l], 0, values[l], 0, o.length * vDim);
            }
        }
        this.length = o.length;
    }

    /** Reallocates every layer's arrays for {@code positions}, keeping the first {@link #length}. */
    private void resize(int positions) {
        if (half) {
            if (keysHalf == null) { keysHalf = new short[layers][0]; valuesHalf = new short[layers][0]; }
            for (int l = 0; l < layers; l++) {
                keysHalf[l] = Arrays.copyOf(keysHalf[l], positions * kvDim);
                valuesHalf[l] = Arrays.copyOf(valuesHalf[l], positions * vDim);
            }
        } else {
            if (keys == null) { keys = new float[layers][0]; values = new float[layers][0]; }
            for (int l = 0; l < layers; l++) {
                keys[l] = Arrays.copyOf(keys[l], positions * kvDim);
                values[l] = Arrays.copyOf(values[l], positions * vDim);
            }
        }
        capacity = positions;
    }

    /** Number of cached positions. */
    public int length() { return length; }

    public int maxPositions() { return maxPositions; }

    /** Whether keys and values are stored as half-precision bits. */
    public boolean half() { return half; }

    /** Bytes held by the stored keys and values (capacity, not only the used length). */
    public long bytes() { return (long) capacity * layers * (kvDim + vDim) * (half ? 2 : 4); }

    /** Makes room for {@code total} positions. */
    void ensureCapacity(int total) {
        if (total > maxPositions) {
            throw new IllegalStateException("context is full: " + total + " tokens requested, the limit is " + maxPositions
                    + " (raise the ctx option)");
        }
        if (total <= capacity) return;
        resize(Math.min(maxPositions, Math.max(total, Math.max(64, capacity * 2))));
    }

    /** Stores {@code T} positions' keys ({@code k}, token-major) and values from position {@code p0} of {@code layer}. */
    void store(int layer, int p0, float[] k, float[] v, int T) {
        if (half) {
            HalfKernels.toHalf(k, 0, keysHalf[layer], p0 * kvDim, T * kvDim);
            HalfKernels.toHalf(v, 0, valuesHalf[layer], p0 * vDim, T * vDim);
        } else {
            System.arraycopy(k, 0, keys[layer], p0 * kvDim, T * kvDim);
            System.arraycopy(v, 0, values[layer], p0 * vDim, T * vDim);
        }
    }

    /** The float keys of {@code layer} (F32 cache only). */
    float[] keys(int layer) { return keys[layer]; }

    float[] values(int layer) { return values[layer]; }

    /** The half-precision keys of {@code layer} (F16 cache only). */
    short[] keysHalf(int layer) { return keysHalf[layer]; }

    short[] valuesHalf(int layer) { return valuesHalf[layer]; }

    void setLength(int n) { length = n; }

    /** An independent copy (trimmed to the used length). */
    public KvCache copy() { return new KvCache(this); }

    /** Drops positions from {@code n} on. */
    public void truncate(int n) {
        if (n < 0 || n > length) throw new IllegalArgumentException("cannot truncate to " + n + " of " + length);
        length = n;
    }

    /** Frees the memory. */
    public void release() {
        length = 0;
        resize(0);
    }
}
