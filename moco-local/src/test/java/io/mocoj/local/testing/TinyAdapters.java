package io.mocoj.local.testing;

import io.mocoj.local.LocalModel;
import io.mocoj.local.lora.LoraAdapter;
import io.mocoj.local.lora.LoraTensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Random LoRA adapters for tests and fixtures: pairs on every layer's attn_q, attn_v and ffn_down. */
public final class TinyAdapters {
    private TinyAdapters() {}

    public static LoraAdapter random(LocalModel model, String name, int rank, float alpha, long seed) {
        Random r = new Random(seed);
        List<LoraTensor> pairs = new ArrayList<>();
        for (String t : model.tensorNames()) {
            if (!(t.endsWith("attn_q.weight") || t.endsWith("attn_v.weight") || t.endsWith("ffn_down.weight"))) continue;
            int[] shape = model.shape(t);
            float[] a = new float[rank * shape[1]], b = new float[shape[0] * rank];
            for (int i = 0; i < a.length; i++) a[i] = (float) (r.nextGaussian() * 0.2);
            for (int i = 0; i < b.length; i++) b[i] = (float) (r.nextGaussian() * 0.2);
            pairs.add(new LoraTensor(t, rank, shape[1], shape[0], a, b));
        }
        return LoraAdapter.of(name, model.architecture(), alpha, pairs);
    }
}
