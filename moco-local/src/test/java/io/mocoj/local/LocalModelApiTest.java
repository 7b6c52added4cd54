package io.mocoj.local;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.internal.tensor.Parallel;
import io.mocoj.local.testing.TinyModels;
import io.mocoj.model.ChatMessage;
import io.mocoj.model.DecodingSession;
import io.mocoj.model.Distributions;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.Tokenizer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The public API's edges: llama.cpp's tokenize/detokenize conventions, probabilities, close, the shared pool, kernels, logs. */
class LocalModelApiTest {
    private static final Path FIXTURES = Path.of("src/test/resources/fixtures");
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir static Path dir;

    private static int[] ints(JsonNode a) {
        int[] v = new int[a.size()];
        for (int i = 0; i < v.length; i++) v[i] = a.get(i).asInt();
        return v;
    }

    @Test
    void tokenizeAddsBosAsLlamaCppDoes() throws IOException {
        for (String model : List.of("tiny-llama-spm-f32", "tiny-qwen2-bpe-f32")) {
            JsonNode ref = JSON.readTree(FIXTURES.resolve("reference").resolve(model + ".logits.json").toFile());
            LocalModel m = LocalModel.load(FIXTURES.resolve(model + ".gguf"), LocalModelOptions.builder().threads(1).build());
            Tokenizer t = m.tokenizer(); // through the interface, as a user of LogitsModel sees it
            for (JsonNode prompt : ref.get("prompts")) {
                String text = prompt.get("prompt").asText();
                int[] llamaCpp = ints(prompt.get("promptTokens"));
                assertArrayEquals(llamaCpp, t.tokenize(text, true, true), model + ": tokenize(text, add_special, parse_special) = llama.cpp's prompt tokens");
                int[] body = t.encode(text, false);
                assertArrayEquals(body, t.tokenize(text, false, false), "encode never adds special tokens");
                if (t.addsBos()) {
                    assertEquals(t.bos(), llamaCpp[0], model + " starts with BOS");
                    assertArrayEquals(Arrays.copyOfRange(llamaCpp, 1, llamaCpp.length), body);
                } else {
                    assertArrayEquals(llamaCpp, body, model + " adds no BOS (add_bos_token false)");
                }
            }
            assertEquals(model.contains("spm"), t.addsBos(), model + ": add_bos_token");
        }
    }

    @Test
    void detokenizeMatchesLlamaCpp() throws IOException {
        JsonNode ref = JSON.readTree(FIXTURES.resolve("reference/detokenize.json").toFile());
        int checked = 0;
        for (var it = ref.get("models").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Tokenizer t = io.mocoj.local.tokenizer.GgufTokenizers.fromMetadata(
                    io.mocoj.local.gguf.GgufFile.open(FIXTURES.resolve(e.getKey())).metadata());
            for (JsonNode c : e.getValue()) {
                int[] tokens = ints(c.get("tokens"));
                assertEquals(c.get("special").asText(), t.detokenize(tokens, false, true), e.getKey() + " " + c.get("tokens") + " unparse_special");
                assertEquals(c.get("plain").asText(), t.detokenize(tokens, false, false), e.getKey() + " " + c.get("tokens") + " plain");
                checked++;
            }
        }
        assertTrue(checked >= 48, "cases checked: " + checked);
    }

    @Test
    void removeSpecialDropsTheAddedBosAndKeepsTheFirstSpace() {
        LocalModel m = LocalModel.load(FIXTURES.resolve("tiny-llama-spm-f32.gguf"), LocalModelOptions.builder().threads(1).build());
        Tokenizer t = m.tokenizer();
        int[] ids = t.tokenize("Hello world", true, false);
        assertEquals(t.bos(), ids[0]);
        // llama.cpp: with remove_special and BOS removed, the first word keeps its space (remove_space = false)
        assertEquals(" Hello world", t.detokenize(ids, true, true));
        assertEquals("<s> Hello world", t.detokenize(ids, false, true));
        // without BOS in front, the SentencePiece prefix space is removed
        assertEquals("Hello world", t.detokenize(Arrays.copyOfRange(ids, 1, ids.length), true, true));
        assertFalse(t.addsEos());
        int eos = m.tokenizer().eos();
        int[] withEos = Arrays.copyOf(ids, ids.length + 1);
        withEos[ids.length] = eos;
        assertEquals(" Hello world</s>", t.detokenize(withEos, true, true), "EOS stays when the vocabulary does not add it");
    }

    @Test
    void probabilitiesAreADoubleSoftmax() {
        // by hand: softmax(0, ln 3, -120) = (1, 3, e^-120) / (4 + e^-120); e^-120 underflows in float but not in double
        double[] p = Distributions.softmax(new float[] {0f, (float) Math.log(3), -120f});
        assertEquals(0.25, p[0], 1e-7);
        assertEquals(0.75, p[1], 1e-7);
        assertEquals(Math.exp(-120) / 4, p[2], 1e-60);
        assertTrue(p[2] > 0);

        LocalModel m = LocalModel.load(FIXTURES.resolve("tiny-qwen2-bpe-f32.gguf"), LocalModelOptions.builder().threads(1).build());
        try (DecodingSession s = m.newSession()) {
            s.append(m.tokenizer().tokenize("The capital of France is", true, false));
            double[] probs = s.probabilities();
            float[] lp = s.logProbabilities();
            double sum = 0;
            for (int i = 0; i < probs.length; i++) {
                sum += probs[i];
                assertEquals(Math.exp(lp[i]), probs[i], 1e-6 * Math.max(1e-3, probs[i]) + 1e-9, "token " + i);
            }
            assertEquals(1.0, sum, 1e-12);
            assertArrayEquals(Distributions.softmax(s.logits()), probs);
        }
    }

    @Test
    void closedModelThrowsAndOthersFromTheFileKeepWorking() throws IOException {
        Path file = TinyModels.write(dir.resolve("close.gguf"), TinyModels.Shape.llama(), GgmlType.F32, 5);
        LocalModel m = LocalModel.load(file, LocalModelOptions.builder().threads(2).build());
        LocalModel other = LocalModel.load(file, LocalModelOptions.builder().threads(2).build());
        LocalModel derived = m.withTensors("derived", Map.of());
        DecodingSession s = m.newSession();
        s.append(1, 2, 3);
        float[] before = s.logits();
        assertFalse(m.isClosed());
        m.close();
        assertTrue(m.isClosed());
        m.close(); // idempotent
        for (org.junit.jupiter.api.function.Executable call : List.<org.junit.jupiter.api.function.Executable>of(
                s::logits, () -> s.append(4), s::fork, s::probabilities, () -> s.hiddenState(0), m::newSession,
                () -> m.tensor("output_norm.weight"), m::tensorNames, () -> m.withTensors("x", Map.of()),
                () -> m.generate(GenerationRequest.of("hi")))) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call);
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
        s.close();
        for (LocalModel live : List.of(other, derived)) {
            try (DecodingSession t = live.newSession()) {
                t.append(1, 2, 3);
                assertArrayEquals(before, t.logits(), live.name() + " still computes");
            }
        }
        other.close();
        derived.close();
    }

    @Test
    void loadsShareOneWorkerPool() throws IOException {
        Path file = TinyModels.write(dir.resolve("pool.gguf"), TinyModels.Shape.llama(), GgmlType.F32, 6);
        List<LocalModel> models = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            LocalModel m = LocalModel.load(file, LocalModelOptions.builder().threads(2).build());
            try (DecodingSession s = m.newSession()) {
                s.append(1, 2, 3, 4, 5, 6, 7, 8);
                s.logits();
            }
            models.add(m);
        }
        long workers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(Parallel.WORKER_PREFIX)).count();
        assertTrue(workers <= Runtime.getRuntime().availableProcessors(),
                "20 loaded models use one pool of at most one worker per core, found " + workers + " workers");
        long forkJoin = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("ForkJoinPool-")).count();
        assertEquals(0, forkJoin, "no model starts a pool of its own");
        models.forEach(LocalModel::close);
    }

    @Test
    void kernelIsVisible() throws IOException {
        // surefire starts the JVM with --add-modules jdk.incubator.vector (see the module's pom)
        LocalModel m = LocalModel.load(FIXTURES.resolve("tiny-qwen2-bpe-f32.gguf"), LocalModelOptions.builder().threads(1).build());
        assertEquals(Kernel.VECTOR_API, m.kernel());
        assertEquals(Kernel.VECTOR_API, Kernel.current());
        assertTrue(m.kernel().floatLanes() >= 4, "lanes " + m.kernel().floatLanes());
        assertTrue(m.kernel().description().startsWith("Vector API, " + m.kernel().floatLanes() * 32 + "-bit"), m.kernel().description());
        assertEquals(1, Kernel.PLAIN_JAVA.floatLanes());
        assertTrue(Kernel.PLAIN_JAVA.description().contains("--add-modules jdk.incubator.vector"));
    }

    @Test
    void missingChatTemplateIsSaidOnceAtInfo() throws IOException {
        Path file = TinyModels.write(dir.resolve("no-template.gguf"), TinyModels.Shape.qwen2(), GgmlType.F32, 7,
                w -> w.remove("tokenizer.chat_template"));
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        LocalModel first, second;
        try {
            first = LocalModel.load(file, LocalModelOptions.builder().threads(1).build());
            second = LocalModel.load(file, LocalModelOptions.builder().threads(1).build());
        } finally {
            System.setErr(saved);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        long mentions = log.lines().filter(l -> l.contains("tokenizer.chat_template")).count();
        assertEquals(1, mentions, "said once for two loads:\n" + log);
        String line = log.lines().filter(l -> l.contains("tokenizer.chat_template")).findFirst().orElseThrow();
        assertTrue(line.contains("INFO") && line.contains("CHATML"), line);
        assertFalse(log.contains("WARN"), log);
        // the fallback is really used
        assertTrue(first.tokenizer().decode(first.encodeChat(List.of(ChatMessage.user("hi")), true)).contains("<|im_start|>assistant"));
        first.close();
        second.close();
    }
}
