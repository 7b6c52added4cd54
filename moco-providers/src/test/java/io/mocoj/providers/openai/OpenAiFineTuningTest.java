package io.mocoj.providers.openai;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mocoj.model.Capability;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.providers.ProviderSpecResolver;
import io.mocoj.spec.ModelSpec;
import io.mocoj.spec.SpecContext;
import io.mocoj.train.FineTuneRequest;
import io.mocoj.train.TrainingException;
import io.mocoj.train.TrainingExample;
import io.mocoj.train.TrainingObjective;
import io.mocoj.train.TrainingProgress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link OpenAiFineTuning} against a loopback stub of the fine-tuning API (files, jobs, events). */
class OpenAiFineTuningTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "sk-test-secret-123";

    /** A scripted fine-tuning server. */
    static final class Stub {
        final HttpServer server;
        final List<String> log = Collections.synchronizedList(new ArrayList<>());
        volatile String uploaded = "";
        volatile JsonNode job;
        volatile String finalStatus = "succeeded";
        volatile int uploadRateLimits = 1;
        final AtomicInteger polls = new AtomicInteger();

        Stub() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/v1/", this::handle);
            server.start();
        }

        String url() { return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1"; }

        void handle(HttpExchange x) throws IOException {
            String path = x.getRequestURI().getPath(), q = x.getRequestURI().getQuery();
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            log.add(x.getRequestMethod() + " " + path + (q != null ? "?" + q : ""));
            if (!("Bearer " + KEY).equals(x.getRequestHeaders().getFirst("Authorization"))) {
                send(x, 401, "{\"error\":{\"message\":\"Incorrect API key provided: " + x.getRequestHeaders().getFirst("Authorization") + "\"}}");
                return;
            }
            if (path.equals("/v1/files")) {
                if (uploadRateLimits-- > 0) {
                    x.getResponseHeaders().add("retry-after-ms", "250");
                    send(x, 429, "{\"error\":{\"message\":\"Rate limit reached\"}}");
                    return;
                }
                uploaded = body;
                send(x, 200, "{\"id\":\"file-1\",\"object\":\"file\",\"purpose\":\"fine-tune\"}");
            } else if (path.equals("/v1/fine_tuning/jobs")) {
                job = JSON.readTree(body);
                send(x, 200, "{\"id\":\"ftjob-1\",\"status\":\"validating_files\"}");
            } else if (path.equals("/v1/fine_tuning/jobs/ftjob-1")) {
                int n = polls.incrementAndGet();
                String status = n == 1 ? "validating_files" : n < 4 ? "running" : finalStatus;
                String extra = status.equals("succeeded") ? ",\"fine_tuned_model\":\"ft:base-model:mocoj:ft:abc\""
                        : status.equals("failed") ? ",\"error\":{\"code\":\"invalid_training_file\",\"message\":\"line 2 has no assistant message\"}" : "";
                send(x, 200, "{\"id\":\"ftjob-1\",\"status\":\"" + status + "\"" + extra + "}");
            } else if (path.equals("/v1/fine_tuning/jobs/ftjob-1/events")) {
                int n = polls.get();
                List<String> ev = new ArrayList<>(); // newest first, as the API lists them
                if (n >= 3) ev.add("{\"id\":\"ev-3\",\"type\":\"metrics\",\"message\":\"Step 2/2\",\"data\":{\"step\":2,\"total_steps\":2,\"train_loss\":0.5}}");
                if (n >= 2) ev.add("{\"id\":\"ev-2\",\"type\":\"metrics\",\"message\":\"Step 1/2\",\"data\":{\"step\":1,\"total_steps\":2,\"train_loss\":1.5}}");
                ev.add("{\"id\":\"ev-1\",\"type\":\"message\",\"message\":\"Validating training file\"}");
                String after = q != null && q.contains("after=") ? q.substring(q.indexOf("after=") + 6) : null;
                List<String> page = new ArrayList<>();
                for (String e : ev) {
                    if (after != null && e.contains("\"" + after + "\"")) break;
                    page.add(e);
                }
                send(x, 200, "{\"object\":\"list\",\"data\":[" + String.join(",", page) + "],\"has_more\":false}");
            } else {
                send(x, 404, "{\"error\":{\"message\":\"no route " + path + "\"}}");
            }
        }

        static void send(HttpExchange x, int code, String body) throws IOException {
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().add("Content-Type", "application/json");
            x.sendResponseHeaders(code, b.length);
            x.getResponseBody().write(b);
            x.close();
        }
    }

    Stub stub;
    final List<Duration> sleeps = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void start() throws IOException { stub = new Stub(); }

    @AfterEach
    void stop() { stub.server.stop(0); }

    OpenAiFineTuning endpoint(String key) {
        return OpenAiFineTuning.builder().model("base-model").baseUrl(stub.url()).apiKey(key).pollInterval(Duration.ofSeconds(2))
                .maxPollInterval(Duration.ofSeconds(3)).sleeper(sleeps::add).build();
    }

    @Test
    void sftJobUploadsCreatesPollsReadsEventsAndReturnsTheModel() throws IOException {
        List<TrainingProgress> events = new ArrayList<>();
        FineTuneRequest r = FineTuneRequest.builder(TrainingObjective.SFT, List.of(new TrainingExample.Completion("2+2?", "4"),
                new TrainingExample.Completion("3+3?", "6"))).epochs(2).suffix("mocoj").listener(events::add).build();
        OpenAiFineTuning ft = endpoint(KEY);
        assertTrue(ft.has(Capability.TRAIN));
        ModelEndpoint tuned = ft.fineTune(r);
        assertEquals("ft:base-model:mocoj:ft:abc", tuned.name());
        // the JSONL upload in chat format, the multipart purpose, the job's method
        assertTrue(stub.uploaded.contains("name=\"purpose\"\r\n\r\nfine-tune"), stub.uploaded);
        assertTrue(stub.uploaded.contains("{\"messages\":[{\"role\":\"user\",\"content\":\"2+2?\"},{\"role\":\"assistant\",\"content\":\"4\"}]}"), stub.uploaded);
        assertEquals("base-model", stub.job.get("model").asText());
        assertEquals("file-1", stub.job.get("training_file").asText());
        assertEquals("supervised", stub.job.at("/method/type").asText());
        assertEquals(2, stub.job.at("/method/supervised/hyperparameters/n_epochs").asInt());
        // the rate-limited upload waited as asked, polls back off 2 s -> 3 s (capped)
        assertEquals(Duration.ofMillis(250), sleeps.get(0));
        assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(3)), sleeps.subList(1, sleeps.size()));
        assertEquals(2, stub.log.stream().filter(l -> l.equals("POST /v1/files")).count());
        // each metric event once, in order
        assertEquals(List.of(1, 2), events.stream().map(TrainingProgress::step).toList());
        assertEquals(0.5, events.get(1).loss());
    }

    @Test
    void dpoJobThatFailsReportsTheServersReason() {
        stub.finalStatus = "failed";
        stub.uploadRateLimits = 0;
        FineTuneRequest r = FineTuneRequest.builder(TrainingObjective.DPO,
                List.of(new TrainingExample.Preference("Hi?", "Hello!", "Go away."))).build();
        TrainingException e = assertThrows(TrainingException.class, () -> endpoint(KEY).fineTune(r));
        assertTrue(e.getMessage().contains("ftjob-1") && e.getMessage().contains("failed")
                && e.getMessage().contains("invalid_training_file: line 2 has no assistant message"), e.getMessage());
        assertEquals("dpo", stub.job.at("/method/type").asText());
        assertEquals(0.1, stub.job.at("/method/dpo/hyperparameters/beta").asDouble());
        assertTrue(stub.uploaded.contains("\"preferred_output\":[{\"role\":\"assistant\",\"content\":\"Hello!\"}]"), stub.uploaded);
        assertTrue(stub.uploaded.contains("\"non_preferred_output\":[{\"role\":\"assistant\",\"content\":\"Go away.\"}]"), stub.uploaded);
    }

    @Test
    void aWrongKeyFailsAtOnceWithoutShowingTheKey() {
        FineTuneRequest r = FineTuneRequest.builder(TrainingObjective.SFT, List.of(new TrainingExample.Completion("a", "b"))).build();
        TrainingException e = assertThrows(TrainingException.class, () -> endpoint("sk-wrong-key-999").fineTune(r));
        assertTrue(e.getMessage().contains("HTTP 401") && e.getMessage().contains("API key"), e.getMessage());
        assertFalse(e.getMessage().contains("sk-wrong-key-999"), e.getMessage());
        assertEquals(1, stub.log.size(), "no retries of a 401");
    }

    @Test
    void persistentRateLimitsGiveUpAfterTheRetries() {
        stub.uploadRateLimits = 100;
        FineTuneRequest r = FineTuneRequest.builder(TrainingObjective.SFT, List.of(new TrainingExample.Completion("a", "b"))).build();
        TrainingException e = assertThrows(TrainingException.class, () -> endpoint(KEY).fineTune(r));
        assertTrue(e.getMessage().contains("HTTP 429") && e.getMessage().contains("rate limited 8 times"), e.getMessage());
    }

    @Test
    void unsupportedRequestsAreRefusedBeforeAnyCall() {
        OpenAiFineTuning ft = endpoint(KEY);
        FineTuneRequest grpo = FineTuneRequest.builder(TrainingObjective.GRPO, List.of(new TrainingExample.Prompt("1+1=", "2")))
                .reward((x, c) -> 0).build();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ft.fineTune(grpo)).getMessage().contains("GRPO"));
        FineTuneRequest steps = FineTuneRequest.builder(TrainingObjective.SFT, List.of(new TrainingExample.Completion("a", "b"))).steps(5).build();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ft.fineTune(steps)).getMessage().contains("epochs"));
        assertTrue(stub.log.isEmpty());
    }

    @Test
    void specReadsTheKeyFromTheEnvironment() {
        ProviderSpecResolver withKey = new ProviderSpecResolver(v -> v.equals("FT_KEY") ? KEY : null);
        ModelEndpoint m = withKey.resolve(ModelSpec.parse("openai-ft:base-model@https://api.example.com/v1?key_env=FT_KEY&poll=1&lr_multiplier=0.5"),
                SpecContext.of(null, 1));
        assertTrue(m instanceof OpenAiFineTuning && m.has(Capability.TRAIN));
        assertFalse(m.toString().contains(KEY));
        ProviderSpecResolver none = new ProviderSpecResolver(v -> null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> none.resolve(ModelSpec.parse("openai-ft:gpt-4o-mini-2024-07-18"), SpecContext.of(null, 1)));
        assertTrue(e.getMessage().contains("OPENAI_API_KEY is not set"), e.getMessage());
    }
}
