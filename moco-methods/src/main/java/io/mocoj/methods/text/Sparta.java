package io.mocoj.methods.text;

import io.mocoj.method.Hyperparameters;
import io.mocoj.method.Level;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodFactory;
import io.mocoj.method.MethodOutput;
import io.mocoj.method.ParameterSpec;
import io.mocoj.methods.toolbox.ConfiguredMethod;
import io.mocoj.methods.toolbox.Debate;
import io.mocoj.methods.toolbox.DevScores;
import io.mocoj.methods.toolbox.Duels;
import io.mocoj.methods.toolbox.EloRatings;
import io.mocoj.methods.toolbox.Matchmaking;
import io.mocoj.methods.toolbox.PreferencePairs;
import io.mocoj.methods.toolbox.Training;
import io.mocoj.model.Capability;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Example;
import io.mocoj.train.TrainingObjective;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * {@code text_sparta} (MoCo's SPARTA): models teach each other through peer-judged duels. For each
 * of {@code num_iterations}:
 * <ol>
 *   <li>the first {@code num_instructions} dev prompts are dealt in loops of one per model (model
 *       order shuffled per loop; leftover prompts to random models); each active model meets an
 *       opponent chosen by reputation ({@link Matchmaking}, closest of {@code num_opponents},
 *       random with {@code random_match_prob});</li>
 *   <li>both answer; every other model judges both answers 1–10 ({@link Duels});</li>
 *   <li>the Elo-like reputations are updated duel by duel ({@link EloRatings}, {@code score_type});</li>
 *   <li>each duel's better-scored answer is chosen over the other (ties dropped) and every model is
 *       LoRA-DPO-trained on all the pairs.</li>
 * </ol>
 * Every model of every iteration is scored on dev; the best one answers the test split.
 */
public final class Sparta extends ConfiguredMethod<Sparta> {
    public static final String NAME = "text_sparta";

    static final List<ParameterSpec> PARAMETERS = parameters(3, 3);

    /** The parameters SPARTA and its Stackelberg variant share, with their iteration and opponent defaults. */
    static List<ParameterSpec> parameters(int iterations, int opponents) {
        List<ParameterSpec> p = new ArrayList<>(List.of(
                ParameterSpec.integer("num_iterations", iterations, 1, 1000, "duel / judge / train iterations"),
                ParameterSpec.integer("num_instructions", 500, 1, 10_000_000, "dev prompts used as duel instructions"),
                ParameterSpec.real("random_match_prob", 0.2, 0, 1, "probability of a uniformly random opponent"),
                ParameterSpec.integer("num_opponents", opponents, 1, 1000, "how many reputation-nearest models the opponent is drawn from"),
                ParameterSpec.real("dpo_learning_rate", 1e-6, 0, 1, "peak learning rate of the DPO jobs"),
                ParameterSpec.integer("dpo_epoch", 1, 1, 10_000, "passes over the preference pairs"),
                ParameterSpec.integer("dpo_batch_size", 1, 1, 1_000_000, "MoCo's DPO batch size (recorded; the local trainer batches by tokens)"),
                ParameterSpec.integer("dpo_gradient_accumulation_steps", 16, 1, 1_000_000, "MoCo's DPO accumulation (recorded; the local trainer batches by tokens)"),
                Training.loraRankParameter(), Training.checkpointEveryParameter(), Training.maxStepsParameter()));
        p.addAll(Duels.judgeParameters());
        p.addAll(EloRatings.parameters());
        return List.copyOf(p);
    }

    private final int iterations, instructions, opponents, judgeRounds, judgeMaxTokens;
    private final double randomMatchProb;
    private final EloRatings.Settings rating;
    private final EloRatings.ScoreType scoreType;
    private final Training.Settings dpo;

    Sparta(MethodFactory factory, Hyperparameters hp) {
        super(factory, hp);
        iterations = hp.getInt("num_iterations");
        instructions = hp.getInt("num_instructions");
        opponents = hp.getInt("num_opponents");
        randomMatchProb = hp.getDouble("random_match_prob");
        judgeRounds = hp.getInt("judge_rounds");
        judgeMaxTokens = hp.getInt("judge_max_response_length");
        rating = EloRatings.settings(hp);
        scoreType = EloRatings.ScoreType.valueOf(hp.getString("score_type").toUpperCase(Locale.ROOT));
        dpo = new Training.Settings(TrainingObjective.DPO, hp.getDouble("dpo_learning_rate"), hp.getInt("dpo_epoch"), 0, hp.getInt("lora_rank"))
                .withTrainerLimits(hp);
    }

    public Sparta iterations(int n) { return with("num_iterations", n); }

    public Sparta instructions(int n) { return with("num_instructions", n); }

    public Sparta dpoLearningRate(double lr) { return with("dpo_learning_rate", lr); }

    public Sparta dpoEpochs(int n) { return with("dpo_epoch", n); }

    public Sparta loraRank(int rank) { return with("lora_rank", rank); }

    @Override public Set<Capability> requiredCapabilities() { return EnumSet.of(Capability.TEXT, Capability.TRAIN); }

    @Override
    public void checkPool(List<ModelEndpoint> models) {
        Debate.requireTeam(NAME, models, 3);
        Training.requireTrainable(NAME, models, dpo);
    }

    /** One iteration as the trace keeps it: duels, pairs built, ties and the ratings after every duel. */
    public record IterationRecord(int iteration, int duels, int complete, int pairs, int ties, Map<String, Double> scoreWeights,
                                  List<EloRatings.Snapshot> ratings, List<String> pairExample) {}

    @Override
    public MethodOutput run(MethodContext context) {
        List<Example> dev = DevScores.requireDev(context, NAME);
        List<String> prompts = instructions(context, dev, instructions);
        List<String> names = context.models().stream().map(ModelEndpoint::name).toList();
        Map<String, ModelEndpoint> current = new LinkedHashMap<>();
        for (ModelEndpoint m : context.models()) current.put(m.name(), m);
        EloRatings ratings = new EloRatings(names, rating);
        List<Map<String, EloRatings.Rating>> history = new ArrayList<>();
        List<Training.Candidate> candidates = new ArrayList<>();
        for (int it = 0; it < iterations; it++) {
            ratings.restartDecay();
            Map<String, Double> weights = EloRatings.iterationWeights(scoreType, names, it, history);
            List<Duels.Duel> duels = schedule(prompts, names, ratings, context.random(NAME + "/duels/" + it));
            List<Duels.Played> played = Duels.play(context, duels, current, ratings, judgeRounds, judgeMaxTokens);
            List<EloRatings.Snapshot> overTime = Duels.rate(ratings, played, weights);
            history.add(ratings.ratings());
            PreferencePairs.Result pairs = Duels.pairs(ratings, played);
            context.trace().record("sparta_iteration", Map.of("iteration", new IterationRecord(it, duels.size(), overTime.size(),
                    pairs.pairs().size(), pairs.ties(), weights, overTime, example(pairs))));
            if (!pairs.pairs().isEmpty()) Training.trainEach(context, current, "dpo", it, pairs.pairs(), dpo, candidates);
        }
        ModelEndpoint best = Training.bestOnDev(context, candidates, dev);
        return context.forEachTest((example, index) -> context.answer(best, example).text());
    }

    /** The first {@code n} dev prompts, formatted by the task. */
    static List<String> instructions(MethodContext context, List<Example> dev, int n) {
        List<String> out = new ArrayList<>();
        for (Example e : dev.subList(0, Math.min(n, dev.size()))) out.add(context.evaluator().prompt(e));
        return out;
    }

    /** SPARTA's dealing of instructions: loops of one per model in shuffled order, then the leftovers to random models. */
    private List<Duels.Duel> schedule(List<String> prompts, List<String> names, EloRatings ratings, RandomGenerator random) {
        Map<String, Double> scores = new LinkedHashMap<>();
        for (String m : names) scores.put(m, ratings.score(m));
        List<Duels.Duel> out = new ArrayList<>();
        int n = names.size(), loops = prompts.size() / n;
        List<String> shuffled = names;
        for (int i = 0; i < prompts.size(); i++) {
            String active;
            if (i < loops * n) {
                if (i % n == 0) shuffled = shuffle(names, random);
                active = shuffled.get(i % n);
            } else {
                active = names.get(random.nextInt(n));
            }
            String opponent = Matchmaking.opponent(active, names, scores, randomMatchProb, opponents, Matchmaking.Selection.LOWEST_DIFF, 0, 1, 0.15, random);
            List<String> judges = new ArrayList<>(names);
            judges.remove(active);
            judges.remove(opponent);
            out.add(new Duels.Duel(i, i, prompts.get(i), active, opponent, judges));
        }
        return out;
    }

    private static List<String> shuffle(List<String> names, RandomGenerator random) {
        List<String> out = new ArrayList<>(names);
        for (int i = out.size() - 1; i > 0; i--) java.util.Collections.swap(out, i, random.nextInt(i + 1));
        return out;
    }

    static List<String> example(PreferencePairs.Result pairs) {
        if (pairs.pairs().isEmpty()) return List.of();
        var p = pairs.pairs().get(0);
        return List.of(p.prompt().length() > 300 ? p.prompt().substring(0, 300) + "…" : p.prompt(), p.chosen(), p.rejected());
    }

    /** Registered under {@value #NAME}. */
    public static final class Factory implements MethodFactory {
        @Override public String name() { return NAME; }
        @Override public Level level() { return Level.TEXT; }
        @Override public String description() { return "peer-judged duels with Elo-like reputations; winner/loser answers train every model with LoRA DPO; the best dev checkpoint answers"; }
        @Override public List<ParameterSpec> parameters() { return PARAMETERS; }
        @Override public Sparta create(Hyperparameters hp) { return new Sparta(this, hp); }
    }
}
