package io.mocoj.methods.toolbox;

import io.mocoj.method.MethodContext;
import io.mocoj.method.ParameterSpec;
import io.mocoj.model.Generation;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Example;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Rounds of agents answering with each other's answers in view, and their transcript. The state
 * of a debate is one response text per agent: {@code null} for an agent whose first answer
 * failed (it takes no further part); an agent whose later call fails keeps its previous response,
 * and the transcript marks the turn as failed.
 */
public final class Debate {
    private Debate() {}

    /** One agent's turn in a round: its response, the evaluator's short answer of it, and whether the call failed. */
    public record Turn(String model, String response, String answer, boolean failed) {}

    /** One round of a debate as recorded in the trace. */
    public record Round(int round, String kind, List<Turn> turns) {}

    /** A round count hyperparameter ({@code round}, {@code num_rounds}) in 1..100 whose first round is the independent answers. */
    public static ParameterSpec roundsParameter(String name, int defaultValue) {
        return ParameterSpec.integer(name, defaultValue, 1, 100, "rounds, the first being the independent answers");
    }

    /** MoCo's {@code ratio}: the share of the dev split used to choose the best dev model, in (0, 1], default 1. */
    public static ParameterSpec ratioParameter() {
        return ratioParameter(1.0, "share of the dev split used to choose the best dev model");
    }

    /** MoCo's {@code ratio} with another default and meaning: a share of the dev split in (0, 1]. */
    public static ParameterSpec ratioParameter(double defaultValue, String description) {
        return new ParameterSpec("ratio", ParameterSpec.Type.DOUBLE, defaultValue, "a number in (0, 1]",
                v -> (double) v > 0 && (double) v <= 1, description);
    }

    /**
     * Refuses a pool smaller than {@code min} models, saying what to do.
     *
     * @throws IllegalArgumentException naming the method and the count
     */
    public static void requireTeam(String method, List<ModelEndpoint> models, int min) {
        if (models.size() < min) {
            throw new IllegalArgumentException(method + " needs at least " + min + " models to collaborate, the pool has "
                    + models.size() + "; add models to model_names");
        }
    }

    /** Round 1: every agent answers the task prompt. Fails the example when every call fails. */
    public static List<String> opening(MethodContext context, Example example) {
        List<Generation> g = Answers.fromEveryModel(context, example);
        List<String> out = new ArrayList<>(g.size());
        for (Generation x : g) out.add(x == null ? null : x.text());
        if (present(out).isEmpty()) {
            throw new IllegalStateException("every model's first call failed for this example: " + Answers.failedModels(context.models(), g));
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * A later round: agent {@code i} is sent {@code prompt.apply(i)} (all concurrently); a
     * {@code null} prompt means the agent does not speak this round and keeps its response.
     *
     * @return the new responses and, per agent, whether its call failed
     */
    public static Step step(MethodContext context, List<ModelEndpoint> agents, List<String> previous, IntFunction<String> prompt) {
        return step(context, agents, previous, prompt, false);
    }

    /**
     * As {@link #step(MethodContext, List, List, IntFunction)}; with {@code ownSeeds} agent {@code i}
     * samples with its own seed ({@link AgentSampling}), otherwise with the run seed.
     */
    public static Step step(MethodContext context, List<ModelEndpoint> agents, List<String> previous, IntFunction<String> prompt, boolean ownSeeds) {
        List<String> prompts = new ArrayList<>(agents.size());
        for (int i = 0; i < agents.size(); i++) prompts.add(previous.get(i) == null ? null : prompt.apply(i));
        List<Generation> g = Answers.fromEach(context, agents, prompts, ownSeeds);
        List<String> next = new ArrayList<>(agents.size());
        boolean[] failed = new boolean[agents.size()];
        for (int i = 0; i < agents.size(); i++) {
            failed[i] = prompts.get(i) != null && g.get(i) == null;
            next.add(g.get(i) == null ? previous.get(i) : g.get(i).text());
        }
        return new Step(Collections.unmodifiableList(next), failed);
    }

    /** How a team produces round {@code round}'s responses from the previous round's. */
    @FunctionalInterface
    public interface Exchange {
        Step next(int round, List<String> previous);
    }

    /**
     * The whole debate of one example: round 1 is {@link #opening}; rounds 2..{@code rounds} come
     * from {@code exchange}; every round is recorded ({@code kind} names the later rounds).
     *
     * @return the last round's responses
     */
    public static List<String> run(MethodContext context, Example example, int index, int rounds, String kind, Exchange exchange) {
        List<ModelEndpoint> agents = context.models();
        List<String> answers = opening(context, example);
        record(context, example, index, 1, "answer", agents, answers, null);
        for (int r = 2; r <= rounds; r++) {
            Step step = exchange.next(r, answers);
            answers = step.responses();
            record(context, example, index, r, kind, agents, answers, step.failed());
        }
        return answers;
    }

    /** The result of {@link #step}. */
    public record Step(List<String> responses, boolean[] failed) {}

    /** The responses that exist, in pool order. */
    public static List<String> present(List<String> responses) {
        List<String> out = new ArrayList<>();
        for (String r : responses) if (r != null) out.add(r);
        return out;
    }

    /** The existing responses of the agents in {@code who}, in that order. */
    public static List<String> of(List<String> responses, List<Integer> who) {
        List<String> out = new ArrayList<>();
        for (int i : who) if (responses.get(i) != null) out.add(responses.get(i));
        return out;
    }

    /** The existing responses of every agent but {@code self}, in pool order. */
    public static List<String> othersThan(List<String> responses, int self) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < responses.size(); i++) if (i != self && responses.get(i) != null) out.add(responses.get(i));
        return out;
    }

    /** Records a round ({@code kind}: e.g. "answer", "refine", "revise") as the example's trace event {@code round}. */
    public static void record(MethodContext context, Example example, int index, int round, String kind,
                              List<ModelEndpoint> agents, List<String> responses, boolean[] failed) {
        List<Turn> turns = new ArrayList<>(agents.size());
        for (int i = 0; i < agents.size(); i++) {
            String r = responses.get(i);
            turns.add(new Turn(agents.get(i).name(), r, r == null ? null : context.evaluator().extractAnswer(example, r),
                    r == null || (failed != null && failed[i])));
        }
        context.trace().record(index, "round", Map.of("round", new Round(round, kind, List.copyOf(turns))));
    }

    /** The final call of a team by one model; the example fails if it fails. */
    public static String finalCall(MethodContext context, ModelEndpoint model, String prompt, int index, String step) {
        Generation g = context.ask(model, prompt);
        context.trace().record(index, step, Map.of("model", model.name(), "response", g.text()));
        return g.text();
    }
}
