package io.mocoj.eval;

import io.mocoj.task.Evaluator;
import io.mocoj.task.Task;

import java.util.Locale;

/**
 * Factories for every evaluator. The plain factories use {@link MatchMode#MOCO_COMPATIBLE};
 * the {@code strict…} ones opt into {@link MatchMode#STRICT}.
 */
public final class Evaluators {
    private Evaluators() {}

    /** Multiple choice, MoCo-compatible letter matching. */
    public static MultipleChoiceEvaluator multipleChoice() { return new MultipleChoiceEvaluator(MatchMode.MOCO_COMPATIBLE); }

    public static MultipleChoiceEvaluator multipleChoice(MatchMode mode) { return new MultipleChoiceEvaluator(mode); }

    /** Multiple choice with strict letter matching. */
    public static MultipleChoiceEvaluator strictMultipleChoice() { return new MultipleChoiceEvaluator(MatchMode.STRICT); }

    /** Exact match, MoCo-compatible extraction and normalisation. */
    public static ExactMatchEvaluator exactMatch() { return new ExactMatchEvaluator(MatchMode.MOCO_COMPATIBLE); }

    public static ExactMatchEvaluator exactMatch(MatchMode mode) { return new ExactMatchEvaluator(mode); }

    /** Exact match with balanced-brace extraction and numeric equivalence. */
    public static ExactMatchEvaluator strictExactMatch() { return new ExactMatchEvaluator(MatchMode.STRICT); }

    /** Token F1 (best over the references), MoCo-compatible extraction. */
    public static F1MatchEvaluator f1Match() { return new F1MatchEvaluator(MatchMode.MOCO_COMPATIBLE); }

    public static F1MatchEvaluator f1Match(MatchMode mode) { return new F1MatchEvaluator(mode); }

    /** Token F1 with strict extraction. */
    public static F1MatchEvaluator strictF1Match() { return new F1MatchEvaluator(MatchMode.STRICT); }

    /** culturebench: exact match, then all-or-nothing per {@code question_id}. */
    public static GroupAllCorrectEvaluator culturebench() { return culturebench(MatchMode.MOCO_COMPATIBLE); }

    public static GroupAllCorrectEvaluator culturebench(MatchMode mode) {
        return new GroupAllCorrectEvaluator(exactMatch(mode), "question_id");
    }

    /** Any evaluator with all-or-nothing scoring over the groups of {@code field}. */
    public static GroupAllCorrectEvaluator groupAllCorrect(Evaluator inner, String field) {
        return new GroupAllCorrectEvaluator(inner, field);
    }

    /**
     * The MoCo-compatible evaluator for a task, chosen by its type and, where scoring has
     * quirks, its name (culturebench group scoring).
     *
     * @throws IllegalArgumentException when the task type needs a collaborator (a judge model) that only the caller can give
     */
    public static Evaluator forTask(Task task) { return forTask(task, MatchMode.MOCO_COMPATIBLE); }

    /** Like {@link #forTask(Task)} with the given match mode for mc / em / f1 tasks. */
    public static Evaluator forTask(Task task, MatchMode mode) {
        String name = task.name().toLowerCase(Locale.ROOT);
        return switch (task.type()) {
            case MULTIPLE_CHOICE -> multipleChoice(mode);
            case EXACT_MATCH -> name.equals("culturebench") ? culturebench(mode) : exactMatch(mode);
            case F1_MATCH -> f1Match(mode);
            default -> throw new IllegalArgumentException("task '" + task.name() + "' of type '" + task.type().configName()
                    + "' has no evaluator yet in moco-eval");
        };
    }
}
