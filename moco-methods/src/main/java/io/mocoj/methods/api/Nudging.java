package io.mocoj.methods.api;

import io.mocoj.method.Hyperparameters;
import io.mocoj.method.Level;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodFactory;
import io.mocoj.method.MethodOutput;
import io.mocoj.method.ParameterSpec;
import io.mocoj.methods.toolbox.ConfiguredMethod;
import io.mocoj.methods.toolbox.Continuations;
import io.mocoj.methods.toolbox.DevScores;
import io.mocoj.methods.toolbox.LocalDecoder;
import io.mocoj.methods.toolbox.TopTokensDecoding;
import io.mocoj.model.Capability;
import io.mocoj.model.ChatMessage;
import io.mocoj.model.LogitsModel;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.model.TopTokens;
import io.mocoj.task.Example;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code api_nudging} (Fei et al., "Nudging"): the base model writes the answer token by token;
 * the nudging model writes instead whenever the base model is unsure (its top-1 next-token
 * probability below {@code gamma}) and keeps writing until it has finished its current word. The
 * text written so far is re-encoded with each model's own tokenizer, so the two models need not
 * share a vocabulary.
 *
 * <p>Per step, with {@code nudging} initially true and no nudging token yet:
 * <ol>
 *   <li>both models propose a token (greedy, or sampled when {@code do_sample});</li>
 *   <li>while nudging, the nudger's token is taken if it is the first of this nudge, does not
 *       start a new word (contains no space), or the base is still unsure;</li>
 *   <li>otherwise a confident base (top-1 ≥ {@code gamma}) writes and nudging stops;</li>
 *   <li>an unsure base outside a nudge starts a new nudge with the nudger's token.</li>
 * </ol>
 * The response ends at the writing model's end token or after {@code max_response_length} steps.
 * A nudger that is a TEXT model (no LOGITS) is asked for the next words at step 4 and its first
 * whole word is inserted (one call per nudge). {@code search_gamma} / {@code search_nudging}
 * pick gamma (0.2, 0.3, 0.4, 0.5) and the nudging model by mean dev score first.
 *
 * <p>The base model is an in-process LOGITS model (exact distributions) or an OpenAI-compatible
 * server with APPROX_LOGITS: then every base step is one call returning the server's top-k list
 * after the answer so far (top-1 probability exact, sampling over the listed tokens only).
 */
public final class Nudging extends ConfiguredMethod<Nudging> {
    public static final String NAME = "api_nudging";
    static final List<Double> GAMMA_GRID = List.of(0.2, 0.3, 0.4, 0.5);

    static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.real("gamma", 0.4, 0.0, 1.0, "the nudger writes when the base model's top-1 next-token probability is below this"),
            new ParameterSpec("base_model_id", ParameterSpec.Type.INT, 0, "a 0-based pool position", v -> (int) v >= 0,
                    "pool position of the base model (LOGITS)"),
            new ParameterSpec("nudging_model_id", ParameterSpec.Type.INT, 1, "a 0-based pool position", v -> (int) v >= 0,
                    "pool position of the nudging model"),
            ParameterSpec.bool("search_gamma", false, "pick gamma among 0.2, 0.3, 0.4, 0.5 by mean dev score"),
            ParameterSpec.bool("search_nudging", false, "pick the nudging model among all non-base models by mean dev score"),
            ParameterSpec.bool("use_kv_cache", false, "accepted for MoCo configs; MoCo-J always decodes with a KV cache"),
            ParameterSpec.bool("do_sample", true, "sample tokens at the run's temperature and top_p (false: greedy)"),
            ParameterSpec.real("ratio", 1.0, 0.0, 1.0, "share of the dev split used by the searches"),
            ParameterSpec.integer("top_logprobs", 20, 1, 100, "alternatives per token asked from a base model behind an OpenAI-compatible"
                    + " server (APPROX_LOGITS); its top-1 probability is the server's own, sampling is over the listed tokens"));

    private final double gamma;
    private final int baseModelId;
    private final int nudgingModelId;
    private final boolean searchGamma;
    private final boolean searchNudging;
    private final boolean doSample;
    private final double ratio;
    private final int topLogprobs;

    Nudging(MethodFactory factory, Hyperparameters h) {
        super(factory, h);
        this.gamma = h.getDouble("gamma");
        this.baseModelId = h.getInt("base_model_id");
        this.nudgingModelId = h.getInt("nudging_model_id");
        this.searchGamma = h.getBoolean("search_gamma");
        this.searchNudging = h.getBoolean("search_nudging");
        this.doSample = h.getBoolean("do_sample");
        this.ratio = h.getDouble("ratio");
        this.topLogprobs = h.getInt("top_logprobs");
        if (baseModelId == nudgingModelId) {
            throw new IllegalArgumentException("hyperparameters 'base_model_id' and 'nudging_model_id' of method " + NAME
                    + " are both " + baseModelId + ": the nudging model must be another model of the pool");
        }
    }

    /** A copy with another gamma. */
    public Nudging gamma(double gamma) { return with("gamma", gamma); }

    /** A copy with other base and nudging models (0-based pool positions). */
    public Nudging models(int baseModelId, int nudgingModelId) {
        Map<String, Object> raw = new LinkedHashMap<>(hyperparameters().asMap());
        raw.put("base_model_id", baseModelId);
        raw.put("nudging_model_id", nudgingModelId);
        return (Nudging) factory().create(raw);
    }

    /** A copy that searches gamma and/or the nudging model on dev. */
    public Nudging search(boolean gamma, boolean nudgingModel) { return with("search_gamma", gamma).with("search_nudging", nudgingModel); }

    /** A copy decoding greedily ({@code false}) or by sampling. */
    public Nudging doSample(boolean doSample) { return with("do_sample", doSample); }

    public double gamma() { return gamma; }

    @Override public Set<Capability> requiredCapabilities() { return EnumSet.of(Capability.TEXT); }

    @Override
    public void checkPool(List<ModelEndpoint> models) {
        super.checkPool(models);
        if (models.size() < 2) throw new IllegalArgumentException("method " + NAME + " needs at least 2 models (a base and a nudger), the pool has " + models.size());
        for (String key : List.of("base_model_id", "nudging_model_id")) {
            int id = hyperparameters().getInt(key);
            if (id >= models.size()) {
                throw new IllegalArgumentException("hyperparameter '" + key + "' of method " + NAME + " is " + id + " but the pool has only "
                        + models.size() + " model(s) (valid: 0.." + (models.size() - 1) + ")");
            }
        }
        ModelEndpoint base = models.get(baseModelId);
        if (!exactBase(base) && !base.has(Capability.APPROX_LOGITS)) {
            throw new IllegalArgumentException("method " + NAME + " needs capability LOGITS or APPROX_LOGITS from its base model '" + base.name()
                    + "' (pool position " + baseModelId + ", hyperparameter base_model_id), which offers " + base.capabilities()
                    + ": the base model's top-1 next-token probability decides every step; use a local gguf: model, or a vllm: / llamacpp:"
                    + " server (top_logprobs after a partial answer) as the base");
        }
    }

    @Override
    public MethodOutput run(MethodContext context) {
        List<ModelEndpoint> models = context.models();
        checkPool(models);
        ModelEndpoint base = models.get(baseModelId);
        double bestGamma = gamma;
        int bestNudger = nudgingModelId;
        List<Double> gammas = searchGamma ? GAMMA_GRID : List.of(gamma);
        List<Integer> nudgers = new ArrayList<>();
        if (searchNudging) {
            for (int m = 0; m < models.size(); m++) if (m != baseModelId) nudgers.add(m);
        } else {
            nudgers.add(nudgingModelId);
        }
        if (gammas.size() * nudgers.size() > 1) {
            List<Example> dev = DevScores.share(context, ratio);
            if (dev.isEmpty()) {
                throw new IllegalArgumentException("method " + NAME + ": search_gamma / search_nudging score candidates on the dev split, but task '"
                        + context.task().name() + "' has no dev examples");
            }
            List<Map<String, Object>> tried = new ArrayList<>();
            double bestScore = -1;
            for (double g : gammas) {
                for (int n : nudgers) {
                    ModelEndpoint nudger = models.get(n);
                    double score = DevScores.mean(context, dev, e -> nudge(context, base, nudger, g, e, -1).text());
                    tried.add(Map.of("gamma", g, "nudging_model", nudger.name(), "dev_score", score));
                    if (score > bestScore) { bestScore = score; bestGamma = g; bestNudger = n; }
                }
            }
            context.trace().record("search", Map.of("candidates", tried, "dev_examples", dev.size()));
        }
        double chosenGamma = bestGamma;
        ModelEndpoint nudger = models.get(bestNudger);
        context.trace().record("nudging", Map.of("base_model", base.name(), "nudging_model", nudger.name(), "gamma", chosenGamma,
                "nudger_mode", nudger instanceof LogitsModel && nudger.has(Capability.LOGITS) ? "tokens" : "words",
                "base_distribution", exactBase(base) ? "exact" : "approximate: server top_logprobs k=" + topLogprobs));
        return context.forEachTest((example, index) -> {
            Result r = nudge(context, base, nudger, chosenGamma, example, index);
            context.trace().record(index, "nudges", Map.of("nudges", r.nudges(), "base_tokens", r.baseTokens(),
                    "nudging_pieces", r.nudgingPieces(), "stopped_by", r.stoppedBy()));
            return r.text();
        });
    }

    /** One nudge: where it started in the response (character offset), what the nudger wrote, and the base's top-1 probability there. */
    record Nudge(int offset, String text, double baseTop1) {}

    record Result(String text, List<Map<String, Object>> nudges, int baseTokens, int nudgingPieces, String stoppedBy) {}

    /** Decodes one example; {@code index} seeds sampling (test index, or -1 - dev position for dev). */
    private Result nudge(MethodContext context, ModelEndpoint base, ModelEndpoint nudger, double g, Example example, int index) {
        List<ChatMessage> prompt = List.of(ChatMessage.user(context.evaluator().prompt(example)));
        double temperature = doSample ? context.settings().temperature() : 0;
        double topP = context.settings().topP();
        SplittableRandom random = new SplittableRandom(context.settings().seed() * 0x9E3779B97F4A7C15L + example.id().hashCode());
        boolean tokenNudger = nudger instanceof LogitsModel && nudger.has(Capability.LOGITS);
        int maxSteps = context.settings().maxResponseLength();
        StringBuilder text = new StringBuilder();
        List<Map<String, Object>> nudges = new ArrayList<>();
        int baseTokens = 0, nudgingPieces = 0;
        String stoppedBy = "max_response_length";
        try (BaseWriter b = exactBase(base) ? new LocalBase(LocalDecoder.open(context, (LogitsModel) base, prompt))
                : new ServerBase(context, base, prompt, topLogprobs);
             LocalDecoder n = tokenNudger ? LocalDecoder.open(context, (LogitsModel) nudger, prompt) : null) {
            boolean nudging = true;
            int accepted = 0;
            StringBuilder current = null; // the running nudge
            double currentTop1 = 0;
            int currentOffset = 0;
            for (int step = 0; step < maxSteps; step++) {
                Proposal bt = b.propose(temperature, topP, random);
                double top1 = bt.top1();
                boolean takeNudger = nudging ? (accepted == 0 || top1 < g) : top1 < g;
                String piece;
                boolean fromNudger;
                if (tokenNudger) {
                    int nt = LocalDecoder.pick(n.logits(), temperature, topP, random);
                    String nText = n.pieceText(nt);
                    if (nudging && !takeNudger && !nText.contains(" ")) takeNudger = true; // the nudger finishes its word
                    if (takeNudger) {
                        if (n.isEnd(nt)) { stoppedBy = "nudging_model_end"; break; }
                        piece = nText;
                        n.accept(nt);
                        b.acceptText(piece);
                    } else {
                        if (bt.end()) { stoppedBy = "base_model_end"; break; }
                        piece = bt.piece();
                        b.acceptProposal();
                        n.acceptText(piece);
                    }
                    fromNudger = takeNudger;
                } else if (takeNudger) { // a TEXT nudger inserts one whole word per call
                    piece = nextWord(context, nudger, prompt.get(0).text(), text.toString());
                    if (piece.isEmpty()) { stoppedBy = "nudging_model_end"; break; }
                    b.acceptText(piece);
                    fromNudger = true;
                } else {
                    if (bt.end()) { stoppedBy = "base_model_end"; break; }
                    piece = bt.piece();
                    b.acceptProposal();
                    fromNudger = false;
                }
                if (fromNudger) {
                    if (current == null) { current = new StringBuilder(); currentTop1 = top1; currentOffset = text.length(); }
                    current.append(piece);
                    nudging = true;
                    accepted++;
                    nudgingPieces++;
                } else {
                    if (current != null) nudges.add(nudgeRecord(currentOffset, current, currentTop1));
                    current = null;
                    nudging = false;
                    accepted = 0;
                    baseTokens++;
                }
                text.append(piece);
            }
            if (current != null) nudges.add(nudgeRecord(currentOffset, current, currentTop1));
        }
        return new Result(text.toString(), nudges, baseTokens, nudgingPieces, stoppedBy);
    }

    private static boolean exactBase(ModelEndpoint base) { return base instanceof LogitsModel && base.has(Capability.LOGITS); }

    /** The base model's next token: its top-1 probability, the text it adds, and whether it is the end token. */
    private record Proposal(double top1, String piece, boolean end) {}

    /** The base model's side of the answer: it proposes a token, then takes its own proposal or text written by the nudger. */
    private interface BaseWriter extends AutoCloseable {
        Proposal propose(double temperature, double topP, SplittableRandom random);

        void acceptProposal();

        void acceptText(String piece);

        @Override void close();
    }

    /** An in-process base: exact distributions over its own session. */
    private static final class LocalBase implements BaseWriter {
        private final LocalDecoder decoder;
        private int proposed = -1;

        LocalBase(LocalDecoder decoder) { this.decoder = decoder; }

        @Override public Proposal propose(double temperature, double topP, SplittableRandom random) {
            float[] logits = decoder.logits();
            double top1 = LocalDecoder.topProbability(logits);
            proposed = LocalDecoder.pick(logits, temperature, topP, random);
            return new Proposal(top1, decoder.isEnd(proposed) ? "" : decoder.pieceText(proposed), decoder.isEnd(proposed));
        }

        @Override public void acceptProposal() { decoder.accept(proposed); }

        @Override public void acceptText(String piece) { decoder.acceptText(piece); }

        @Override public void close() { decoder.close(); }
    }

    /**
     * A base behind an OpenAI-compatible server (APPROX_LOGITS): one call per step for its top-k
     * list after the answer so far. The top-1 probability is the server's own; a sampled token is
     * drawn from the listed tokens only (the unlisted tail is not drawn).
     */
    private static final class ServerBase implements BaseWriter {
        private final MethodContext context;
        private final ModelEndpoint model;
        private final List<ChatMessage> prompt;
        private final int k;
        private final StringBuilder answer = new StringBuilder();
        private String proposed = "";

        ServerBase(MethodContext context, ModelEndpoint model, List<ChatMessage> prompt, int k) {
            this.context = context;
            this.model = model;
            this.prompt = prompt;
            this.k = k;
        }

        @Override public Proposal propose(double temperature, double topP, SplittableRandom random) {
            TopTokens top = TopTokensDecoding.next(context, model, prompt, answer.toString(), k);
            if (top.size() == 0) { // nothing listed adds text: the base cannot go on
                proposed = "";
                return new Proposal(0, "", true);
            }
            float[] lp = new float[top.size()];
            for (int i = 0; i < lp.length; i++) lp[i] = (float) top.candidates().get(i).logprob();
            proposed = top.candidates().get(LocalDecoder.pick(lp, temperature, topP, random)).text();
            return new Proposal(Math.exp(top.top().logprob()), proposed, proposed.isEmpty());
        }

        @Override public void acceptProposal() { answer.append(proposed); }

        @Override public void acceptText(String piece) { answer.append(piece); }

        @Override public void close() {}
    }

    private static Map<String, Object> nudgeRecord(int offset, CharSequence text, double top1) {
        return Map.of("offset", offset, "text", text.toString(), "base_top1", top1);
    }

    /** A TEXT nudger's next whole word: one call, the first word of its continuation (with the space before it). */
    private static String nextWord(MethodContext context, ModelEndpoint nudger, String taskPrompt, String soFar) {
        String reply = context.generate(nudger, context.settings().request(Continuations.prompt(taskPrompt, soFar))
                .maxTokens(Math.min(16, context.settings().maxResponseLength())).build()).text();
        return Continuations.firstWord(reply, soFar);
    }

    /** Registered under {@value #NAME}. */
    public static final class Factory implements MethodFactory {
        @Override public String name() { return NAME; }
        @Override public Level level() { return Level.API; }
        @Override public String description() {
            return "a LOGITS base model decodes; when its top-1 probability is below gamma the nudging model writes the next word";
        }
        @Override public List<ParameterSpec> parameters() { return PARAMETERS; }
        @Override public Nudging create(Hyperparameters hyperparameters) { return new Nudging(this, hyperparameters); }
    }
}
