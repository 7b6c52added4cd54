package io.mocoj.local;

import java.util.Map;

/**
 * A deliberately naive second implementation of the llama/qwen2/qwen3 forward pass for tests:
 * double precision, no KV cache (every prefix recomputed), weights as plain row-major arrays read
 * through the {@link io.mocoj.model.WeightsModel} API. Rope follows llama.cpp: adjacent pairs for
 * llama ("normal"), pairs (i, i + d/2) for qwen2/qwen3 ("neox").
 */
final class ReferenceForward {
    private final LocalModel m;
    private final String arch;
    private final int dim, layers, heads, kvHeads, hd, ffn, vocab;
    private final double eps, base;

    ReferenceForward(LocalModel m) {
        this.m = m;
        Map<String, Object> md = m.metadata();
        arch = (String) md.get("general.architecture");
        dim = ((Long) md.get(arch + ".embedding_length")).intValue();
        layers = ((Long) md.get(arch + ".block_count")).intValue();
        heads = ((Long) md.get(arch + ".attention.head_count")).intValue();
        kvHeads = ((Long) md.get(arch + ".attention.head_count_kv")).intValue();
        ffn = ((Long) md.get(arch + ".feed_forward_length")).intValue();
        eps = (Double) md.get(arch + ".attention.layer_norm_rms_epsilon");
        base = (Double) md.get(arch + ".rope.freq_base");
        hd = dim / heads;
        vocab = m.shape("token_embd.weight")[0];
    }

    private double[] w(String name) {
        float[] f = m.tensor(name);
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) d[i] = f[i];
        return d;
    }

    private boolean has(String name) { return m.tensorNames().contains(name); }

    private static double[] matvec(double[] W, double[] x, int rows, int cols) {
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int c = 0; c < cols; c++) s += W[r * cols + c] * x[c];
            y[r] = s;
        }
        return y;
    }

    private double[] rms(double[] x, int off, int n, double[] weight) {
        double ss = 0;
        for (int i = 0; i < n; i++) ss += x[off + i] * x[off + i];
        double k = 1 / Math.sqrt(ss / n + eps);
        double[] y = new double[n];
        for (int i = 0; i < n; i++) y[i] = x[off + i] * k * weight[i];
        return y;
    }

    private void rope(double[] v, int nHeads, int pos) {
        for (int h = 0; h < nHeads; h++) {
            for (int i = 0; i < hd / 2; i++) {
                double theta = pos * Math.pow(base, -2.0 * i / hd);
                int a, b;
                if (arch.equals("llama")) { a = h * hd + 2 * i; b = a + 1; } else { a = h * hd + i; b = a + hd / 2; }
                double x0 = v[a], x1 = v[b];
                v[a] = x0 * Math.cos(theta) - x1 * Math.sin(theta);
                v[b] = x0 * Math.sin(theta) + x1 * Math.cos(theta);
            }
        }
    }

    /** Logits for the token after {@code tokens}. */
    double[] logits(int[] tokens) {
        double[][] h = hiddenStates(tokens);
        double[] out = has("output.weight") ? w("output.weight") : w("token_embd.weight");
        return matvec(out, h[tokens.length - 1], vocab, dim);
    }

    /** Final hidden state of every position: the last block's residual, RMS-normalised and scaled by output_norm. */
    double[][] hiddenStates(int[] tokens) {
        double[][] x = residuals(tokens);
        double[] on = w("output_norm.weight");
        double[][] h = new double[x.length][];
        for (int t = 0; t < x.length; t++) h[t] = rms(x[t], 0, dim, on);
        return h;
    }

    private double[][] residuals(int[] tokens) {
        int T = tokens.length;
        double[] emb = w("token_embd.weight");
        double[][] x = new double[T][];
        for (int t = 0; t < T; t++) {
            x[t] = new double[dim];
            System.arraycopy(emb, tokens[t] * dim, x[t], 0, dim);
        }
        for (int l = 0; l < layers; l++) {
            String p = "blk." + l + ".";
            double[] wq = w(p + "attn_q.weight"), wk = w(p + "attn_k.weight"), wv = w(p + "attn_v.weight"), wo = w(p + "attn_output.weight");
            double[] an = w(p + "attn_norm.weight"), fn = w(p + "ffn_norm.weight");
            double[][] q = new double[T][], k = new double[T][], v = new double[T][];
            for (int t = 0; t < T; t++) {
                double[] h = rms(x[t], 0, dim, an);
                q[t] = matvec(wq, h, heads * hd, dim);
                k[t] = matvec(wk, h, kvHeads * hd, dim);
                v[t] = matvec(wv, h, kvHeads * hd, dim);
                if (has(p + "attn_q.bias")) {
                    double[] bq = w(p + "attn_q.bias"), bk = w(p + "attn_k.bias"), bv = w(p + "attn_v.bias");
                    for (int i = 0; i < bq.length; i++) q[t][i] += bq[i];
                    for (int i = 0; i < bk.length; i++) { k[t][i] += bk[i]; v[t][i] += bv[i]; }
                }
                if (has(p + "attn_q_norm.weight")) {
                    double[] qn = w(p + "attn_q_norm.weight"), kn = w(p + "attn_k_norm.weight");
                    for (int h2 = 0; h2 < heads; h2++) System.arraycopy(rms(q[t], h2 * hd, hd, qn), 0, q[t], h2 * hd, hd);
                    for (int h2 = 0; h2 < kvHeads; h2++) System.arraycopy(rms(k[t], h2 * hd, hd, kn), 0, k[t], h2 * hd, hd);
                }
                rope(q[t], heads, t);
                rope(k[t], kvHeads, t);
            }
            for (int t = 0; t < T; t++) {
                double[] att = new double[heads * hd];
                for (int h2 = 0; h2 < heads; h2++) {
                    int kvh = h2 * kvHeads / heads;
                    double[] s = new double[t + 1];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int u = 0; u <= t; u++) {
                        double d = 0;
                        for (int i = 0; i < hd; i++) d += q[t][h2 * hd + i] * k[u][kvh * hd + i];
                        s[u] = d / Math.sqrt(hd);
                        max = Math.max(max, s[u]);
                    }
                    double z = 0;
                    for (int u = 0; u <= t; u++) { s[u] = Math.exp(s[u] - max); z += s[u]; }
                    for (int u = 0; u <= t; u++) for (int i = 0; i < hd; i++) att[h2 * hd + i] += s[u] / z * v[u][kvh * hd + i];
                }
                double[] o = matvec(wo, att, dim, heads * hd);
                for (int i = 0; i < dim; i++) x[t][i] += o[i];
            }
            double[] wg = w(p + "ffn_gate.weight"), wu = w(p + "ffn_up.weight"), wd = w(p + "ffn_down.weight");
            for (int t = 0; t < T; t++) {
                double[] h = rms(x[t], 0, dim, fn);
                double[] g = matvec(wg, h, ffn, dim), u = matvec(wu, h, ffn, dim);
                for (int i = 0; i < ffn; i++) g[i] = g[i] / (1 + Math.exp(-g[i])) * u[i];
                double[] d = matvec(wd, g, dim, ffn);
                for (int i = 0; i < dim; i++) x[t][i] += d[i];
            }
        }
        return x;
    }
}
