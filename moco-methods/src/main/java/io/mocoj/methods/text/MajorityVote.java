package io.mocoj.methods.text;

import io.mocoj.method.Hyperparameters;
import io.mocoj.method.Level;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodFactory;
import io.mocoj.method.MethodOutput;
import io.mocoj.method.ParameterSpec;
import io.mocoj.methods.toolbox.Answers;
import io.mocoj.methods.toolbox.ConfiguredMethod;
import io.mocoj.methods.toolbox.Tie;
import io.mocoj.methods.toolbox.Voting;
import io.mocoj.model.Capability;
import io.mocoj.model.Generation;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.TaskType;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * {@code text_majority_vote}: every model answers each test example once; the answer extracted
 * most often (by the task's evaluator) wins, and the output is the response of a model that gave
 * it. Ties: {@code random} picks uniformly among the tied answers (seeded per example);
 * {@code dev-based} takes the tied answer of the best dev model among the models that gave one.
 * A model whose call fails, or whose response yields no extractable answer, casts no vote.
 */
public final class MajorityVote extends ConfiguredMethod<MajorityVote> {
    public static final String NAME = "text_majority_vote";

    static final List<Tie> TIES = List.of(Tie.RANDOM, Tie.DEV_BASED);

    static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.choice("tie", Tie.RANDOM.configName(), Tie.configNames(TIES),
                    "how ties between equally frequent answers are broken"));

    private final Tie tie;

    MajorityVote(MethodFactory factory, Hyperparameters hyperparameters) {
        super(factory, hyperparameters);
        this.tie = Tie.fromConfigName(hyperparameters.getString("tie"));
    }

    /** A copy with another tie rule ({@link Tie#RANDOM} or {@link Tie#DEV_BASED}). */
    public MajorityVote tie(Tie tie) { return with("tie", tie.configName()); }

    public Tie tie() { return tie; }

    @Override public Set<Capability> requiredCapabilities() { return EnumSet.of(Capability.TEXT); }

    @Override public Set<TaskType> supportedTaskTypes() {
        return EnumSet.of(TaskType.MULTIPLE_CHOICE, TaskType.EXACT_MATCH, TaskType.F1_MATCH);
    }

    @Override
    public java.util.Optional<io.mocoj.method.CallPlan> plannedCalls(List<ModelEndpoint> models, int devExamples, int testExamples) {
        long perModel = testExamples + (tie == Tie.DEV_BASED ? devExamples : 0);
        Map<String, Long> calls = new LinkedHashMap<>();
        for (ModelEndpoint m : models) calls.put(m.name(), perModel);
        return java.util.Optional.of(new io.mocoj.method.CallPlan(calls, "each model once per test example"
                + (tie == Tie.DEV_BASED ? ", and once per dev example for the dev ranking" : ""), true));
    }

    @Override
    public MethodOutput run(MethodContext context) {
        List<ModelEndpoint> models = context.models();
        List<Integer> poolOrder = IntStream.range(0, models.size()).boxed().toList();
        List<Integer> devRanking = tie == Tie.DEV_BASED ? context.devEvaluation().ranking() : poolOrder;
        if (tie == Tie.DEV_BASED) {
            context.trace().record("dev_ranking", Map.of("models", devRanking.stream().map(m -> models.get(m).name()).toList()));
        }

        return context.forEachTest((example, index) -> {
            List<Generation> responses = Answers.fromEveryModel(context, example);
            List<String> answers = Answers.extract(context, example, responses);
            List<String> failed = Answers.failedModels(models, responses);
            if (failed.size() == models.size()) {
                throw new IllegalStateException("every model's call failed for this example: " + failed);
            }
            Voting.Tally tally = Voting.tally(answers);
            String winner;
            int speaker;
            if (!tally.hasVotes()) {
                // nobody gave an extractable answer: keep the response of the first (or best dev) model that replied
                winner = "";
                speaker = devRanking.stream().filter(m -> responses.get(m) != null).findFirst().orElseThrow();
            } else {
                winner = Voting.breakTie(tie, tally.leaders(), answers, devRanking,
                        tally.tied() && tie == Tie.RANDOM ? context.random(NAME + "/tie/" + index) : null);
                speaker = Voting.firstVoterFor(winner, answers, devRanking);
            }
            Map<String, Object> vote = new LinkedHashMap<>();
            vote.put("answers", namedAnswers(models, answers));
            vote.put("counts", tally.counts());
            vote.put("winner", winner);
            vote.put("tied", tally.tied());
            vote.put("output_from", models.get(speaker).name());
            if (!failed.isEmpty()) vote.put("failed_models", failed);
            context.trace().record(index, "vote", vote);
            return responses.get(speaker).text();
        });
    }

    private static Map<String, String> namedAnswers(List<ModelEndpoint> models, List<String> answers) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int m = 0; m < models.size(); m++) out.put(models.get(m).name(), answers.get(m) == null ? "(failed)" : answers.get(m));
        return out;
    }

    /** Registered under {@value #NAME}. */
    public static final class Factory implements MethodFactory {
        @Override public String name() { return NAME; }
        @Override public Level level() { return Level.TEXT; }
        @Override public String description() { return "every model answers; the most frequent extracted answer wins"; }
        @Override public List<ParameterSpec> parameters() { return PARAMETERS; }
        @Override public MajorityVote create(Hyperparameters hyperparameters) { return new MajorityVote(this, hyperparameters); }
    }
}
