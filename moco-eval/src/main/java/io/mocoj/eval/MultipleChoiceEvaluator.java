package io.mocoj.eval;

import io.mocoj.eval.internal.ChoiceExtraction;
import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import io.mocoj.task.TaskType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Scores multiple-choice responses: 1 when the extracted letter is the gold letter. Letters
 * are assigned by option position (A, B, …); a gold answer given as a choice key that is not
 * a position letter is mapped to its position.
 */
public final class MultipleChoiceEvaluator implements Evaluator {
    private final MatchMode mode;

    public MultipleChoiceEvaluator(MatchMode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    public MatchMode mode() { return mode; }

    @Override public TaskType taskType() { return TaskType.MULTIPLE_CHOICE; }

    @Override public String prompt(Example example) { return MocoPrompts.multipleChoice(example); }

    @Override
    public String extractAnswer(Example example, String response) {
        if (response == null) return "";
        List<String> options = new ArrayList<>(example.choices().values());
        return mode == MatchMode.STRICT
                ? ChoiceExtraction.extractStrict(response, options)
                : ChoiceExtraction.extractCompatible(response, options);
    }

    @Override
    public Score score(Example example, String response) {
        String gold = goldLetter(example);
        String chosen = extractAnswer(example, response);
        if (chosen.isEmpty()) return new Score(0, "", false, "no option recognised");
        return new Score(chosen.equals(gold) ? 1 : 0, chosen, false, chosen.equals(gold) ? "" : "gold " + gold);
    }

    /** The gold answer as a position letter. */
    static String goldLetter(Example example) {
        String answer = example.answer().strip();
        List<String> keys = new ArrayList<>(example.choices().keySet());
        int idx = keys.indexOf(answer);
        if (idx >= 0) return ChoiceExtraction.letter(idx);
        return answer.toUpperCase(Locale.ROOT);
    }
}
