package io.mocoj.methods.testing;

import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import io.mocoj.task.TaskType;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small multiple-choice evaluator for tests of the method logic: the prompt lists the options,
 * the extracted answer is the first standalone option letter of the response, and the score is
 * 1 when it equals the gold letter.
 */
public class LetterEvaluator implements Evaluator {
    private static final Pattern LETTER = Pattern.compile("\\b([A-Z])\\b");

    @Override public TaskType taskType() { return TaskType.MULTIPLE_CHOICE; }

    @Override
    public String prompt(Example example) {
        StringBuilder sb = new StringBuilder(example.input()).append('\n');
        example.choices().forEach((k, v) -> sb.append(k).append(". ").append(v).append('\n'));
        return sb.append("Answer with the letter of the correct option.").toString();
    }

    @Override
    public String extractAnswer(Example example, String response) {
        Matcher m = LETTER.matcher(response);
        while (m.find()) if (example.choices().containsKey(m.group(1))) return m.group(1);
        return "";
    }

    @Override
    public Score score(Example example, String response) {
        String a = extractAnswer(example, response);
        return Score.of(a.equals(example.answer()) ? 1 : 0, a);
    }
}
