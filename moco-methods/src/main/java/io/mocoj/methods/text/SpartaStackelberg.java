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
import io.mocoj.methods.toolbox.Exp3;
import io.mocoj.methods.toolbox.Matchmaking;
import io.mocoj.methods.toolbox.PeerJudge;
import io.mocoj.methods.toolbox.PreferencePairs;
import io.mocoj.methods.toolbox.Training;
import io.mocoj.model.Capability;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Example;
import io.mocoj.train.RewardFunction;
import io.mocoj.train.TrainingExample;
import io.mocoj.train.TrainingObjective;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * {@code text_sparta_stackelberg}, MoCo's SPARTA with a leader (at least 3 models). For each of
 * {@code num_iterations}:
 * <ol>
 *   <li>the leader picks each duel's instruction among the first {@code num_instructions} dev
 *       prompts: an EXP3 bandit ({@code leader_type} probabilistic, uniform share
 *       {@code leader_uniform_mix}; one bandit, or one per active model with {@code leader_scope}
 *       per_model) or uniformly; active models take turns, opponents come by reputation gap
 *       ({@code opponent_selection});</li>
 *   <li>dpo: both answer, the other models judge (reputation-weighted), reputations update duel
 *       by duel, and every model is LoRA-DPO-trained on the winner/loser pairs (ties dropped);
 *       grpo: each model is GRPO-trained on its duels' instructions with the duel's judges'
 *       reputation-weighted score, mapped to [0, 1], as reward, and the reputations update from
 *       the scores its completions received;</li>
 *   <li>the leader is rewarded per duel with {@code 0.3·difficulty + 0.7·gap fit} ({@link #leaderReward}).</li>
 * </ol>
 * Every trained model of every iteration is scored on dev; the best answers the test split.
 */
public final class SpartaStackelberg extends ConfiguredMethod<SpartaStackelberg> {
    public static final String NAME = "text_sparta_stackelberg";

    static final List<ParameterSpec> PARAMETERS;

    static {
        List<ParameterSpec> p = new ArrayList<>(Sparta.parameters(1, 3));
        p.addAll(List.of(
                ParameterSpec.integer("num_duels_per_iteration", 0, 0, 10_000_000, "duels per iteration (0: one per instruction)"),
                ParameterSpec.choice("training_algorithm", "dpo", List.of("dpo", "grpo"), "LoRA DPO on duel pairs, or online GRPO with peer judges as reward"),
                ParameterSpec.choice("leader_type", "probabilistic", List.of("probabilistic", "uniform"), "EXP3 leader or uniform prompt choice"),
                ParameterSpec.choice("leader_scope", "global", List.of("global", "per_model"), "one leader, or one per active model"),
                ParameterSpec.choice("instruction_selection", "exp3", List.of("exp3", "exp3_per_model", "uniform"),
                        "older name of the leader settings: exp3 = probabilistic global, exp3_per_model = per model, uniform"),
                ParameterSpec.real("leader_uniform_mix", 0.2, 0, 1, "uniform share of the leader's prompt distribution (also: instr_sample_gamma)"),
                ParameterSpec.real("instr_sample_gamma", 0.2, 0, 1, "older name of leader_uniform_mix (used when it is not 0.2)"),
                ParameterSpec.choice("reward_method", "weighted", List.of("weighted", "difficulty_only", "preference_quality_only"), "the leader's reward"),
                ParameterSpec.real("difficulty_reward_weight", 0.3, 0, 1e6, "weight of the difficulty term"),
                ParameterSpec.real("score_threshold", 3.0, 1, 10, "scores below this give no difficulty reward"),
                ParameterSpec.real("preference_quality_reward_weight", 0.7, 0, 1e6, "weight of the preference-gap term"),
                ParameterSpec.real("ideal_start_gap", 0.6, 0, 1, "target normalised score gap in the first iteration"),
                ParameterSpec.real("ideal_end_gap", 0.15, 0, 1, "target normalised score gap in the last iteration"),
                ParameterSpec.real("preference_gap_sigma", 0.15, 1e-9, 1e3, "width of the gap-fit term"),
                ParameterSpec.choice("opponent_selection", "schedule_decreasing", Matchmaking.Selection.names(), "how opponents are matched by reputation gap"),
                ParameterSpec.real("reputation_gap_sigma", 0.15, 1e-9, 1e3, "width of the scheduled gap match"),
                ParameterSpec.real("grpo_learning_rate", 1e-6, 0, 1, "peak learning rate of the GRPO jobs"),
                ParameterSpec.integer("grpo_epoch", 1, 1, 10_000, "passes over each model's duel prompts"),
                ParameterSpec.integer("grpo_num_generations", 4, 2, 1024, "completions sampled per prompt (GRPO group size)"),
                ParameterSpec.integer("grpo_max_completion_length", 256, 1, 100_000, "longest sampled GRPO completion in tokens"),
                ParameterSpec.integer("grpo_batch_size", 1, 1, 1_000_000, "MoCo's GRPO batch size (recorded)"),
                ParameterSpec.integer("grpo_gradient_accumulation_steps", 4, 1, 1_000_000, "MoCo's GRPO accumulation (recorded)")));
        PARAMETERS = List.copyOf(p);
    }

    private final Hyperparameters hp;
    private final Training.Settings jobs;
    private final boolean uniformLeader, perModel, grpo;
    private final double gamma;
    private final Matchmaking.Selection selection;
    private final EloRatings.ScoreType scoreType;

    SpartaStackelberg(MethodFactory factory, Hyperparameters hp) {
        super(factory, hp);
        this.hp = hp;
        String legacy = hp.getString("instruction_selection");
        uniformLeader = hp.getString("leader_type").equals("uniform") || legacy.equals("uniform");
        perModel = hp.getString("leader_scope").equals("per_model") || legacy.equals("exp3_per_model");
        grpo = hp.getString("training_algorithm").equals("grpo");
        jobs = jobSettings(hp, grpo);
        gamma = hp.getDouble("instr_sample_gamma") != 0.2 ? hp.getDouble("instr_sample_gamma") : hp.getDouble("leader_uniform_mix");
        selection = Matchmaking.Selection.of(hp.getString("opponent_selection"));
        scoreType = EloRatings.ScoreType.valueOf(hp.getString("score_type").toUpperCase(Locale.ROOT));
        if (grpo && scoreType != EloRatings.ScoreType.NORMAL) {
            throw new IllegalArgumentException(NAME + ": training_algorithm grpo supports score_type normal only (as MoCo), not " + hp.getString("score_type"));
        }
    }

    public SpartaStackelberg iterations(int n) { return with("num_iterations", n); }

    public SpartaStackelberg trainingAlgorithm(String name) { return with("training_algorithm", name); }

    @Override public Set<Capability> requiredCapabilities() { return EnumSet.of(Capability.TEXT, Capability.TRAIN); }

    @Override
    public void checkPool(List<ModelEndpoint> models) {
        Debate.requireTeam(NAME, models, 3);
        Training.requireTrainable(NAME, models, jobs);
    }

    /** The settings of every training job: LoRA DPO, or online GRPO with the peer judges as reward. */
    private static Training.Settings jobSettings(Hyperparameters hp, boolean grpo) {
        Training.Settings s = grpo
                ? new Training.Settings(TrainingObjective.GRPO, hp.getDouble("grpo_learning_rate"), hp.getInt("grpo_epoch"), 0, hp.getInt("lora_rank"),
                        Map.of("group_size", hp.getInt("grpo_num_generations"), "max_completion_tokens", hp.getInt("grpo_max_completion_length")))
                : new Training.Settings(TrainingObjective.DPO, hp.getDouble("dpo_learning_rate"), hp.getInt("dpo_epoch"), 0, hp.getInt("lora_rank"));
        return s.withTrainerLimits(hp);
    }

    /** The leader's arm probabilities at the start of an iteration ({@code "global"} or one entry per active model). */
    public record LeaderRecord(int iteration, boolean uniform, Map<String, double[]> probabilities, List<Integer> chosenInstructions) {}

    /** One iteration: duels, pairs (dpo) and the ratings after every duel. */
    public record IterationRecord(int iteration, String algorithm, int duels, int rated, int pairs, int ties, List<EloRatings.Snapshot> ratings) {}

    @Override
    public MethodOutput run(MethodContext context) {
        List<Example> dev = DevScores.requireDev(context, NAME);
        List<String> prompts = Sparta.instructions(context, dev, hp.getInt("num_instructions"));
        List<String> names = context.models().stream().map(ModelEndpoint::name).toList();
        Map<String, ModelEndpoint> current = new LinkedHashMap<>();
        for (ModelEndpoint m : context.models()) current.put(m.name(), m);
        EloRatings ratings = new EloRatings(names, EloRatings.settings(hp));
        Map<String, Exp3> leaders = new LinkedHashMap<>();
        for (String key : perModel ? names : List.of("global")) leaders.put(key, new Exp3(prompts.size(), gamma));
        List<Map<String, EloRatings.Rating>> history = new ArrayList<>();
        List<Training.Candidate> candidates = new ArrayList<>();
        int total = hp.getInt("num_iterations");
        for (int it = 0; it < total; it++) {
            List<Duels.Duel> duels = schedule(prompts, names, ratings, leaders, it, total, context.random(NAME + "/duels/" + it));
            Map<String, double[]> before = new LinkedHashMap<>();
            leaders.forEach((k, l) -> before.put(k, uniformLeader ? uniform(prompts.size()) : l.probabilities()));
            context.trace().record("leader", Map.of("leader", new LeaderRecord(it, uniformLeader, before, duels.stream().map(Duels.Duel::instruction).toList())));
            Map<String, ModelEndpoint> judgesNow = new LinkedHashMap<>(current);
            List<Duels.Played> played;
            PreferencePairs.Result pairs = null;
            if (!grpo) {
                played = Duels.play(context, duels, current, ratings, hp.getInt("judge_rounds"), hp.getInt("judge_max_response_length"));
            } else {
                played = trainWithGrpo(context, duels, current, judgesNow, ratings, it, candidates);
            }
            List<EloRatings.Snapshot> overTime = Duels.rate(ratings, played, EloRatings.iterationWeights(scoreType, names, it, history));
            history.add(ratings.ratings());
            if (!uniformLeader) rewardLeaders(leaders, played, it, total);
            if (!grpo) {
                pairs = Duels.pairs(ratings, played);
                if (!pairs.pairs().isEmpty()) {
                    Training.trainEach(context, current, "dpo", it, pairs.pairs(), jobs, candidates);
                }
            }
            context.trace().record("stackelberg_iteration", Map.of("iteration", new IterationRecord(it, grpo ? "grpo" : "dpo", duels.size(), overTime.size(),
                    pairs == null ? 0 : pairs.pairs().size(), pairs == null ? 0 : pairs.ties(), overTime)));
        }
        ModelEndpoint best = Training.bestOnDev(context, candidates, dev);
        return context.forEachTest((example, index) -> context.answer(best, example).text());
    }

    /** Duels of one iteration: active models in turn, the leader's instruction, an opponent by reputation gap, the rest judge. */
    private List<Duels.Duel> schedule(List<String> prompts, List<String> names, EloRatings ratings, Map<String, Exp3> leaders, int it, int total,
                                      RandomGenerator random) {
        Map<String, Double> scores = new LinkedHashMap<>();
        for (String m : names) scores.put(m, ratings.score(m));
        int count = hp.getInt("num_duels_per_iteration") == 0 ? prompts.size() : hp.getInt("num_duels_per_iteration");
        List<Duels.Duel> out = new ArrayList<>();
        for (int d = 0; d < count; d++) {
            String active = names.get(d % names.size());
            double[] p = uniformLeader ? uniform(prompts.size()) : leaders.get(perModel ? active : "global").probabilities();
            int instruction = Exp3.draw(p, random);
            String opponent = Matchmaking.opponent(active, names, scores, hp.getDouble("random_match_prob"), hp.getInt("num_opponents"), selection,
                    it, total, hp.getDouble("reputation_gap_sigma"), random);
            List<String> judges = new ArrayList<>(names);
            judges.remove(active);
            judges.remove(opponent);
            out.add(new Duels.Duel(d, instruction, prompts.get(instruction), active, opponent, judges));
        }
        return out;
    }

    /** Credits every complete duel to the leader (global: the mean of both models' rewards; per model: the active model's). */
    private void rewardLeaders(Map<String, Exp3> leaders, List<Duels.Played> played, int it, int total) {
        for (Duels.Played p : played) {
            if (!p.complete()) continue;
            double[] s = {p.scoreA(), p.scoreB()};
            if (perModel) {
                leaders.get(p.duel().modelA()).reward(p.duel().instruction(), leaderReward(hp, p.scoreA(), s, it, total));
            } else {
                leaders.get("global").reward(p.duel().instruction(), (leaderReward(hp, p.scoreA(), s, it, total) + leaderReward(hp, p.scoreB(), s, it, total)) / 2);
            }
        }
        leaders.values().forEach(Exp3::endRound);
    }

    /**
     * The leader's reward for one model's score in a duel: difficulty {@code (10 − s)/(10 − threshold)}
     * (0 below {@code score_threshold}) and gap fit {@code exp(−(|s_a − s_b|/9 − target)²/(2σ²))}
     * with the target moving linearly from {@code ideal_start_gap} to {@code ideal_end_gap} over
     * the iterations; combined by {@code reward_method} (weighted: the two weights normalised).
     */
    static double leaderReward(Hyperparameters hp, double score, double[] pair, int iteration, int total) {
        double threshold = hp.getDouble("score_threshold");
        double difficulty = score < threshold ? 0 : (10 - score) / (10 - threshold);
        double tau = iteration / (double) Math.max(total - 1, 1);
        double target = hp.getDouble("ideal_end_gap") + (hp.getDouble("ideal_start_gap") - hp.getDouble("ideal_end_gap")) * (1 - tau);
        double gap = Math.abs(pair[0] - pair[1]) / 9.0, sigma = Math.max(hp.getDouble("preference_gap_sigma"), 1e-12);
        double fit = Math.exp(-(gap - target) * (gap - target) / (2 * sigma * sigma));
        return switch (hp.getString("reward_method")) {
            case "difficulty_only" -> difficulty;
            case "preference_quality_only" -> fit;
            default -> {
                double wd = hp.getDouble("difficulty_reward_weight"), wp = hp.getDouble("preference_quality_reward_weight");
                yield (wd * difficulty + wp * fit) / (wd + wp);
            }
        };
    }

    /**
     * GRPO: each model trains on the instructions of its duels, a completion's reward being its duel's
     * judges' reputation-weighted score mapped to [0, 1] ({@code (s − 1)/9}); the scores the judges gave
     * while it trained become the duel's result (the mean per judge and model).
     */
    private List<Duels.Played> trainWithGrpo(MethodContext context, List<Duels.Duel> duels, Map<String, ModelEndpoint> current,
                                             Map<String, ModelEndpoint> judgesNow, EloRatings ratings, int it, List<Training.Candidate> candidates) {
        Map<String, Map<String, List<Double>>> received = new ConcurrentHashMap<>(); // "duel/model" -> judge -> scores
        int m = 0;
        for (String name : current.keySet()) {
            Map<String, Duels.Duel> byPrompt = new LinkedHashMap<>();
            for (Duels.Duel d : duels) if (d.modelA().equals(name) || d.modelB().equals(name)) byPrompt.putIfAbsent(d.prompt(), d);
            if (byPrompt.isEmpty()) continue;
            List<TrainingExample.Prompt> rows = byPrompt.keySet().stream().map(p -> new TrainingExample.Prompt(p, null)).toList();
            RewardFunction reward = (row, completion) -> {
                Duels.Duel d = byPrompt.get(row.prompt());
                double num = 0, den = 0;
                for (String j : d.judges()) {
                    Integer s = PeerJudge.score(context, judgesNow.get(j), d.prompt(), completion, hp.getInt("judge_max_response_length"));
                    double v = s == null ? PeerJudge.DEFAULT_SCORE : s;
                    received.computeIfAbsent(d.id() + "/" + name, k -> new ConcurrentHashMap<>())
                            .computeIfAbsent(j, k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(v);
                    double r = ratings.score(j);
                    num += r * v;
                    den += r;
                }
                double s = den > 0 ? num / den : PeerJudge.DEFAULT_SCORE;
                return Math.max(0, Math.min(1, (s - 1) / 9));
            };
            ModelEndpoint tuned = Training.train(context, current.get(name), "iter" + it + "-grpo-" + name, rows, jobs, 1000L * it + m++, reward).model();
            current.put(name, tuned);
            candidates.add(new Training.Candidate(it, name, tuned));
        }
        List<Duels.Played> out = new ArrayList<>();
        for (Duels.Duel d : duels) {
            Map<String, List<Double>> a = received.get(d.id() + "/" + d.modelA()), b = received.get(d.id() + "/" + d.modelB());
            if (a == null || b == null) {
                out.add(new Duels.Played(d, null, null, List.of(), Double.NaN, Double.NaN));
                continue;
            }
            List<PeerJudge.Judgement> js = new ArrayList<>();
            for (String j : d.judges()) {
                if (a.containsKey(j) && b.containsKey(j)) js.add(new PeerJudge.Judgement(j, mean(a.get(j)), mean(b.get(j)), false, List.of()));
            }
            double[] s = ratings.weightedScores(d.modelA(), d.modelB(), js.stream().map(PeerJudge.Judgement::verdict).toList());
            out.add(new Duels.Played(d, "(sampled during GRPO)", "(sampled during GRPO)", js, s == null ? Double.NaN : s[0], s == null ? Double.NaN : s[1]));
        }
        return out;
    }

    private static double mean(List<Double> xs) {
        synchronized (xs) {
            double s = 0;
            for (double x : xs) s += x;
            return s / xs.size();
        }
    }

    private static double[] uniform(int k) {
        double[] p = new double[k];
        java.util.Arrays.fill(p, 1.0 / k);
        return p;
    }

    /** Registered under {@value #NAME}. */
    public static final class Factory implements MethodFactory {
        @Override public String name() { return NAME; }
        @Override public Level level() { return Level.TEXT; }
        @Override public String description() { return "SPARTA with an EXP3 leader choosing the duel prompts; DPO on duel pairs or GRPO with peer judges; the best dev checkpoint answers"; }
        @Override public List<ParameterSpec> parameters() { return PARAMETERS; }
        @Override public SpartaStackelberg create(Hyperparameters hp) { return new SpartaStackelberg(this, hp); }
    }
}
