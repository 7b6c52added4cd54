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
 * Scores multiple-choice responses: 1 when the extracted letter is the gold answer. Letters are
 * assigned by option position (A, B, …). In {@link MatchMode#MOCO_COMPATIBLE} mode the gold
 * answer is compared with the letter exactly as the file gives it (as the toolkit does, so an
 * answer key such as {@code "2"} or {@code "id"} can never match, also for items the loader
 * relabelled, see {@link Example#ANSWER_KEY_IN_FILE}); in {@link MatchMode#STRICT} mode a gold answer
 * that is one of the choice keys is mapped to the letter of its position, and case is ignored.
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
        String gold = mode == MatchMode.STRICT ? goldLetter(example) : compatibleGold(example);
        String chosen = extractAnswer(example, response);
        if (chosen.isEmpty()) return new Score(0, "", false, "no option recognised");
        return new Score(chosen.equals(gold) ? 1 : 0, chosen, false, chosen.equals(gold) ? "" : "gold " + gold);
    }

    /**
     * The gold answer MoCo compares the extracted letter with: the file's own answer key. For an item
     * loaded by moco-datasets whose key is not its position letter (arc_challenge keys {@code 1..4},
     * tablemwp's {@code id}) that is {@link Example#ANSWER_KEY_IN_FILE}, which no letter equals.
     */
    static String compatibleGold(Example example) {
        return example.field(Example.ANSWER_KEY_IN_FILE).orElse(example.answer());
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
