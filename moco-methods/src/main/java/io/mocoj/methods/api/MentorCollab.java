package io.mocoj.methods.api;

import io.mocoj.method.Hyperparameters;
import io.mocoj.method.Level;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodFactory;
import io.mocoj.method.MethodOutput;
import io.mocoj.method.ParameterSpec;
import io.mocoj.methods.toolbox.ConfiguredMethod;
import io.mocoj.methods.toolbox.DevScores;
import io.mocoj.methods.toolbox.LocalDecoder;
import io.mocoj.methods.toolbox.Mlp;
import io.mocoj.model.Capability;
import io.mocoj.model.ChatMessage;
import io.mocoj.model.LogitsModel;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Example;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code api_mentor_collab} (MentorCollab): a generator (pool model 0) and a mentor (model 1)
 * decode the same answer side by side, greedily. Where their next tokens differ, with probability
 * {@code decision_proportion}/100 both write a patch of up to {@code patch_size} tokens from the
 * current text and one patch is kept:
 * <ul>
 *   <li>mode {@code free}: the generator judges, reading both patches as options A (its own) and
 *       B (the mentor's) and comparing its next-token probabilities of "A" and "B";</li>
 *   <li>mode {@code train}: an MLP on the generator's final hidden state at that point scores the
 *       generator's patch; above {@code mlp_threshold} it is kept, else the mentor's. The MLP is
 *       trained on the dev split: at each decision both patches are completed by the generator
 *       alone and scored; points where the two completions score differently are the examples.</li>
 * </ul>
 * Everywhere else the generator writes. Both models must be LOGITS models; their tokenizers may
 * differ (text is re-encoded for the other model).
 */
public final class MentorCollab extends ConfiguredMethod<MentorCollab> {
    public static final String NAME = "api_mentor_collab";
    static final int MLP_HIDDEN = 16, MLP_STEPS = 400;
    static final double MLP_LR = 0.01, MLP_L2 = 1e-3;

    static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.real("decision_proportion", 25.0, 0.0, 100.0, "percentage of divergent steps where both models write a patch"),
            ParameterSpec.integer("patch_size", 16, 1, 1_000_000, "tokens per patch at a decision"),
            ParameterSpec.choice("mode", "free", List.of("free", "train"), "who picks the patch: the generator (free) or an MLP on its hidden states (train)"),
            ParameterSpec.choice("task", "General", List.of("General", "Math"), "MoCo's MLP family; MoCo-J trains the MLP on this task's dev split instead"),
            ParameterSpec.real("mlp_threshold", 0.5, 0.0, 1.0, "mode train: keep the generator's patch when the MLP's score is above this"),
            ParameterSpec.real("ratio", 1.0, 0.0, 1.0, "mode train: share of the dev split used to train the MLP"));

    private final double proportion;
    private final int patchSize;
    private final boolean train;
    private final double threshold;
    private final double ratio;

    MentorCollab(MethodFactory factory, Hyperparameters h) {
        super(factory, h);
        this.proportion = h.getDouble("decision_proportion");
        this.patchSize = h.getInt("patch_size");
        this.train = h.getString("mode").equals("train");
        this.threshold = h.getDouble("mlp_threshold");
        this.ratio = h.getDouble("ratio");
    }

    /** A copy with mode {@code "free"} or {@code "train"}. */
    public MentorCollab mode(String mode) { return with("mode", mode); }

    /** A copy with another decision proportion (percent) and patch size (tokens). */
    public MentorCollab decisions(double percent, int patchTokens) { return with("decision_proportion", percent).with("patch_size", patchTokens); }

    /** A copy with another MLP threshold (mode train). */
    public MentorCollab mlpThreshold(double threshold) { return with("mlp_threshold", threshold); }

    @Override public Set<Capability> requiredCapabilities() { return EnumSet.of(Capability.LOGITS); }

    @Override
    public void checkPool(List<ModelEndpoint> models) {
        if (models.size() != 2) {
            throw new IllegalArgumentException("method " + NAME + " needs exactly 2 models (the generator first, then the mentor), the pool has "
                    + models.size());
        }
        for (int i = 0; i < 2; i++) {
            ModelEndpoint m = models.get(i);
            if (!(m instanceof LogitsModel) || !m.has(Capability.LOGITS)) {
                throw new IllegalArgumentException("method " + NAME + " needs capability LOGITS from model '" + m.name() + "' (the "
                        + (i == 0 ? "generator" : "mentor") + ", pool position " + i + "): both decode token by token; use local gguf: models");
            }
        }
        super.checkPool(models);
        if (train && ((LogitsModel) models.get(0)).hiddenSize() <= 0) {
            throw new IllegalArgumentException("method " + NAME + " (mode train) reads the generator's hidden states, which model '"
                    + models.get(0).name() + "' does not expose; use mode free or a gguf: generator");
        }
    }

    @Override
    public MethodOutput run(MethodContext context) {
        checkPool(context.models());
        LogitsModel generator = (LogitsModel) context.model(0), mentor = (LogitsModel) context.model(1);
        context.trace().record("mentor_collab", Map.of("generator", generator.name(), "mentor", mentor.name(),
                "mode", train ? "train" : "free", "decision_proportion", proportion, "patch_size", patchSize));
        Chooser chooser = train ? trainedChooser(context, generator, mentor)
                : (ctx, example, g, soFar, own, mentors) -> {
                    double score = generatorJudges(ctx, example, g, soFar, own, mentors);
                    return new Choice(score, score >= 0.5);
                };
        return context.forEachTest((example, index) -> {
            Result r = collaborate(context, generator, mentor, example, chooser);
            context.trace().record(index, "decisions", Map.of("decisions", r.decisions(), "divergences", r.divergences(),
                    "stopped_by", r.stoppedBy()));
            return r.text();
        });
    }

    /** Picks a patch at a decision, with a score for the generator's patch. */
    interface Chooser {
        Choice choose(MethodContext context, Example example, LocalDecoder generator, String soFar, Patch own, Patch mentors);
    }

    record Choice(double score, boolean keepOwn) {}

    record Patch(LocalDecoder fork, String text, boolean ended) {}

    record Result(String text, List<Map<String, Object>> decisions, int divergences, String stoppedBy) {}

    private Result collaborate(MethodContext context, LogitsModel generator, LogitsModel mentor, Example example, Chooser chooser) {
        List<ChatMessage> prompt = List.of(ChatMessage.user(context.evaluator().prompt(example)));
        SplittableRandom random = new SplittableRandom(context.settings().seed() * 0x9E3779B97F4A7C15L + example.id().hashCode());
        int max = context.settings().maxResponseLength();
        List<Map<String, Object>> decisions = new ArrayList<>();
        int divergences = 0;
        String stoppedBy = "max_response_length";
        try (LocalDecoder g = LocalDecoder.open(context, generator, prompt); LocalDecoder m = LocalDecoder.open(context, mentor, prompt)) {
            while (g.responseTokens() < max) {
                int gt = LocalDecoder.pick(g.logits(), 0, 1, random), mt = LocalDecoder.pick(m.logits(), 0, 1, random);
                String gText = g.isEnd(gt) ? null : g.pieceText(gt), mText = m.isEnd(mt) ? null : m.pieceText(mt);
                boolean differ = gText == null ? mText != null : !gText.equals(mText);
                if (differ) divergences++;
                if (!differ || random.nextDouble() * 100 >= proportion) {
                    if (gText == null) { stoppedBy = "generator_end"; break; }
                    g.accept(gt);
                    m.acceptText(gText);
                    continue;
                }
                String soFar = g.text();
                Patch own = patch(g), mentors = patch(m);
                Choice choice = chooser.choose(context, example, g, soFar, own, mentors);
                boolean keepOwn = choice.keepOwn();
                Patch kept = keepOwn ? own : mentors;
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("offset", soFar.length());
                d.put("generator_patch", own.text());
                d.put("mentor_patch", mentors.text());
                d.put("chosen", keepOwn ? "generator" : "mentor");
                d.put("score", choice.score());
                decisions.add(d);
                (keepOwn ? g : m).adopt(kept.fork());
                (keepOwn ? m : g).acceptText(kept.text());
                (keepOwn ? mentors : own).fork().close();
                if (kept.ended()) { stoppedBy = keepOwn ? "generator_end" : "mentor_end"; break; }
            }
            return new Result(g.text(), decisions, divergences, stoppedBy);
        }
    }

    /** Up to {@code patch_size} greedy tokens on a fork of {@code d}. */
    private Patch patch(LocalDecoder d) {
        LocalDecoder f = d.fork();
        int start = f.text().length();
        boolean ended = false;
        for (int i = 0; i < patchSize; i++) {
            int t = LocalDecoder.pick(f.logits(), 0, 1, null);
            if (f.isEnd(t)) { ended = true; break; }
            f.accept(t);
        }
        return new Patch(f, f.text().substring(Math.min(start, f.text().length())), ended);
    }

    /** Mode free: the generator reads both patches as options A (its own) and B and compares its probabilities of "A" and "B". */
    private double generatorJudges(MethodContext context, Example example, LocalDecoder generator, String soFar, Patch own, Patch mentors) {
        String question = "Question:\n" + context.evaluator().prompt(example) + "\n\nAnswer so far:\n" + soFar
                + "\n\nTwo ways to continue the answer:\nA: " + own.text() + "\nB: " + mentors.text()
                + "\n\nWhich continuation is better? Reply with A or B only.";
        try (LocalDecoder judge = LocalDecoder.open(context, generator.model(), List.of(ChatMessage.user(question)))) {
            float[] lp = io.mocoj.model.Distributions.logSoftmax(judge.logits());
            double a = optionProbability(judge, lp, "A"), b = optionProbability(judge, lp, "B");
            return a + b == 0 ? 0.5 : a / (a + b);
        }
    }

    /** Probability of the first token of {@code letter} or of {@code " " + letter}, whichever is larger. */
    private static double optionProbability(LocalDecoder judge, float[] logProbabilities, String letter) {
        double best = 0;
        for (String form : List.of(letter, " " + letter)) {
            int[] ids = judge.model().tokenizer().encode(form, false);
            if (ids.length > 0) best = Math.max(best, Math.exp(logProbabilities[ids[0]]));
        }
        return best;
    }

    /** Mode train: fits the MLP on dev decisions whose two completions score differently, and returns a chooser using it. */
    private Chooser trainedChooser(MethodContext context, LogitsModel generator, LogitsModel mentor) {
        List<Example> dev = DevScores.share(context, ratio);
        record Point(double[] hidden, int generatorBetter) {}
        List<List<Point>> perExample = context.parallel(dev, e -> {
            List<Point> points = new ArrayList<>();
            collaborate(context, generator, mentor, e, (ctx, example, g, soFar, own, mentors) -> {
                double ownScore = completionScore(ctx, example, own.fork().fork(), own.ended());
                LocalDecoder other = g.fork();
                other.acceptText(mentors.text());
                double mentorScore = completionScore(ctx, example, other, mentors.ended());
                if (ownScore != mentorScore) points.add(new Point(toDoubles(g.lastHiddenState()), ownScore > mentorScore ? 1 : 0));
                return new Choice(ownScore >= mentorScore ? 1 : 0, ownScore >= mentorScore); // follow the better patch on dev
            });
            return points;
        });
        List<Point> points = perExample.stream().flatMap(List::stream).toList();
        if (points.isEmpty()) {
            throw new IllegalStateException("method " + NAME + " (mode train): on the " + dev.size() + " dev examples used, no decision's two"
                    + " patches led to differently scored answers, so there is nothing to train the MLP on; use mode free, more dev examples"
                    + " or a larger decision_proportion");
        }
        double[][] x = points.stream().map(Point::hidden).toArray(double[][]::new);
        int[] y = points.stream().mapToInt(Point::generatorBetter).toArray();
        Mlp mlp = new Mlp(x[0].length, MLP_HIDDEN, 2, MLP_L2, context.settings().seed());
        double loss = mlp.fit(x, y, MLP_STEPS, MLP_LR);
        int positives = 0;
        for (int v : y) positives += v;
        context.trace().record("mlp", Map.of("dev_examples", dev.size(), "training_points", y.length, "generator_better", positives,
                "hidden_units", MLP_HIDDEN, "steps", MLP_STEPS, "final_loss", loss));
        return (ctx, example, g, soFar, own, mentors) -> {
            double score = mlp.probabilities(toDoubles(g.lastHiddenState()))[1];
            return new Choice(score, score > threshold);
        };
    }

    /** Completes {@code d} (a generator fork) greedily within max_response_length unless it has ended, scores the answer, and closes the fork. */
    private static double completionScore(MethodContext context, Example example, LocalDecoder d, boolean ended) {
        try (d) {
            while (!ended && d.responseTokens() < context.settings().maxResponseLength()) {
                int t = LocalDecoder.pick(d.logits(), 0, 1, null);
                if (d.isEnd(t)) break;
                d.accept(t);
            }
            return context.evaluator().score(example, d.text()).value();
        }
    }

    private static double[] toDoubles(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return d;
    }

    /** Registered under {@value #NAME}. */
    public static final class Factory implements MethodFactory {
        @Override public String name() { return NAME; }
        @Override public Level level() { return Level.API; }
        @Override public String description() {
            return "generator and mentor decode side by side; where they differ both write a patch and the generator or an MLP picks one";
        }
        @Override public List<ParameterSpec> parameters() { return PARAMETERS; }
        @Override public MentorCollab create(Hyperparameters hyperparameters) { return new MentorCollab(this, hyperparameters); }
    }
}
