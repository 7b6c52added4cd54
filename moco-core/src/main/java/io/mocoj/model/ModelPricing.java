package io.mocoj.model;

/**
 * Price per million tokens, in any currency unit the user chooses (reports print it as is).
 * {@link #UNKNOWN} means no cost is reported.
 */
public record ModelPricing(double inputPerMillion, double outputPerMillion, boolean known) {
    public static final ModelPricing UNKNOWN = new ModelPricing(0, 0, false);

    public static ModelPricing perMillionTokens(double input, double output) {
        if (input < 0 || output < 0) throw new IllegalArgumentException("prices must be >= 0");
        return new ModelPricing(input, output, true);
    }

    public double cost(TokenUsage usage) {
        return (usage.promptTokens() * inputPerMillion + usage.completionTokens() * outputPerMillion) / 1_000_000.0;
    }
}
