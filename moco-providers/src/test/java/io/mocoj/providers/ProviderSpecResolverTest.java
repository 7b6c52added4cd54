package io.mocoj.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mocoj.model.Capability;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.model.ModelPricing;
import io.mocoj.providers.ollama.OllamaModel;
import io.mocoj.providers.openai.OpenAiCompatibleModel;
import io.mocoj.spec.ModelSpec;
import io.mocoj.spec.ModelSpecs;
import io.mocoj.spec.SpecContext;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ProviderSpecResolverTest {
    static final SpecContext CTX = SpecContext.of(null, 1);
    static final String OK = "{\"choices\":[{\"index\":0,\"message\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}";

    LoopbackServer server;

    @BeforeEach void start() throws Exception { server = new LoopbackServer(); }

    @AfterEach void stop() { server.close(); }

    static ModelEndpoint resolve(String spec, Map<String, String> env) {
        return new ProviderSpecResolver(env::get).resolve(ModelSpec.parse(spec), CTX);
    }

    @Test
    void registeredThroughServiceLoaderAndUsableEndToEnd() {
        assertTrue(ModelSpecs.resolvers().stream().anyMatch(r -> r instanceof ProviderSpecResolver));
        server.enqueue(200, OK);
        // a loopback URL needs no key, so the real environment does not matter here
        ModelEndpoint m = ModelSpecs.resolve("openai:tiny@" + server.baseUrl("/v1") + "?name=local-tiny", CTX);
        Generation g = m.generate(GenerationRequest.of("hi"));
        assertEquals("ok", g.text());
        assertEquals("local-tiny", m.name());
        assertEquals("openai:" + server.baseUrl("/v1") + "|tiny", m.identity());
        assertEquals(null, server.lastRequest().header("Authorization"));
        assertTrue(ModelSpecs.acceptedForms().contains("ollama:MODEL"));
    }

    @Test
    void plainOpenAiNeedsTheDefaultKeyVariable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resolve("openai:gpt-4o-mini", Map.of()));
        assertTrue(e.getMessage().contains("OPENAI_API_KEY"), e.getMessage());
        assertTrue(e.getMessage().contains("key_env"), e.getMessage());

        OpenAiCompatibleModel m = (OpenAiCompatibleModel) resolve("openai:gpt-4o-mini", Map.of("OPENAI_API_KEY", "sk-abcdefgh12345678"));
        assertTrue(m.hasApiKey());
        assertEquals("openai:https://api.openai.com/v1|gpt-4o-mini", m.identity());
        assertEquals("gpt-4o-mini", m.name());
        assertEquals(Set.of(Capability.TEXT, Capability.LOGPROBS), m.capabilities());
        assertFalse(m.toString().contains("sk-abcdefgh12345678"));
    }

    @Test
    void keyEnvOptionsPricingTimeoutAndLogprobs() throws Exception {
        server.enqueue(200, OK);
        ModelEndpoint m = resolve("openai:tiny@" + server.baseUrl("/v1")
                + "?key_env=MY_KEY&logprobs=false&price_in=0.15&price_out=0.6&timeout=2.5", Map.of("MY_KEY", "local-secret-key"));
        assertEquals(ModelPricing.perMillionTokens(0.15, 0.6), m.pricing());
        assertEquals(Set.of(Capability.TEXT), m.capabilities());
        m.generate(GenerationRequest.builder().user("q").topLogprobs(3).build());
        assertEquals("Bearer local-secret-key", server.lastRequest().header("Authorization"));
        assertFalse(new ObjectMapper().readTree(server.lastRequest().body()).has("logprobs"));

        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> resolve("openai:tiny@http://127.0.0.1:9/v1?key_env=MY_KEY", Map.of()));
        assertTrue(missing.getMessage().contains("MY_KEY"), missing.getMessage());
        IllegalArgumentException remote = assertThrows(IllegalArgumentException.class,
                () -> resolve("openai:tiny@https://api.example.com/v1", Map.of()));
        assertTrue(remote.getMessage().contains("OPENAI_API_KEY"));
    }

    @Test
    void openAiKeyIsNotSentToLocalServers() {
        server.enqueue(200, OK);
        ModelEndpoint m = resolve("openai:tiny@" + server.baseUrl("/v1"), Map.of("OPENAI_API_KEY", "sk-real-openai-key-123"));
        m.generate(GenerationRequest.of("q"));
        assertEquals(null, server.lastRequest().header("Authorization"));
    }

    @Test
    void vllmAndLlamaCppNeedABaseUrl() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> resolve("vllm:Qwen/Qwen2.5-7B-Instruct", Map.of()));
        assertTrue(e.getMessage().contains("base URL"), e.getMessage());
        assertTrue(e.getMessage().contains("vllm:Qwen/Qwen2.5-7B-Instruct@http://"), e.getMessage());

        ModelEndpoint v = resolve("vllm:Qwen/Qwen2.5-7B-Instruct@http://10.0.0.5:8000/v1", Map.of());
        assertEquals("openai:http://10.0.0.5:8000/v1|Qwen/Qwen2.5-7B-Instruct", v.identity());

        // llama.cpp draws samples one call at a time by default
        server.enqueue(200, OK).enqueue(200, OK);
        ModelEndpoint l = resolve("llamacpp:local@" + server.baseUrl("/v1"), Map.of());
        Generation g = l.generate(GenerationRequest.builder().user("q").samples(2).build());
        assertEquals(2, g.samples().size());
        assertEquals(2, server.requests().size());
        assertEquals(1, new ObjectMapper().readTree(server.lastRequest().body()).get("n").asInt());
    }

    @Test
    void ollamaForms() {
        OllamaModel d = (OllamaModel) resolve("ollama:llama3.2:1b", Map.of());
        assertEquals("llama3.2:1b", d.model());
        assertEquals("ollama:http://localhost:11434|llama3.2:1b", d.identity());
        OllamaModel u = (OllamaModel) resolve("ollama:qwen2.5:0.5b@http://192.168.1.20:11434/?timeout=30&name=q", Map.of());
        assertEquals("http://192.168.1.20:11434", u.baseUrl());
        assertEquals("q", u.name());
        assertInstanceOf(OllamaModel.class, u);
    }

    @Test
    void malformedSpecsGetClearErrors() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> resolve("openai:tiny@http://127.0.0.1:1/v1?temprature=0.5", Map.of()));
        assertTrue(unknown.getMessage().contains("unknown option 'temprature'"), unknown.getMessage());
        assertTrue(unknown.getMessage().contains("key_env"), unknown.getMessage());

        assertTrue(assertThrows(IllegalArgumentException.class, () -> resolve("ollama:@http://127.0.0.1:1", Map.of()))
                .getMessage().contains("model name is missing"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> resolve("ollama:x@localhost:11434", Map.of()))
                .getMessage().contains("http://"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> resolve("vllm:x@http://127.0.0.1:1/v1?timeout=-1", Map.of()))
                .getMessage().contains("timeout must be a positive number"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> resolve("vllm:x@http://127.0.0.1:1/v1?logprobs=maybe", Map.of()))
                .getMessage().contains("logprobs=maybe"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> resolve("vllm:x@http://127.0.0.1:1/v1?price_in=abc", Map.of()))
                .getMessage().contains("price_in=abc"));
    }

    @Test
    void localHostDetectionNeedsNoDns() {
        for (String local : new String[] {"http://localhost:8000/v1", "http://127.0.0.1:1", "http://[::1]:8080/v1",
                "http://10.1.2.3/v1", "http://172.16.0.1/v1", "http://192.168.0.9/v1", "http://0.0.0.0:8000"}) {
            assertTrue(ProviderSpecResolver.isLocal(local), local);
        }
        for (String remote : new String[] {"https://api.openai.com/v1", "http://172.32.0.1/v1", "http://8.8.8.8/v1",
                "http://11.0.0.1/v1", "https://localhost.evil.com/v1"}) {
            assertFalse(ProviderSpecResolver.isLocal(remote), remote);
        }
    }

    @Test
    void formsNameEveryScheme() {
        ProviderSpecResolver r = new ProviderSpecResolver(k -> null);
        for (String scheme : r.schemes()) {
            assertTrue(r.forms().stream().anyMatch(f -> f.startsWith(scheme + ":")), scheme);
        }
    }
}
