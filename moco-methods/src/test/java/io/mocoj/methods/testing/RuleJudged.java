package io.mocoj.methods.testing;

import io.mocoj.model.Capability;
import io.mocoj.model.Generation;
import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.train.FineTuneRequest;
import io.mocoj.train.TrainableModel;
import java.util.Set;
import java.util.function.ToIntBiFunction;

/**
 * A real trainable model whose replies to peer-judge prompts ({@code PeerJudge.prompt}: "Rate the
 * response ... Question: Q\nResponse: R") follow a published rule — <b>simulated judging</b> —
 * while every other call (answers, duels, debates) and every training job is the model's own. The
 * rule gets the question and the judged response and returns the score 1..10; the reply is
 * {@code {"score": N}}. A fine-tuned copy keeps the rule.
 */
public final class RuleJudged implements TrainableModel {
    private static final String QUESTION = "\nQuestion: ", RESPONSE = "\nResponse: ";

    private final ModelEndpoint model;
    private final ToIntBiFunction<String, String> rule;

    /** {@code rule}: (question, response) → score 1..10. */
    public RuleJudged(ModelEndpoint model, ToIntBiFunction<String, String> rule) {
        if (!(model instanceof TrainableModel)) throw new IllegalArgumentException(model.name() + " cannot train");
        this.model = model;
        this.rule = rule;
    }

    /** The judged model itself. */
    public ModelEndpoint model() { return model; }

    @Override public String name() { return model.name(); }

    @Override public Set<Capability> capabilities() { return model.capabilities(); }

    @Override public String identity() { return model.identity(); }

    @Override
    public Generation generate(GenerationRequest r) {
        String p = r.messages().get(r.messages().size() - 1).text();
        if (p.startsWith("Rate the response")) {
            int q = p.indexOf(QUESTION), a = p.lastIndexOf(RESPONSE);
            String question = q < 0 || a < q ? "" : p.substring(q + QUESTION.length(), a);
            return Generation.of("{\"score\": " + rule.applyAsInt(question, p.substring(a + RESPONSE.length())) + "}");
        }
        return model.generate(r);
    }

    @Override
    public ModelEndpoint fineTune(FineTuneRequest request) { return new RuleJudged(((TrainableModel) model).fineTune(request), rule); }
}
