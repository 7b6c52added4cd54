package io.mocoj.methods.toolbox;

import io.mocoj.method.MethodContext;
import io.mocoj.model.ChatMessage;
import io.mocoj.model.DecodingSession;
import io.mocoj.model.Distributions;
import io.mocoj.model.FinishReason;
import io.mocoj.model.LogitsModel;
import io.mocoj.model.ModelEndpoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Decodes one sequence with several {@link LogitsModel}s in lock-step: every model keeps its own
 * session (KV cache) over the same tokens; at each step their next-token log-probabilities are
 * combined into one score vector, a token is chosen from it (greedy at temperature 0, otherwise
 * softmax at the temperature cut to the top-p nucleus) and appended to every session.
 */
public final class LockStepDecoding {
    private LockStepDecoding() {}

    /** Turns the models' log-probabilities (same order as the models) into log-space scores. */
    @FunctionalInterface
    public interface Combiner {
        float[] scores(List<float[]> logProbabilities);
    }

    /** Sees the combined log-probabilities at every step (tests, traces). */
    @FunctionalInterface
    public interface StepListener {
        void onStep(int step, float[] combinedLogProbabilities, int chosen);
    }

    /** Sampling settings of one decode. */
    public record Settings(int maxTokens, double temperature, double topP, long seed, List<String> stop) {
        public Settings {
            stop = List.copyOf(stop);
        }
    }

    /**
     * A decoded text.
     *
     * @param steps per token: the chosen token's text and combined probability, and each model's top choice
     */
    public record Result(String text, int tokens, FinishReason finishReason, List<Map<String, Object>> steps) {}

    /**
     * Refuses a pool whose models do not all give full distributions over one vocabulary, naming
     * the first two that differ.
     */
    public static List<LogitsModel> sharedVocabulary(String method, List<ModelEndpoint> models) {
        List<LogitsModel> out = new ArrayList<>();
        for (ModelEndpoint m : models) {
            if (!(m instanceof LogitsModel lm)) {
                throw new IllegalArgumentException("method " + method + " needs full next-token distributions (LOGITS) from model '" + m.name()
                        + "', which cannot give them: use in-process models (gguf:) for every model of the pool");
            }
            out.add(lm);
        }
        for (LogitsModel m : out) {
            if (!m.vocabularyFingerprint().equals(out.get(0).vocabularyFingerprint())) {
                throw new IllegalArgumentException("method " + method + " combines distributions token by token, but models '" + out.get(0).name()
                        + "' and '" + m.name() + "' have different vocabularies (tokenizer fingerprints differ): use models of one family");
            }
        }
        return out;
    }

    /**
     * Which substrate a pool decodes on: {@code false} for exact distributions (every model an
     * in-process {@link LogitsModel}, one vocabulary, checked), {@code true} for approximate top-k
     * lists (every model {@link io.mocoj.model.Capability#APPROX_LOGITS}, see {@link TopTokensDecoding}).
     * Anything else is refused naming the first model that fits neither.
     */
    public static boolean approximate(String method, List<ModelEndpoint> models) {
        boolean allLogits = models.stream().allMatch(m -> m instanceof LogitsModel && m.has(io.mocoj.model.Capability.LOGITS));
        if (allLogits) {
            sharedVocabulary(method, models);
            return false;
        }
        if (TopTokensDecoding.allApproximate(models)) return true;
        for (ModelEndpoint m : models) {
            if (!(m instanceof LogitsModel) && !m.has(io.mocoj.model.Capability.APPROX_LOGITS)) {
                throw new IllegalArgumentException("method " + method + " needs next-token distributions from model '" + m.name()
                        + "', which offers " + m.capabilities() + ": use in-process models (gguf:, exact LOGITS) for the whole pool, or"
                        + " OpenAI-compatible servers that continue a partial answer and return top_logprobs (vllm:, llamacpp:;"
                        + " APPROX_LOGITS) for the whole pool");
            }
        }
        throw new IllegalArgumentException("method " + method + " combines either exact distributions (all models in-process gguf:) or"
                + " approximate top-k lists (all models APPROX_LOGITS servers), not a mix: pool " + models.stream().map(ModelEndpoint::name).toList());
    }

    /** Log of the mean of the models' probabilities (logit fusion). */
    public static float[] meanProbability(List<float[]> logProbabilities) {
        int v = logProbabilities.get(0).length, m = logProbabilities.size();
        float[] out = new float[v];
        double logM = Math.log(m);
        for (int t = 0; t < v; t++) {
            double max = Double.NEGATIVE_INFINITY;
            for (float[] lp : logProbabilities) max = Math.max(max, lp[t]);
            if (max == Double.NEGATIVE_INFINITY) {
                out[t] = Float.NEGATIVE_INFINITY;
                continue;
            }
            double s = 0;
            for (float[] lp : logProbabilities) s += Math.exp(lp[t] - max);
            out[t] = (float) (max + Math.log(s) - logM);
        }
        return out;
    }

    /** Decodes from {@code messages} (formatted by the first model's chat template). */
    public static Result decode(List<LogitsModel> models, List<ChatMessage> messages, Combiner combiner, Settings settings,
                                StepListener listener) {
        return decode(null, models, messages, combiner, settings, listener);
    }

    /**
     * As {@link #decode(List, List, Combiner, Settings, StepListener)}, reporting each model's session
     * to {@code context}'s accounting as one call ({@link MethodContext#recordLocalDecoding}: prompt
     * tokens = the prefilled prompt, completion tokens = the answer tokens run through the model).
     */
    public static Result decode(MethodContext context, List<LogitsModel> models, List<ChatMessage> messages, Combiner combiner,
                                Settings settings, StepListener listener) {
        long started = System.nanoTime();
        int[] fed = new int[1];
        Result r = null;
        try {
            r = decode(models, messages, combiner, settings, listener, fed);
            return r;
        } finally {
            if (context != null && fed[0] >= 0) {
                int promptTokens = models.get(0).encodeChat(messages, true).length;
                for (LogitsModel m : models) {
                    context.recordLocalDecoding(m, new io.mocoj.model.TokenUsage(promptTokens, fed[0]), System.nanoTime() - started);
                }
            }
        }
    }

    private static Result decode(List<LogitsModel> models, List<ChatMessage> messages, Combiner combiner, Settings settings,
                                 StepListener listener, int[] fed) {
        LogitsModel lead = models.get(0);
        int[] prompt = lead.encodeChat(messages, true);
        int[] ends = lead.tokenizer().endTokens();
        Random random = new Random(settings.seed());
        List<DecodingSession> sessions = new ArrayList<>();
        try {
            for (LogitsModel m : models) {
                DecodingSession s = m.newSession();
                sessions.add(s);
                s.append(prompt);
            }
            List<Integer> generated = new ArrayList<>();
            List<Map<String, Object>> steps = new ArrayList<>();
            String text = "";
            FinishReason reason = FinishReason.LENGTH;
            for (int step = 0; step < settings.maxTokens(); step++) {
                List<float[]> lps = new ArrayList<>(models.size());
                for (DecodingSession s : sessions) lps.add(s.logProbabilities());
                float[] combined = Distributions.logSoftmax(combiner.scores(lps));
                int next = choose(combined, settings, random);
                if (listener != null) listener.onStep(step, combined, next);
                steps.add(stepTrace(models, lps, combined, next));
                if (contains(ends, next)) {
                    reason = FinishReason.STOP;
                    break;
                }
                generated.add(next);
                text = lead.tokenizer().decode(generated.stream().mapToInt(Integer::intValue).toArray());
                int stopAt = io.mocoj.model.StopSequences.firstIndex(text, settings.stop());
                if (stopAt >= 0) {
                    text = text.substring(0, stopAt);
                    reason = FinishReason.STOP;
                    break;
                }
                if (step + 1 < settings.maxTokens()) {
                    for (DecodingSession s : sessions) s.append(next);
                    fed[0]++;
                }
            }
            return new Result(text, generated.size(), reason, steps);
        } finally {
            for (DecodingSession s : sessions) s.close();
        }
    }

    private static Map<String, Object> stepTrace(List<LogitsModel> models, List<float[]> lps, float[] combined, int chosen) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("token", models.get(0).tokenizer().tokenText(chosen));
        t.put("p", Math.exp(combined[chosen]));
        Map<String, Object> tops = new LinkedHashMap<>();
        for (int i = 0; i < models.size(); i++) {
            int top = Distributions.argmax(lps.get(i));
            tops.put(models.get(i).name(), Map.of("token", models.get(i).tokenizer().tokenText(top), "p", Math.exp(lps.get(i)[top])));
        }
        t.put("models", tops);
        return t;
    }

    /** Greedy at temperature 0; otherwise a draw from softmax(logp / T) restricted to the top-p nucleus. */
    static int choose(float[] logp, Settings s, Random random) {
        if (s.temperature() == 0) return Distributions.argmax(logp);
        int v = logp.length;
        double[] p = new double[v];
        double max = Double.NEGATIVE_INFINITY;
        for (float x : logp) max = Math.max(max, x);
        double sum = 0;
        for (int i = 0; i < v; i++) {
            p[i] = Math.exp((logp[i] - max) / s.temperature());
            sum += p[i];
        }
        Integer[] order = new Integer[v];
        for (int i = 0; i < v; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> Double.compare(p[b], p[a]));
        double cum = 0;
        int keep = 0;
        while (keep < v) {
            cum += p[order[keep]] / sum;
            keep++;
            if (cum >= s.topP()) break;
        }
        double r = random.nextDouble() * cum * sum, acc = 0;
        for (int k = 0; k < keep; k++) {
            acc += p[order[k]];
            if (r < acc) return order[k];
        }
        return order[keep - 1];
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) if (x == v) return true;
        return false;
    }

}
