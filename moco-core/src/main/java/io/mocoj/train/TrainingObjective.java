package io.mocoj.train;

/** What a fine-tuning run optimises. */
public enum TrainingObjective {
    /** Supervised fine-tuning: next-token likelihood of the completions, prompts masked. */
    SFT,
    /** Direct preference optimisation on (prompt, chosen, rejected) triples against a frozen reference. */
    DPO,
    /** Group-relative policy optimisation: sampled completions scored by a verifiable reward. */
    GRPO,
    /**
     * Co-LLM's marginal likelihood: each completion token is explained either by this model or by a
     * frozen mentor, chosen by a trained deferral head on this model's hidden state; needs a
     * {@link DeferralTarget} ({@link FineTuneRequest#deferral()}) and prompt/completion rows.
     */
    DEFERRAL
}
