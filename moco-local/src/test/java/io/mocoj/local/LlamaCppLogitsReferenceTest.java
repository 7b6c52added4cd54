package io.mocoj.local;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mocoj.local.internal.Sampler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine against llama.cpp: the fixtures {@code tiny-*.gguf} (random weights, written by
 * moco-local's GGUF writer) were run through llama.cpp (node-llama-cpp, see
 * tools/llamacpp-reference/make-reference.mjs), which recorded the full next-token
 * log-probabilities after each prompt, the top-20 log-probabilities at 32 greedy steps, and the
 * 32-token greedy continuation. The prompt token ids come from the reference, so this checks the
 * forward pass alone.
 */
class LlamaCppLogitsReferenceTest {
    private static final Logger LOG = LoggerFactory.getLogger(LlamaCppLogitsReferenceTest.class);
    private static final Path FIXTURES = Path.of("src/test/resources/fixtures");
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<String> models() throws IOException {
        try (Stream<Path> files = Files.list(FIXTURES.resolve("reference"))) {
            List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".logits.json"))
                    .map(n -> n.substring(0, n.length() - ".logits.json".length())).sorted().toList();
            assertFalse(names.isEmpty(), "no llama.cpp logits references in " + FIXTURES);
            return names.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("models")
    void matchesLlamaCpp(String model) throws IOException {
        JsonNode ref = JSON.readTree(FIXTURES.resolve("reference").resolve(model + ".logits.json").toFile());
        LocalModel m = LocalModel.load(FIXTURES.resolve(model + ".gguf"), LocalModelOptions.builder().threads(2).build());
        boolean f32 = model.endsWith("-f32");
        List<String> report = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (JsonNode prompt : ref.get("prompts")) {
            int[] promptTokens = ints(prompt.get("promptTokens"));
            int[] greedy = ints(prompt.get("greedyTokens"));
            double maxFull = 0, maxTop = 0;
            int firstDivergence = -1;
            try (LocalModel.Session s = m.newSession(); LocalModel.Session teacher = m.newSession()) {
                s.append(promptTokens);
                teacher.append(promptTokens);
                JsonNode full = prompt.get("fullLogprobsAfterPrompt");
                if (full != null && !full.isNull()) {
                    float[] lp = s.logProbabilities();
                    assertEquals(full.size(), lp.length, "vocabulary size");
                    for (int i = 0; i < lp.length; i++) maxFull = Math.max(maxFull, Math.abs(lp[i] - full.get(i).asDouble()));
                }
                // teacher-forced along llama.cpp's greedy path: compare the top-20 log-probabilities at every step
                JsonNode steps = prompt.get("steps");
                for (int step = 0; step < steps.size(); step++) {
                    float[] lp = teacher.logProbabilities();
                    double stepMax = 0;
                    for (JsonNode t : steps.get(step).get("top")) {
                        stepMax = Math.max(stepMax, Math.abs(lp[t.get("token").asInt()] - t.get("logprob").asDouble()));
                    }
                    LOG.debug("{} step {}: max |dlogprob| {}", model, step, stepMax);
                    maxTop = Math.max(maxTop, stepMax);
                    teacher.append(greedy[step]);
                }
                // our own greedy continuation
                int[] ours = new int[greedy.length];
                for (int i = 0; i < ours.length; i++) {
                    ours[i] = Sampler.argmax(s.logits());
                    s.append(ours[i]);
                    if (firstDivergence < 0 && ours[i] != greedy[i]) firstDivergence = i;
                }
                String line = String.format("%s %-40s full-vocab max|dlogprob|=%.2e top20 max|dlogprob|=%.2e greedy %s",
                        model, '"' + prompt.get("prompt").asText().replace("\n", "\\n") + '"', maxFull, maxTop,
                        firstDivergence < 0 ? "identical (32/32)" : "diverges at token " + firstDivergence);
                report.add(line);
                LOG.info(line);
                if (f32) {
                    // after the prompt: <= 1e-3 over the whole vocabulary (observed ~3e-6); along the greedy path
                    // one step of one prompt shows 1.2e-3 (a half-precision rounding flip in llama.cpp's F16 attention)
                    failures.add(maxFull <= 1e-3 && maxTop <= 2e-3 && Arrays.equals(greedy, ours) ? null : line);
                } else {
                    // Q8_0 (activations quantised to Q8_0 as in ggml): ~1e-5 after the prompt; along the greedy path a
                    // few steps show ~3e-2 where an activation lands on the other side of an 8-bit rounding boundary
                    failures.add(maxFull <= 1e-3 && maxTop <= 5e-2 && Arrays.equals(greedy, ours) ? null : line);
                }
            }
        }
        System.out.println(String.join("\n", report));
        failures.removeIf(java.util.Objects::isNull);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = array.get(i).asInt();
        return out;
    }
}
