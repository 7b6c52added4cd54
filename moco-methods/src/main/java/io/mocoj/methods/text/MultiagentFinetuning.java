package io.mocoj.methods.text;

import io.mocoj.method.Hyperparameters;
import io.mocoj.method.Level;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodFactory;
import io.mocoj.method.MethodOutput;
import io.mocoj.method.ParameterSpec;
import io.mocoj.methods.toolbox.AgentSampling;
import io.mocoj.methods.toolbox.Answers;
import io.mocoj.methods.toolbox.ConfiguredMethod;
import io.mocoj.methods.toolbox.Debate;
import io.mocoj.methods.toolbox.DevScores;
import io.mocoj.methods.toolbox.TeamPrompts;
import io.mocoj.methods.toolbox.Training;
import io.mocoj.model.Capability;
import io.mocoj.model.Generation;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Example;
import io.mocoj.train.TrainingObjective;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * {@code text_multiagent_finetuning} (Subramaniam et al., ICLR 2025, as MoCo runs it): every agent
 * has a generation model (first round) and a critic model (later rounds), both starting as the
 * pool model. For each of {@code iterations}:
 * <ol>
 *   <li>the agents debate every dev example (a {@code training_ratio} share): round 1 the
 *       generation models answer, rounds 2..{@code rounds} the critic models refine with the
 *       others' previous answers in view;</li>
 *   <li>consensus by majority vote of the final answers; each agent's generation set and critic
 *       set ({@link FinetuningData}, mixing fixed-a-mistake and stayed-correct debates by {@code w});</li>
 *   <li>LoRA SFT of each agent's generation model on its generation set and of its critic model on
 *       its critic set (an empty set leaves the model as it is; one-round debates have no critics).</li>
 * </ol>
 * Test: the same debate with the fine-tuned models, majority vote of the final answers. Each agent
 * samples with its own seed ({@link AgentSampling}), so copies of one model debate as independent agents.
 */
public final class MultiagentFinetuning extends ConfiguredMethod<MultiagentFinetuning> {
    public static final String NAME = "text_multiagent_finetuning";

    static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.integer("iterations", 1, 1, 100, "rounds of debate on dev followed by fine-tuning"),
            Debate.roundsParameter("rounds", 2),
            ParameterSpec.real("w", 0.5, 0, 1, "share of the critic set taken from debates where the agent fixed a mistake"),
            new ParameterSpec("training_ratio", ParameterSpec.Type.DOUBLE, 1.0, "a number in (0, 1]",
                    v -> (double) v > 0 && (double) v <= 1, "share of the dev split the debates are run on"),
            ParameterSpec.integer("sft_epochs", 1, 1, 10_000, "passes over each SFT set"),
            ParameterSpec.real("sft_learning_rate", 1e-5, 0, 1, "peak learning rate of the SFT jobs"),
            ParameterSpec.integer("sft_batch_size", 1, 1, 1_000_000, "MoCo's per-device batch size (recorded; the local trainer batches by tokens)"),
            ParameterSpec.integer("sft_grad_accum", 16, 1, 1_000_000, "MoCo's gradient accumulation (recorded; the local trainer batches by tokens)"),
            Training.loraRankParameter(), Training.checkpointEveryParameter(), Training.maxStepsParameter());

    private final int iterations, rounds;
    private final double w, trainingRatio;
    private final Training.Settings sft;

    MultiagentFinetuning(MethodFactory factory, Hyperparameters hp) {
        super(factory, hp);
        iterations = hp.getInt("iterations");
        rounds = hp.getInt("rounds");
        w = hp.getDouble("w");
        trainingRatio = hp.getDouble("training_ratio");
        sft = new Training.Settings(TrainingObjective.SFT, hp.getDouble("sft_learning_rate"), hp.getInt("sft_epochs"), 0, hp.getInt("lora_rank"))
                .withTrainerLimits(hp);
    }

    public MultiagentFinetuning iterations(int n) { return with("iterations", n); }

    public MultiagentFinetuning rounds(int n) { return with("rounds", n); }

    public MultiagentFinetuning w(double share) { return with("w", share); }

    public MultiagentFinetuning trainingRatio(double share) { return with("training_ratio", share); }

    public MultiagentFinetuning sftEpochs(int n) { return with("sft_epochs", n); }

    public MultiagentFinetuning sftLearningRate(double lr) { return with("sft_learning_rate", lr); }

    public MultiagentFinetuning loraRank(int rank) { return with("lora_rank", rank); }

    @Override public Set<Capability> requiredCapabilities() { return EnumSet.of(Capability.TEXT, Capability.TRAIN); }

    @Override
    public void checkPool(List<ModelEndpoint> models) {
        Debate.requireTeam(NAME, models, 2);
        Training.requireTrainable(NAME, models, sft);
    }

    /** The data-building record of one iteration, for the trace. */
    public record IterationData(int iteration, int debates, int withConsensus, List<AgentData> agents) {}

    /** One agent's set sizes and first rows (prompt and completion cut to 300 characters). */
    public record AgentData(String agent, int generation, int fixedMistake, int stayedCorrect, int critic,
                            List<String> generationExample, List<String> criticExample) {}

    @Override
    public MethodOutput run(MethodContext context) {
        DevScores.requireDev(context, NAME);
        List<Example> dev = DevScores.sample(context.task().dev(), trainingRatio, 42);
        List<ModelEndpoint> generators = new ArrayList<>(context.models()), critics = new ArrayList<>(context.models());
        int n = generators.size();
        for (int it = 1; it <= iterations; it++) {
            List<FinetuningData.Debate> debates = context.parallel(dev, ex -> debate(context, ex, generators, critics));
            List<RandomGenerator> rng = new ArrayList<>();
            for (int a = 0; a < n; a++) rng.add(context.random(NAME + "/critic-sample/" + it + "/" + a));
            FinetuningData.Sets sets = FinetuningData.build(debates, n, w, rng);
            context.trace().record("finetuning_data", Map.of("data", describe(it, sets, context.models())));
            for (int a = 0; a < n; a++) {
                FinetuningData.AgentSets s = sets.agents().get(a);
                String agent = context.model(a).name();
                if (!s.generation().isEmpty()) {
                    generators.set(a, Training.train(context, generators.get(a), "iter" + it + "-gen-" + agent, s.generation(), sft, 1000L * it + a, null).model());
                }
                if (!s.critic().isEmpty()) {
                    critics.set(a, Training.train(context, critics.get(a), "iter" + it + "-critic-" + agent, s.critic(), sft, 1000L * it + 500 + a, null).model());
                }
            }
        }
        return context.forEachTest((example, index) -> {
            FinetuningData.Debate d = debate(context, example, generators, critics);
            for (int r = 0; r < d.responses().size(); r++) {
                Debate.record(context, example, index, r + 1, r == 0 ? "answer" : "critic", r == 0 ? generators : critics, d.responses().get(r), null);
            }
            List<String> finalAnswers = d.answers().get(d.answers().size() - 1), finalResponses = d.responses().get(d.responses().size() - 1);
            String consensus = FinetuningData.consensus(finalAnswers);
            int speaker = 0;
            while (speaker < n && (finalResponses.get(speaker) == null || (consensus != null && !consensus.equals(strip(finalAnswers.get(speaker)))))) speaker++;
            if (speaker == n) throw new IllegalStateException("no agent produced a final answer");
            context.trace().record(index, "vote", Map.of("consensus", consensus == null ? "" : consensus, "output_from", context.model(speaker).name()));
            return finalResponses.get(speaker);
        });
    }

    /** One debate: round 1 by the generation models, later rounds by the critic models; each agent samples with its own seed. */
    private FinetuningData.Debate debate(MethodContext context, Example example, List<ModelEndpoint> generators, List<ModelEndpoint> critics) {
        String question = context.evaluator().prompt(example);
        List<String> prompts = new ArrayList<>();
        for (int a = 0; a < generators.size(); a++) prompts.add(question);
        List<List<String>> responses = new ArrayList<>(), answers = new ArrayList<>();
        List<String> current = texts(Answers.fromEach(context, generators, prompts, true));
        List<String> finalPrompts = null;
        responses.add(current);
        answers.add(extract(context, example, current));
        for (int r = 2; r <= rounds; r++) {
            List<String> seen = current;
            List<String> asked = new ArrayList<>();
            for (int a = 0; a < seen.size(); a++) asked.add(seen.get(a) == null ? null : TeamPrompts.refine(question, seen.get(a), Debate.othersThan(seen, a)));
            current = Debate.step(context, critics, seen, asked::get, true).responses();
            finalPrompts = asked;
            responses.add(current);
            answers.add(extract(context, example, current));
        }
        return new FinetuningData.Debate(question, responses, answers, finalPrompts);
    }

    private static List<String> texts(List<Generation> gens) {
        List<String> out = new ArrayList<>();
        for (Generation g : gens) out.add(g == null ? null : g.text());
        return out;
    }

    private static List<String> extract(MethodContext context, Example example, List<String> responses) {
        List<String> out = new ArrayList<>();
        for (String r : responses) out.add(r == null ? null : context.evaluator().extractAnswer(example, r));
        return out;
    }

    private static String strip(String s) { return s == null ? null : s.strip(); }

    private static IterationData describe(int iteration, FinetuningData.Sets sets, List<ModelEndpoint> pool) {
        List<AgentData> agents = new ArrayList<>();
        for (int a = 0; a < pool.size(); a++) {
            FinetuningData.AgentSets s = sets.agents().get(a);
            agents.add(new AgentData(pool.get(a).name(), s.generation().size(), s.fixedMistake().size(), s.stayedCorrect().size(), s.critic().size(),
                    s.generation().isEmpty() ? List.of() : List.of(cut(s.generation().get(0).prompt()), cut(s.generation().get(0).completion())),
                    s.critic().isEmpty() ? List.of() : List.of(cut(s.critic().get(0).prompt()), cut(s.critic().get(0).completion()))));
        }
        int withConsensus = (int) sets.consensus().stream().filter(c -> c != null).count();
        return new IterationData(iteration, sets.consensus().size(), withConsensus, List.copyOf(agents));
    }

    private static String cut(String s) { return s.length() <= 300 ? s : s.substring(0, 300) + "…"; }

    /** Registered under {@value #NAME}. */
    public static final class Factory implements MethodFactory {
        @Override public String name() { return NAME; }
        @Override public Level level() { return Level.TEXT; }
        @Override public String description() { return "agents debate on dev, each agent's generation and critic models are LoRA-fine-tuned on the debates that reached consensus; test = debate + vote"; }
        @Override public List<ParameterSpec> parameters() { return PARAMETERS; }
        @Override public MultiagentFinetuning create(Hyperparameters hp) { return new MultiagentFinetuning(this, hp); }
    }
}
