package io.mocoj.methods.text;

import io.mocoj.method.Hyperparameters;
import io.mocoj.method.Level;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodFactory;
import io.mocoj.method.MethodOutput;
import io.mocoj.method.ParameterSpec;
import io.mocoj.methods.toolbox.BestDevModel;
import io.mocoj.methods.toolbox.ConfiguredMethod;
import io.mocoj.methods.toolbox.Debate;
import io.mocoj.methods.toolbox.TeamPrompts;
import io.mocoj.model.Capability;
import io.mocoj.model.ModelEndpoint;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code text_multiagent_refine}, multi-agent debate (Du et al., 2023):
 * <ol>
 *   <li>the summariser is the best model on the first {@code ratio} share of dev;</li>
 *   <li>round 1: every agent answers;</li>
 *   <li>rounds 2..{@code round}: every agent sees its previous answer and the other agents'
 *       previous answers (pool order) and refines its answer;</li>
 *   <li>the summariser combines the last round's answers into the output.</li>
 * </ol>
 * Calls per test example: N·round + 1.
 */
public final class MultiagentRefine extends ConfiguredMethod<MultiagentRefine> {
    public static final String NAME = "text_multiagent_refine";

    static final List<ParameterSpec> PARAMETERS = List.of(
            Debate.roundsParameter("round", 3),
            Debate.ratioParameter());

    private final int rounds;
    private final double ratio;

    MultiagentRefine(MethodFactory factory, Hyperparameters hp) {
        super(factory, hp);
        this.rounds = hp.getInt("round");
        this.ratio = hp.getDouble("ratio");
    }

    /** A copy with {@code round} rounds (the first is the independent answers). */
    public MultiagentRefine rounds(int round) { return with("round", round); }

    /** A copy choosing the summariser on this share of dev. */
    public MultiagentRefine ratio(double share) { return with("ratio", share); }

    @Override public Set<Capability> requiredCapabilities() { return EnumSet.of(Capability.TEXT); }

    @Override public void checkPool(List<ModelEndpoint> models) { Debate.requireTeam(NAME, models, 2); }

    @Override
    public MethodOutput run(MethodContext context) {
        List<ModelEndpoint> agents = context.models();
        ModelEndpoint summariser = agents.get(BestDevModel.choose(context, ratio).index());
        return context.forEachTest((example, index) -> {
            String question = context.evaluator().prompt(example);
            List<String> answers = Debate.run(context, example, index, rounds, "refine", (r, seen) -> Debate.step(context, agents, seen,
                    i -> TeamPrompts.refine(question, seen.get(i), Debate.othersThan(seen, i))));
            return Debate.finalCall(context, summariser, TeamPrompts.summarise(question, Debate.present(answers)), index, "summary");
        });
    }

    /** Registered under {@value #NAME}. */
    public static final class Factory implements MethodFactory {
        @Override public String name() { return NAME; }
        @Override public Level level() { return Level.TEXT; }
        @Override public String description() { return "debate: every model refines its answer after seeing all answers; the best dev model summarises"; }
        @Override public List<ParameterSpec> parameters() { return PARAMETERS; }
        @Override public MultiagentRefine create(Hyperparameters hp) { return new MultiagentRefine(this, hp); }
    }
}
