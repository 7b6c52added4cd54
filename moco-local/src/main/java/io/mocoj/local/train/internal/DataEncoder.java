package io.mocoj.local.train.internal;

import io.mocoj.local.LocalModel;
import io.mocoj.local.chat.ChatTemplateException;
import io.mocoj.model.ChatMessage;
import io.mocoj.model.Role;
import io.mocoj.train.TrainingExample;
import io.mocoj.train.TrainingObjective;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns training rows into token sequences with the model's chat template, exactly as inference
 * formats them, and marks which tokens are trained on (completions and assistant turns; prompts
 * are masked).
 */
public final class DataEncoder {
    private DataEncoder() {}

    /** A token sequence and which of its tokens are predicted and scored. */
    public record Seq(int[] tokens, boolean[] scored) {
        public int scoredCount() {
            int n = 0;
            for (boolean b : scored) if (b) n++;
            return n;
        }
    }

    /**
     * One encoded row: its sequences (one for SFT, chosen then rejected for DPO, none for GRPO)
     * and, for GRPO, the prompt tokens to sample after.
     */
    public record Item(int row, List<Seq> seqs, TrainingExample.Prompt prompt, int[] promptTokens) {
        public int tokens() {
            int n = promptTokens == null ? 0 : promptTokens.length;
            for (Seq s : seqs) n += s.tokens().length;
            return n;
        }
    }

    /**
     * @throws IllegalArgumentException naming the row when it does not suit the objective, has
     *                                  nothing to train on, or is longer than {@code maxLength}
     */
    public static List<Item> encode(LocalModel m, List<TrainingExample> rows, TrainingObjective objective, int maxLength) {
        if (rows.isEmpty()) throw new IllegalArgumentException("no training examples: the data is empty");
        List<Item> out = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            TrainingExample e = rows.get(i);
            String where = "training row " + (i + 1);
            Item item = switch (objective) {
                case SFT -> switch (e) {
                    case TrainingExample.Completion c -> new Item(i, List.of(completion(m, c.prompt(), c.completion(), where)), null, null);
                    case TrainingExample.Conversation c -> new Item(i, List.of(conversation(m, c.messages(), where)), null, null);
                    default -> throw mismatch(where, e, objective, "{\"prompt\",\"completion\"} or {\"messages\"}");
                };
                case DPO -> {
                    if (!(e instanceof TrainingExample.Preference p)) throw mismatch(where, e, objective, "{\"prompt\",\"chosen\",\"rejected\"}");
                    yield new Item(i, List.of(completion(m, p.prompt(), p.chosen(), where + " (chosen)"),
                            completion(m, p.prompt(), p.rejected(), where + " (rejected)")), null, null);
                }
                case GRPO -> {
                    if (!(e instanceof TrainingExample.Prompt p)) throw mismatch(where, e, objective, "{\"prompt\"[,\"answer\"]}");
                    yield new Item(i, List.of(), p, promptTokens(m, p.prompt()));
                }
                case DEFERRAL -> {
                    // Co-LLM cuts rows at the maximum length (MoCo's max_seq_length) instead of refusing them
                    if (!(e instanceof TrainingExample.Completion c)) throw mismatch(where, e, objective, "{\"prompt\",\"completion\"}");
                    Seq s = completion(m, c.prompt(), c.completion(), where);
                    int keep = Math.min(s.tokens().length, maxLength);
                    yield new Item(i, List.of(new Seq(Arrays.copyOf(s.tokens(), keep), Arrays.copyOf(s.scored(), keep))), null, null);
                }
            };
            for (Seq s : item.seqs()) {
                if (s.tokens().length > maxLength) {
                    throw new IllegalArgumentException(where + " has " + s.tokens().length + " tokens, more than the longest sequence allowed ("
                            + maxLength + "); shorten it, drop it, or raise the maximum length (at most the model's context)");
                }
                if (s.scoredCount() == 0) throw new IllegalArgumentException(where + " has no tokens to train on (empty completion?)");
            }
            if (item.promptTokens() != null && item.promptTokens().length >= maxLength) {
                throw new IllegalArgumentException(where + ": the prompt has " + item.promptTokens().length
                        + " tokens, leaving no room for a completion within " + maxLength);
            }
            out.add(item);
        }
        return out;
    }

    private static IllegalArgumentException mismatch(String where, TrainingExample e, TrainingObjective o, String needed) {
        String kind = switch (e) {
            case TrainingExample.Completion c -> "a prompt/completion row";
            case TrainingExample.Conversation c -> "a messages row";
            case TrainingExample.Preference p -> "a preference (chosen/rejected) row";
            case TrainingExample.Prompt p -> "a prompt-only row";
        };
        return new IllegalArgumentException(where + " is " + kind + ", but objective " + o.name().toLowerCase() + " needs " + needed);
    }

    /** The prompt as the model sees it at inference: the chat template with the assistant turn opened. */
    public static int[] promptTokens(LocalModel m, String prompt) {
        try {
            return m.encodeChat(List.of(ChatMessage.user(prompt)), true);
        } catch (ChatTemplateException e) {
            return m.tokenizer().encode(prompt, true, false);
        }
    }

    private static Seq completion(LocalModel m, String prompt, String completion, String where) {
        int[] p = promptTokens(m, prompt);
        int[] full;
        try {
            full = m.encodeChat(List.of(ChatMessage.user(prompt), ChatMessage.assistant(completion)), false);
        } catch (ChatTemplateException e) {
            int[] c = m.tokenizer().encode(completion, false, false);
            full = Arrays.copyOf(p, p.length + c.length + 1);
            System.arraycopy(c, 0, full, p.length, c.length);
            full[full.length - 1] = m.tokenizer().eos();
        }
        if (!startsWith(full, p)) {
            throw new IllegalArgumentException(where + ": the chat template renders the prompt differently with and without the answer,"
                    + " so the prompt cannot be masked; use {\"messages\"} rows");
        }
        boolean[] scored = new boolean[full.length];
        for (int i = p.length; i < full.length; i++) scored[i] = true;
        return new Seq(full, scored);
    }

    private static Seq conversation(LocalModel m, List<ChatMessage> messages, String where) {
        int[] full = m.encodeChat(messages, false);
        boolean[] scored = new boolean[full.length];
        for (int i = 0; i < messages.size(); i++) {
            if (messages.get(i).role() != Role.ASSISTANT) continue;
            int[] before = m.encodeChat(messages.subList(0, i), true);
            int[] after = m.encodeChat(messages.subList(0, i + 1), false);
            if (!startsWith(after, before) || !startsWith(full, after)) {
                throw new IllegalArgumentException(where + ": the chat template does not render the conversation as a growing prefix,"
                        + " so assistant turn " + (i + 1) + " cannot be located");
            }
            for (int t = before.length; t < after.length; t++) scored[t] = true;
        }
        return new Seq(full, scored);
    }

    static boolean startsWith(int[] a, int[] prefix) {
        if (prefix.length > a.length) return false;
        for (int i = 0; i < prefix.length; i++) if (a[i] != prefix[i]) return false;
        return true;
    }
}
