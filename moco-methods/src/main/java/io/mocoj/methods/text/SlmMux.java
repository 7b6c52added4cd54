package io.mocoj.methods.text;

import io.mocoj.method.Hyperparameters;
import io.mocoj.method.Level;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodFactory;
import io.mocoj.method.MethodOutput;
import io.mocoj.method.ParameterSpec;
import io.mocoj.methods.toolbox.ConfiguredMethod;
import io.mocoj.methods.toolbox.Debate;
import io.mocoj.methods.toolbox.Tie;
import io.mocoj.methods.toolbox.Voting;
import io.mocoj.model.Capability;
import io.mocoj.model.Generation;
import io.mocoj.model.ModelCallException;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Example;
import io.mocoj.task.TaskType;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * {@code text_slm_mux}, SLM-MUX (Wang et al., 2025): confidence-based selection among models.
 * <ol>
 *   <li>every model samples {@code samples_per_model} answers (separate calls, request seeds
 *       {@code seed}, {@code seed}+1, …);</li>
 *   <li>a model's confidence is the share of its most frequent extracted answer among its
 *       extractable answers (0 with none); a tie inside a model is broken at random;</li>
 *   <li>the most confident model's majority answer wins; ties between models go to the best dev
 *       model ({@code dev-based}), the first in pool order ({@code model-order}) or a random one.</li>
 * </ol>
 * Calls per test example: N·samples_per_model (plus N·|dev| once for {@code dev-based}).
 */
public final class SlmMux extends ConfiguredMethod<SlmMux> {
    public static final String NAME = "text_slm_mux";

    static final List<Tie> TIES = List.of(Tie.DEV_BASED, Tie.MODEL_ORDER, Tie.RANDOM);

    static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.integer("samples_per_model", 5, 1, 1000, "answers sampled from every model"),
            ParameterSpec.choice("tie", Tie.DEV_BASED.configName(), Tie.configNames(TIES), "how ties between equally confident models are broken"),
            ParameterSpec.integer("seed", 42, Integer.MIN_VALUE, Integer.MAX_VALUE, "seed of the samples and of random tie-breaking"));

    private final int samples;
    private final Tie tie;
    private final int seed;

    SlmMux(MethodFactory factory, Hyperparameters hp) {
        super(factory, hp);
        this.samples = hp.getInt("samples_per_model");
        this.tie = Tie.fromConfigName(hp.getString("tie"));
        this.seed = hp.getInt("seed");
    }

    /** A copy sampling {@code k} answers per model. */
    public SlmMux samplesPerModel(int k) { return with("samples_per_model", k); }

    /** A copy with another tie rule between models. */
    public SlmMux tie(Tie rule) { return with("tie", rule.configName()); }

    @Override public Set<Capability> requiredCapabilities() { return EnumSet.of(Capability.TEXT); }

    @Override public Set<TaskType> supportedTaskTypes() {
        return EnumSet.of(TaskType.MULTIPLE_CHOICE, TaskType.EXACT_MATCH, TaskType.F1_MATCH);
    }

    @Override public void checkPool(List<ModelEndpoint> models) { Debate.requireTeam(NAME, models, 2); }

    /** One model's samples: extracted answers, its majority answer, and its confidence. */
    public record ModelVote(String model, List<String> answers, String majority, double confidence) {}

    @Override
    public MethodOutput run(MethodContext context) {
        List<ModelEndpoint> models = context.models();
        List<Integer> priority = tie == Tie.DEV_BASED ? context.devEvaluation().ranking() : IntStream.range(0, models.size()).boxed().toList();
        if (tie == Tie.DEV_BASED) context.trace().record("dev_ranking", Map.of("models", priority.stream().map(m -> models.get(m).name()).toList()));
        return context.forEachTest((example, index) -> {
            List<List<Generation>> sampled = sample(context, models, example);
            List<ModelVote> votes = new ArrayList<>();
            for (int m = 0; m < models.size(); m++) {
                votes.add(vote(context, models.get(m).name(), example, sampled.get(m), index));
            }
            double top = votes.stream().mapToDouble(ModelVote::confidence).max().orElse(0);
            List<Integer> tied = IntStream.range(0, models.size()).filter(m -> Math.abs(votes.get(m).confidence() - top) < 1e-9).boxed().toList();
            int winner = tie == Tie.RANDOM
                    ? tied.get(context.random(NAME + "/model-tie/" + index).nextInt(tied.size()))
                    : priority.stream().filter(tied::contains).findFirst().orElseThrow();
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("votes", votes);
            data.put("tied", tied.size() > 1);
            data.put("winner", models.get(winner).name());
            context.trace().record(index, "selection", data);
            return output(sampled.get(winner), votes.get(winner));
        });
    }

    /** Every model's samples (all calls concurrent); failed calls are null. */
    private List<List<Generation>> sample(MethodContext context, List<ModelEndpoint> models, Example example) {
        record Job(int model, int sample) {}
        List<Job> jobs = new ArrayList<>();
        for (int m = 0; m < models.size(); m++) for (int s = 0; s < samples; s++) jobs.add(new Job(m, s));
        String prompt = context.evaluator().prompt(example);
        List<Generation> flat = context.parallel(jobs, j -> {
            try {
                return context.generate(models.get(j.model()), context.settings().request(prompt).seed((long) seed + j.sample()).build());
            } catch (ModelCallException e) {
                return null;
            }
        });
        if (flat.stream().allMatch(g -> g == null)) throw new IllegalStateException("every sampling call failed for this example");
        List<List<Generation>> out = new ArrayList<>();
        for (int m = 0; m < models.size(); m++) out.add(flat.subList(m * samples, (m + 1) * samples));
        return out;
    }

    private ModelVote vote(MethodContext context, String model, Example example, List<Generation> samples, int index) {
        List<String> answers = new ArrayList<>();
        for (Generation g : samples) answers.add(g == null ? null : context.evaluator().extractAnswer(example, g.text()));
        Voting.Tally tally = Voting.tally(answers);
        if (!tally.hasVotes()) return new ModelVote(model, answers, "", 0);
        int voters = tally.counts().values().stream().mapToInt(Integer::intValue).sum();
        String majority = Voting.atRandom(tally.leaders(), context.random(NAME + "/answer-tie/" + index + "/" + model));
        return new ModelVote(model, answers, majority, (double) tally.top() / voters);
    }

    /** The first sample of the winner that gave its majority answer (its first successful sample when it has none). */
    private static String output(List<Generation> samples, ModelVote vote) {
        for (int s = 0; s < samples.size(); s++) {
            if (samples.get(s) != null && vote.majority().equals(vote.answers().get(s))) return samples.get(s).text();
        }
        return samples.stream().filter(g -> g != null).findFirst().map(Generation::text).orElse("");
    }

    /** Registered under {@value #NAME}. */
    public static final class Factory implements MethodFactory {
        @Override public String name() { return NAME; }
        @Override public Level level() { return Level.TEXT; }
        @Override public String description() { return "each model samples k answers; the most self-consistent model's majority answer wins"; }
        @Override public List<ParameterSpec> parameters() { return PARAMETERS; }
        @Override public SlmMux create(Hyperparameters hp) { return new SlmMux(this, hp); }
    }
}
