package io.mocoj.providers.openai.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mocoj.model.FinishReason;
import io.mocoj.model.Generation;
import io.mocoj.model.TokenUsage;
import org.junit.jupiter.api.Test;

class ChatCompletionsWireTest {

    @Test
    void errorMessagesOfDifferentServers() {
        assertEquals("Invalid model [model_not_found]",
                ChatCompletionsWire.errorMessage("{\"error\":{\"message\":\"Invalid model\",\"code\":\"model_not_found\"}}"));
        assertEquals("Invalid model", ChatCompletionsWire.errorMessage("{\"error\":{\"message\":\"Invalid model\",\"code\":null}}"));
        assertEquals("model not found", ChatCompletionsWire.errorMessage("{\"error\":\"model not found\"}"));
        assertEquals("The model does not exist.", ChatCompletionsWire.errorMessage("{\"object\":\"error\",\"message\":\"The model does not exist.\"}"));
        assertEquals("Not Found", ChatCompletionsWire.errorMessage("{\"detail\":\"Not Found\"}"));
        assertEquals("<html>Bad Gateway</html>", ChatCompletionsWire.errorMessage("<html>Bad Gateway</html>\n"));
        assertEquals("(empty response body)", ChatCompletionsWire.errorMessage(""));
        assertTrue(ChatCompletionsWire.errorMessage("x".repeat(1000)).length() < 320);
    }

    @Test
    void malformedSuccessResponses() {
        var notJson = assertThrows(ChatCompletionsWire.MalformedResponseException.class,
                () -> ChatCompletionsWire.parseResponse("<html>proxy login</html>", false));
        assertTrue(notJson.getMessage().contains("not JSON"));
        var noChoices = assertThrows(ChatCompletionsWire.MalformedResponseException.class,
                () -> ChatCompletionsWire.parseResponse("{\"choices\":[]}", false));
        assertTrue(noChoices.getMessage().contains("no choices"));
    }

    @Test
    void finishReasonsNullContentAndMissingUsage() throws Exception {
        Generation g = ChatCompletionsWire.parseResponse(
                "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[]},\"finish_reason\":\"tool_calls\"}]}", true);
        assertEquals("", g.text());
        assertEquals(FinishReason.OTHER, g.finishReason());
        assertEquals(TokenUsage.ZERO, g.usage());
        assertEquals(FinishReason.CONTENT_FILTER, ChatCompletionsWire.finishReason("content_filter"));
        assertEquals(FinishReason.LENGTH, ChatCompletionsWire.finishReason("length"));
        assertEquals(FinishReason.STOP, ChatCompletionsWire.finishReason(null));
    }
}
