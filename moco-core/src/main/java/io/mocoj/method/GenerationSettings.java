package io.mocoj.method;

import io.mocoj.model.GenerationRequest;

/**
 * The shared generation settings of a run (MoCo's {@code max_response_length}, {@code temperature},
 * {@code top_p}, {@code batch_size}) plus the run seed.
 */
public record GenerationSettings(int maxResponseLength, double temperature, double topP, int batchSize, long seed) {
    public static final GenerationSettings DEFAULTS = new GenerationSettings(512, 0.7, 0.9, 8, 42);

    public GenerationSettings {
        if (maxResponseLength <= 0) throw new IllegalArgumentException("max_response_length must be positive, was " + maxResponseLength);
        if (temperature < 0) throw new IllegalArgumentException("temperature must be >= 0, was " + temperature);
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("top_p must be in (0, 1], was " + topP);
        if (batchSize <= 0) throw new IllegalArgumentException("batch_size must be positive, was " + batchSize);
    }

    /** A request builder for one user prompt with these settings (seeded with the run seed). */
    public GenerationRequest.Builder request(String userPrompt) {
        return GenerationRequest.builder().user(userPrompt).maxTokens(maxResponseLength)
                .temperature(temperature).topP(topP).seed(seed);
    }

    public GenerationSettings withSeed(long s) { return new GenerationSettings(maxResponseLength, temperature, topP, batchSize, s); }
}
