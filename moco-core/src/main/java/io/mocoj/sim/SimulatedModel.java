package io.mocoj.sim;

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
import io.mocoj.sim.internal.Answers;
import io.mocoj.sim.internal.Draws;
import io.mocoj.sim.internal.ExampleIndex;
import io.mocoj.sim.internal.NormalizedText;
import io.mocoj.sim.internal.PromptReader;
import io.mocoj.sim.internal.PromptReader.JustAsk;
import io.mocoj.sim.internal.TeamPrompts;
import io.mocoj.sim.internal.Texts;
import io.mocoj.task.Example;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated language model that knows a task's gold answers and answers correctly with a
 * configured probability. It is always labelled simulated: {@link #simulated()} is true, its
 * name starts with {@code sim:}, its identity with {@code simulated:}, and {@link #toString()}
 * says so.
 *
 * <p>Every random decision is a hash of (seed, model name, example, sample index, purpose), so
 * independent models are independent, re-runs are identical and the result does not depend on
 * threads. Fault injection (errors, rate limits, time-outs) is a hash of (seed, model name, call
 * number). The exact rules are in {@code docs/simulated-models.md}.
 *
 * <p>Thread-safe; latency is simulated with {@link Thread#sleep}, which is cheap on virtual threads.
 */
public final class SimulatedModel implements ModelEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(SimulatedModel.class);
    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9_.\\-]+");

    /** Lower end of the confidence range of a wrong answer, and of the uninformative range. */
    public static final double CONFIDENCE_FLOOR = 0.2;

    static final String CONFIDENT = "I am confident in this answer.";
    static final String UNCONFIDENT = "I am unconfident about this answer.";
    static final String YES = "Yes, I am confident in my answer.";
    static final String NO = "No, I am not confident in my answer.";

    private static final long P_CORRECT = 1, P_WRONG = 2, P_PERSUADE = 3, P_GARBAGE = 4, P_CONFIDENCE = 5,
            P_TOKENS = 6, P_GARBAGE_TEXT = 9, P_FILLER = 10, P_UNKNOWN = 11,
            P_GREEDY = 0x5eed, P_UNSEEDED = 0xface;

    private final String shortName;
    private final String name;
    private final Task task;
    private final List<Example> examples;
    private final long[] exampleKeys;
    private final double[] exampleAccuracy;
    private final Map<Integer, List<String>> wrongCandidates;
    private final ExampleIndex index;
    private final String taskFingerprint;

    private final double accuracy;
    private final Map<String, Double> groupAccuracy;
    private final AnswerStyle style;
    private final String format;
    private final double calibration;
    private final double unsureBelow;
    private final double latencyMs;
    private final double jitterMs;
    private final double persuadability;
    private final double routingSkill;
    private final double errorRate;
    private final double rateLimitRate;
    private final long retryAfterMs;
    private final double timeoutRate;
    private final long timeoutMs;
    private final double garbageRate;
    private final FailureMode failure;
    private final long seed;
    private final ModelPricing pricing;
    private final int completionTokens;
    private final int reasoningWords;
    private final boolean logprobsEnabled;
    private final int wrongPool;
    private final TeamBehaviour team;
    private final Faults faults;

    private final long base;
    private final AtomicLong calls = new AtomicLong();

    private SimulatedModel(Builder b) {
        this.shortName = b.name;
        this.name = "sim:" + b.name;
        this.task = b.task;
        this.accuracy = b.accuracy;
        this.style = b.style;
        this.format = b.format;
        this.calibration = b.calibration;
        this.unsureBelow = b.unsureBelow;
        this.latencyMs = b.latencyMs;
        this.jitterMs = b.jitterMs;
        this.persuadability = b.persuadability;
        this.routingSkill = b.routingSkill;
        this.errorRate = b.errorRate;
        this.rateLimitRate = b.rateLimitRate;
        this.retryAfterMs = b.retryAfterMs;
        this.timeoutRate = b.timeoutRate;
        this.timeoutMs = b.timeoutMs;
        this.garbageRate = b.garbageRate;
        this.failure = b.failure;
        this.seed = b.seed;
        this.pricing = b.pricing;
        this.completionTokens = b.completionTokens;
        this.reasoningWords = b.reasoningWords;
        this.logprobsEnabled = b.logprobs;
        this.wrongPool = b.wrongPool;
        this.team = new TeamBehaviour(b.aggregationAccuracy, b.critiqueAccuracy, b.fixRate, b.contextUptake, b.judgeAccuracy, b.terminateRate);
        this.base = Draws.combine(Draws.mix(seed), Draws.hash(name));
        this.faults = new Faults(name, base, failure, errorRate, rateLimitRate, retryAfterMs, timeoutRate, timeoutMs, latencyMs, jitterMs);

        List<Example> all = new ArrayList<>(task.dev().size() + task.test().size());
        List<Long> keys = new ArrayList<>();
        long fingerprint = Draws.hash(task.name() + "|" + task.type());
        Map<String, Integer> seen = new HashMap<>();
        for (String split : List.of("dev", "test")) {
            for (Example e : split.equals("dev") ? task.dev() : task.test()) {
                String key = split + "/" + e.id();
                int dup = seen.merge(key, 1, Integer::sum);
                if (dup > 1) key += "#" + dup;
                all.add(e);
                keys.add(Draws.hash(key));
                fingerprint = Draws.combine(fingerprint, Draws.hash(key + "|" + e.input() + "|" + String.join("\u0001", e.answers())));
            }
        }
        this.examples = List.copyOf(all);
        this.exampleKeys = keys.stream().mapToLong(Long::longValue).toArray();
        this.taskFingerprint = Long.toHexString(fingerprint);

        Map<String, String> groupsByLower = new TreeMap<>();
        for (Example e : examples) e.group().ifPresent(g -> groupsByLower.putIfAbsent(g.toLowerCase(Locale.ROOT), g));
        Map<String, Double> resolved = new TreeMap<>();
        for (var entry : b.groupAccuracy.entrySet()) {
            String canonical = groupsByLower.get(entry.getKey().toLowerCase(Locale.ROOT));
            if (canonical == null) {
                throw new IllegalArgumentException("simulated model '" + name + "': accuracy for group '" + entry.getKey()
                        + "' but task '" + task.name() + "' has no such group (groups come from the domain/category/country/answer_type field); "
                        + (groupsByLower.isEmpty() ? "its examples have no groups" : "its groups are: " + summarize(groupsByLower.values())));
            }
            resolved.put(canonical, entry.getValue());
        }
        this.groupAccuracy = java.util.Collections.unmodifiableMap(resolved);
        this.exampleAccuracy = new double[examples.size()];
        for (int i = 0; i < examples.size(); i++) {
            exampleAccuracy[i] = examples.get(i).group().map(resolved::get).orElse(accuracy);
        }
        this.wrongCandidates = Answers.wrongCandidates(examples, keys, wrongPool);
        this.index = new ExampleIndex(examples);
        LOG.debug("created {}", this);
    }

    private static String summarize(java.util.Collection<String> values) {
        List<String> l = new ArrayList<>(values);
        String s = String.join(", ", l.subList(0, Math.min(30, l.size())));
        return l.size() > 30 ? s + ", … (" + l.size() + " in all)" : s;
    }

    /** A builder for a simulated model answering the examples of {@code task} (both splits). */
    public static Builder builder(Task task) { return new Builder(task); }

    @Override
    public String name() { return name; }

    @Override
    public Set<Capability> capabilities() {
        return logprobsEnabled ? EnumSet.of(Capability.TEXT, Capability.LOGPROBS) : EnumSet.of(Capability.TEXT);
    }

    @Override
    public boolean simulated() { return true; }

    @Override
    public ModelPricing pricing() { return pricing; }

    /** {@code simulated:NAME|task=…|…every parameter…}; two models with equal identities answer identically. */
    @Override
    public String identity() {
        return "simulated:" + shortName + "|task=" + task.name() + "#" + taskFingerprint + "|" + parameters("|");
    }

    @Override
    public String toString() {
        return "SimulatedModel[simulated " + name + ", task=" + task.name() + ", " + parameters(", ") + "]";
    }

    private String parameters(String sep) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("seed", seed);
        p.put("accuracy", accuracy);
        groupAccuracy.forEach((g, a) -> p.put("acc." + g, a));
        p.put("style", format != null ? "format:" + format : style.specName());
        p.put("calibration", calibration);
        p.put("unsure_below", unsureBelow);
        p.put("persuade", persuadability);
        p.put("routing_skill", routingSkill);
        p.put("latency_ms", latencyMs);
        p.put("jitter_ms", jitterMs);
        p.put("error_rate", errorRate);
        p.put("rate_limit", rateLimitRate);
        p.put("retry_after_ms", retryAfterMs);
        p.put("timeout_rate", timeoutRate);
        p.put("timeout_ms", timeoutMs);
        p.put("garbage", garbageRate);
        p.put("fail", failure.specName());
        p.put("completion_tokens", completionTokens);
        p.put("reasoning_words", reasoningWords);
        p.put("logprobs", logprobsEnabled);
        p.put("wrong_pool", wrongPool);
        team.describe(p);
        if (pricing.known()) {
            p.put("price_in", pricing.inputPerMillion());
            p.put("price_out", pricing.outputPerMillion());
        }
        return p.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(sep));
    }

    /** The task whose answers this model knows. */
    public Task task() { return task; }

    /** The probability that this model's own answer to {@code example} is correct (its group's accuracy, else the overall one). */
    public double accuracyFor(Example example) {
        return example.group().map(groupAccuracy::get).orElse(accuracy);
    }

    /** The calibration in [0, 1] (see the class comment and the docs for the confidence distributions). */
    public double calibration() { return calibration; }

    /** Confidence below which the model says it is unsure ("just ask"). */
    public double unsureBelow() { return unsureBelow; }

    /** Number of calls so far (including failed ones). */
    public long callCount() { return calls.get(); }

    // ---------------------------------------------------------------------------------- generate

    @Override
    public Generation generate(GenerationRequest request) {
        Objects.requireNonNull(request, "request");
        long call = calls.getAndIncrement();
        faults.inject(call);
        faults.sleep(faults.latencyFor(call));

        String last = request.lastUserText();
        String all = request.messages().stream().map(ChatMessage::text).collect(Collectors.joining("\n"));
        Optional<ExampleIndex.Match> match = index.find(last);
        boolean inLast = match.isPresent();
        if (match.isEmpty() && request.messages().size() > 1) match = index.find(all);
        int ex = match.map(ExampleIndex.Match::exampleIndex).orElse(-1);

        Facts facts = facts(ex, inLast, last, all);
        boolean greedy = request.temperature() == 0;
        long variant = greedy ? P_GREEDY
                : request.seed().isPresent() ? Draws.combine(P_UNSEEDED, request.seed().getAsLong()) : P_UNSEEDED;
        long subject = ex >= 0 ? exampleKeys[ex] : Draws.hash(new NormalizedText(last).toString());

        int n = request.samples();
        List<String> texts = new ArrayList<>(n);
        long completion = 0;
        FinishReason finish = FinishReason.STOP;
        List<TokenLogprob> logprobs = List.of();
        Draft first = null;
        for (int k = 0; k < n; k++) {
            Draft d;
            if (greedy && first != null) {
                d = first;
            } else {
                long sampleKey = Draws.combine(Draws.combine(Draws.combine(base, subject), greedy ? 0 : k), variant);
                d = draft(ex, sampleKey, facts, last);
            }
            String text = cutAtStop(d.text, request.stop());
            List<String> tokens = Texts.pseudoTokens(text);
            boolean truncated = tokens.size() > request.maxTokens();
            if (truncated) {
                tokens = tokens.subList(0, request.maxTokens());
                text = String.join("", tokens);
            }
            if (k == 0) {
                first = d;
                if (truncated) finish = FinishReason.LENGTH;
                if (request.logprobs() && logprobsEnabled) {
                    List<String> letters = ex >= 0 && facts.letters ? Answers.letters(examples.get(ex)) : List.of();
                    logprobs = Texts.logprobs(tokens, d.confidence, Draws.combine(d.key, P_TOKENS), request.topLogprobs(), letters);
                }
            }
            texts.add(text);
            completion += completionTokens > 0 ? completionTokens : tokens.size();
        }
        TokenUsage usage = new TokenUsage(promptTokens(request), completion);
        return new Generation(texts.get(0), finish, usage, logprobs, n > 1 ? texts : List.of());
    }

    /** What the prompt asks, read once per call. */
    private record Facts(boolean routing, List<PromptReader.Candidate> candidates, JustAsk justAsk,
                         boolean discrete, boolean letters, List<PromptReader.Shown> shown,
                         TeamPrompts.Kind team, String blanked, long promptHash) {}

    private Facts facts(int ex, boolean exampleInLast, String last, String all) {
        List<PromptReader.Candidate> candidates = List.of();
        boolean routing = false;
        if (PromptReader.asksForRouting(last)) {
            candidates = PromptReader.routingCandidates(last);
            routing = !candidates.isEmpty();
        }
        JustAsk ask = PromptReader.justAsk(last);
        if (ask == JustAsk.QUESTION && exampleInLast && !PromptReader.asksYesOrNo(last)) {
            ask = JustAsk.NONE; // "Question … are you sure? Answer again." asks for an answer, not a yes/no
        }
        boolean discrete = false;
        boolean letters = false;
        List<PromptReader.Shown> shown = List.of();
        TeamPrompts.Kind kind = TeamPrompts.Kind.NONE;
        String blanked = "";
        if (ex >= 0) {
            Example e = examples.get(ex);
            discrete = Answers.discrete(task.type(), e);
            letters = Answers.letterAnswer(task.type(), e);
            if (discrete && !routing) {
                blanked = TeamPrompts.withoutExample(last, e);
                kind = exampleInLast ? TeamPrompts.kind(blanked) : TeamPrompts.Kind.NONE;
            }
            if (discrete && persuadability > 0 && !routing && kind == TeamPrompts.Kind.NONE) shown = PromptReader.shownAnswers(all, e, letters);
        }
        long promptHash = kind == TeamPrompts.Kind.NONE ? 0 : Draws.hash(new NormalizedText(last).toString());
        return new Facts(routing, candidates, ask, discrete, letters, shown, kind, blanked, promptHash);
    }

    /** One sample's text, whether it is correct (null when that does not apply) and its confidence. */
    private record Draft(String text, Boolean correct, double confidence, long key) {}

    private Draft draft(int ex, long key, Facts f, String last) {
        if (Draws.uniform(key, P_GARBAGE) < garbageRate) {
            return new Draft(Texts.garbage(Draws.combine(key, P_GARBAGE_TEXT)), null, confidence(null, key), key);
        }
        if (f.routing) {
            Optional<String> group = ex >= 0 ? examples.get(ex).group() : Optional.empty();
            return new Draft(Routing.choose(group, key, f.candidates, routingSkill), null, confidence(null, key), key);
        }
        if (ex < 0) return unknown(key, f, last);

        Example e = examples.get(ex);
        boolean ownCorrect = Draws.uniform(key, P_CORRECT) < exampleAccuracy[ex];
        if (f.justAsk == JustAsk.QUESTION) {
            double c = confidence(ownCorrect, key);
            return new Draft(c >= unsureBelow ? YES : NO, ownCorrect, c, key);
        }
        String text;
        boolean correct;
        if (f.discrete && f.team != TeamPrompts.Kind.NONE) {
            String own = ownCorrect ? goldAnswer(e, f.letters) : wrongAnswer(ex, e, f.letters, key);
            TeamBehaviour.Turn turn = new TeamBehaviour.Turn(e, f.letters, key, Draws.combine(key, f.promptHash), own,
                    exampleAccuracy[ex], f.blanked, k -> wrongAnswer(ex, e, f.letters, k), a -> render(a, f.letters));
            TeamBehaviour.Reply reply = team.reply(f.team, turn);
            return new Draft(reply.text(), reply.correct(), confidence(reply.correct(), key), key);
        }
        if (f.discrete) {
            String own = ownCorrect ? goldAnswer(e, f.letters) : wrongAnswer(ex, e, f.letters, key);
            String answer = own;
            if (!f.shown.isEmpty() && Draws.uniform(key, P_PERSUADE) < persuadability) answer = f.shown.get(0).text();
            correct = Answers.matchesGold(e, answer, f.letters);
            int filler = style == AnswerStyle.LETTER && format == null ? 0 : reasoningWords;
            text = Texts.filler(Draws.combine(key, P_FILLER), filler) + render(answer, f.letters);
        } else {
            correct = ownCorrect;
            text = OpenAnswers.write(task.type(), e, ownCorrect, Draws.combine(key, P_UNKNOWN));
        }
        double c = confidence(correct, key);
        if (f.justAsk == JustAsk.SUFFIX) text = text + "\n" + (c >= unsureBelow ? CONFIDENT : UNCONFIDENT);
        return new Draft(text, correct, c, key);
    }

    /**
     * The confidence (mean token probability) of a sample: uniform on [0.2 + 0.6κ, 1) when correct,
     * on [0.2, 1 − 0.4κ) when wrong and on [0.2, 1) when correctness does not apply (κ = calibration).
     */
    private double confidence(Boolean correct, long key) {
        double lo = CONFIDENCE_FLOOR;
        double hi = 1.0;
        if (correct != null && correct) lo = CONFIDENCE_FLOOR + 0.6 * calibration;
        if (correct != null && !correct) hi = 1.0 - 0.4 * calibration;
        return lo + Draws.uniform(key, P_CONFIDENCE) * (hi - lo);
    }

    private static String goldAnswer(Example e, boolean letters) {
        return letters ? e.answer().strip() : e.answer();
    }

    private String wrongAnswer(int ex, Example e, boolean letters, long key) {
        if (letters) {
            List<String> others = new ArrayList<>(Answers.letters(e));
            others.removeIf(l -> l.equalsIgnoreCase(e.answer().strip()));
            if (others.isEmpty()) return e.answer();
            return others.get(Draws.below(Draws.combine(key, P_WRONG), others.size()));
        }
        List<String> cands = wrongCandidates.get(ex);
        if (cands == null || cands.isEmpty()) return "not " + e.answer();
        return cands.get(Draws.below(Draws.combine(key, P_WRONG), cands.size()));
    }

    private String render(String answer, boolean letters) {
        if (format != null) return format.replace("{answer}", answer);
        return switch (style) {
            case AUTO -> letters ? "The answer is (" + answer + ")."
                    : "Working through the question step by step gives the result below.\nThe final answer is \\box{" + answer + "}";
            case LETTER -> answer;
            case PAREN -> letters ? "The answer is (" + answer + ")." : "The answer is " + answer + ".";
            case BOXED -> "\\boxed{" + answer + "}";
            case BOX -> "\\box{" + answer + "}";
            case SENTENCE -> letters ? "Answer: (" + answer + ")\n" : "Answer: " + answer + "\n";
        };
    }

    private Draft unknown(long key, Facts f, String last) {
        String text;
        if (f.justAsk == JustAsk.QUESTION) {
            double c = confidence(null, key);
            return new Draft(c >= unsureBelow ? YES : NO, null, c, key);
        }
        List<String> options = PromptReader.optionLetters(last);
        if (options.size() >= 2) {
            text = render(options.get(Draws.below(Draws.combine(key, P_UNKNOWN), options.size())), true);
        } else if (last.contains("\\box")) {
            text = render(Integer.toString(Draws.below(Draws.combine(key, P_UNKNOWN), 100)), false);
        } else {
            text = "I do not have enough context to answer this precisely. In general, the answer depends on the details of "
                    + "the situation; if you can share more specifics, I can give a more definite response.";
        }
        double c = confidence(null, key);
        if (f.justAsk == JustAsk.SUFFIX) text = text + "\n" + (c >= unsureBelow ? CONFIDENT : UNCONFIDENT);
        return new Draft(text, null, c, key);
    }

    private static String cutAtStop(String text, List<String> stops) {
        int cut = text.length();
        for (String s : stops) {
            if (s.isEmpty()) continue;
            int i = text.indexOf(s);
            if (i >= 0) cut = Math.min(cut, i);
        }
        return text.substring(0, cut);
    }

    /** ⌈1.3 × the number of white-space separated words in all messages⌉. */
    static long promptTokens(GenerationRequest request) {
        long words = 0;
        for (ChatMessage m : request.messages()) {
            boolean in = false;
            String t = m.text();
            for (int i = 0; i < t.length(); i++) {
                boolean ws = Character.isWhitespace(t.charAt(i));
                if (!ws && !in) words++;
                in = !ws;
            }
        }
        return (long) Math.ceil(words * 1.3);
    }

    // ----------------------------------------------------------------------------------- builder

    /** Builder for {@link SimulatedModel}; {@link #build()} validates every value. */
    public static final class Builder {
        private final Task task;
        private String name = "sim";
        private double accuracy = 0.6;
        private final Map<String, Double> groupAccuracy = new LinkedHashMap<>();
        private AnswerStyle style = AnswerStyle.AUTO;
        private String format;
        private double calibration = 0.5;
        private double unsureBelow = 0.6;
        private double latencyMs;
        private double jitterMs;
        private double persuadability;
        private double routingSkill = 0.5;
        private double errorRate;
        private double rateLimitRate;
        private long retryAfterMs = 200;
        private double timeoutRate;
        private long timeoutMs = 500;
        private double garbageRate;
        private FailureMode failure = FailureMode.NONE;
        private long seed = 42;
        private ModelPricing pricing = ModelPricing.UNKNOWN;
        private int completionTokens;
        private int reasoningWords;
        private boolean logprobs = true;
        private int wrongPool = 3;
        private double aggregationAccuracy;
        private double critiqueAccuracy = 0.5;
        private double fixRate;
        private double contextUptake;
        private double judgeAccuracy = 0.5;
        private double terminateRate = 0.5;

        private Builder(Task task) {
            this.task = Objects.requireNonNull(task, "task (simulated models need the task to know its answers)");
        }

        /** The name after {@code sim:} (letters, digits, {@code _ . -}); a leading {@code sim:} is accepted. Default {@code sim}. */
        public Builder name(String v) {
            String n = Objects.requireNonNull(v, "name").strip();
            this.name = n.startsWith("sim:") ? n.substring(4) : n;
            return this;
        }

        /** Probability of answering correctly, for examples whose group has no own accuracy. Default 0.6. */
        public Builder accuracy(double v) { accuracy = v; return this; }

        /** Probability of answering correctly on examples of one group ({@link Example#group()}, matched ignoring case). */
        public Builder groupAccuracy(String group, double v) {
            groupAccuracy.put(Objects.requireNonNull(group, "group"), v);
            return this;
        }

        /** How answers are written. Default {@link AnswerStyle#AUTO}. */
        public Builder style(AnswerStyle v) { style = Objects.requireNonNull(v, "style"); return this; }

        /** A template with {@code {answer}} used instead of the style, e.g. {@code "Final: {answer}"}. */
        public Builder format(String v) { format = v; return this; }

        /** How well confidence tracks correctness, in [0, 1]. Default 0.5. */
        public Builder calibration(double v) { calibration = v; return this; }

        /** Confidence below which the model says it is unsure ("just ask"). Default 0.6. */
        public Builder unsureBelow(double v) { unsureBelow = v; return this; }

        /** Mean latency per call. Default 0. */
        public Builder latency(Duration v) { latencyMs = v.toNanos() / 1e6; return this; }

        /** Latency varies uniformly within ± this around the mean. Default 0. */
        public Builder jitter(Duration v) { jitterMs = v.toNanos() / 1e6; return this; }

        /** Probability of adopting the majority answer shown in the prompt. Default 0. */
        public Builder persuadability(double v) { persuadability = v; return this; }

        /** Probability of routing to a model whose description names the example's group. Default 0.5. */
        public Builder routingSkill(double v) { routingSkill = v; return this; }

        /** Share of calls failing with a transient HTTP 500. Default 0. */
        public Builder errorRate(double v) { errorRate = v; return this; }

        /** Share of calls failing with HTTP 429 and a Retry-After. Default 0. */
        public Builder rateLimitRate(double v) { rateLimitRate = v; return this; }

        /** The Retry-After of simulated 429s. Default 200 ms. */
        public Builder retryAfter(Duration v) { retryAfterMs = v.toMillis(); return this; }

        /** Share of calls that hang for {@link #timeout} and then fail transiently. Default 0. */
        public Builder timeoutRate(double v) { timeoutRate = v; return this; }

        /** How long a simulated time-out hangs. Default 500 ms. */
        public Builder timeout(Duration v) { timeoutMs = v.toMillis(); return this; }

        /** Share of samples (per example and sample) that are unparseable gibberish. Default 0. */
        public Builder garbageRate(double v) { garbageRate = v; return this; }

        /** A failure returned on every call. Default none. */
        public Builder failure(FailureMode v) { failure = Objects.requireNonNull(v, "failure"); return this; }

        /** The seed of every draw. Default 42. */
        public Builder seed(long v) { seed = v; return this; }

        /** The reported price. Default unknown. */
        public Builder pricing(ModelPricing v) { pricing = Objects.requireNonNull(v, "pricing"); return this; }

        /** Completion tokens reported per sample; 0 (default) counts the output's pseudo-tokens. */
        public Builder completionTokens(int v) { completionTokens = v; return this; }

        /** Filler words of "reasoning" written before each short answer (not with style LETTER). Default 0. */
        public Builder reasoningWords(int v) { reasoningWords = v; return this; }

        /** Whether log-probabilities are offered (capability LOGPROBS). Default true. */
        public Builder logprobs(boolean v) { logprobs = v; return this; }

        /** Number of distinct wrong free-text answers per example that wrong models choose among. Default 3. */
        public Builder wrongAnswerPool(int v) { wrongPool = v; return this; }

        /** Probability of picking a correct shown answer when asked to combine responses (else the plurality). Default 0. */
        public Builder aggregationAccuracy(double v) { aggregationAccuracy = v; return this; }

        /** Probability that feedback on another answer is accurate (names the correct answer of a wrong one, agrees with a correct one). Default 0.5. */
        public Builder critiqueAccuracy(double v) { critiqueAccuracy = v; return this; }

        /** Probability of switching to a correct answer named in the feedback received. Default 0. */
        public Builder fixRate(double v) { fixRate = v; return this; }

        /** Probability of answering correctly when a knowledge paragraph in context states the correct answer. Default 0. */
        public Builder contextUptake(double v) { contextUptake = v; return this; }

        /** Probability that a judge prefers (or scores high) the correct candidate. Default 0.5. */
        public Builder judgeAccuracy(double v) { judgeAccuracy = v; return this; }

        /** On a blackboard that is not empty: probability of choosing to terminate. Default 0.5. */
        public Builder terminateRate(double v) { terminateRate = v; return this; }

        public SimulatedModel build() {
            String where = "simulated model 'sim:" + name + "'";
            if (!VALID_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(where + ": name must be letters, digits, '_', '.' or '-', was '" + name + "'");
            }
            probability(where, "accuracy", accuracy);
            groupAccuracy.forEach((g, a) -> probability(where, "acc." + g, a));
            probability(where, "calibration", calibration);
            probability(where, "unsure_below", unsureBelow);
            probability(where, "persuade", persuadability);
            probability(where, "routing_skill", routingSkill);
            probability(where, "error_rate", errorRate);
            probability(where, "rate_limit", rateLimitRate);
            probability(where, "timeout_rate", timeoutRate);
            probability(where, "garbage", garbageRate);
            probability(where, "aggregation_accuracy", aggregationAccuracy);
            probability(where, "critique_accuracy", critiqueAccuracy);
            probability(where, "fix_rate", fixRate);
            probability(where, "context_uptake", contextUptake);
            probability(where, "judge_accuracy", judgeAccuracy);
            probability(where, "terminate_rate", terminateRate);
            if (errorRate + rateLimitRate + timeoutRate > 1 + 1e-12) {
                throw new IllegalArgumentException(where + ": error_rate + rate_limit + timeout_rate must be at most 1, was "
                        + (errorRate + rateLimitRate + timeoutRate));
            }
            nonNegative(where, "latency_ms", latencyMs);
            nonNegative(where, "jitter_ms", jitterMs);
            nonNegative(where, "retry_after_ms", retryAfterMs);
            nonNegative(where, "timeout_ms", timeoutMs);
            nonNegative(where, "completion_tokens", completionTokens);
            nonNegative(where, "reasoning_words", reasoningWords);
            if (wrongPool < 1) throw new IllegalArgumentException(where + ": wrong_pool must be at least 1, was " + wrongPool);
            if (format != null && !format.contains("{answer}")) {
                throw new IllegalArgumentException(where + ": format must contain {answer}, was '" + format + "'");
            }
            return new SimulatedModel(this);
        }

        private static void probability(String where, String option, double v) {
            if (!(v >= 0 && v <= 1)) throw new IllegalArgumentException(where + ": " + option + " must be in [0, 1], was " + v);
        }

        private static void nonNegative(String where, String option, double v) {
            if (!(v >= 0)) throw new IllegalArgumentException(where + ": " + option + " must be >= 0, was " + v);
        }
    }
}
