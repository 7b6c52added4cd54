package io.mocoj.methods.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.mocoj.model.ChatMessage;
import io.mocoj.model.DecodingSession;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.LogitsModel;
import io.mocoj.model.Role;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback OpenAI-compatible chat-completions server over in-process {@link LogitsModel}s, as
 * llama.cpp's server behaves for what the approximate logit methods use: a final assistant message
 * is continued (prefill), {@code max_tokens: 1} with {@code logprobs} / {@code top_logprobs: k}
 * returns the k most likely next tokens of the exact distribution, each as the text it adds after
 * the prefill (end tokens by their name, e.g. {@code <|im_end|>}). Requests for more than one token are answered by the
 * model's own greedy generation without logprobs. Test support only.
 */
public final class TopLogprobsServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, LogitsModel> models;
    private final HttpServer server;
    private final AtomicInteger requests = new AtomicInteger();

    public TopLogprobsServer(Map<String, LogitsModel> models) throws IOException {
        this.models = new LinkedHashMap<>(models);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    /** The base URL to give a client, {@code http://127.0.0.1:PORT/v1}. */
    public String baseUrl() { return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1"; }

    /** Chat-completion requests answered so far. */
    public int requests() { return requests.get(); }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            JsonNode req = JSON.readTree(ex.getRequestBody());
            LogitsModel model = models.get(req.path("model").asText());
            if (model == null) {
                send(ex, 404, "{\"error\":{\"message\":\"unknown model\"}}");
                return;
            }
            requests.incrementAndGet();
            List<ChatMessage> messages = new ArrayList<>();
            for (JsonNode m : req.path("messages")) {
                messages.add(new ChatMessage(Role.valueOf(m.path("role").asText().toUpperCase(java.util.Locale.ROOT)), m.path("content").asText()));
            }
            String prefill = "";
            if (messages.get(messages.size() - 1).role() == Role.ASSISTANT) {
                prefill = messages.remove(messages.size() - 1).text();
            }
            int maxTokens = req.path("max_tokens").asInt(16);
            ObjectNode body = maxTokens == 1 && req.path("logprobs").asBoolean(false)
                    ? nextToken(model, messages, prefill, req.path("top_logprobs").asInt(1))
                    : generate(model, messages, maxTokens);
            send(ex, 200, body.toString());
        } catch (RuntimeException e) {
            send(ex, 500, "{\"error\":{\"message\":" + JSON.valueToTree(String.valueOf(e)) + "}}");
        }
    }

    /** The exact next-token log-probabilities after the chat-formatted prompt and the prefill (as the server sees them). */
    public static float[] logProbabilities(LogitsModel model, List<ChatMessage> messages, String prefill) {
        try (DecodingSession s = model.newSession()) {
            s.append(model.encodeChat(messages, true));
            int[] answer = answerTokens(model, prefill);
            if (answer.length > 0) s.append(answer);
            return s.logProbabilities();
        }
    }

    /** The exact next-token distribution after the prefill with tokens of equal text merged (text → probability). */
    public static Map<String, Double> distributionByText(LogitsModel model, List<ChatMessage> messages, String prefill) {
        float[] lp = logProbabilities(model, messages, prefill);
        int[] answer = answerTokens(model, prefill);
        String before = model.tokenizer().decode(answer);
        Map<String, Double> out = new LinkedHashMap<>();
        for (int t = 0; t < lp.length; t++) out.merge(piece(model, answer, before, t), Math.exp(lp[t]), Double::sum);
        return out;
    }

    /** What the server lists for a top_logprobs=k request after the prefill: the k most likely token pieces and their log-probabilities. */
    public static List<io.mocoj.model.TokenLogprob.Alternative> listed(LogitsModel model, List<ChatMessage> messages, String prefill, int k) {
        float[] lp = logProbabilities(model, messages, prefill);
        int[] answer = answerTokens(model, prefill);
        String before = model.tokenizer().decode(answer);
        Integer[] order = new Integer[lp.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> Float.compare(lp[y], lp[x]));
        List<io.mocoj.model.TokenLogprob.Alternative> out = new ArrayList<>();
        for (int i = 0; i < Math.min(k, lp.length); i++) out.add(new io.mocoj.model.TokenLogprob.Alternative(piece(model, answer, before, order[i]), lp[order[i]]));
        return out;
    }

    private static int[] answerTokens(LogitsModel model, String prefill) {
        return prefill.isEmpty() ? new int[0] : model.tokenizer().encode(prefill, false);
    }

    /** The exact top-k of the next token after the chat-formatted prompt and the prefill, as llama.cpp returns it. */
    private static ObjectNode nextToken(LogitsModel model, List<ChatMessage> messages, String prefill, int k) {
        int[] prompt = model.encodeChat(messages, true);
        int[] answer = answerTokens(model, prefill);
        float[] lp = logProbabilities(model, messages, prefill);
        Integer[] order = new Integer[lp.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> Float.compare(lp[y], lp[x]));
        String before = model.tokenizer().decode(answer);
        ArrayNode top = JSON.createArrayNode();
        for (int i = 0; i < Math.min(k, order.length); i++) {
            top.addObject().put("token", piece(model, answer, before, order[i])).put("logprob", lp[order[i]]);
        }
        int chosen = order[0];
        String text = piece(model, answer, before, chosen);
        ObjectNode body = JSON.createObjectNode();
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", text);
        choice.put("finish_reason", isEnd(model, chosen) ? "stop" : "length");
        ObjectNode first = choice.putObject("logprobs").putArray("content").addObject();
        first.put("token", text).put("logprob", lp[chosen]);
        first.set("top_logprobs", top);
        body.putObject("usage").put("prompt_tokens", prompt.length + answer.length).put("completion_tokens", 1);
        return body;
    }

    private static ObjectNode generate(LogitsModel model, List<ChatMessage> messages, int maxTokens) {
        Generation g = model.generate(GenerationRequest.builder().messages(messages).maxTokens(maxTokens).temperature(0).topP(1).build());
        ObjectNode body = JSON.createObjectNode();
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("message").put("role", "assistant").put("content", g.text());
        choice.put("finish_reason", "stop");
        body.putObject("usage").put("prompt_tokens", g.usage().promptTokens()).put("completion_tokens", g.usage().completionTokens());
        return body;
    }

    /** The text {@code token} adds after {@code answer} (decoded in context); end tokens are shown by their name, as llama.cpp does. */
    private static String piece(LogitsModel model, int[] answer, String before, int token) {
        if (isEnd(model, token)) return model.tokenizer().tokenText(token);
        int[] longer = Arrays.copyOf(answer, answer.length + 1);
        longer[answer.length] = token;
        String after = model.tokenizer().decode(longer);
        return after.startsWith(before) ? after.substring(before.length()) : after;
    }

    private static boolean isEnd(LogitsModel model, int token) {
        for (int e : model.tokenizer().endTokens()) if (e == token) return true;
        return false;
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override public void close() { server.stop(0); }
}
