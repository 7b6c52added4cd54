package io.mocoj.providers;

import static org.junit.jupiter.api.Assertions.*;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import io.mocoj.spec.EmbeddingSpecResolver;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** embedding_model specs served over HTTP (issue #7: generation_diversity with any embedding model from a config). */
class EmbeddingSpecTest {
    LoopbackServer server;

    @BeforeEach void start() throws Exception { server = new LoopbackServer(); }

    @AfterEach void stop() { server.close(); }

    @Test
    void openAiCompatibleEmbeddingsAreReadFromTheServer() {
        server.enqueue(200, """
                {"object":"list","model":"emb","data":[{"object":"embedding","index":0,"embedding":[1.0,0.0]},
                 {"object":"embedding","index":1,"embedding":[0.0,2.0]}],"usage":{"prompt_tokens":4,"total_tokens":4}}""");
        EmbeddingModel m = EmbeddingSpecResolver.resolveAny("openai:emb@" + server.baseUrl("/v1"));
        var out = m.embedAll(List.of(TextSegment.from("east"), TextSegment.from("north"))).content();
        assertArrayEquals(new float[] {1, 0}, out.get(0).vector());
        assertArrayEquals(new float[] {0, 2}, out.get(1).vector());
        assertEquals("/v1/embeddings", server.lastRequest().path());
        assertTrue(server.lastRequest().body().contains("\"emb\""), server.lastRequest().body());
    }

    @Test
    void ollamaEmbeddingsAreReadFromTheServer() {
        server.enqueue(200, "{\"model\":\"nomic\",\"embeddings\":[[0.5,0.5]]}");
        EmbeddingModel m = EmbeddingSpecResolver.resolveAny("ollama:nomic@" + server.baseUrl(""));
        assertArrayEquals(new float[] {0.5f, 0.5f}, m.embed("hi").content().vector());
        assertEquals("/api/embed", server.lastRequest().path());
    }

    @Test
    void aHostedOpenAiSpecWithoutKeyAndAnUnknownSpecAreRefusedClearly() {
        var resolver = new ProviderEmbeddingSpecResolver(name -> null);
        var e = assertThrows(IllegalArgumentException.class, () -> resolver.resolve("openai:text-embedding-3-small"));
        assertTrue(e.getMessage().contains("OPENAI_API_KEY is not set"), e.getMessage());
        var unknown = assertThrows(IllegalArgumentException.class, () -> EmbeddingSpecResolver.resolveAny("word2vec"));
        assertTrue(unknown.getMessage().contains("all-minilm-l6-v2") || unknown.getMessage().contains("openai:MODEL"), unknown.getMessage());
    }
}
