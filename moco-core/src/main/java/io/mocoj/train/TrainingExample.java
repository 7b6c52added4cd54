package io.mocoj.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mocoj.model.ChatMessage;
import io.mocoj.model.Role;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One row of training data. JSONL rows map to the variants by their keys, as TRL's dataset
 * formats do: {@code {"prompt","completion"}}, {@code {"messages":[{"role","content"}...]}},
 * {@code {"prompt","chosen","rejected"}}, and for GRPO {@code {"prompt"}} with an optional
 * {@code "answer"} the reward function may check.
 */
public sealed interface TrainingExample {

    /** A prompt and the completion to learn (the prompt is not trained on). */
    record Completion(String prompt, String completion) implements TrainingExample {
        public Completion {
            require(prompt, "prompt");
            require(completion, "completion");
        }
    }

    /** A whole conversation; the assistant turns are trained on, everything else is context. */
    record Conversation(List<ChatMessage> messages) implements TrainingExample {
        public Conversation {
            messages = List.copyOf(messages);
            if (messages.stream().noneMatch(m -> m.role() == Role.ASSISTANT)) {
                throw new IllegalArgumentException("a conversation to train on needs at least one assistant message");
            }
        }
    }

    /** A preference pair for DPO. */
    record Preference(String prompt, String chosen, String rejected) implements TrainingExample {
        public Preference {
            require(prompt, "prompt");
            require(chosen, "chosen");
            require(rejected, "rejected");
        }
    }

    /** A prompt to sample completions for (GRPO), with the reference answer when known (may be null). */
    record Prompt(String prompt, String answer) implements TrainingExample {
        public Prompt {
            require(prompt, "prompt");
        }
    }

    private static void require(String v, String what) {
        if (v == null) throw new IllegalArgumentException("the " + what + " is missing");
    }

    /**
     * Reads a JSONL file (one JSON object a line; blank lines skipped).
     *
     * @throws IllegalArgumentException naming the file and line of the first bad row, or when the
     *                                  file has no rows
     */
    static List<TrainingExample> readJsonl(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<TrainingExample> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) continue;
                try {
                    out.add(fromJson(json.readTree(line)));
                } catch (IOException | IllegalArgumentException e) {
                    throw new IllegalArgumentException(file + " line " + n + ": " + e.getMessage()
                            + " (rows are {\"prompt\",\"completion\"}, {\"messages\":[...]}, {\"prompt\",\"chosen\",\"rejected\"} or {\"prompt\"[,\"answer\"]})", e);
                }
            }
        }
        if (out.isEmpty()) throw new IllegalArgumentException(file + ": no training rows (the file is empty)");
        return out;
    }

    /** One row from its JSON object. */
    static TrainingExample fromJson(JsonNode row) {
        if (row == null || !row.isObject()) throw new IllegalArgumentException("not a JSON object");
        if (row.has("messages")) {
            JsonNode ms = row.get("messages");
            if (!ms.isArray() || ms.isEmpty()) throw new IllegalArgumentException("\"messages\" must be a non-empty array");
            List<ChatMessage> messages = new ArrayList<>();
            for (JsonNode m : ms) {
                String role = text(m, "role").toLowerCase(Locale.ROOT);
                String content = text(m, "content");
                messages.add(switch (role) {
                    case "system" -> ChatMessage.system(content);
                    case "user" -> ChatMessage.user(content);
                    case "assistant" -> ChatMessage.assistant(content);
                    default -> throw new IllegalArgumentException("unknown role '" + role + "' (system, user, assistant)");
                });
            }
            return new Conversation(messages);
        }
        String prompt = text(row, "prompt");
        if (row.has("chosen") || row.has("rejected")) return new Preference(prompt, text(row, "chosen"), text(row, "rejected"));
        if (row.has("completion")) return new Completion(prompt, text(row, "completion"));
        return new Prompt(prompt, row.has("answer") ? row.get("answer").asText() : null);
    }

    private static String text(JsonNode o, String key) {
        JsonNode v = o.get(key);
        if (v == null || v.isNull()) throw new IllegalArgumentException("\"" + key + "\" is missing");
        if (!v.isTextual()) throw new IllegalArgumentException("\"" + key + "\" must be a string");
        return v.asText();
    }
}
