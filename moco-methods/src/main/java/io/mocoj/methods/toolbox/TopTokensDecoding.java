package io.mocoj.methods.toolbox;

import io.mocoj.method.MethodContext;
import io.mocoj.model.Capability;
import io.mocoj.model.ChatMessage;
import io.mocoj.model.Distributions;
import io.mocoj.model.FinishReason;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.model.StopSequences;
import io.mocoj.model.TokenLogprob;
import io.mocoj.model.TopTokens;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Lock-step decoding over <em>approximate</em> next-token distributions ({@link Capability#APPROX_LOGITS}):
 * at every step each model is asked, in one call, for the top-k tokens after the prompt and the
 * answer so far ({@code max_tokens} 1, {@code logprobs}, {@code top_logprobs} k, the partial answer
 * sent as a final assistant message that the server continues). The candidates are the union of the
 * listed token texts; a model that did not list a candidate gives it {@link TopTokens#unlistedLogprob()}.
 * The same {@link LockStepDecoding.Combiner} as the exact version turns the per-model values into
 * scores over the candidates, which are renormalised over the candidates (the unlisted tail is
 * never drawn) and sampled with the run's settings. The chosen text is appended to the shared
 * answer, which each server tokenizes itself: the models need not share a vocabulary, and a
 * token boundary may move when a server re-tokenizes the text (text-level alignment).
 *
 * <p>Cost: one call per model per answer token, each re-sending the prompt and the answer so far
 * (servers with a prefix cache recompute only the last token).
 */
public final class TopTokensDecoding {
    private TopTokensDecoding() {}

    /** Whether every model gives approximate next-token distributions. */
    public static boolean allApproximate(List<ModelEndpoint> models) {
        for (ModelEndpoint m : models) if (!m.has(Capability.APPROX_LOGITS)) return false;
        return true;
    }

    /**
     * The top-{@code k} next tokens of {@code model} after {@code prompt} and the partial answer
     * {@code answer}, through the run's engine (counted, cached and retried like any call).
     */
    public static TopTokens next(MethodContext context, ModelEndpoint model, List<ChatMessage> prompt, String answer, int k) {
        GenerationRequest.Builder b = GenerationRequest.builder().messages(prompt);
        if (!answer.isEmpty()) b.assistant(answer);
        Generation g = context.generate(model, b.maxTokens(1).temperature(0).topP(1).topLogprobs(k).build());
        if (g.logprobs().isEmpty()) {
            if (g.text().isEmpty() && g.finishReason() == FinishReason.STOP) return TopTokens.end();
            throw new IllegalStateException("model '" + model.name() + "' returned no logprobs for a top_logprobs=" + k
                    + " request: the server must support logprobs with top_logprobs (vLLM, llama.cpp's server)");
        }
        TokenLogprob first = g.logprobs().get(0);
        List<TokenLogprob.Alternative> listed = first.top().isEmpty()
                ? List.of(new TokenLogprob.Alternative(first.token(), first.logprob())) : first.top();
        return fromServer(listed, g.finishReason() == FinishReason.STOP ? first.token() : null);
    }

    /**
     * A server's list for one position as a {@link TopTokens}: end-of-turn texts ({@link #END_TEXTS},
     * and {@code stoppedAt}, the token the server stopped at, if any) become the end of the answer
     * (the empty text); a token that adds no text (a part of a character) is left in the tail, so
     * the result may list nothing.
     */
    public static TopTokens fromServer(List<TokenLogprob.Alternative> listed, String stoppedAt) {
        List<TokenLogprob.Alternative> alternatives = new ArrayList<>(listed.size());
        double smallest = 1;
        for (TokenLogprob.Alternative a : listed) {
            smallest = Math.min(smallest, Math.exp(Math.min(0, a.logprob())));
            if (END_TEXTS.contains(a.token()) || a.token().equals(stoppedAt)) alternatives.add(new TokenLogprob.Alternative("", a.logprob()));
            else if (!a.token().isEmpty()) alternatives.add(a);
        }
        return TopTokens.of(alternatives, smallest);
    }

    /**
     * Texts servers give end-of-turn tokens in their lists; each becomes the end of the answer (the
     * empty text). A token the server itself stopped at ({@code finish_reason: stop}) is an end too.
     */
    public static final java.util.Set<String> END_TEXTS = java.util.Set.of("</s>", "<|im_end|>", "<|endoftext|>", "<|eot_id|>",
            "<|end_of_text|>", "<|end|>", "<end_of_turn>", "<eos>", "<|eom_id|>");

    /** Decodes one answer to {@code prompt} from the combined top-{@code k} lists of {@code models}. */
    public static LockStepDecoding.Result decode(MethodContext context, List<ModelEndpoint> models, List<ChatMessage> prompt, int k,
                                                 LockStepDecoding.Combiner combiner, LockStepDecoding.Settings settings) {
        Random random = new Random(settings.seed());
        StringBuilder text = new StringBuilder();
        List<Map<String, Object>> steps = new ArrayList<>();
        FinishReason reason = FinishReason.LENGTH;
        int tokens = 0;
        for (int step = 0; step < settings.maxTokens(); step++) {
            List<TopTokens> lists = new ArrayList<>(models.size());
            for (ModelEndpoint m : models) lists.add(next(context, m, prompt, text.toString(), k));
            List<String> candidates = TopTokens.union(lists);
            if (candidates.isEmpty()) { // no model listed a token that adds text: the answer cannot go on
                steps.add(stepTrace(models, lists, "", 0, 0));
                reason = FinishReason.STOP;
                break;
            }
            float[] combined = Distributions.logSoftmax(combiner.scores(values(lists, candidates)));
            int chosen = LockStepDecoding.choose(combined, settings, random);
            String piece = candidates.get(chosen);
            steps.add(stepTrace(models, lists, piece, Math.exp(combined[chosen]), candidates.size()));
            if (piece.isEmpty()) {
                reason = FinishReason.STOP;
                break;
            }
            text.append(piece);
            tokens++;
            int stopAt = StopSequences.firstIndex(text.toString(), settings.stop());
            if (stopAt >= 0) {
                text.setLength(stopAt);
                reason = FinishReason.STOP;
                break;
            }
        }
        return new LockStepDecoding.Result(text.toString(), tokens, reason, steps);
    }

    /** Per model, the log-probability of every candidate (listed, or the model's unlisted bound). */
    public static List<float[]> values(List<TopTokens> lists, List<String> candidates) {
        List<float[]> out = new ArrayList<>(lists.size());
        for (TopTokens t : lists) {
            float[] v = new float[candidates.size()];
            for (int i = 0; i < v.length; i++) v[i] = (float) t.logprob(candidates.get(i));
            out.add(v);
        }
        return out;
    }

    private static Map<String, Object> stepTrace(List<ModelEndpoint> models, List<TopTokens> lists, String chosen, double p, int candidates) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("token", chosen);
        t.put("p", p);
        t.put("approximate", true);
        t.put("candidates", candidates);
        Map<String, Object> tops = new LinkedHashMap<>();
        for (int i = 0; i < models.size(); i++) {
            TopTokens l = lists.get(i);
            tops.put(models.get(i).name(), l.size() == 0 ? Map.of("tail_mass", l.tailMass())
                    : Map.of("token", l.top().text(), "p", Math.exp(l.top().logprob()), "tail_mass", l.tailMass()));
        }
        t.put("models", tops);
        return t;
    }
}
