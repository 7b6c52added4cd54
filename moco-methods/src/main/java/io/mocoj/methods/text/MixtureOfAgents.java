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
 * {@code text_moa}, Mixture-of-Agents (Wang et al., 2024):
 * <ol>
 *   <li>the aggregator is the best model on the first {@code ratio} share of dev;</li>
 *   <li>layer 1: every proposer answers the question;</li>
 *   <li>layers 2..{@code round}: every proposer answers again with all of the previous layer's
 *       responses in its prompt (numbered references to synthesise, then the question);</li>
 *   <li>the aggregator synthesises the last layer's responses into the output.</li>
 * </ol>
 * Calls per test example: N·round + 1.
 */
public final class MixtureOfAgents extends ConfiguredMethod<MixtureOfAgents> {
    public static final String NAME = "text_moa";

    static final List<ParameterSpec> PARAMETERS = List.of(
            Debate.roundsParameter("round", 1),
            Debate.ratioParameter());

    private final int rounds;
    private final double ratio;

    MixtureOfAgents(MethodFactory factory, Hyperparameters hp) {
        super(factory, hp);
        this.rounds = hp.getInt("round");
        this.ratio = hp.getDouble("ratio");
    }

    /** A copy with {@code round} proposer layers. */
    public MixtureOfAgents rounds(int round) { return with("round", round); }

    /** A copy choosing the aggregator on this share of dev. */
    public MixtureOfAgents ratio(double share) { return with("ratio", share); }

    @Override public Set<Capability> requiredCapabilities() { return EnumSet.of(Capability.TEXT); }

    @Override public void checkPool(List<ModelEndpoint> models) { Debate.requireTeam(NAME, models, 2); }

    @Override
    public MethodOutput run(MethodContext context) {
        List<ModelEndpoint> proposers = context.models();
        ModelEndpoint aggregator = proposers.get(BestDevModel.choose(context, ratio).index());
        return context.forEachTest((example, index) -> {
            String question = context.evaluator().prompt(example);
            List<String> layer = Debate.run(context, example, index, rounds, "synthesize", (r, previous) -> Debate.step(context, proposers,
                    previous, i -> TeamPrompts.references(question, Debate.present(previous))));
            return Debate.finalCall(context, aggregator, TeamPrompts.references(question, Debate.present(layer)), index, "aggregate");
        });
    }

    /** Registered under {@value #NAME}. */
    public static final class Factory implements MethodFactory {
        @Override public String name() { return NAME; }
        @Override public Level level() { return Level.TEXT; }
        @Override public String description() { return "Mixture-of-Agents: proposer layers see the previous layer's responses; the best dev model aggregates"; }
        @Override public List<ParameterSpec> parameters() { return PARAMETERS; }
        @Override public MixtureOfAgents create(Hyperparameters hp) { return new MixtureOfAgents(this, hp); }
    }
}
