package io.mocoj.local.train.internal;

import io.mocoj.local.LocalModel;
import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.internal.llama.LlamaConfig;
import io.mocoj.local.internal.tensor.ArrayMatrix;
import io.mocoj.local.internal.tensor.Matrix;
import io.mocoj.local.internal.tensor.Parallel;
import io.mocoj.local.train.LoraConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Builds the training {@link Network} of a {@link LocalModel}: full fine-tuning or LoRA. */
public final class NetworkFactory {
    private NetworkFactory() {}

    /**
     * @param lora null for full fine-tuning (every tensor trained, F32 master copies), else the
     *             adapters to add (base weights frozen in their stored type)
     * @param seed seeds the adapters' A initialisation (per tensor name)
     * @throws IllegalArgumentException for full fine-tuning of a model with quantised matrices
     */
    public static Network build(LocalModel model, Parallel par, LoraConfig lora, long seed) {
        LlamaConfig c = model.internalConfig();
        boolean full = lora == null;
        if (full) {
            List<String> quantised = new ArrayList<>();
            for (String n : model.tensorNames()) {
                GgmlType t = model.tensorType(n);
                if (t != GgmlType.F32 && t != GgmlType.F16 && t != GgmlType.BF16) quantised.add(n + " (" + t + ")");
            }
            if (!quantised.isEmpty()) {
                throw new IllegalArgumentException(model.name() + ": full fine-tuning needs F32, F16 or BF16 weights, but "
                        + quantised.size() + " tensors are quantised, e.g. " + String.join(", ", quantised.subList(0, Math.min(3, quantised.size())))
                        + "; train LoRA adapters on it instead (--lora RANK / TrainingConfig.lora) or start from an F16/F32 model");
            }
        }
        Param embP = full ? param(model, "token_embd.weight", true) : null;
        Matrix emb = embP != null ? new ArrayMatrix(embP.value(), embP.rows(), embP.cols()) : model.internalTensor("token_embd.weight");
        Param outNorm = param(model, "output_norm.weight", full);
        Network.Linear output;
        if (model.internalTensor("output.weight") == null) {
            output = new Network.Linear("token_embd.weight", emb, embP, null);
        } else {
            output = linear(model, "output.weight", null, full);
        }
        Matrix rf = model.internalTensor("rope_freqs.weight");
        float[] ropeFreqs = rf == null ? null : rf.toFloats();
        Network.Block[] blocks = new Network.Block[c.layers()];
        for (int l = 0; l < c.layers(); l++) {
            String p = "blk." + l + ".";
            blocks[l] = new Network.Block(param(model, p + "attn_norm.weight", full),
                    linear(model, p + "attn_q.weight", p + "attn_q.bias", full),
                    linear(model, p + "attn_k.weight", p + "attn_k.bias", full),
                    linear(model, p + "attn_v.weight", p + "attn_v.bias", full),
                    linear(model, p + "attn_output.weight", p + "attn_output.bias", full),
                    optional(model, p + "attn_q_norm.weight", full), optional(model, p + "attn_k_norm.weight", full),
                    param(model, p + "ffn_norm.weight", full),
                    linear(model, p + "ffn_gate.weight", null, full),
                    linear(model, p + "ffn_up.weight", null, full),
                    linear(model, p + "ffn_down.weight", null, full));
            if (lora != null) {
                for (LoraConfig.Target t : LoraConfig.Target.values()) {
                    if (!lora.targets().contains(t)) continue;
                    Network.Linear lin = byTarget(blocks[l], t);
                    lin.lora(newLora(lin, lora, seed));
                }
            }
        }
        return new Network(c, par, emb, embP, outNorm, output, ropeFreqs, blocks);
    }

    /** The block's linear for a LoRA target. */
    public static Network.Linear byTarget(Network.Block b, LoraConfig.Target t) {
        return switch (t) {
            case Q -> b.q();
            case K -> b.k();
            case V -> b.v();
            case O -> b.o();
            case GATE -> b.gate();
            case UP -> b.up();
            case DOWN -> b.down();
        };
    }

    private static Network.Lora newLora(Network.Linear lin, LoraConfig cfg, long seed) {
        int in = lin.weight().cols(), out = lin.weight().rows(), r = cfg.rank();
        float[] a = new float[r * in];
        SplittableRandom rnd = new SplittableRandom(seed ^ lin.name().hashCode() * 0x9E3779B97F4A7C15L);
        double bound = 1.0 / Math.sqrt(in);
        for (int i = 0; i < a.length; i++) a[i] = (float) ((rnd.nextDouble() * 2 - 1) * bound);
        return new Network.Lora(new Param(lin.name() + ".lora_a", r, in, a, true),
                new Param(lin.name() + ".lora_b", out, r, new float[out * r], true), cfg.scale(), (float) cfg.dropout());
    }

    private static Param param(LocalModel m, String name, boolean trainable) {
        Matrix t = m.internalTensor(name);
        if (t == null) throw new IllegalArgumentException(m.name() + ": tensor " + name + " is missing");
        return new Param(name, t.rows(), t.cols(), t.toFloats(), trainable);
    }

    private static Param optional(LocalModel m, String name, boolean trainable) {
        return m.internalTensor(name) == null ? null : param(m, name, trainable);
    }

    private static Network.Linear linear(LocalModel m, String weight, String bias, boolean full) {
        Param b = bias == null || m.internalTensor(bias) == null ? null : param(m, bias, full);
        if (full) {
            Param w = param(m, weight, true);
            return new Network.Linear(weight, new ArrayMatrix(w.value(), w.rows(), w.cols()), w, b);
        }
        return new Network.Linear(weight, m.internalTensor(weight), null, b);
    }
}
