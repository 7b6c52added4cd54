package io.mocoj.local.gguf;

import java.util.Arrays;

/**
 * One tensor's entry in a GGUF file.
 *
 * @param name         tensor name, e.g. {@code blk.0.attn_q.weight}
 * @param dimensions   ggml dimensions, innermost first ({@code ne[0]} is the row length)
 * @param type         data type
 * @param fileOffset   absolute byte offset of the data in the file
 * @param byteSize     bytes of data
 */
public record GgufTensorInfo(String name, long[] dimensions, GgmlType type, long fileOffset, long byteSize) {
    public GgufTensorInfo {
        dimensions = dimensions.clone();
    }

    @Override
    public long[] dimensions() { return dimensions.clone(); }

    /** Number of elements. */
    public long elementCount() {
        long n = 1;
        for (long d : dimensions) n *= d;
        return n;
    }

    /** Elements per row ({@code ne[0]}). */
    public long rowLength() { return dimensions[0]; }

    /** Number of rows (product of all dimensions but the first). */
    public long rowCount() { return elementCount() / dimensions[0]; }

    /** The shape outermost dimension first (row-major order), as {@code int}s. */
    public int[] shape() {
        int[] s = new int[dimensions.length];
        for (int i = 0; i < dimensions.length; i++) s[i] = Math.toIntExact(dimensions[dimensions.length - 1 - i]);
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufTensorInfo t && t.name.equals(name) && Arrays.equals(t.dimensions, dimensions)
                && t.type == type && t.fileOffset == fileOffset && t.byteSize == byteSize;
    }

    @Override
    public int hashCode() { return name.hashCode() * 31 + Arrays.hashCode(dimensions); }

    @Override
    public String toString() {
        return name + Arrays.toString(dimensions) + " " + type + " @" + fileOffset;
    }
}
