package io.mocoj.local.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mocoj.local.fixtures.FixtureMetadata;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/**
 * Encoding/decoding throughput of {@link GgufTokenizer} on the fixture vocabularies. Run from
 * moco-local (after test-compile):
 * {@code java -cp target/classes:target/test-classes:../moco-core/target/classes:<deps> io.mocoj.local.tokenizer.TokenizerBenchmark}
 */
public final class TokenizerBenchmark {
    private TokenizerBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path fixtures = Path.of("src/test/resources/fixtures");
        JsonNode corpus = new ObjectMapper().readTree(fixtures.resolve("tokenizer-corpus.json").toFile()).get("texts");
        StringBuilder text = new StringBuilder();
        while (text.length() < 1_000_000) {
            for (JsonNode t : corpus) {
                text.append(t.asText()).append('\n');
            }
        }
        String input = text.toString();
        double megabytes = input.getBytes(StandardCharsets.UTF_8).length / 1e6;
        for (String file : new String[] {"vocab-llama3-bpe.gguf", "tiny-qwen2-bpe-f32.gguf", "tiny-llama-spm-f32.gguf"}) {
            Map<String, Object> metadata = FixtureMetadata.read(fixtures.resolve(file));
            long t0 = System.nanoTime();
            GgufTokenizer tokenizer = GgufTokenizers.fromMetadata(metadata);
            double buildMs = (System.nanoTime() - t0) / 1e6;
            int[] ids = null;
            for (int warm = 0; warm < 3; warm++) {
                ids = tokenizer.encode(input, false);
            }
            int rounds = 5;
            t0 = System.nanoTime();
            for (int r = 0; r < rounds; r++) {
                ids = tokenizer.encode(input, false);
            }
            double encodeS = (System.nanoTime() - t0) / 1e9 / rounds;
            t0 = System.nanoTime();
            for (int r = 0; r < rounds; r++) {
                tokenizer.decode(ids);
            }
            double decodeS = (System.nanoTime() - t0) / 1e9 / rounds;
            System.out.printf("%-26s build %7.1f ms | encode %.2f MB/s (%,.0f tokens/s) | decode %,.0f tokens/s | %,d tokens%n",
                    file, buildMs, megabytes / encodeS, ids.length / encodeS, ids.length / decodeS, ids.length);
        }
    }
}
