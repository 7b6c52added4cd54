package io.mocoj.eval;

import io.mocoj.eval.internal.ChoiceExtraction;
import io.mocoj.task.Example;

import java.util.ArrayList;
import java.util.List;

/** The prompts of the published MoCo toolkit, so that scores stay comparable. */
public final class MocoPrompts {
    private MocoPrompts() {}

    /** The instruction line that ends every multiple-choice prompt. */
    public static final String MCQ_INSTRUCTION =
            "Please select the correct answer by choosing the letter corresponding to your choice.";
    /** The instruction that ends every exact_match / f1_match prompt. */
    public static final String BOX_INSTRUCTION =
            "Please provide the final, direct answer wrapped exactly as \\box{ANSWER}";

    /**
     * The question, a newline, one line {@code A) text} per option (letters by position), then
     * {@link #MCQ_INSTRUCTION} and a newline.
     *
     * @throws IllegalArgumentException when the example has no options or more than 26
     */
    public static String multipleChoice(Example example) {
        List<String> options = new ArrayList<>(example.choices().values());
        if (options.isEmpty()) {
            throw new IllegalArgumentException("multiple-choice example '" + example.id() + "' has no choices");
        }
        StringBuilder b = new StringBuilder(example.input()).append('\n');
        for (int i = 0; i < options.size(); i++) {
            b.append(ChoiceExtraction.letter(i)).append(") ").append(options.get(i)).append('\n');
        }
        return b.append(MCQ_INSTRUCTION).append('\n').toString();
    }

    /** The input with trailing white space removed, a blank line, then {@link #BOX_INSTRUCTION}. */
    public static String boxedAnswer(Example example) {
        return example.input().stripTrailing() + "\n\n" + BOX_INSTRUCTION;
    }

    /** The input as is (noncompliance, reward_model, text_generation, generation_diversity, coding). */
    public static String plain(Example example) {
        return example.input();
    }
}
