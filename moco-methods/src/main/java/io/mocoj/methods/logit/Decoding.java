package io.mocoj.methods.logit;

import io.mocoj.method.GenerationSettings;
import io.mocoj.method.MethodContext;
import io.mocoj.method.ParameterSpec;
import io.mocoj.methods.toolbox.LockStepDecoding;
import io.mocoj.methods.toolbox.TopTokensDecoding;
import io.mocoj.model.ChatMessage;
import io.mocoj.model.LogitsModel;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Example;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the two logit methods share: the run's settings as decoding settings, and the choice of exact or approximate decoding. */
final class Decoding {
    private Decoding() {}

    static final ParameterSpec TOP_LOGPROBS = ParameterSpec.integer("top_logprobs", 20, 1, 100,
            "alternatives per token asked from OpenAI-compatible servers (APPROX_LOGITS pools only; OpenAI caps it at 20)");

    static LockStepDecoding.Settings settings(MethodContext context, int exampleIndex) {
        GenerationSettings s = context.settings();
        List<String> stop = s.request("").build().stop();
        return new LockStepDecoding.Settings(s.maxResponseLength(), s.temperature(), s.topP(), s.seed() * 1_000_003L + exampleIndex, stop);
    }

    /** The trace record naming the models and whether their distributions are exact or top-k approximations. */
    static Map<String, Object> substrate(List<ModelEndpoint> models, boolean approximate, int k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("models", models.stream().map(ModelEndpoint::name).toList());
        m.put("distributions", approximate ? "approximate: top_logprobs k=" + k + " per model, unlisted tokens at their upper bound" : "exact");
        return m;
    }

    /** Decodes one test example from {@code models} (in the order the combiner expects), exactly or over top-k lists. */
    static LockStepDecoding.Result decode(MethodContext context, List<? extends ModelEndpoint> models, boolean approximate, int k,
                                          Example example, int index, LockStepDecoding.Combiner combiner) {
        List<ChatMessage> prompt = List.of(ChatMessage.user(context.evaluator().prompt(example)));
        if (approximate) return TopTokensDecoding.decode(context, List.copyOf(models), prompt, k, combiner, settings(context, index));
        List<LogitsModel> exact = models.stream().map(m -> (LogitsModel) m).toList();
        return LockStepDecoding.decode(context, exact, prompt, combiner, settings(context, index), null);
    }
}
