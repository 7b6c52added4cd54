package io.mocoj.local.internal.llama;

import java.util.Arrays;

/** Keys and values of every layer for the positions decoded so far; grows on demand up to a limit. */
public final class KvCache {
    private final int layers;
    private final int kvDim;
    private final int vDim;
    private final int maxPositions;
    private float[][] keys;
    private float[][] values;
    private int capacity;
    private int length;

    public KvCache(int layers, int kvDim, int vDim, int maxPositions) {
        this.layers = layers;
        this.kvDim = kvDim;
        this.vDim = vDim;
        this.maxPositions = maxPositions;
        this.keys = new float[layers][0];
        this.values = new float[layers][0];
    }

    private KvCache(KvCache o) {
        this(o.layers, o.kvDim, o.vDim, o.maxPositions);
        this.capacity = o.length;
        this.length = o.length;
        for (int l = 0; l < layers; l++) {
            keys[l] = Arrays.copyOf(o.keys[l], o.length * kvDim);
            values[l] = Arrays.copyOf(o.values[l], o.length * vDim);
        }
    }

    /** Number of cached positions. */
    public int length() { return length; }

    public int maxPositions() { return maxPositions; }

    /** Makes room for {@code total} positions. */
    void ensureCapacity(int total) {
        if (total > maxPositions) {
            throw new IllegalStateException("context is full: " + total + " tokens requested, the limit is " + maxPositions
                    + " (raise the ctx option)");
        }
        if (total <= capacity) return;
        int next = Math.min(maxPositions, Math.max(total, Math.max(64, capacity * 2)));
        for (int l = 0; l < layers; l++) {
            keys[l] = Arrays.copyOf(keys[l], next * kvDim);
            values[l] = Arrays.copyOf(values[l], next * vDim);
        }
        capacity = next;
    }

    float[] keys(int layer) { return keys[layer]; }

    float[] values(int layer) { return values[layer]; }

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
        keys = new float[layers][0];
        values = new float[layers][0];
        capacity = 0;
        length = 0;
    }
}
