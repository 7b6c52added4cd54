package io.mocoj.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mocoj.local.LocalModel;
import io.mocoj.model.ChatMessage;
import io.mocoj.model.GenerationRequest;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * llama.cpp loads the shipped zoo (models and LoRA adapters) and agrees with moco-local: the same
 * prompt tokens from the shared tokenizer and chat template, and the same greedy answers. The
 * reference was recorded with {@code tools/llamacpp-check.mjs} (node-llama-cpp) from the shipped files.
 */
class ZooLlamaCppTest {
    @Test
    void llamaCppTokenizesAndAnswersAsMocoLocal() throws Exception {
        JsonNode ref;
        try (InputStream in = getClass().getResourceAsStream("/llamacpp/zoo-greedy.json")) {
            ref = new ObjectMapper().readTree(in);
        }
        Zoo zoo = Zoo.shipped();
        Map<String, LocalModel> models = new HashMap<>();
        int n = 0;
        for (JsonNode r : ref.get("results")) {
            String name = r.get("model").asText();
            LocalModel m = models.computeIfAbsent(name, k -> zoo.load(k, 1));
            String prompt = r.get("prompt").asText();
            int[] expected = new ObjectMapper().convertValue(r.get("promptTokens"), int[].class);
            assertArrayEquals(expected, m.encodeChat(List.of(ChatMessage.user(prompt)), true), name + ": prompt tokens of " + prompt);
            String answer = m.generate(GenerationRequest.builder().user(prompt).maxTokens(48).temperature(0).build()).text();
            assertEquals(r.get("answer").asText(), answer, name + " answering " + prompt);
            n++;
        }
        assertTrue(n >= 20, "only " + n + " reference answers");
    }
}
