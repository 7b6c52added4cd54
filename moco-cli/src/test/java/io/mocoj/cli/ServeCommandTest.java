package io.mocoj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mocoj.serve.MocoServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {
    private static final Path DEMO_DATA = Path.of("../examples/configs/data/demo_mcq.json").toAbsolutePath().normalize();
    private final AtomicReference<MocoServer> server = new AtomicReference<>();

    @AfterEach
    void stop() {
        ServeCommand.started = null;
        if (server.get() != null) server.get().stop(Duration.ofSeconds(5));
    }

    private static int run(StringWriter out, StringWriter err, String... args) {
        return MocoCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private static Path config(Path dir, String method, String extra) throws Exception {
        Path p = dir.resolve("serve.json");
        Files.writeString(p, "{\"method\": \"" + method + "\", \"task\": \"" + DEMO_DATA.toString().replace("\\", "/") + "\","
                + " \"model_names\": [\"sim:a?accuracy=0.5\", \"sim:b?accuracy=0.9\"], \"hyperparameters\": {" + extra + "}}");
        return p;
    }

    @Test
    void servesTheConfigsMethodOverHttp(@TempDir Path dir) throws Exception {
        ServeCommand.started = server::set;
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = run(out, err, "serve", "-c", config(dir, "api_prompt_routing",
                "\"model_descriptions\": [\"a weak model\", \"a strong model\"]").toString(), "--port", "0", "--name", "routed");
        assertEquals(0, code, err.toString());
        assertTrue(out.toString().contains("serving routed (api_prompt_routing over 2 models, SIMULATED: [sim:a, sim:b])"), out.toString());
        String question = new ObjectMapper().readTree(DEMO_DATA.toFile()).get("test").get(0).get("question").asText();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String body = new ObjectMapper().createObjectNode().put("model", "routed").put("moco_trace", true)
                .set("messages", new ObjectMapper().createArrayNode().add(new ObjectMapper().createObjectNode().put("role", "user").put("content", question)))
                .toString();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.get().port() + "/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        JsonNode json = new ObjectMapper().readTree(r.body());
        assertEquals("routed", json.get("model").asText());
        assertTrue(!json.at("/choices/0/message/content").asText().isEmpty());
        assertEquals("api_prompt_routing", json.at("/moco/method").asText());
    }

    @Test
    void aVotingMethodIsRefusedWithExitCode2(@TempDir Path dir) throws Exception {
        ServeCommand.started = server::set;
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = run(out, err, "serve", "-c", config(dir, "text_majority_vote", "").toString(), "--port", "0");
        assertEquals(2, code);
        assertTrue(err.toString().contains("text_majority_vote works only on scored tasks"), err.toString());
        assertEquals(null, server.get(), "nothing was started");
    }

    @Test
    void aConfigIsCheckedAsARunChecksItBeforeAnythingIsServed(@TempDir Path dir) throws Exception {
        ServeCommand.started = server::set;
        Path cfg = dir.resolve("typed.json");
        Files.writeString(cfg, "{\"method\": \"api_prompt_routing\", \"task\": \"" + DEMO_DATA.toString().replace("\\", "/") + "\","
                + " \"task_type\": \"exact_match\", \"model_names\": [\"sim:a\", \"nosuch:b\"]}");
        StringWriter out = new StringWriter(), err = new StringWriter();
        assertEquals(2, run(out, err, "serve", "-c", cfg.toString(), "--port", "0"));
        assertTrue(err.toString().contains("task_type is \"exact_match\" but task"), err.toString());
        Files.writeString(cfg, "{\"method\": \"api_prompt_routing\", \"task\": \"" + DEMO_DATA.toString().replace("\\", "/") + "\","
                + " \"model_names\": [\"sim:a\", \"nosuch:b\"]}");
        StringWriter err2 = new StringWriter();
        assertEquals(2, run(new StringWriter(), err2, "serve", "-c", cfg.toString(), "--port", "0"));
        assertTrue(err2.toString().contains("model_names[1]"), err2.toString());
        assertEquals(null, server.get(), "nothing was started");
    }
}
