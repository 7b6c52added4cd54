package io.mocoj.local.train;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Low-rank adapters: each targeted projection {@code W} becomes {@code W + (alpha / rank) · B A}
 * with {@code A} (rank × in) initialised uniformly in ±1/sqrt(in) and {@code B} (out × rank) at
 * zero, as PEFT does; dropout is applied to the adapter's input during training only.
 *
 * @param rank    the adapter rank (≥ 1)
 * @param alpha   the scaling numerator ({@code scale = alpha / rank})
 * @param dropout dropout probability on the adapter input, in [0, 1)
 * @param targets the projections that get adapters
 */
public record LoraConfig(int rank, double alpha, double dropout, Set<Target> targets) {

    /** A projection of a transformer block, with its GGUF tensor name stem. */
    public enum Target {
        Q("attn_q"), K("attn_k"), V("attn_v"), O("attn_output"), GATE("ffn_gate"), UP("ffn_up"), DOWN("ffn_down");

        private final String tensor;

        Target(String tensor) { this.tensor = tensor; }

        /** The GGUF name stem, e.g. {@code attn_q} (the tensor is {@code blk.N.attn_q.weight}). */
        public String tensor() { return tensor; }

        /** Parses {@code q}, {@code k}, {@code v}, {@code o}, {@code gate}, {@code up}, {@code down} (or the GGUF stems). */
        public static Target parse(String s) {
            String v = s.trim().toLowerCase(Locale.ROOT);
            for (Target t : values()) if (t.name().toLowerCase(Locale.ROOT).equals(v) || t.tensor.equals(v)) return t;
            throw new IllegalArgumentException("unknown LoRA target '" + s + "' (known: q, k, v, o, gate, up, down)");
        }
    }

    public LoraConfig {
        if (rank < 1) throw new IllegalArgumentException("LoRA rank must be >= 1, was " + rank);
        if (!(alpha > 0) || Double.isInfinite(alpha)) throw new IllegalArgumentException("LoRA alpha must be a positive number, was " + alpha);
        if (!(dropout >= 0 && dropout < 1)) throw new IllegalArgumentException("LoRA dropout must be in [0, 1), was " + dropout);
        if (targets == null || targets.isEmpty()) throw new IllegalArgumentException("LoRA needs at least one target projection");
        // declaration order, the same in every JVM (Set.copyOf's order varies between processes, and the
        // checkpoint fingerprint of a resumed run includes this record's text)
        targets = java.util.Collections.unmodifiableSet(EnumSet.copyOf(targets));
    }

    /** Rank {@code rank}, alpha 2·rank, dropout 0.05, all seven projections. */
    public static LoraConfig of(int rank) {
        return new LoraConfig(rank, 2.0 * rank, 0.05, EnumSet.allOf(Target.class));
    }

    public LoraConfig withAlpha(double a) { return new LoraConfig(rank, a, dropout, targets); }

    public LoraConfig withDropout(double d) { return new LoraConfig(rank, alpha, d, targets); }

    public LoraConfig withTargets(Set<Target> t) { return new LoraConfig(rank, alpha, dropout, t); }

    /** {@code alpha / rank}. */
    public float scale() { return (float) (alpha / rank); }
}
