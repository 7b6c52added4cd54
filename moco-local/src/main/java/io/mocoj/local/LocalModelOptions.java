package io.mocoj.local;

/**
 * How a {@link LocalModel} is run.
 *
 * @param name          the model's name in reports (default: the file name without {@code .gguf})
 * @param threads       worker threads for matrix products and attention (default: available processors)
 * @param contextLength the most tokens one session may hold (0: the model's trained context length,
 *                      capped at 4096 to bound KV-cache memory)
 * @param topK          top-k sampling cut-off used by {@link LocalModel#generate} (0: off)
 * @param prefillBatch  tokens processed together when a session is fed several tokens
 * @param halfPrecisionCache keep the KV cache (and the attention products' operands) at half
 *                      precision like llama.cpp's default F16 cache (default true); false keeps F32
 */
public record LocalModelOptions(String name, int threads, int contextLength, int topK, int prefillBatch,
                                boolean halfPrecisionCache) {
    public LocalModelOptions {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        if (contextLength < 0) throw new IllegalArgumentException("contextLength must be >= 0, was " + contextLength);
        if (topK < 0) throw new IllegalArgumentException("topK must be >= 0, was " + topK);
        if (prefillBatch < 1) throw new IllegalArgumentException("prefillBatch must be >= 1, was " + prefillBatch);
    }

    /** Default options: all processors, the model's context (at most 4096), no top-k, batches of 64. */
    public static LocalModelOptions defaults() { return builder().build(); }

    public static Builder builder() { return new Builder(); }

    public Builder toBuilder() {
        return new Builder().name(name).threads(threads).contextLength(contextLength).topK(topK).prefillBatch(prefillBatch)
                .halfPrecisionCache(halfPrecisionCache);
    }

    /** Builder for {@link LocalModelOptions}. */
    public static final class Builder {
        private String name;
        private int threads = Runtime.getRuntime().availableProcessors();
        private int contextLength;
        private int topK;
        private int prefillBatch = 64;
        private boolean halfPrecisionCache = true;

        private Builder() {}

        public Builder name(String v) { name = v; return this; }
        public Builder threads(int v) { threads = v; return this; }
        public Builder contextLength(int v) { contextLength = v; return this; }
        public Builder topK(int v) { topK = v; return this; }
        public Builder prefillBatch(int v) { prefillBatch = v; return this; }
        public Builder halfPrecisionCache(boolean v) { halfPrecisionCache = v; return this; }

        public LocalModelOptions build() { return new LocalModelOptions(name, threads, contextLength, topK, prefillBatch, halfPrecisionCache); }
    }
}
