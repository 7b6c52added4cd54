package io.mocoj.local.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mocoj.local.LocalModel;
import io.mocoj.model.Distributions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays a reference JSON written by {@code tools/llamacpp-bench/logits.mjs} or
 * {@code lora-logits.mjs} (llama.cpp's log-probabilities at 16 greedy steps after fixed prompts)
 * through a model and reports how far it is from llama.cpp.
 */
public final class LlamaCppReference {
    private LlamaCppReference() {}

    /**
     * One prompt's comparison.
     *
     * @param worstPerStep  max |Δ ln p| over the vocabulary at each greedy step
     * @param greedyAgrees  whether the model's argmax equals llama.cpp's greedy token at every step
     */
    public record PromptResult(double[] worstPerStep, boolean greedyAgrees) {
        public double worst() {
            double w = 0;
            for (double d : worstPerStep) w = Math.max(w, d);
            return w;
        }
    }

    public static List<PromptResult> compare(LocalModel m, Path json) throws IOException {
        ObjectMapper om = new ObjectMapper();
        JsonNode ref = om.readTree(json.toFile());
        List<PromptResult> out = new ArrayList<>();
        for (JsonNode prompt : ref.get("prompts")) {
            int[] tokens = om.convertValue(prompt.get("promptTokens"), int[].class);
            int[] greedy = om.convertValue(prompt.get("greedyTokens"), int[].class);
            double[] worst = new double[greedy.length];
            boolean agrees = true;
            try (LocalModel.Session s = m.newSession()) {
                s.append(tokens);
                for (int step = 0; step < greedy.length; step++) {
                    float[] lp = s.logProbabilities();
                    JsonNode expected = prompt.get("stepLogprobs").get(step);
                    for (int i = 0; i < lp.length; i++) {
                        if (!expected.get(i).isNull()) worst[step] = Math.max(worst[step], Math.abs(lp[i] - expected.get(i).asDouble()));
                    }
                    agrees &= Distributions.argmax(lp) == greedy[step];
                    s.append(greedy[step]);
                }
            }
            out.add(new PromptResult(worst, agrees));
        }
        return out;
    }
}
