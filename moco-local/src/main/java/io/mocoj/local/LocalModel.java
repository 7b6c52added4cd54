package io.mocoj.local;

import io.mocoj.local.gguf.GgmlType;
import io.mocoj.local.gguf.GgufFile;
import io.mocoj.local.gguf.GgufTensorInfo;
import io.mocoj.local.gguf.GgufValueType;
import io.mocoj.local.gguf.GgufWriter;
import io.mocoj.local.chat.ChatRenderer;
import io.mocoj.local.chat.ChatTemplateException;
import io.mocoj.local.chat.ChatTemplates;
import io.mocoj.local.internal.Sampler;
import io.mocoj.local.internal.llama.KvCache;
import io.mocoj.local.internal.llama.LlamaConfig;
import io.mocoj.local.internal.llama.LlamaWeights;
import io.mocoj.local.internal.llama.Transformer;
import io.mocoj.local.internal.tensor.ArrayMatrix;
import io.mocoj.local.internal.tensor.LowRankSum;
import io.mocoj.local.lora.LoraAdapter;
import io.mocoj.local.lora.LoraTensor;
import io.mocoj.local.internal.tensor.MappedMatrix;
import io.mocoj.local.internal.tensor.Matrix;
import io.mocoj.local.internal.tensor.Parallel;
import io.mocoj.local.tokenizer.GgufTokenizer;
import io.mocoj.local.tokenizer.GgufTokenizers;
import io.mocoj.model.AdapterModel;
import io.mocoj.model.Capability;
import io.mocoj.model.ChatMessage;
import io.mocoj.model.DecodingSession;
import io.mocoj.model.FinishReason;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.LogitsModel;
import io.mocoj.model.ModelCallException;
import io.mocoj.model.TokenLogprob;
import io.mocoj.model.TokenUsage;
import io.mocoj.model.WeightsModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A llama-family model (architectures {@code llama}, {@code qwen2}, {@code qwen3}) loaded from a
 * GGUF file and run in-process in pure Java. It generates text (with per-token log-probabilities),
 * gives full next-token logits through {@link DecodingSession}s, and exposes its weights by name.
 *
 * <p>Weights are memory-mapped and shared by every session; sessions hold only their KV cache.
 * The model is thread-safe; each session is confined to one thread at a time. Every model of the
 * process computes on one shared worker pool. {@link #close()} drops the model's hold on its
 * weights and caches; any later use of it or of its sessions throws {@link IllegalStateException}.
 */
public final class LocalModel implements LogitsModel, WeightsModel, AdapterModel, io.mocoj.train.TrainableModel, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalModel.class);
    private static final int DEFAULT_MAX_CONTEXT = 4096;
    /** Files whose missing chat template was already reported (said once per file and process). */
    private static final Set<String> TOLD_NO_TEMPLATE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private final String name;
    private final String identity;
    private final Map<String, Object> metadata;
    private final Map<String, GgufValueType> valueTypes;
    private final Map<String, GgufValueType> elementTypes;
    private volatile Map<String, Matrix> tensors;   // every tensor, file order; null once closed
    private final Map<String, long[]> dims;         // ggml dimensions, innermost first
    private final LocalModelOptions options;
    private final LlamaConfig config;
    private volatile Transformer transformer;       // null once closed
    private final GgufTokenizer tokenizer;
    private final ChatRenderer chatFormat;
    private final Parallel parallel;
    private final int maxContext;
    private final String vocabularyFingerprint;
    private LocalModel base = this;                          // the model adapters were applied to
    private List<LoraAdapter.Scaled> adapters = List.of();   // applied at inference

    private LocalModel(String name, String identity, Map<String, Object> metadata, Map<String, GgufValueType> valueTypes,
                       Map<String, GgufValueType> elementTypes, Map<String, Matrix> tensors, Map<String, long[]> dims,
                       LocalModelOptions options, GgufTokenizer tokenizer, ChatRenderer chatFormat, Parallel parallel,
                       String source) {
        this.name = name;
        this.identity = identity;
        this.metadata = metadata;
        this.valueTypes = valueTypes;
        this.elementTypes = elementTypes;
        this.tensors = tensors;
        this.dims = dims;
        this.options = options;
        this.tokenizer = tokenizer;
        this.chatFormat = chatFormat;
        this.parallel = parallel;
        LlamaConfig config = LlamaConfig.fromMetadata(metadata, source);
        LlamaWeights weights = LlamaWeights.load(config, tensors::get, source);
        if (tokenizer.vocabularySize() > weights.vocabularySize()) {
            throw new IllegalArgumentException(source + ": the tokenizer has " + tokenizer.vocabularySize()
                    + " tokens but token_embd.weight only " + weights.vocabularySize() + " rows");
        }
        this.config = config;
        this.transformer = new Transformer(config, weights, parallel, options.halfPrecisionCache());
        int ctx = options.contextLength() > 0 ? options.contextLength() : Math.min(config.contextLength(), DEFAULT_MAX_CONTEXT);
        this.maxContext = ctx;
        this.vocabularyFingerprint = hash(List.of(String.valueOf(metadata.get("tokenizer.ggml.model")),
                String.valueOf(metadata.get("tokenizer.ggml.tokens")), String.valueOf(metadata.get("tokenizer.ggml.merges"))));
    }

    /**
     * Loads a GGUF model file.
     *
     * @throws UncheckedIOException                    when the file cannot be read
     * @throws io.mocoj.local.gguf.GgufFormatException when it is not a valid GGUF file
     * @throws IllegalArgumentException                when its architecture, metadata or tensors are unsupported or inconsistent
     */
    public static LocalModel load(Path path, LocalModelOptions options) {
        GgufFile file;
        try {
            file = GgufFile.open(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read model file " + path + ": " + e.getMessage(), e);
        }
        Map<String, Matrix> tensors = new LinkedHashMap<>();
        Map<String, long[]> dims = new LinkedHashMap<>();
        Map<String, GgufValueType> vt = new LinkedHashMap<>();
        Map<String, GgufValueType> et = new LinkedHashMap<>();
        for (String key : file.metadata().keySet()) {
            vt.put(key, file.valueType(key));
            if (file.arrayElementType(key) != null) et.put(key, file.arrayElementType(key));
        }
        List<String> unsupported = new ArrayList<>();
        for (GgufTensorInfo t : file.tensors()) {
            dims.put(t.name(), t.dimensions());
            try {
                tensors.put(t.name(), new MappedMatrix(file.data(t.name())));
            } catch (UnsupportedOperationException e) {
                unsupported.add(t.name() + " (" + t.type() + ")");
            }
        }
        if (!unsupported.isEmpty()) {
            throw new IllegalArgumentException(path + ": tensors of unsupported types: " + String.join(", ", unsupported)
                    + " (supported: F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q6_K); re-quantise the model, e.g. to Q8_0 or Q4_K_M");
        }
        String name = options.name() != null ? options.name() : path.getFileName().toString().replaceFirst("(?i)\\.gguf$", "");
        GgufTokenizer tokenizer;
        try {
            tokenizer = GgufTokenizers.fromMetadata(file.metadata());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
        ChatRenderer chat = chatRenderer(file.metadata(), tokenizer, path.toString());
        String identity;
        try {
            // top_k changes what sampling returns, so two endpoints on one file with different top_k must not share
            // cache entries; ctx, threads and batch change no output (a prompt that does not fit is an error).
            identity = "gguf:" + path.toAbsolutePath().normalize() + ":" + Files.size(path) + ":" + Files.getLastModifiedTime(path).toMillis()
                    + samplingSuffix(options);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Parallel parallel = new Parallel(options.threads());
        LocalModel model = new LocalModel(name, identity, Collections.unmodifiableMap(new LinkedHashMap<>(file.metadata())), vt, et,
                Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(dims), options, tokenizer, chat, parallel,
                path.toString());
        LOG.info("loaded {} from {}: {} layers, width {}, {} threads, context {}, kernels: {}", name, path,
                model.config.layers(), model.config.dim(), options.threads(), model.maxContext, Kernel.current().description());
        return model;
    }

    /**
     * The model's chat template, or its family's built-in format, or (when neither applies) a
     * renderer that explains why. A file without a template is reported once per process, at INFO,
     * naming the fallback.
     */
    private static ChatRenderer chatRenderer(Map<String, Object> metadata, GgufTokenizer tokenizer, String source) {
        Object template = metadata.get("tokenizer.chat_template");
        boolean hasTemplate = template instanceof String t && !t.isBlank();
        try {
            ChatRenderer renderer = ChatTemplates.forModel(metadata, tokenizer);
            if (!hasTemplate && TOLD_NO_TEMPLATE.add(source)) {
                LOG.info("{} has no tokenizer.chat_template; chats use the built-in {} format", source, renderer);
            }
            return renderer;
        } catch (ChatTemplateException e) {
            String why = e.getMessage();
            if (TOLD_NO_TEMPLATE.add(source)) {
                LOG.info("{}: no chat format ({}); sessions and logits work, chat generation fails with this reason", source, why);
            }
            return (messages, addGenerationPrompt) -> {
                throw new ChatTemplateException(source + ": cannot format chats: " + why);
            };
        }
    }

    // ------------------------------------------------------------------ ModelEndpoint

    @Override public String name() { return name; }

    @Override
    public Set<Capability> capabilities() {
        return Collections.unmodifiableSet(EnumSet.of(Capability.TEXT, Capability.LOGPROBS, Capability.LOGITS, Capability.WEIGHTS, Capability.TRAIN));
    }

    @Override public String identity() { return identity; }

    /** The options this model runs with. */
    public LocalModelOptions options() { return options; }

    /**
     * The hyper-parameters, for moco-local's trainer ({@code io.mocoj.local.train}); an internal
     * type, not a stable API.
     */
    public LlamaConfig internalConfig() { return config; }

    /**
     * A tensor as stored (possibly quantised, possibly memory-mapped), for moco-local's trainer;
     * an internal type, not a stable API. Null when the model has no such tensor.
     */
    public Matrix internalTensor(String tensorName) { return openTensors().get(tensorName); }

    /** The GGUF metadata (see {@link GgufFile} for the value mapping). */
    public Map<String, Object> metadata() { return metadata; }

    /** The architecture name ({@code general.architecture}). */
    public String architecture() { return config.architecture(); }

    /** The compute kernels this process uses (the same for every model): Vector API SIMD or plain Java. */
    public Kernel kernel() { return Kernel.current(); }

    /**
     * Releases this model: its sessions, generation and weight access throw
     * {@link IllegalStateException} from now on, and its hold on the memory-mapped weights is
     * dropped (the mapping goes once no other model derived from the same file, through
     * {@link #withTensors} or {@link #withAdapters}, still uses it, when the garbage collector
     * reclaims it; Java has no explicit unmap for mapped buffers). Idempotent.
     */
    @Override
    public void close() {
        if (transformer != null) LOG.debug("closed {}", name);
        transformer = null;
        tensors = null;
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() { return transformer == null; }

    private Transformer openTransformer() {
        Transformer t = transformer;
        if (t == null) throw closedError();
        return t;
    }

    private Map<String, Matrix> openTensors() {
        Map<String, Matrix> t = tensors;
        if (t == null) throw closedError();
        return t;
    }

    private IllegalStateException closedError() {
        return new IllegalStateException(name + " is closed (LocalModel.close() was called); load the model again to use it");
    }

    /** The most tokens one session can hold. */
    public int contextLength() { return maxContext; }

    @Override
    public Generation generate(GenerationRequest request) {
        openTransformer();
        int[] prompt;
        try {
            prompt = encodeChat(request.messages(), true);
        } catch (ChatTemplateException e) {
            throw ModelCallException.permanent(name, e.getMessage());
        }
        if (prompt.length >= maxContext) {
            int trained = config.contextLength();
            String fix = maxContext < trained
                    ? "give a larger context with the ctx= option of the gguf: spec, e.g. gguf:/path/model.gguf?ctx="
                            + Math.min(trained, Math.max(maxContext * 2, prompt.length + request.maxTokens()))
                            + " (Java: LocalModelOptions.contextLength), or shorten the prompt"
                    : "the model cannot hold more (ctx= above " + trained + " is beyond its training); shorten the prompt or use a model"
                            + " with a longer context";
            throw ModelCallException.permanent(name, "context overflow: the prompt has " + prompt.length + " tokens but the context holds "
                    + maxContext + " (the model was trained for " + trained + "); " + fix);
        }
        long seed = request.seed().isPresent() ? request.seed().getAsLong() : new Random().nextLong();
        List<String> texts = new ArrayList<>();
        List<TokenLogprob> firstLogprobs = List.of();
        FinishReason firstReason = FinishReason.STOP;
        long completion = 0;
        try (Session prefilled = newSession()) {
            prefilled.append(prompt);
            for (int s = 0; s < request.samples(); s++) {
                // the last sample may consume the prefilled session itself; earlier ones use copies
                Session session = s == request.samples() - 1 ? prefilled : prefilled.fork();
                try {
                    Sampled out = sample(session, request, new Random(seed + 0x9E3779B97F4A7C15L * s));
                    texts.add(out.text());
                    completion += out.tokens();
                    if (s == 0) {
                        firstLogprobs = out.logprobs();
                        firstReason = out.reason();
                    }
                } finally {
                    if (session != prefilled) session.close();
                }
            }
        } catch (IllegalStateException | IllegalArgumentException e) {
            throw ModelCallException.permanent(name, e.getMessage());
        }
        return new Generation(texts.get(0), firstReason, new TokenUsage(prompt.length, completion), firstLogprobs,
                texts.size() > 1 ? texts : List.of());
    }

    private record Sampled(String text, FinishReason reason, int tokens, List<TokenLogprob> logprobs) {}

    private Sampled sample(Session session, GenerationRequest request, Random random) {
        Sampler sampler = new Sampler(request.temperature(), request.topP(), options.topK(), random);
        int[] ends = tokenizer.endTokens();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<TokenLogprob> logprobs = new ArrayList<>();
        int produced = 0;
        FinishReason reason = FinishReason.LENGTH;
        String text = "";
        while (produced < request.maxTokens()) {
            if (session.length() >= maxContext) break;
            float[] logits = session.logits();
            int next = sampler.sample(logits);
            produced++;
            if (contains(ends, next)) {
                reason = FinishReason.STOP;
                break;
            }
            if (request.logprobs()) logprobs.add(logprob(logits, next, request.topLogprobs()));
            bytes.writeBytes(tokenizer.tokenBytes(next));
            text = bytes.toString(StandardCharsets.UTF_8);
            int stopAt = io.mocoj.model.StopSequences.firstIndex(text, request.stop());
            if (stopAt >= 0) {
                text = text.substring(0, stopAt);
                reason = FinishReason.STOP;
                break;
            }
            if (produced < request.maxTokens()) session.append(next);
        }
        return new Sampled(text, reason, produced, logprobs);
    }


    private TokenLogprob logprob(float[] logits, int chosen, int top) {
        float[] lp = io.mocoj.model.Distributions.logSoftmax(logits);
        List<TokenLogprob.Alternative> alts = new ArrayList<>();
        if (top > 0) for (int id : Sampler.topIndices(lp, top)) alts.add(new TokenLogprob.Alternative(tokenizer.tokenText(id), lp[id]));
        return new TokenLogprob(tokenizer.tokenText(chosen), lp[chosen], alts);
    }


    private static boolean contains(int[] a, int v) {
        for (int x : a) if (x == v) return true;
        return false;
    }

    // ------------------------------------------------------------------ LogitsModel

    @Override public GgufTokenizer tokenizer() { return tokenizer; }

    @Override
    public int[] encodeChat(List<ChatMessage> messages, boolean addGenerationPrompt) {
        String text = chatFormat.render(messages, addGenerationPrompt);
        int[] ids = tokenizer.tokenize(text, true, true);
        // templates usually write the BOS token themselves; do not double it
        if (ids.length >= 2 && ids[0] == tokenizer.bos() && ids[1] == tokenizer.bos() && tokenizer.addsBos()) {
            ids = Arrays.copyOfRange(ids, 1, ids.length);
        }
        return ids;
    }

    @Override
    public Session newSession() {
        return new Session(openTransformer().newCache(maxContext), new int[0], null, new float[0]);
    }

    /** Width of the hidden states that {@link Session#hiddenState(int)} returns (the model's embedding length). */
    @Override public int hiddenSize() { return config.dim(); }

    @Override public String vocabularyFingerprint() { return vocabularyFingerprint; }

    /** A decoding session of this model: the tokens so far and their KV cache. */
    /**
     * Non-finite logits mean broken weights (a corrupt or mis-read file, a bad merge): an error naming
     * the model and position, never a silent argmax of NaN.
     */
    private void requireFinite(float[] logits, int position) {
        for (int i = 0; i < logits.length; i++) {
            if (!Float.isFinite(logits[i])) {
                int bad = 0;
                for (float v : logits) if (!Float.isFinite(v)) bad++;
                throw new IllegalStateException(name + ": the logits at position " + position + " are not finite (" + bad + " of "
                        + logits.length + " are NaN or infinite, first at token id " + i + "); the model's weights are broken"
                        + " (a corrupt or mis-converted file, or a merge that produced NaN) — check the file against its source");
            }
        }
    }

    public final class Session implements DecodingSession {
        private KvCache cache;
        private int[] tokens;
        private float[] lastLogits;
        private float[] hidden; // final hidden state per position, token-major, capacity >= tokens.length * dim

        private Session(KvCache cache, int[] tokens, float[] lastLogits, float[] hidden) {
            this.cache = cache;
            this.tokens = tokens;
            this.lastLogits = lastLogits;
            this.hidden = hidden;
        }

        @Override
        public void append(int... newTokens) {
            if (cache == null) throw new IllegalStateException("session of " + name + " is closed");
            Transformer live = openTransformer();
            if (newTokens.length == 0) return;
            if (tokens.length + newTokens.length > maxContext) {
                throw new IllegalStateException(name + ": appending " + newTokens.length + " tokens to " + tokens.length
                        + " exceeds the context length " + maxContext);
            }
            int batch = options.prefillBatch();
            int dim = hiddenSize();
            int needed = (tokens.length + newTokens.length) * dim;
            if (hidden.length < needed) hidden = Arrays.copyOf(hidden, Math.max(needed, Math.min(2 * hidden.length, maxContext * dim)));
            for (int from = 0; from < newTokens.length; from += batch) {
                int[] chunk = Arrays.copyOfRange(newTokens, from, Math.min(newTokens.length, from + batch));
                lastLogits = live.forward(chunk, cache, hidden, (tokens.length + from) * dim);
            }
            requireFinite(lastLogits, tokens.length + newTokens.length - 1);
            int[] all = Arrays.copyOf(tokens, tokens.length + newTokens.length);
            System.arraycopy(newTokens, 0, all, tokens.length, newTokens.length);
            tokens = all;
        }

        @Override public int length() { return tokens.length; }

        /** The tokens of the sequence so far. */
        public int[] tokens() { return tokens.clone(); }

        @Override
        public float[] logits() {
            if (cache == null) throw new IllegalStateException("session of " + name + " is closed");
            openTransformer();
            if (lastLogits == null) throw new IllegalStateException("append at least one token before asking for logits");
            return lastLogits.clone();
        }

        @Override
        public Session fork() {
            if (cache == null) throw new IllegalStateException("session of " + name + " is closed");
            openTransformer();
            return new Session(cache.copy(), tokens.clone(), lastLogits, Arrays.copyOf(hidden, tokens.length * hiddenSize()));
        }

        @Override public boolean hasHiddenStates() { return true; }

        @Override
        public float[] hiddenState(int position) {
            openTransformer();
            if (position < 0 || position >= tokens.length) {
                throw new IndexOutOfBoundsException("position " + position + " is outside the session's " + tokens.length + " tokens");
            }
            int dim = hiddenSize();
            return Arrays.copyOfRange(hidden, position * dim, (position + 1) * dim);
        }

        @Override
        public void close() {
            if (cache != null) cache.release();
            cache = null;
        }
    }

    // ------------------------------------------------------------------ TrainableModel

    /**
     * Fine-tunes a copy of this model in-process (see {@link io.mocoj.local.train.Trainer}); the
     * result is a new in-memory model, also saved to the request's output directory when it has one.
     */
    @Override
    public LocalModel fineTune(io.mocoj.train.FineTuneRequest request) {
        return io.mocoj.local.train.Trainer.fineTune(this, request).model();
    }

    // ------------------------------------------------------------------ WeightsModel

    @Override public List<String> tensorNames() { return List.copyOf(openTensors().keySet()); }

    @Override
    public int[] shape(String tensorName) {
        long[] d = dimsOf(tensorName);
        int[] s = new int[d.length];
        for (int i = 0; i < d.length; i++) s[i] = Math.toIntExact(d[d.length - 1 - i]);
        return s;
    }

    private long[] dimsOf(String tensorName) {
        long[] d = dims.get(tensorName);
        if (d == null) throw new IllegalArgumentException(name + " has no tensor named '" + tensorName + "'");
        return d;
    }

    @Override
    public float[] tensor(String tensorName) {
        dimsOf(tensorName);
        return openTensors().get(tensorName).toFloats();
    }

    /** The stored type of a tensor (F32 for tensors replaced in memory). */
    public GgmlType tensorType(String tensorName) {
        dimsOf(tensorName);
        return openTensors().get(tensorName).type();
    }

    @Override
    public String architectureFingerprint() {
        List<String> parts = new ArrayList<>();
        parts.add(architecture());
        for (Map.Entry<String, long[]> e : dims.entrySet()) parts.add(e.getKey() + Arrays.toString(e.getValue()));
        parts.add(vocabularyFingerprint);
        return hash(parts);
    }

    @Override
    public LocalModel withTensors(String newName, Map<String, float[]> replacements) {
        return replaced(newName, replacements, true);
    }

    /** Keeps the given arrays (no copy): the merged model of N inputs holds one F32 copy of its tensors. */
    @Override
    public LocalModel adoptTensors(String newName, Map<String, float[]> replacements) {
        return replaced(newName, replacements, false);
    }

    private LocalModel replaced(String newName, Map<String, float[]> replacements, boolean copy) {
        Map<String, Matrix> next = new LinkedHashMap<>(openTensors());
        List<String> keys = new ArrayList<>(replacements.keySet());
        Collections.sort(keys);
        List<String> idParts = new ArrayList<>(List.of(identity));
        for (String key : keys) {
            long[] d = dimsOf(key);
            float[] values = replacements.get(key);
            long n = 1;
            for (long x : d) n *= x;
            if (values.length != n) {
                throw new IllegalArgumentException("replacement for tensor " + key + " has " + values.length
                        + " values, its shape " + Arrays.toString(shape(key)) + " needs " + n);
            }
            next.put(key, new ArrayMatrix(copy ? values.clone() : values, (int) (n / d[0]), (int) d[0]));
            idParts.add(key + ":" + Arrays.hashCode(values));
        }
        return new LocalModel(newName, "mem:" + hash(idParts), metadata, valueTypes, elementTypes,
                Collections.unmodifiableMap(next), dims, options.toBuilder().name(newName).build(), tokenizer, chatFormat,
                parallel, newName);
    }

    /**
     * A model with LoRA adapters applied at inference, named {@code newName}: each changed matrix
     * computes {@code W x + Σ s·alpha/rank · B (A x)} (llama.cpp's rule), and the base weights are
     * shared with this model, not copied, so several adapted models of one base cost only their
     * adapters. {@link #tensor} of an adapted tensor returns the effective (merged) values and
     * {@link #save} writes the merged model.
     *
     * @throws IllegalArgumentException when an adapter was made for another base (architecture,
     *                                  tensor name or shape), naming the tensor and both shapes
     */
    public LocalModel withAdapters(String newName, List<LoraAdapter.Scaled> adapters) {
        Map<String, List<LowRankSum.Term>> terms = new LinkedHashMap<>();
        List<String> idParts = new ArrayList<>(List.of(identity));
        for (LoraAdapter.Scaled sa : adapters) {
            LoraAdapter adapter = sa.adapter();
            adapter.checkFits(this, architecture());
            idParts.add(adapter.name() + "@" + sa.scale() + ":" + adapter.tensors().hashCode());
            for (LoraTensor t : adapter.tensors().values()) {
                terms.computeIfAbsent(t.baseTensor(), k -> new ArrayList<>()).add(new LowRankSum.Term(
                        new ArrayMatrix(t.a(), t.rank(), t.in()), new ArrayMatrix(t.b(), t.out(), t.rank()),
                        adapter.effectiveScale(t, sa.scale()), adapter.storedType() == GgmlType.F16));
            }
        }
        Map<String, Matrix> current = openTensors();
        Map<String, Matrix> next = new LinkedHashMap<>(current);
        terms.forEach((tensorName, list) -> next.put(tensorName, new LowRankSum(current.get(tensorName), list)));
        LocalModel adapted = new LocalModel(newName, "lora:" + hash(idParts), metadata, valueTypes, elementTypes,
                Collections.unmodifiableMap(next), dims, options.toBuilder().name(newName).build(), tokenizer, chatFormat,
                parallel, newName);
        adapted.base = base;
        List<LoraAdapter.Scaled> all = new ArrayList<>(this.adapters);
        all.addAll(adapters);
        adapted.adapters = List.copyOf(all);
        return adapted;
    }

    /** The adapters applied at inference (empty for a plain model). */
    public List<LoraAdapter.Scaled> adapters() { return adapters; }

    /** The base file's identity, without sampling options (adapters on one file share a base whatever top_k is). */
    @Override public String baseIdentity() {
        String suffix = samplingSuffix(base.options);
        return base.identity.endsWith(suffix) ? base.identity.substring(0, base.identity.length() - suffix.length()) : base.identity;
    }

    /** What the load options add to a file's identity: only those that change outputs (top_k). */
    private static String samplingSuffix(LocalModelOptions options) {
        return options.topK() > 0 ? "?top_k=" + options.topK() : "";
    }

    @Override
    public LocalModel composeAdapters(String newName, List<? extends AdapterModel> models, double[] weights) {
        List<LoraAdapter> own = new ArrayList<>();
        for (AdapterModel m : models) {
            if (!(m instanceof LocalModel lm) || !lm.baseIdentity().equals(baseIdentity())) {
                throw new IllegalArgumentException("model " + m.name() + " is not an adapter on the base of " + name
                        + ": LoRA adapters can only be composed on one base model");
            }
            if (lm.adapters.size() != 1) {
                throw new IllegalArgumentException("model " + m.name() + " has " + lm.adapters.size() + " LoRA adapters; composing needs exactly one"
                        + " per model (gguf:base.gguf?lora=adapter.gguf)");
            }
            LoraAdapter.Scaled sa = lm.adapters.get(0);
            own.add(sa.scale() == 1 ? sa.adapter() : sa.adapter().withScaleFolded(sa.scale()));
        }
        return base.withAdapters(newName, List.of(LoraAdapter.weightedSum(newName, own, weights).scaled(1)));
    }

    /**
     * The adapters merged into the weights: a model whose changed tensors are
     * {@code W + Σ s·alpha/rank · B·A} in F32 on the heap (the others shared with this model).
     */
    public LocalModel mergeAdapters(String newName, List<LoraAdapter.Scaled> adapters) {
        LocalModel adapted = withAdapters(newName, adapters);
        Map<String, float[]> merged = new LinkedHashMap<>();
        for (LoraAdapter.Scaled sa : adapters) {
            for (String t : sa.adapter().tensors().keySet()) merged.computeIfAbsent(t, adapted::tensor);
        }
        return withTensors(newName, merged);
    }

    /**
     * Writes this model (with any replaced tensors) as a GGUF file. Matrices are stored as
     * {@code type} (F32, F16 or Q8_0; Q8_0 needs rows that are a multiple of 32, others stay F16);
     * one-dimensional tensors (norms, biases) stay F32 as llama.cpp expects.
     */
    public void save(Path path, GgmlType type) {
        if (type != GgmlType.F32 && type != GgmlType.F16 && type != GgmlType.Q8_0) {
            throw new IllegalArgumentException("save supports F32, F16 and Q8_0, not " + type);
        }
        GgufWriter w = new GgufWriter();
        for (Map.Entry<String, Object> e : metadata.entrySet()) {
            GgufValueType t = valueTypes.get(e.getKey());
            if (t == GgufValueType.ARRAY) {
                GgufValueType et = elementTypes.get(e.getKey());
                if (et != GgufValueType.ARRAY) w.putArray(e.getKey(), et, (List<?>) e.getValue());
            } else {
                w.put(e.getKey(), t, e.getValue());
            }
        }
        w.putUInt32("general.file_type", switch (type) { case F32 -> 0; case F16 -> 1; default -> 7; });
        for (Map.Entry<String, long[]> e : dims.entrySet()) {
            long[] d = e.getValue();
            GgmlType t = d.length == 1 ? GgmlType.F32 : type;
            if (d[0] % t.blockSize() != 0) t = GgmlType.F16;
            Matrix m = openTensors().get(e.getKey());
            w.addTensor(e.getKey(), t, d, m::toFloats);
        }
        try {
            w.write(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path + ": " + e.getMessage(), e);
        }
    }

    static String hash(List<String> parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (String p : parts) {
                md.update(p.getBytes(StandardCharsets.UTF_8));
                md.update((byte) 0);
            }
            return HexFormat.of().formatHex(md.digest(), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() { return "LocalModel[" + name + ", " + architecture() + "]"; }
}
