package io.mocoj.eval;

import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import io.mocoj.task.TaskType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Group scoring (MoCo's culturebench rule): after scoring each example with the wrapped
 * evaluator, every example that shares a value of the grouping field (e.g. {@code question_id})
 * gets 1 only if all examples of its group scored 1, else 0. Examples without the field form
 * groups of their own. {@link #score} on a single example is the wrapped evaluator's score;
 * the group rule needs the whole split, so use {@link #scoreAll}.
 */
public final class GroupAllCorrectEvaluator implements Evaluator {
    private final Evaluator inner;
    private final String groupField;

    public GroupAllCorrectEvaluator(Evaluator inner, String groupField) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.groupField = Objects.requireNonNull(groupField, "groupField");
    }

    public Evaluator inner() { return inner; }

    public String groupField() { return groupField; }

    @Override public TaskType taskType() { return inner.taskType(); }

    @Override public java.util.Map<String, String> scoringInfo() { return inner.scoringInfo(); }

    @Override public String prompt(Example example) { return inner.prompt(example); }

    @Override public String extractAnswer(Example example, String response) { return inner.extractAnswer(example, response); }

    @Override public Score score(Example example, String response) { return inner.score(example, response); }

    @Override
    public List<Score> scoreAll(List<Example> examples, List<String> responses) {
        if (examples.size() != responses.size()) {
            throw new IllegalArgumentException("scoreAll needs one response per example: " + examples.size()
                    + " examples but " + responses.size() + " responses");
        }
        List<Score> individual = inner.scoreAll(examples, responses);
        Map<String, Boolean> allCorrect = new HashMap<>();
        for (int i = 0; i < examples.size(); i++) {
            String key = groupKey(examples.get(i), i);
            boolean ok = individual.get(i).value() == 1.0;
            allCorrect.merge(key, ok, Boolean::logicalAnd);
        }
        List<Score> out = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            Score s = individual.get(i);
            boolean groupOk = allCorrect.get(groupKey(examples.get(i), i));
            String detail = groupOk ? s.detail()
                    : (s.value() == 1.0 ? "correct, but another example of " + groupField + " group failed" : s.detail());
            out.add(new Score(groupOk ? 1 : 0, s.extracted(), s.failed(), detail));
        }
        return out;
    }

    private String groupKey(Example e, int index) {
        return e.field(groupField).map(v -> "g:" + v).orElse("#" + index);
    }
}
