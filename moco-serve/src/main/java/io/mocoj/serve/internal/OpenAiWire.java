package io.mocoj.serve.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.mocoj.RunReport;
import io.mocoj.chat.CollaborationResponseMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads OpenAI chat-completion requests and writes OpenAI-shaped responses, chunks and errors. */
public final class OpenAiWire {
    public static final ObjectMapper JSON = new ObjectMapper();

    private OpenAiWire() {}

    /** A request that cannot be served, with the HTTP status and OpenAI error fields to answer with. */
    public static final class BadRequest extends RuntimeException {
        public final int status;
        public final String type;
        public final String param;
        public final String code;

        public BadRequest(int status, String type, String param, String code, String message) {
            super(message);
            this.status = status;
            this.type = type;
            this.param = param;
            this.code = code;
        }

        static BadRequest invalid(String param, String message) {
            return new BadRequest(400, "invalid_request_error", param, null, message);
        }
    }

    /** A parsed chat-completion request. */
    public record Completion(String model, ChatRequest request, boolean stream, boolean includeUsage, boolean trace) {}

    public static Completion parse(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw BadRequest.invalid(null, "the request body is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) throw BadRequest.invalid(null, "the request body must be a JSON object");
        String model = text(root, "model", true);
        JsonNode msgs = root.get("messages");
        if (msgs == null || !msgs.isArray() || msgs.isEmpty()) throw BadRequest.invalid("messages", "'messages' must be a non-empty array");
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 0; i < msgs.size(); i++) messages.add(message(msgs.get(i), "messages[" + i + "]"));
        if (!(messages.get(messages.size() - 1) instanceof UserMessage)) {
            throw BadRequest.invalid("messages", "the last message must have role 'user'");
        }
        if (root.hasNonNull("tools") && root.get("tools").size() > 0) {
            throw BadRequest.invalid("tools", "tools are not supported: a collaboration method answers in text");
        }
        if (root.hasNonNull("n") && root.get("n").asInt(1) != 1) throw BadRequest.invalid("n", "only n=1 is supported");
        JsonNode rf = root.get("response_format");
        if (rf != null && rf.isObject() && !"text".equals(rf.path("type").asText("text"))) {
            throw BadRequest.invalid("response_format", "only response_format type 'text' is supported");
        }
        var params = ChatRequestParameters.builder();
        Double temperature = number(root, "temperature", 0, 2);
        Double topP = number(root, "top_p", 0, 1);
        if (topP != null && topP == 0) throw BadRequest.invalid("top_p", "'top_p' must be greater than 0");
        Integer maxTokens = integer(root, root.has("max_completion_tokens") ? "max_completion_tokens" : "max_tokens");
        if (temperature != null) params.temperature(temperature);
        if (topP != null) params.topP(topP);
        if (maxTokens != null) params.maxOutputTokens(maxTokens);
        List<String> stop = stop(root.get("stop"));
        if (!stop.isEmpty()) params.stopSequences(stop);
        boolean stream = bool(root, "stream");
        JsonNode so = root.get("stream_options");
        boolean includeUsage = so != null && so.path("include_usage").asBoolean(false);
        boolean trace = bool(root, "moco_trace");
        ChatRequest request = ChatRequest.builder().messages(messages).parameters(params.build()).build();
        return new Completion(model, request, stream, includeUsage, trace);
    }

    private static ChatMessage message(JsonNode m, String where) {
        if (!m.isObject()) throw BadRequest.invalid(where, where + " must be an object with 'role' and 'content'");
        String role = m.path("role").asText("");
        String content = content(m.get("content"), where);
        return switch (role) {
            case "system", "developer" -> SystemMessage.from(content);
            case "user" -> UserMessage.from(content);
            case "assistant" -> {
                if (m.hasNonNull("tool_calls")) throw BadRequest.invalid(where, "assistant tool calls are not supported");
                yield AiMessage.from(content);
            }
            case "" -> throw BadRequest.invalid(where + ".role", where + " has no 'role'");
            default -> throw BadRequest.invalid(where + ".role", "role '" + cap(role) + "' is not supported (system, developer, user, assistant)");
        };
    }

    private static String content(JsonNode c, String where) {
        if (c == null || c.isNull()) throw BadRequest.invalid(where + ".content", where + " has no 'content'");
        if (c.isTextual()) return c.asText();
        if (c.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode part : c) {
                if (!"text".equals(part.path("type").asText())) {
                    throw BadRequest.invalid(where + ".content", "only text content parts are supported (got '" + cap(part.path("type").asText()) + "')");
                }
                sb.append(part.path("text").asText());
            }
            return sb.toString();
        }
        throw BadRequest.invalid(where + ".content", where + ".content must be a string or an array of text parts");
    }

    private static List<String> stop(JsonNode s) {
        if (s == null || s.isNull()) return List.of();
        if (s.isTextual()) return List.of(s.asText());
        if (s.isArray() && s.size() <= 4) {
            List<String> out = new ArrayList<>();
            for (JsonNode x : s) {
                if (!x.isTextual()) throw BadRequest.invalid("stop", "'stop' must be a string or up to 4 strings");
                out.add(x.asText());
            }
            return out;
        }
        throw BadRequest.invalid("stop", "'stop' must be a string or up to 4 strings");
    }

    private static String text(JsonNode root, String key, boolean required) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) {
            if (required) throw BadRequest.invalid(key, "'" + key + "' is required");
            return null;
        }
        if (!v.isTextual()) throw BadRequest.invalid(key, "'" + key + "' must be a string");
        return v.asText();
    }

    private static boolean bool(JsonNode root, String key) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) return false;
        if (!v.isBoolean()) throw BadRequest.invalid(key, "'" + key + "' must be true or false");
        return v.asBoolean();
    }

    private static Double number(JsonNode root, String key, double lo, double hi) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) return null;
        if (!v.isNumber() || !(v.asDouble() >= lo && v.asDouble() <= hi)) {
            throw BadRequest.invalid(key, "'" + key + "' must be a number from " + lo + " to " + hi);
        }
        return v.asDouble();
    }

    private static Integer integer(JsonNode root, String key) {
        JsonNode v = root.get(key);
        if (v == null || v.isNull()) return null;
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < 1) {
            throw BadRequest.invalid(key, "'" + key + "' must be a positive integer");
        }
        return v.asInt();
    }

    /** A non-streaming chat.completion body. */
    public static ObjectNode completion(String id, String model, long created, ChatResponse r, boolean trace) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", id).put("object", "chat.completion").put("created", created).put("model", model);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", r.aiMessage().text());
        choice.put("finish_reason", "stop");
        usage(root, r);
        if (trace) moco(root, r);
        return root;
    }

    /** One chat.completion.chunk of a stream. */
    public static ObjectNode chunk(String id, String model, long created, String role, String content, String finish) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", id).put("object", "chat.completion.chunk").put("created", created).put("model", model);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        if (role != null) delta.put("role", role);
        if (content != null) delta.put("content", content);
        if (finish == null) choice.putNull("finish_reason"); else choice.put("finish_reason", finish);
        return root;
    }

    /** The final usage chunk of a stream ({@code stream_options.include_usage}), with the trace when asked. */
    public static ObjectNode usageChunk(String id, String model, long created, ChatResponse r, boolean trace) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", id).put("object", "chat.completion.chunk").put("created", created).put("model", model);
        root.putArray("choices");
        usage(root, r);
        if (trace) moco(root, r);
        return root;
    }

    private static void usage(ObjectNode root, ChatResponse r) {
        var u = r.metadata().tokenUsage();
        int in = u == null || u.inputTokenCount() == null ? 0 : u.inputTokenCount();
        int out = u == null || u.outputTokenCount() == null ? 0 : u.outputTokenCount();
        root.putObject("usage").put("prompt_tokens", in).put("completion_tokens", out).put("total_tokens", in + out);
    }

    /** The opt-in extension field: the method's trace and per-model usage. */
    private static void moco(ObjectNode root, ChatResponse r) {
        if (!(r.metadata() instanceof CollaborationResponseMetadata m)) return;
        ObjectNode ext = root.putObject("moco");
        ext.put("method", m.method());
        ArrayNode trace = ext.putArray("trace");
        for (RunReport.TraceEvent e : m.trace()) {
            ObjectNode t = trace.addObject();
            t.put("event", e.event());
            t.set("data", JSON.valueToTree(e.data()));
        }
        ArrayNode usage = ext.putArray("models");
        for (RunReport.ModelUsage u : m.usage()) {
            ObjectNode x = usage.addObject();
            x.put("model", u.model()).put("calls", u.calls()).put("cached_calls", u.cachedCalls()).put("failed_calls", u.failedCalls())
                    .put("prompt_tokens", u.promptTokens()).put("completion_tokens", u.completionTokens());
            if (Double.isFinite(u.cost())) x.put("cost", u.cost()); else x.putNull("cost");
        }
    }

    public static ObjectNode error(String message, String type, String param, String code) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode e = root.putObject("error");
        e.put("message", message).put("type", type);
        if (param == null) e.putNull("param"); else e.put("param", param);
        if (code == null) e.putNull("code"); else e.put("code", code);
        return root;
    }

    public static ObjectNode models(Map<String, Long> createdByName) {
        ObjectNode root = JSON.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        createdByName.forEach((name, created) -> data.addObject().put("id", name).put("object", "model").put("created", created).put("owned_by", "moco-j"));
        return root;
    }

    /** Quoted user input is capped so that a huge value cannot flood a message. */
    static String cap(String s) { return s.length() <= 64 ? s : s.substring(0, 64) + "…"; }

    private static String firstLine(String s) {
        if (s == null) return "";
        int i = s.indexOf('\n');
        return cap(i < 0 ? s : s.substring(0, i));
    }
}
