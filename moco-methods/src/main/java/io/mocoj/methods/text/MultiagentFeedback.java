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
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * {@code text_multiagent_feedback}: agents review each other's answers and revise.
 * <ol>
 *   <li>the summariser is the best model on the first {@code ratio} share of dev;</li>
 *   <li>round 1: every agent answers;</li>
 *   <li>rounds 2..{@code round}: for every agent, min(feedback_count, N − 1) other agents,
 *       drawn at random, give feedback on its answer; then every agent revises its answer with
 *       the feedback it received;</li>
 *   <li>the summariser combines the last round's answers into the output.</li>
 * </ol>
 * Calls per test example: N + (round − 1)·N·(min(feedback_count, N − 1) + 1) + 1.
 */
public final class MultiagentFeedback extends ConfiguredMethod<MultiagentFeedback> {
    public static final String NAME = "text_multiagent_feedback";

    static final List<ParameterSpec> PARAMETERS = List.of(
            Debate.roundsParameter("round", 3),
            ParameterSpec.integer("feedback_count", 3, 1, 1000, "reviewers per agent and round (at most N − 1 are used)"),
            Debate.ratioParameter());

    private final int feedbackCount;
    private final int rounds;

    MultiagentFeedback(MethodFactory factory, Hyperparameters hp) {
        super(factory, hp);
        this.feedbackCount = hp.getInt("feedback_count");
        this.rounds = hp.getInt("round");
    }

    /** A copy with {@code round} rounds (the first is the independent answers). */
    public MultiagentFeedback rounds(int round) { return with("round", round); }

    /** A copy with this many reviewers per agent and round. */
    public MultiagentFeedback feedbackCount(int n) { return with("feedback_count", n); }

    /** A copy choosing the summariser on this share of dev. */
    public MultiagentFeedback ratio(double share) { return with("ratio", share); }

    @Override public Set<Capability> requiredCapabilities() { return EnumSet.of(Capability.TEXT); }

    @Override public void checkPool(List<ModelEndpoint> models) { Debate.requireTeam(NAME, models, 2); }

    /** A feedback given in a round. */
    public record Review(String reviewer, String reviewed, String feedback) {}

    @Override
    public MethodOutput run(MethodContext context) {
        List<ModelEndpoint> agents = context.models();
        ModelEndpoint summariser = agents.get(BestDevModel.choose(context, hyperparameters().getDouble("ratio")).index());
        return context.forEachTest((example, index) -> {
            String question = context.evaluator().prompt(example);
            List<String> answers = Debate.run(context, example, index, rounds, "revise", (round, seen) -> {
                List<Review> reviews = reviews(context, agents, seen, question, round,
                        context.random(NAME + "/reviewers/" + index + "/" + round));
                context.trace().record(index, "feedback", Map.of("round", round, "reviews", reviews));
                return Debate.step(context, agents, seen, i -> {
                    List<String> received = reviews.stream().filter(v -> v.reviewed().equals(agents.get(i).name()) && v.feedback() != null)
                            .map(Review::feedback).toList();
                    return received.isEmpty() ? null : TeamPrompts.reviseWithFeedback(question, seen.get(i), received, round);
                });
            });
            return Debate.finalCall(context, summariser, TeamPrompts.summarise(question, Debate.present(answers)), index, "summary");
        });
    }

    /** Every agent with an answer gets feedback from min(feedback_count, N − 1) others drawn without replacement; all calls concurrent. */
    private List<Review> reviews(MethodContext context, List<ModelEndpoint> agents, List<String> answers, String question,
                                 int round, RandomGenerator random) {
        record Job(int reviewer, int reviewed) {}
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < agents.size(); i++) {
            if (answers.get(i) == null) continue;
            List<Integer> others = new ArrayList<>();
            for (int k = 0; k < agents.size(); k++) if (k != i && answers.get(k) != null) others.add(k);
            int take = Math.min(feedbackCount, others.size());
            for (int t = 0; t < take; t++) jobs.add(new Job(others.remove(random.nextInt(others.size())), i));
        }
        return context.parallel(jobs, j -> {
            Generation g = Answers.askOrNull(context, agents.get(j.reviewer()),
                    TeamPrompts.feedbackRequest(question, agents.get(j.reviewed()).name(), answers.get(j.reviewed()), round));
            return new Review(agents.get(j.reviewer()).name(), agents.get(j.reviewed()).name(), g == null ? null : g.text());
        });
    }

    /** Registered under {@value #NAME}. */
    public static final class Factory implements MethodFactory {
        @Override public String name() { return NAME; }
        @Override public Level level() { return Level.TEXT; }
        @Override public String description() { return "agents give feedback on each other's answers and revise; the best dev model summarises"; }
        @Override public List<ParameterSpec> parameters() { return PARAMETERS; }
        @Override public MultiagentFeedback create(Hyperparameters hp) { return new MultiagentFeedback(this, hp); }
    }
}
