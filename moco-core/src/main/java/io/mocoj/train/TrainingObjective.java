package io.mocoj.train;

/** What a fine-tuning run optimises. */
public enum TrainingObjective {
    /** Supervised fine-tuning: next-token likelihood of the completions, prompts masked. */
    SFT,
    /** Direct preference optimisation on (prompt, chosen, rejected) triples against a frozen reference. */
    DPO,
    /** Group-relative policy optimisation: sampled completions scored by a verifiable reward. */
    GRPO
}
