package io.mocoj.model.langchain4j;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import io.mocoj.model.Capability;
import io.mocoj.model.ChatMessage;
import io.mocoj.model.FinishReason;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelCallException;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.model.ModelPricing;
import io.mocoj.model.TokenLogprob;
import io.mocoj.model.TokenUsage;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Wraps any LangChain4j {@link ChatModel} as a {@link ModelEndpoint} with the {@link Capability#TEXT}
 * capability (and {@link Capability#LOGPROBS} when a {@link LogprobExtractor} is given).
 *
 * <p>Messages keep their roles (system, user, assistant). Max tokens, temperature, top-p and stop
 * sequences go into LangChain4j's generic {@link ChatRequestParameters}; the seed has no generic
 * slot, so provider-specific parameters come from a {@link ParametersFactory}. A {@code ChatModel}
 * returns one sample per call, so a request for {@code n} samples makes {@code n} calls; with a
 * seed {@code s}, sample {@code i} uses seed {@code s + i} so that the samples differ yet stay
 * reproducible. Usage is summed over the calls. Failures become {@link ModelCallException}s
 * (see {@link LangChain4jExceptions}).
 *
 * <pre>{@code
 * ChatModel chat = ...;                       // any LangChain4j chat model
 * ModelEndpoint model = LangChain4jModel.builder(chat)
 *         .name("gpt-small")
 *         .identity("openai:gpt-4o-mini")
 *         .pricing(ModelPricing.perMillionTokens(0.15, 0.6))
 *         .build();
 * }</pre>
 */
public final class LangChain4jModel implements ModelEndpoint {

    /** Builds the request parameters of one call. */
    @FunctionalInterface
    public interface ParametersFactory {
        /**
         * @param request    what MoCo-J asked for
         * @param sampleSeed the seed of this call (the request's seed plus the sample index), if any
         */
        ChatRequestParameters create(GenerationRequest request, OptionalLong sampleSeed);
    }

    /** Reads per-token log-probabilities from a provider-specific response. */
    @FunctionalInterface
    public interface LogprobExtractor {
        List<TokenLogprob> extract(ChatResponse response);
    }

    private final ChatModel chatModel;
    private final String name;
    private final String identity;
    private final ModelPricing pricing;
    private final ParametersFactory parametersFactory;
    private final LogprobExtractor logprobExtractor;
    private final List<String> secrets;
    private final Set<Capability> capabilities;

    private LangChain4jModel(Builder b) {
        this.chatModel = b.chatModel;
        this.name = b.name;
        this.identity = b.identity != null ? b.identity : "langchain4j:" + b.chatModel.getClass().getName() + ":" + b.name;
        this.pricing = b.pricing;
        this.parametersFactory = b.parametersFactory;
        this.logprobExtractor = b.logprobExtractor;
        this.secrets = List.copyOf(b.secrets);
        this.secrets.forEach(io.mocoj.model.Secrets::register);
        EnumSet<Capability> caps = EnumSet.of(Capability.TEXT);
        if (logprobExtractor != null) caps.add(Capability.LOGPROBS);
        this.capabilities = Set.copyOf(caps);
    }

    public static Builder builder(ChatModel chatModel) { return new Builder(chatModel); }

    @Override public String name() { return name; }

    @Override public Set<Capability> capabilities() { return capabilities; }

    @Override public String identity() { return identity; }

    /** Calls go to a server: the engine sends a preflight request before the method starts. */
    @Override public boolean remote() { return true; }

    @Override public ModelPricing pricing() { return pricing; }

    /** The wrapped LangChain4j model. */
    public ChatModel chatModel() { return chatModel; }

    @Override
    public Generation generate(GenerationRequest request) {
        List<dev.langchain4j.data.message.ChatMessage> messages = toLangChain4j(request.messages());
        List<String> texts = new ArrayList<>(request.samples());
        TokenUsage usage = TokenUsage.ZERO;
        FinishReason firstReason = FinishReason.STOP;
        List<TokenLogprob> firstLogprobs = List.of();
        for (int i = 0; i < request.samples(); i++) {
            OptionalLong seed = request.seed().isPresent()
                    ? OptionalLong.of(request.seed().getAsLong() + i) : OptionalLong.empty();
            ChatRequest chatRequest = ChatRequest.builder()
                    .messages(messages)
                    .parameters(parametersFactory.create(request, seed))
                    .build();
            ChatResponse response;
            try {
                response = chatModel.chat(chatRequest);
            } catch (RuntimeException e) {
                throw LangChain4jExceptions.toModelCallException(name, e, secrets);
            }
            if (response == null || response.aiMessage() == null) {
                throw ModelCallException.permanent(name, "the chat model returned no message");
            }
            String text = response.aiMessage().text();
            texts.add(text == null ? "" : text);
            usage = usage.plus(toUsage(response.tokenUsage()));
            if (i == 0) {
                firstReason = toFinishReason(response.finishReason());
                if (request.logprobs() && logprobExtractor != null) {
                    firstLogprobs = trimTop(logprobExtractor.extract(response), request.topLogprobs());
                }
            }
        }
        return new Generation(texts.get(0), firstReason, usage, firstLogprobs,
                texts.size() > 1 ? texts : List.of());
    }

    /** Maps MoCo-J messages to LangChain4j ones, keeping roles. */
    public static List<dev.langchain4j.data.message.ChatMessage> toLangChain4j(List<ChatMessage> messages) {
        List<dev.langchain4j.data.message.ChatMessage> out = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            out.add(switch (m.role()) {
                case SYSTEM -> SystemMessage.from(m.text());
                case USER -> UserMessage.from(m.text());
                case ASSISTANT -> AiMessage.from(m.text());
            });
        }
        return out;
    }

    /** The generic parameters: max tokens, temperature, top-p and stop sequences (no seed). */
    public static ChatRequestParameters genericParameters(GenerationRequest request, OptionalLong sampleSeed) {
        var b = ChatRequestParameters.builder()
                .maxOutputTokens(request.maxTokens())
                .temperature(request.temperature())
                .topP(request.topP());
        if (!request.stop().isEmpty()) b.stopSequences(request.stop());
        return b.build();
    }

    static TokenUsage toUsage(dev.langchain4j.model.output.TokenUsage u) {
        if (u == null) return TokenUsage.ZERO;
        long in = u.inputTokenCount() == null ? 0 : u.inputTokenCount();
        long out = u.outputTokenCount() == null ? 0 : u.outputTokenCount();
        return new TokenUsage(in, out);
    }

    static FinishReason toFinishReason(dev.langchain4j.model.output.FinishReason r) {
        if (r == null) return FinishReason.STOP;
        return switch (r) {
            case STOP -> FinishReason.STOP;
            case LENGTH -> FinishReason.LENGTH;
            case CONTENT_FILTER -> FinishReason.CONTENT_FILTER;
            default -> FinishReason.OTHER;
        };
    }

    private static List<TokenLogprob> trimTop(List<TokenLogprob> logprobs, int k) {
        if (logprobs == null) return List.of();
        List<TokenLogprob> out = new ArrayList<>(logprobs.size());
        for (TokenLogprob t : logprobs) {
            out.add(t.top().size() <= k ? t : new TokenLogprob(t.token(), t.logprob(), t.top().subList(0, k)));
        }
        return out;
    }

    /** Builder for {@link LangChain4jModel}. */
    public static final class Builder {
        private final ChatModel chatModel;
        private String name = "langchain4j";
        private String identity;
        private ModelPricing pricing = ModelPricing.UNKNOWN;
        private ParametersFactory parametersFactory = LangChain4jModel::genericParameters;
        private LogprobExtractor logprobExtractor;
        private final List<String> secrets = new ArrayList<>();

        private Builder(ChatModel chatModel) {
            this.chatModel = Objects.requireNonNull(chatModel, "chatModel");
        }

        /** The short name used in reports (default {@code langchain4j}). */
        public Builder name(String name) {
            if (name == null || name.isBlank()) throw new IllegalArgumentException("model name must not be blank");
            this.name = name;
            return this;
        }

        /** The cache identity (provider, address, model id); must not contain secrets. */
        public Builder identity(String identity) { this.identity = Objects.requireNonNull(identity, "identity"); return this; }

        public Builder pricing(ModelPricing pricing) { this.pricing = Objects.requireNonNull(pricing, "pricing"); return this; }

        /** Replaces the generic parameters (e.g. to pass a seed through a provider's own parameter class). */
        public Builder parameters(ParametersFactory factory) { this.parametersFactory = Objects.requireNonNull(factory, "factory"); return this; }

        /** Reads log-probabilities from responses; giving one adds the LOGPROBS capability. */
        public Builder logprobs(LogprobExtractor extractor) { this.logprobExtractor = Objects.requireNonNull(extractor, "extractor"); return this; }

        /** A secret (e.g. an API key) to blank out of error messages, should a server echo it. */
        public Builder redact(String secret) {
            if (secret != null && !secret.isEmpty()) secrets.add(secret);
            return this;
        }

        public LangChain4jModel build() { return new LangChain4jModel(this); }
    }
}
