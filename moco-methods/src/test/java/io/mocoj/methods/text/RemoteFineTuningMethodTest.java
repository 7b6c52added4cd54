package io.mocoj.methods.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mocoj.MoCo;
import io.mocoj.RunReport;
import io.mocoj.internal.engine.TrainingRunner;
import io.mocoj.methods.Methods;
import io.mocoj.methods.testing.LetterEvaluator;
import io.mocoj.methods.testing.McqTasks;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.providers.openai.OpenAiFineTuning;
import io.mocoj.task.Task;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training-based method on hosted models: text_multiagent_finetuning on three {@code openai-ft}
 * endpoints ({@link OpenAiFineTuning}) against a loopback stub of the OpenAI chat and fine-tuning
 * APIs. The stub's agents answer as in {@code TrainingMethodsDataTest}'s worked example (simulated
 * answers), so the rows each SFT job uploads are known by hand; the test checks the uploads, that
 * the debate on test is held by the fine-tuned models the jobs returned, and the trace and manifests.
 */
class RemoteFineTuningMethodTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ID = Pattern.compile("\\[id:([a-z]+-\\d+)]");

    /** First / final letters per example for agents a, b, c (as in TrainingMethodsDataTest). */
    private static final Map<String, String[][]> LETTERS = Map.of(
            "dev-0", new String[][] {{"A", "A", "B"}, {"A", "A", "A"}},
            "dev-1", new String[][] {{"C", "D", "D"}, {"C", "D", "D"}},
            "dev-2", new String[][] {{"B", "C", "A"}, {"B", "C", "A"}},
            "test-0", new String[][] {{"B", "B", "C"}, {"C", "B", "B"}});

    /** Chat completions for base models a, b, c and their fine-tunes {@code ft:X:...}; files; fine-tuning jobs and events. */
    static final class Stub implements AutoCloseable {
        final HttpServer server;
        final List<String> uploads = Collections.synchronizedList(new ArrayList<>());
        final List<JsonNode> jobs = Collections.synchronizedList(new ArrayList<>());
        final List<String> testCallsBy = Collections.synchronizedList(new ArrayList<>());
        final List<String> requests = Collections.synchronizedList(new ArrayList<>());

        Stub() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/v1/", this::handle);
            server.start();
        }

        String url() { return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1"; }

        /** Hosted models a, b and c on this stub. */
        List<ModelEndpoint> pool() {
            List<ModelEndpoint> pool = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                pool.add(OpenAiFineTuning.builder().model(name).baseUrl(url()).apiKey("sk-test").sleeper(d -> { }).build());
            }
            return pool;
        }

        @Override public void close() { server.stop(0); }

        private void handle(HttpExchange x) throws IOException {
            String path = x.getRequestURI().getPath();
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.add(path);
            if (path.equals("/v1/chat/completions")) {
                JsonNode req = JSON.readTree(body);
                String model = req.path("model").asText();
                String base = model.startsWith("ft:") ? model.substring(3, model.indexOf(':', 3)) : model;
                String prompt = "";
                for (JsonNode m : req.path("messages")) prompt += m.path("content").asText() + "\n";
                Matcher id = ID.matcher(prompt);
                String answer = "A";
                if (id.find() && LETTERS.containsKey(id.group(1)) && List.of("a", "b", "c").contains(base)) {
                    answer = LETTERS.get(id.group(1))[prompt.contains("Your previous answer") ? 1 : 0]["abc".indexOf(base)] + " from " + base;
                    if (id.group(1).startsWith("test")) testCallsBy.add(model);
                }
                send(x, 200, "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + JSON.valueToTree(answer)
                        + "},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":3}}");
            } else if (path.equals("/v1/files")) {
                uploads.add(body);
                send(x, 200, "{\"id\":\"file-" + uploads.size() + "\",\"object\":\"file\",\"purpose\":\"fine-tune\"}");
            } else if (path.equals("/v1/fine_tuning/jobs")) {
                jobs.add(JSON.readTree(body));
                send(x, 200, "{\"id\":\"ftjob-" + jobs.size() + "\",\"status\":\"validating_files\"}");
            } else if (path.matches("/v1/fine_tuning/jobs/ftjob-\\d+")) {
                int n = Integer.parseInt(path.substring(path.lastIndexOf('-') + 1));
                send(x, 200, "{\"id\":\"ftjob-" + n + "\",\"status\":\"succeeded\",\"fine_tuned_model\":\"ft:" + jobs.get(n - 1).path("model").asText()
                        + ":mocoj:" + n + "\"}");
            } else if (path.matches("/v1/fine_tuning/jobs/ftjob-\\d+/events")) {
                send(x, 200, "{\"object\":\"list\",\"data\":[{\"id\":\"ev-1\",\"type\":\"metrics\",\"message\":\"Step 1/1\","
                        + "\"data\":{\"step\":1,\"total_steps\":1,\"train_loss\":0.25}}],\"has_more\":false}");
            } else {
                send(x, 404, "{\"error\":{\"message\":\"no route " + path + "\"}}");
            }
        }

        private static void send(HttpExchange x, int code, String body) throws IOException {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(code, b.length);
            x.getResponseBody().write(b);
            x.close();
        }
    }

    @Test
    void multiagentFinetuningTrainsHostedModelsThroughTheFineTuningApi(@TempDir Path logs) throws IOException {
        try (Stub stub = new Stub()) {
            List<ModelEndpoint> pool = stub.pool();
            Task task = McqTasks.generate("t", 3, 1, List.of("x"), 5);
            // the fine-tuning API takes no learning rate (the spec's lr_multiplier does that), so the method's rate is 0
            RunReport r = MoCo.run().models(pool).method(Methods.multiagentFinetuning().rounds(2).w(0.5).sftLearningRate(0))
                    .task(task).evaluator(new LetterEvaluator()).seed(1).logDir(logs).execute();

            // per agent a generation and a critic job (sizes as in TrainingMethodsDataTest: a 1 + 1, b 2 + 1, c 2 + 2 rows)
            assertEquals(6, stub.jobs.size(), "six SFT jobs: " + stub.jobs);
            for (JsonNode j : stub.jobs) assertEquals("supervised", j.at("/method/type").asText(), j.toString());
            List<Integer> rows = stub.uploads.stream().map(u -> (int) u.lines().filter(l -> l.startsWith("{\"messages\"")).count()).toList();
            assertEquals(List.of(1, 1, 2, 1, 2, 2), rows, "rows per upload, jobs in the order a, b, c (generation, critic)");
            String cGeneration = stub.uploads.get(4);
            assertTrue(cGeneration.contains("\"D from c\"") && cGeneration.contains("\"A from c\""), "c's generation set: " + cGeneration);

            // the test debate is held by the fine-tuned models: round 1 by the generation fine-tunes, round 2 by the critic ones
            // (then the engine's single-model baselines ask the base models a, b and c once each)
            List<String> method = stub.testCallsBy.stream().filter(m -> m.startsWith("ft:")).toList();
            assertEquals(6, method.size(), stub.testCallsBy.toString());
            assertEquals(6, method.stream().distinct().count(), "each of the six fine-tunes answers once: " + stub.testCallsBy);
            assertEquals(List.of("a", "b", "c"), stub.testCallsBy.stream().filter(m -> !m.startsWith("ft:")).sorted().toList(),
                    "no base model answers for the method on test: " + stub.testCallsBy);
            assertEquals("B from b", r.examples().get(0).output());

            // the trace's jobs carry the losses the API's events reported, and every job has its manifest
            List<TrainingRunner.TrainingJob> traced = r.trace().stream().filter(e -> e.event().equals("training"))
                    .map(e -> (TrainingRunner.TrainingJob) e.data().get("job")).toList();
            assertEquals(6, traced.size());
            for (TrainingRunner.TrainingJob j : traced) assertEquals(List.of(0.25), j.losses(), j.label());
            try (Stream<Path> s = Files.walk(logs)) {
                List<Path> manifests = s.filter(p -> p.getFileName().toString().equals("manifest.json")).toList();
                assertEquals(6, manifests.size(), manifests.toString());
                JsonNode m = JSON.readTree(manifests.get(0).toFile());
                assertEquals("text_multiagent_finetuning", m.get("method").asText());
                assertEquals("sft", m.get("objective").asText());
            }
        }
    }

    @Test
    void anAbsoluteLearningRateForHostedModelsIsRefusedBeforeAnyCall(@TempDir Path logs) throws IOException {
        try (Stub stub = new Stub()) {
            List<ModelEndpoint> pool = stub.pool();
            Task task = McqTasks.generate("t", 3, 1, List.of("x"), 5);
            // SPARTA's default dpo_learning_rate (1e-6) is an absolute rate, which the fine-tuning API does not take
            Exception e = assertThrows(IllegalArgumentException.class, () -> MoCo.run().models(pool).method(Methods.sparta())
                    .task(task).evaluator(new LetterEvaluator()).seed(1).logDir(logs).execute());
            assertTrue(e.getMessage().contains("text_sparta") && e.getMessage().contains("'a'")
                    && e.getMessage().contains("learning-rate multiplier") && e.getMessage().contains("lr_multiplier"), e.getMessage());
            assertEquals(List.of(), stub.requests, "no call reached the API");
        }
    }
}
