package io.mocoj.methods.api;

import io.mocoj.method.Hyperparameters;
import io.mocoj.method.Level;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodFactory;
import io.mocoj.method.MethodOutput;
import io.mocoj.method.ParameterSpec;
import io.mocoj.methods.toolbox.ConfiguredMethod;
import io.mocoj.methods.toolbox.Continuations;
import io.mocoj.methods.toolbox.Prompts;
import io.mocoj.model.Capability;
import io.mocoj.model.FinishReason;
import io.mocoj.model.ModelEndpoint;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * {@code api_switch_generation} (Feng et al., "Don't Throw Away Your Pretrained Model"): the
 * models write the answer together in patches of at most {@code patch_size} tokens; before each
 * patch a selector model reads the query and the patches so far (each tagged with its writer)
 * and names the model that writes the next one.
 *
 * <ol>
 *   <li>For each of the {@code max_response_length / patch_size} rounds: ask the selector; a
 *       reply naming no model picks one uniformly at random (seeded), as MoCo does.</li>
 *   <li>The chosen model continues the answer for up to {@code patch_size} tokens.</li>
 *   <li>A patch that ends before its token budget (the writer stopped) ends the answer, unless
 *       {@code wait_flag}, which appends " Wait," and goes on (s1-style); with
 *       {@code objective_flag} the last patch starts from " The final answer is".</li>
 * </ol>
 * The selector is the pool model named by {@code selector_model_name}. Training a switcher on
 * reward-scored rollouts (MoCo's behaviour without a selector) needs TRAIN and is refused.
 */
public final class SwitchGeneration extends ConfiguredMethod<SwitchGeneration> {
    public static final String NAME = "api_switch_generation";
    static final String WAIT = " Wait,";
    static final String FINAL_ANSWER = " The final answer is";

    static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.integer("patch_size", 25, 1, 1_000_000, "tokens per patch"),
            ParameterSpec.text("selector_model_name", null, "name of the pool model that picks each patch's writer (required)"),
            ParameterSpec.bool("objective_flag", false, "start the last patch with \" The final answer is\""),
            ParameterSpec.bool("wait_flag", false, "append \" Wait,\" to a patch that stopped early and go on, instead of ending the answer"),
            ParameterSpec.text("selector_base_model", null, "switcher training only (needs TRAIN; not available yet)"),
            ParameterSpec.integer("training_instance_num", 500, 1, Integer.MAX_VALUE, "switcher training only"),
            ParameterSpec.integer("rollout_per_instance", 16, 1, Integer.MAX_VALUE, "switcher training only"),
            ParameterSpec.text("reward_model_name", null, "switcher training only"),
            new ParameterSpec("reward_model_gpu_id", ParameterSpec.Type.INT, null, "a whole number", null, "switcher training only (ignored)"),
            ParameterSpec.real("ratio", 1.0, 0.0, 1.0, "switcher training only"));

    private final int patchSize;
    private final String selectorName;
    private final boolean objectiveFlag;
    private final boolean waitFlag;

    SwitchGeneration(MethodFactory factory, Hyperparameters h) {
        super(factory, h);
        this.patchSize = h.getInt("patch_size");
        this.selectorName = h.getString("selector_model_name");
        this.objectiveFlag = h.getBoolean("objective_flag");
        this.waitFlag = h.getBoolean("wait_flag");
    }

    /** A copy whose selector is the pool model with this name. */
    public SwitchGeneration selector(String modelName) { return with("selector_model_name", modelName); }

    /** A copy with another patch size (tokens). */
    public SwitchGeneration patchSize(int tokens) { return with("patch_size", tokens); }

    /** A copy with the objective ("The final answer is") and wait flags set. */
    public SwitchGeneration flags(boolean objective, boolean waitOnEarlyStop) {
        return with("objective_flag", objective).with("wait_flag", waitOnEarlyStop);
    }

    @Override public Set<Capability> requiredCapabilities() { return EnumSet.of(Capability.TEXT); }

    @Override
    public void checkPool(List<ModelEndpoint> models) {
        super.checkPool(models);
        List<String> names = models.stream().map(ModelEndpoint::name).toList();
        if (selectorName == null) {
            throw new IllegalArgumentException("method " + NAME + " needs hyperparameter 'selector_model_name': without it MoCo trains a"
                    + " switcher on reward-scored rollouts, which needs capability TRAIN and is not available in MoCo-J yet; name the pool"
                    + " model that should pick each patch's writer, one of " + names);
        }
        if (!names.contains(selectorName)) {
            throw new IllegalArgumentException("hyperparameter 'selector_model_name' of method " + NAME + " is \"" + selectorName
                    + "\", which is not a model of the pool " + names + ": give the name of a pool model (an instruction-following"
                    + " model); trained switcher checkpoints need capability TRAIN, not available yet");
        }
    }

    @Override
    public MethodOutput run(MethodContext context) {
        List<ModelEndpoint> models = context.models();
        checkPool(models);
        List<String> names = models.stream().map(ModelEndpoint::name).toList();
        ModelEndpoint selector = models.get(names.indexOf(selectorName));
        int rounds = Math.max(1, context.settings().maxResponseLength() / patchSize);
        context.trace().record("switching", Map.of("selector", selectorName, "patch_size", patchSize, "rounds", rounds));
        return context.forEachTest((example, index) -> {
            String query = context.evaluator().prompt(example);
            SplittableRandom random = new SplittableRandom(context.settings().seed() * 31 + example.id().hashCode());
            List<Patch> patches = new ArrayList<>();
            StringBuilder answer = new StringBuilder();
            String ended = "rounds";
            for (int round = 0; round < rounds; round++) {
                if (round == rounds - 1 && objectiveFlag) answer.append(FINAL_ANSWER);
                String reply = context.ask(selector, selectorPrompt(query, patches, names)).text();
                int writer = Prompts.parseModelChoice(reply, names);
                boolean random_ = writer < 0;
                if (random_) writer = random.nextInt(models.size());
                var g = context.generate(models.get(writer), context.settings().request(Continuations.prompt(query, answer.toString()))
                        .maxTokens(patchSize).build());
                String text = g.text().strip();
                patches.add(new Patch(names.get(writer), text, random_));
                if (!text.isEmpty()) answer.append(answer.isEmpty() ? "" : " ").append(text);
                boolean stoppedEarly = g.finishReason() != FinishReason.LENGTH; // the writer ended its text before the budget
                if (stoppedEarly && round < rounds - 1) {
                    if (!waitFlag) { ended = "writer_stopped"; break; }
                    answer.append(WAIT);
                }
            }
            List<Map<String, Object>> traced = new ArrayList<>();
            for (Patch p : patches) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("model", p.model());
                m.put("chars", p.text().length());
                m.put("random_choice", p.random());
                traced.add(m);
            }
            context.trace().record(index, "patches", Map.of("patches", traced, "ended_by", ended));
            return answer.toString().strip();
        });
    }

    record Patch(String model, String text, boolean random) {}

    /** The query, then every patch tagged with its writer's number and name, then the question. */
    static String selectorPrompt(String query, List<Patch> patches, List<String> names) {
        StringBuilder b = new StringBuilder("Several AI models write one answer together, one part at a time.\n\nQuestion:\n")
                .append(query).append("\n\nAnswer so far:");
        if (patches.isEmpty()) b.append(" (nothing yet)");
        for (Patch p : patches) {
            int n = names.indexOf(p.model()) + 1;
            b.append("\n[model ").append(n).append(" (").append(p.model()).append(") wrote:] ").append(p.text());
        }
        b.append("\n\nModels:");
        for (int i = 0; i < names.size(); i++) b.append("\n").append(i + 1).append(". ").append(names.get(i));
        return b.append("\n\nWhich model should write the next part of the answer? Reply with the model's number only.").toString();
    }

    /** Registered under {@value #NAME}. */
    public static final class Factory implements MethodFactory {
        @Override public String name() { return NAME; }
        @Override public Level level() { return Level.API; }
        @Override public String description() {
            return "models take turns writing patches of patch_size tokens; a selector model picks the writer of each patch";
        }
        @Override public List<ParameterSpec> parameters() { return PARAMETERS; }
        @Override public SwitchGeneration create(Hyperparameters hyperparameters) { return new SwitchGeneration(this, hyperparameters); }
    }
}
