package io.mocoj.providers.openai;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.LogProb;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiChatRequestParameters;
import dev.langchain4j.model.openai.OpenAiChatResponseMetadata;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.TokenLogprob;
import io.mocoj.model.langchain4j.LangChain4jModel;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Glue for wrapping LangChain4j's own {@link OpenAiChatModel} in a {@link LangChain4jModel} with
 * log-probabilities: {@link #parameters()} sends seed, {@code logprobs} and {@code top_logprobs}
 * through {@link OpenAiChatRequestParameters}, and {@link #logprobs()} reads them back from
 * {@link OpenAiChatResponseMetadata#logProbs()}.
 *
 * <p>Use this when you already configure an {@code OpenAiChatModel} (build it with
 * {@code maxRetries(0)}). {@link OpenAiCompatibleModel} is preferable otherwise: it draws {@code n}
 * samples in one call and reports the server's {@code Retry-After}, which this path cannot.
 */
public final class OpenAiLangChain4j {
    private OpenAiLangChain4j() {}

    /** Wraps {@code chat} with OpenAI parameters and log-probabilities (LOGPROBS capability). */
    public static LangChain4jModel.Builder wrap(OpenAiChatModel chat) {
        return LangChain4jModel.builder(chat).parameters(parameters()).logprobs(logprobs());
    }

    /** Generic parameters plus seed (folded to 32 bits) and log-probability settings. */
    public static LangChain4jModel.ParametersFactory parameters() {
        return (GenerationRequest r, OptionalLong seed) -> {
            OpenAiChatRequestParameters.Builder b = OpenAiChatRequestParameters.builder()
                    .maxOutputTokens(r.maxTokens())
                    .temperature(r.temperature())
                    .topP(r.topP());
            if (!r.stop().isEmpty()) b.stopSequences(r.stop());
            if (seed.isPresent()) {
                long s = seed.getAsLong();
                b.seed(s >= Integer.MIN_VALUE && s <= Integer.MAX_VALUE ? (int) s : Long.hashCode(s));
            }
            if (r.logprobs()) {
                b.logprobs(true);
                if (r.topLogprobs() > 0) b.topLogprobs(r.topLogprobs());
            }
            return b.build();
        };
    }

    /** Reads per-token log-probabilities from an {@link OpenAiChatResponseMetadata}; empty for other metadata. */
    public static LangChain4jModel.LogprobExtractor logprobs() {
        return (ChatResponse response) -> {
            if (!(response.metadata() instanceof OpenAiChatResponseMetadata meta) || meta.logProbs() == null) return List.of();
            List<TokenLogprob> out = new ArrayList<>(meta.logProbs().size());
            for (LogProb p : meta.logProbs()) {
                List<TokenLogprob.Alternative> top = new ArrayList<>();
                if (p.topLogprobs() != null) {
                    for (LogProb a : p.topLogprobs()) {
                        top.add(new TokenLogprob.Alternative(a.token(), a.logprob() == null ? Double.NEGATIVE_INFINITY : a.logprob()));
                    }
                }
                out.add(new TokenLogprob(p.token(), p.logprob() == null ? Double.NEGATIVE_INFINITY : p.logprob(), top));
            }
            return out;
        };
    }
}
