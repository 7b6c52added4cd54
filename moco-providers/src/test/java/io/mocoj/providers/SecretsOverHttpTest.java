package io.mocoj.providers;

import static org.junit.jupiter.api.Assertions.*;

import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelCallException;
import io.mocoj.providers.openai.OpenAiCompatibleModel;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Issue #8's secrets cases on a real loopback server: no key, whatever its shape, reaches a message. */
class SecretsOverHttpTest {
    LoopbackServer server;

    @BeforeEach void start() throws Exception { server = new LoopbackServer(); }

    @AfterEach void stop() { server.close(); }

    private OpenAiCompatibleModel model(String key) {
        return OpenAiCompatibleModel.builder().name("m").baseUrl(server.baseUrl("/v1")).model("m").apiKey(key)
                .timeout(Duration.ofSeconds(5)).build();
    }

    @Test
    void aKeyStraddlingTheCutOfANonJsonErrorBodyIsRedactedWhole() {
        String key = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghij";   // not sk- shaped
        for (int at = 280; at <= 300; at += 5) {
            String body = "x".repeat(at) + key + " trailing text of the proxy's error page";
            server.enqueue(502, body);
            ModelCallException e = assertThrows(ModelCallException.class, () -> model(key).generate(GenerationRequest.builder().user("q").build()));
            for (int len = 6; len <= key.length(); len++) {
                assertFalse(e.getMessage().contains(key.substring(0, len)), "a prefix of " + len + " characters leaked at offset " + at
                        + ": " + e.getMessage());
            }
        }
    }

    @Test
    void aKeyWithALineBreakIsRefusedWhenTheEndpointIsBuiltWithoutShowingIt() {
        String key = "secret-part-one\nsecret-part-two";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model(key));
        assertTrue(e.getMessage().contains("line break") && e.getMessage().contains("position 16"), e.getMessage());
        assertFalse(e.getMessage().contains("secret-part"), e.getMessage());
        assertEquals(0, server.requests().size(), "nothing was sent");
        assertThrows(IllegalArgumentException.class, () -> model("tab\tinside-the-key"));
        assertThrows(IllegalArgumentException.class, () -> model("non-ascii-\u00e9-key"));
    }

    @Test
    void aKeyEchoedInABrokenSuccessfulBodyIsRedactedFromTheError() {
        String key = "k3y-" + "q".repeat(40);
        server.enqueue(200, "{\"truncated\": \"" + key + "\", \"choi");
        ModelCallException e = assertThrows(ModelCallException.class, () -> model(key).generate(GenerationRequest.builder().user("q").build()));
        assertTrue(e.transientFailure(), "an unparseable 200 is transient");
        assertEquals(200, e.httpStatus());
        assertFalse(e.getMessage().contains(key.substring(0, 10)), e.getMessage());
    }

    @Test
    void aBrokenSuccessfulBodyIsTransientAndAGoodOneAfterItIsUsed() {
        server.enqueue(200, "<html>proxy</html>");
        ModelCallException e = assertThrows(ModelCallException.class, () -> model(null).generate(GenerationRequest.builder().user("q").build()));
        assertTrue(e.transientFailure(), e.getMessage());
        assertTrue(e.getMessage().contains("not a chat completion"), e.getMessage());
        server.enqueue(200, "{\"choices\":[{\"index\":0,\"message\":{\"content\":\"fine\"}}]}");
        Generation g = model(null).generate(GenerationRequest.builder().user("q").build());
        assertEquals("fine", g.text());
    }
}
