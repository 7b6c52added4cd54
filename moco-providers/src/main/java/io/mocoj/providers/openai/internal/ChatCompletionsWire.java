package io.mocoj.providers.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mocoj.model.ChatMessage;
import io.mocoj.model.FinishReason;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.TokenLogprob;
import io.mocoj.model.TokenUsage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The OpenAI chat-completions wire format ({@code POST /chat/completions}): request bodies and
 * response parsing, including per-token {@code logprobs} with {@code top_logprobs}.
 */
public final class ChatCompletionsWire {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChatCompletionsWire() {}

    /**
     * The request body.
     *
     * @param samples        the {@code n} to send
     * @param seed           the seed to send, if any
     * @param withLogprobs   whether to ask for log-probabilities
     * @param maxTokensField {@code max_tokens} or {@code max_completion_tokens}
     */
    public static String requestBody(String model, GenerationRequest request, int samples, OptionalLong seed,
                                     boolean withLogprobs, String maxTokensField) {
        return requestBody(model, request, samples, seed, withLogprobs, maxTokensField, false);
    }

    /**
     * The request body; with {@code prefill} and a final assistant message, asks the server to
     * continue that message ({@code continue_final_message: true, add_generation_prompt: false},
     * vLLM's fields; llama.cpp's server continues a final assistant message by itself and ignores them).
     */
    public static String requestBody(String model, GenerationRequest request, int samples, OptionalLong seed,
                                     boolean withLogprobs, String maxTokensField, boolean prefill) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", model);
        ArrayNode messages = body.putArray("messages");
        for (ChatMessage m : request.messages()) {
            ObjectNode msg = messages.addObject();
            msg.put("role", m.role().name().toLowerCase(Locale.ROOT));
            msg.put("content", m.text());
        }
        body.put(maxTokensField, request.maxTokens());
        body.put("temperature", request.temperature());
        body.put("top_p", request.topP());
        body.put("n", samples);
        seed.ifPresent(s -> body.put("seed", s));
        if (!request.stop().isEmpty()) {
            ArrayNode stop = body.putArray("stop");
            request.stop().forEach(stop::add);
        }
        if (withLogprobs) {
            body.put("logprobs", true);
            if (request.topLogprobs() > 0) body.put("top_logprobs", request.topLogprobs());
        }
        List<ChatMessage> ms = request.messages();
        if (prefill && ms.get(ms.size() - 1).role() == io.mocoj.model.Role.ASSISTANT) {
            body.put("continue_final_message", true);
            body.put("add_generation_prompt", false);
        }
        body.put("stream", false);
        return body.toString();
    }

    /** Thrown when a 2xx response is not a chat completion; the message says why, without the body. */
    public static final class MalformedResponseException extends Exception {
        public MalformedResponseException(String message, Throwable cause) { super(message, cause); }
    }

    /**
     * Parses a successful response. Choices are ordered by their {@code index}; the first one gives
     * the text, finish reason and log-probabilities.
     */
    public static Generation parseResponse(String json, boolean keepLogprobs) throws MalformedResponseException {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw new MalformedResponseException("not JSON", e);
        }
        JsonNode choicesNode = root == null ? null : root.get("choices");
        if (choicesNode == null || !choicesNode.isArray() || choicesNode.isEmpty()) {
            throw new MalformedResponseException("no choices", null);
        }
        List<JsonNode> choices = new ArrayList<>();
        choicesNode.forEach(choices::add);
        choices.sort(Comparator.comparingInt(c -> c.path("index").asInt(0)));

        List<String> texts = new ArrayList<>(choices.size());
        for (JsonNode c : choices) {
            JsonNode content = c.path("message").path("content");
            texts.add(content.isTextual() ? content.asText() : "");
        }
        JsonNode first = choices.get(0);
        FinishReason reason = finishReason(first.path("finish_reason").asText(null));
        List<TokenLogprob> logprobs = keepLogprobs ? logprobs(first.path("logprobs").path("content")) : List.of();
        JsonNode usage = root.path("usage");
        TokenUsage tokenUsage = new TokenUsage(usage.path("prompt_tokens").asLong(0), usage.path("completion_tokens").asLong(0));
        return new Generation(texts.get(0), reason, tokenUsage, logprobs, texts.size() > 1 ? texts : List.of());
    }

    static List<TokenLogprob> logprobs(JsonNode content) {
        if (content == null || !content.isArray()) return List.of();
        List<TokenLogprob> out = new ArrayList<>(content.size());
        for (JsonNode t : content) {
            List<TokenLogprob.Alternative> top = new ArrayList<>();
            for (JsonNode a : t.path("top_logprobs")) {
                top.add(new TokenLogprob.Alternative(a.path("token").asText(""), a.path("logprob").asDouble()));
            }
            out.add(new TokenLogprob(t.path("token").asText(""), t.path("logprob").asDouble(), top));
        }
        return out;
    }

    static FinishReason finishReason(String r) {
        if (r == null) return FinishReason.STOP;
        return switch (r) {
            case "stop", "eos", "stop_sequence" -> FinishReason.STOP;
            case "length" -> FinishReason.LENGTH;
            case "content_filter" -> FinishReason.CONTENT_FILTER;
            case "error" -> FinishReason.ERROR;
            default -> FinishReason.OTHER;
        };
    }

    /**
     * The human-readable error in an error body: OpenAI's {@code {"error":{"message":...}}}, a
     * plain {@code {"error":"..."}} / {@code {"message":"..."}} (other servers), or the raw body.
     */
    public static String errorMessage(String body) {
        if (body == null || body.isBlank()) return "(empty response body)";
        try {
            JsonNode root = JSON.readTree(body);
            if (root != null) {
                JsonNode err = root.get("error");
                if (err != null && err.isObject()) {
                    String msg = err.path("message").asText("");
                    String code = err.path("code").isValueNode() ? err.path("code").asText("") : "";
                    if (!msg.isEmpty()) return code.isEmpty() || "null".equals(code) ? msg : msg + " [" + code + "]";
                }
                if (err != null && err.isTextual()) return err.asText();
                if (root.path("message").isTextual()) return root.path("message").asText();
                if (root.path("detail").isTextual()) return root.path("detail").asText();
            }
        } catch (IOException notJson) {
            // use the raw body
        }
        return abbreviate(body);
    }

    /** The first 300 characters of {@code s} (redact before calling: the cut could split a secret). */
    public static String abbreviate(String s) {
        if (s == null) return "";
        String t = s.strip();
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }
}
