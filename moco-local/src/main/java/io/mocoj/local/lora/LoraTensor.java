package io.mocoj.local.lora;

import java.util.Arrays;

/**
 * The low-rank update of one base tensor: {@code ΔW = B·A} with {@code A} of shape
 * {@code [rank, in]} and {@code B} of shape {@code [out, rank]} (outermost dimension first,
 * row-major), for a base matrix of shape {@code [out, in]}. Stored in GGUF as
 * {@code <base>.lora_a} (ggml dimensions {@code [in, rank]}) and {@code <base>.lora_b}
 * ({@code [rank, out]}), as llama.cpp's {@code convert_lora_to_gguf.py} writes them.
 *
 * @param baseTensor the base tensor's GGUF name, e.g. {@code blk.0.attn_q.weight}
 * @param rank       the rank {@code r}
 * @param in         columns of the base matrix
 * @param out        rows of the base matrix
 * @param a          {@code rank × in} values
 * @param b          {@code out × rank} values
 */
public record LoraTensor(String baseTensor, int rank, int in, int out, float[] a, float[] b) {
    public LoraTensor {
        if (rank <= 0 || in <= 0 || out <= 0) {
            throw new IllegalArgumentException("LoRA tensor for " + baseTensor + ": rank, in and out must be positive, were "
                    + rank + ", " + in + ", " + out);
        }
        if ((long) rank * in != a.length) {
            throw new IllegalArgumentException("LoRA tensor for " + baseTensor + ": lora_a has " + a.length
                    + " values, its shape [" + rank + ", " + in + "] needs " + (long) rank * in);
        }
        if ((long) out * rank != b.length) {
            throw new IllegalArgumentException("LoRA tensor for " + baseTensor + ": lora_b has " + b.length
                    + " values, its shape [" + out + ", " + rank + "] needs " + (long) out * rank);
        }
    }

    /** The dense update {@code B·A} ({@code out × in}, row-major), times {@code scale}. */
    public float[] delta(float scale) {
        float[] d = new float[out * in];
        for (int o = 0; o < out; o++) {
            for (int j = 0; j < rank; j++) {
                float c = scale * b[o * rank + j];
                if (c == 0) continue;
                int ao = j * in, dOff = o * in;
                for (int i = 0; i < in; i++) d[dOff + i] += c * a[ao + i];
            }
        }
        return d;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoraTensor t && t.baseTensor.equals(baseTensor) && t.rank == rank && t.in == in && t.out == out
                && Arrays.equals(t.a, a) && Arrays.equals(t.b, b);
    }

    @Override
    public int hashCode() { return baseTensor.hashCode() * 31 + Arrays.hashCode(a) * 17 + Arrays.hashCode(b); }

    @Override
    public String toString() { return "LoraTensor[" + baseTensor + ", rank " + rank + ", " + out + "x" + in + "]"; }
}
