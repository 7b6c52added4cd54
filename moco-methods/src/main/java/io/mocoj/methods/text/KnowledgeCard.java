package io.mocoj.methods.text;

import io.mocoj.method.Hyperparameters;
import io.mocoj.method.Level;
import io.mocoj.method.MethodContext;
import io.mocoj.method.MethodFactory;
import io.mocoj.method.MethodOutput;
import io.mocoj.method.ParameterSpec;
import io.mocoj.methods.toolbox.Answers;
import io.mocoj.methods.toolbox.BestDevModel;
import io.mocoj.methods.toolbox.ConfiguredMethod;
import io.mocoj.methods.toolbox.Debate;
import io.mocoj.methods.toolbox.TeamPrompts;
import io.mocoj.model.Capability;
import io.mocoj.model.Generation;
import io.mocoj.model.ModelEndpoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * {@code text_knowledge_card} (Feng et al., 2024): models as knowledge sources.
 * <ol>
 *   <li>the answerer is the best model on the first {@code ratio} share of dev;</li>
 *   <li>every model writes a knowledge paragraph about the question (not an answer);</li>
 *   <li>the answerer answers with the paragraphs in context (its own left out when
 *       {@code exclude_self}).</li>
 * </ol>
 * Calls per test example: N + 1.
 */
public final class KnowledgeCard extends ConfiguredMethod<KnowledgeCard> {
    public static final String NAME = "text_knowledge_card";

    static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.bool("exclude_self", false, "leave the answerer's own paragraph out of its context"),
            Debate.ratioParameter());

    private final boolean excludeSelf;
    private final double ratio;

    KnowledgeCard(MethodFactory factory, Hyperparameters hp) {
        super(factory, hp);
        this.excludeSelf = hp.getBoolean("exclude_self");
        this.ratio = hp.getDouble("ratio");
    }

    /** A copy that leaves the answerer's own paragraph out (or not). */
    public KnowledgeCard excludeSelf(boolean exclude) { return with("exclude_self", exclude); }

    /** A copy choosing the answerer on this share of dev. */
    public KnowledgeCard ratio(double share) { return with("ratio", share); }

    @Override public Set<Capability> requiredCapabilities() { return EnumSet.of(Capability.TEXT); }

    @Override public void checkPool(List<ModelEndpoint> models) { Debate.requireTeam(NAME, models, 2); }

    @Override
    public MethodOutput run(MethodContext context) {
        List<ModelEndpoint> sources = context.models();
        int answerer = BestDevModel.choose(context, ratio).index();
        return context.forEachTest((example, index) -> {
            String question = context.evaluator().prompt(example);
            List<Generation> cards = Answers.fromEach(context, sources,
                    Collections.nCopies(sources.size(), TeamPrompts.knowledgeRequest(question)));
            List<String> paragraphs = new ArrayList<>();
            for (Generation g : cards) paragraphs.add(g == null ? null : g.text());
            Debate.record(context, example, index, 1, "knowledge", sources, paragraphs, null);
            List<String> inContext = new ArrayList<>();
            for (int m = 0; m < sources.size(); m++) {
                if (paragraphs.get(m) != null && !(excludeSelf && m == answerer)) inContext.add(paragraphs.get(m));
            }
            return Debate.finalCall(context, sources.get(answerer), TeamPrompts.answerWithKnowledge(question, inContext), index, "answer");
        });
    }

    /** Registered under {@value #NAME}. */
    public static final class Factory implements MethodFactory {
        @Override public String name() { return NAME; }
        @Override public Level level() { return Level.TEXT; }
        @Override public String description() { return "every model writes a knowledge paragraph; the best dev model answers with them in context"; }
        @Override public List<ParameterSpec> parameters() { return PARAMETERS; }
        @Override public KnowledgeCard create(Hyperparameters hp) { return new KnowledgeCard(this, hp); }
    }
}
