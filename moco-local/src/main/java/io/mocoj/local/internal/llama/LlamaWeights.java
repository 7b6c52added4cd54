package io.mocoj.local.internal.llama;

import io.mocoj.local.internal.tensor.Matrix;
import java.util.function.Function;

/**
 * The parameters of a llama-family model under their GGUF names. Matrices stay in their stored
 * type (possibly quantised, possibly memory-mapped); norm weights and biases are small F32 arrays.
 *
 * @param tokenEmbedding  {@code token_embd.weight}, one row per token
 * @param outputNorm      {@code output_norm.weight}
 * @param output          {@code output.weight}, or the token embedding when the file has none (tied)
 * @param ropeFreqs       {@code rope_freqs.weight} (llama3 frequency factors), or null
 * @param layers          one entry per {@code blk.N}
 */
public record LlamaWeights(Matrix tokenEmbedding, float[] outputNorm, Matrix output, float[] ropeFreqs, Layer[] layers) {

    /** The weights of one block; biases and q/k norms are null when the architecture has none. */
    public record Layer(float[] attnNorm, Matrix wq, Matrix wk, Matrix wv, Matrix wo,
                        float[] bq, float[] bk, float[] bv, float[] bo,
                        float[] qNorm, float[] kNorm,
                        float[] ffnNorm, Matrix gate, Matrix up, Matrix down) {}

    /**
     * Collects and shape-checks the weights.
     *
     * @param lookup returns the tensor of that name, or null when absent
     */
    public static LlamaWeights load(LlamaConfig c, Function<String, Matrix> lookup, String source) {
        Loader l = new Loader(lookup, source);
        Matrix embd = l.matrix("token_embd.weight", -1, c.dim());
        int vocab = embd.rows();
        float[] outNorm = l.vector("output_norm.weight", c.dim(), true);
        Matrix output = lookup.apply("output.weight");
        if (output == null) output = embd;
        else l.check("output.weight", output, vocab, c.dim());
        float[] ropeFreqs = l.vector("rope_freqs.weight", c.ropeDims() / 2, false);
        Layer[] layers = new Layer[c.layers()];
        boolean qkNorm = c.architecture().equals("qwen3");
        for (int i = 0; i < c.layers(); i++) {
            String p = "blk." + i + ".";
            layers[i] = new Layer(
                    l.vector(p + "attn_norm.weight", c.dim(), true),
                    l.matrix(p + "attn_q.weight", c.qDim(), c.dim()),
                    l.matrix(p + "attn_k.weight", c.kvDim(), c.dim()),
                    l.matrix(p + "attn_v.weight", c.vDim(), c.dim()),
                    l.matrix(p + "attn_output.weight", c.dim(), c.heads() * c.valueHeadDim()),
                    l.vector(p + "attn_q.bias", c.qDim(), false),
                    l.vector(p + "attn_k.bias", c.kvDim(), false),
                    l.vector(p + "attn_v.bias", c.vDim(), false),
                    l.vector(p + "attn_output.bias", c.dim(), false),
                    l.vector(p + "attn_q_norm.weight", c.headDim(), qkNorm),
                    l.vector(p + "attn_k_norm.weight", c.headDim(), qkNorm),
                    l.vector(p + "ffn_norm.weight", c.dim(), true),
                    l.matrix(p + "ffn_gate.weight", c.ffnDim(), c.dim()),
                    l.matrix(p + "ffn_up.weight", c.ffnDim(), c.dim()),
                    l.matrix(p + "ffn_down.weight", c.dim(), c.ffnDim()));
        }
        return new LlamaWeights(embd, outNorm, output, ropeFreqs, layers);
    }

    public int vocabularySize() { return tokenEmbedding.rows(); }

    private record Loader(Function<String, Matrix> lookup, String source) {
        Matrix matrix(String name, int rows, int cols) {
            Matrix m = lookup.apply(name);
            if (m == null) throw new IllegalArgumentException(source + ": required tensor " + name + " is missing");
            check(name, m, rows, cols);
            return m;
        }

        void check(String name, Matrix m, int rows, int cols) {
            if ((rows >= 0 && m.rows() != rows) || m.cols() != cols) {
                throw new IllegalArgumentException(source + ": tensor " + name + " has shape [" + m.rows() + ", " + m.cols()
                        + "] but the metadata implies [" + (rows >= 0 ? rows : "vocab") + ", " + cols + "]");
            }
        }

        float[] vector(String name, int n, boolean required) {
            Matrix m = lookup.apply(name);
            if (m == null) {
                if (required) throw new IllegalArgumentException(source + ": required tensor " + name + " is missing");
                return null;
            }
            if ((long) m.rows() * m.cols() != n) {
                throw new IllegalArgumentException(source + ": tensor " + name + " has " + (long) m.rows() * m.cols()
                        + " values but the metadata implies " + n);
            }
            return m.toFloats();
        }
    }
}
