package io.mocoj.sim;

import io.mocoj.sim.internal.Answers;
import io.mocoj.sim.internal.Draws;
import io.mocoj.sim.internal.PromptReader;
import io.mocoj.sim.internal.PromptReader.Shown;
import io.mocoj.sim.internal.TeamPrompts;
import io.mocoj.task.Example;
import java.util.List;
import java.util.function.Function;

/**
 * How a simulated model acts on collaboration prompts (see {@link TeamPrompts.Kind}): it reads
 * the answers shown in the relevant section and decides with its own probabilities. Every rule
 * and probability is in {@code docs/simulated-models.md}, section "Team prompts".
 */
final class TeamBehaviour {
    private static final long P_AGGREGATE = 21, P_CRITIQUE = 22, P_FIX = 23, P_KNOWLEDGE = 24, P_UPTAKE = 25,
            P_JUDGE = 26, P_JUDGE_TIE = 27, P_SCORE = 28, P_SCORE_VALUE = 29, P_MISLEAD = 30,
            P_ACTION = 31, P_ACTION_KIND = 32, P_VOTE = 33, P_VOTE_PICK = 34;

    static final String STRATEGY = "Strategy: compare what each option claims with what the question states, rule out the options "
            + "that contradict it, then check the one that is left before committing to it.";

    private final double aggregationAccuracy;
    private final double critiqueAccuracy;
    private final double fixRate;
    private final double contextUptake;
    private final double judgeAccuracy;
    private final double terminateRate;

    TeamBehaviour(double aggregationAccuracy, double critiqueAccuracy, double fixRate, double contextUptake, double judgeAccuracy,
                  double terminateRate) {
        this.terminateRate = terminateRate;
        this.aggregationAccuracy = aggregationAccuracy;
        this.critiqueAccuracy = critiqueAccuracy;
        this.fixRate = fixRate;
        this.contextUptake = contextUptake;
        this.judgeAccuracy = judgeAccuracy;
    }

    /** Adds this behaviour's parameters, by their spec names, to a model's description (identity, toString). */
    void describe(java.util.Map<String, Object> p) {
        p.put("aggregation_accuracy", aggregationAccuracy);
        p.put("critique_accuracy", critiqueAccuracy);
        p.put("fix_rate", fixRate);
        p.put("context_uptake", contextUptake);
        p.put("judge_accuracy", judgeAccuracy);
        p.put("terminate_rate", terminateRate);
    }

    /**
     * One sample's view of the prompt.
     *
     * @param example    the example the prompt is about
     * @param letters    whether answers are option letters
     * @param exampleKey the draw key of (model, example, sample): decisions that must not depend on wording
     * @param promptKey  the draw key of (model, example, sample, normalised prompt): fresh decisions per prompt
     * @param ownAnswer  the model's own answer (correct with its accuracy)
     * @param accuracy   the model's accuracy on this example
     * @param blanked    the last user message with the question blanked
     * @param wrong      draws a wrong answer from a key
     * @param render     writes an answer in the model's style
     */
    record Turn(Example example, boolean letters, long exampleKey, long promptKey, String ownAnswer, double accuracy,
                String blanked, Function<Long, String> wrong, Function<String, String> render) {
        boolean correct(String answer) { return answer != null && Answers.matchesGold(example, answer, letters); }

        String gold() { return letters ? example.answer().strip() : example.answer(); }

        List<Shown> shown(String section) { return PromptReader.shownAnswers(section, example, letters); }

        /** An answer written compactly so that it can be quoted inside other text: {@code (B)} or {@code \box{42}}. */
        String quote(String answer) { return letters ? "(" + answer + ")" : "\\box{" + answer + "}"; }
    }

    /** A reply: its text and whether the answer it gives is correct (null when it gives none). */
    record Reply(String text, Boolean correct) {}

    Reply reply(TeamPrompts.Kind kind, Turn t) {
        return switch (kind) {
            case AGGREGATE -> answer(t, aggregate(t));
            case CRITIQUE -> critique(t);
            case REVISE_WITH_FEEDBACK -> answer(t, revise(t));
            case WRITE_KNOWLEDGE -> knowledge(t);
            case ANSWER_WITH_KNOWLEDGE -> answer(t, useKnowledge(t));
            case PAIRWISE -> new Reply(pairwise(t), null);
            case SCORE -> new Reply(Integer.toString(score(t)), null);
            case BOARD_SELECT -> new Reply(selectAction(t), null);
            case BOARD_EXECUTE -> execute(t);
            case BOARD_VOTE -> new Reply("Therefore, I vote for Conclusion #" + vote(t) + ".", null);
            case NONE -> throw new IllegalArgumentException("not a team prompt");
        };
    }

    private static Reply answer(Turn t, String answer) {
        return new Reply(t.render().apply(answer), t.correct(answer));
    }

    /** A correct shown answer with probability aggregation_accuracy (if one is shown), else the plurality; own answer when none is shown. */
    private String aggregate(Turn t) {
        List<Shown> shown = t.shown(t.blanked());
        if (shown.isEmpty()) return t.ownAnswer();
        boolean goldShown = shown.stream().anyMatch(s -> t.correct(s.text()));
        if (goldShown && Draws.uniform(t.exampleKey(), P_AGGREGATE) < aggregationAccuracy) return t.gold();
        return shown.get(0).text();
    }

    /** Feedback on the (first-listed most frequent) answer shown; accurate with probability critique_accuracy. */
    private Reply critique(Turn t) {
        List<Shown> shown = t.shown(t.blanked());
        if (shown.isEmpty()) return new Reply("I cannot find a definite final answer in it; please state one clearly.", null);
        boolean reviewedCorrect = t.correct(shown.get(0).text());
        boolean accurate = Draws.uniform(t.promptKey(), P_CRITIQUE) < critiqueAccuracy;
        if (reviewedCorrect == accurate) return new Reply("This looks right to me; I agree with it.", null);
        String named = reviewedCorrect ? t.wrong().apply(Draws.combine(t.promptKey(), P_MISLEAD)) : t.gold();
        return new Reply("This is not right. The correct answer is " + t.quote(named) + ".", null);
    }

    /** The previous answer, switched to a correct answer named in the feedback with probability fix_rate. */
    private String revise(Turn t) {
        List<Shown> previous = t.shown(TeamPrompts.previousAnswer(t.blanked()));
        String base = previous.isEmpty() ? t.ownAnswer() : previous.get(0).text();
        if (t.correct(base)) return base;
        boolean goldNamed = t.shown(TeamPrompts.feedback(t.blanked())).stream().anyMatch(s -> t.correct(s.text()));
        if (goldNamed && Draws.uniform(t.promptKey(), P_FIX) < fixRate) return t.gold();
        return base;
    }

    /** A paragraph stating the gold answer with the model's accuracy (a draw independent of its own answer), else a wrong one. */
    private Reply knowledge(Turn t) {
        boolean right = Draws.uniform(t.exampleKey(), P_KNOWLEDGE) < t.accuracy();
        String fact = right ? t.gold() : t.wrong().apply(Draws.combine(t.exampleKey(), P_KNOWLEDGE));
        return new Reply("Background knowledge: the facts that matter for this question point to " + t.quote(fact) + ".", null);
    }

    /** The correct answer with probability context_uptake when a paragraph in context states it, else the own answer. */
    private String useKnowledge(Turn t) {
        boolean goldInContext = t.shown(t.blanked()).stream().anyMatch(s -> t.correct(s.text()));
        if (goldInContext && Draws.uniform(t.exampleKey(), P_UPTAKE) < contextUptake) return t.gold();
        return t.ownAnswer();
    }

    /** When exactly one candidate is correct, it is picked with probability judge_accuracy; otherwise A or B with probability 1/2. */
    private String pairwise(Turn t) {
        List<String> sections = TeamPrompts.pairwiseCandidates(t.blanked());
        boolean a = correctSection(t, sections.get(0));
        boolean b = correctSection(t, sections.get(1));
        if (a != b) {
            boolean right = Draws.uniform(t.promptKey(), P_JUDGE) < judgeAccuracy;
            return (a == right) ? "A" : "B";
        }
        return Draws.uniform(t.promptKey(), P_JUDGE_TIE) < 0.5 ? "A" : "B";
    }

    private static boolean correctSection(Turn t, String section) {
        List<Shown> shown = t.shown(section);
        return !shown.isEmpty() && t.correct(shown.get(0).text());
    }

    /**
     * A 1-10 score of the answer shown: "high" (uniform in 6..10) for a correct answer and "low"
     * (uniform in 1..5) for a wrong or missing one, each flipped with probability 1 − judge_accuracy.
     */
    private int score(Turn t) {
        List<Shown> shown = t.shown(t.blanked());
        boolean correct = !shown.isEmpty() && t.correct(shown.get(0).text());
        boolean high = correct == (Draws.uniform(t.promptKey(), P_SCORE) < judgeAccuracy);
        int offset = Draws.below(Draws.combine(t.promptKey(), P_SCORE_VALUE), 5);
        return high ? 6 + offset : 1 + offset;
    }

    /**
     * Blackboard action choice (per prompt): on an empty board (no entry shows an answer and no
     * strategy has been written) it proposes a strategy; otherwise it terminates with probability
     * terminate_rate, else executes a step or critiques, each with probability 1/2.
     */
    private String selectAction(Turn t) {
        boolean empty = t.shown(t.blanked()).isEmpty() && !t.blanked().contains(STRATEGY);
        String action;
        if (empty) action = "propose a solving strategy";
        else if (Draws.uniform(t.promptKey(), P_ACTION) < terminateRate) action = "terminate and finalize the solution";
        else action = Draws.uniform(t.promptKey(), P_ACTION_KIND) < 0.5 ? "execute a solution step" : "critique and refine existing work";
        return "I choose to " + action + ".";
    }

    /** Carrying out an action: a strategy (no answer), its own answer, or the aggregation rule over the board (critique, and FINAL:). */
    private Reply execute(Turn t) {
        return switch (TeamPrompts.boardAction(t.blanked())) {
            case "propose a solving strategy" -> new Reply(STRATEGY, null);
            case "execute a solution step" -> answer(t, t.ownAnswer());
            case "critique and refine existing work" -> {
                String a = aggregate(t);
                yield new Reply("Critique: weighing the entries so far, I would settle on this.\n" + t.render().apply(a), t.correct(a));
            }
            default -> {
                String a = aggregate(t);
                yield new Reply("FINAL:\n" + t.render().apply(a), t.correct(a));
            }
        };
    }

    /** Vote (per prompt): the first correct conclusion with probability judge_accuracy if there is one, else a uniformly drawn conclusion. */
    private int vote(Turn t) {
        java.util.Map<Integer, String> conclusions = TeamPrompts.conclusions(t.blanked());
        List<Integer> numbers = List.copyOf(conclusions.keySet());
        Integer firstRight = null;
        for (var e : conclusions.entrySet()) {
            List<Shown> s = t.shown(e.getValue());
            if (!s.isEmpty() && t.correct(s.get(0).text())) { firstRight = e.getKey(); break; }
        }
        if (firstRight != null && Draws.uniform(t.promptKey(), P_VOTE) < judgeAccuracy) return firstRight;
        return numbers.get(Draws.below(Draws.combine(t.promptKey(), P_VOTE_PICK), numbers.size()));
    }
}
