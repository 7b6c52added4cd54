package io.mocoj.task;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Few-shot prompting: the prompt of each example is preceded by {@code k} solved dev examples, each its own
 * prompt followed by its gold answer in the form the prompt asks for ({@code B} for multiple choice,
 * {@code \box{answer}} for exact and F1 match), separated by blank lines. The {@code k} dev examples are drawn
 * once, without replacement, by a seeded shuffle of the dev split, so every test example sees the same ones.
 * Scoring is the inner evaluator's.
 */
public final class FewShotEvaluator implements Evaluator {
    private final Evaluator inner;
    private final List<Example> shots;
    private final long seed;
    private final String preamble;

    private FewShotEvaluator(Evaluator inner, List<Example> shots, long seed) {
        this.inner = inner;
        this.shots = List.copyOf(shots);
        this.seed = seed;
        StringBuilder b = new StringBuilder();
        for (Example s : shots) b.append(inner.prompt(s)).append('\n').append(answerText(inner.taskType(), s)).append("\n\n");
        this.preamble = b.toString();
    }

    /**
     * Wraps {@code inner} with {@code k} demonstrations drawn from {@code dev} with {@code seed}.
     *
     * @throws IllegalArgumentException when the task type has no short gold answer to demonstrate, or the dev split
     *                                  has fewer than {@code k} examples
     */
    public static FewShotEvaluator of(Evaluator inner, List<Example> dev, int k, long seed) {
        Objects.requireNonNull(inner, "inner");
        TaskType type = inner.taskType();
        if (type != TaskType.MULTIPLE_CHOICE && type != TaskType.EXACT_MATCH && type != TaskType.F1_MATCH) {
            throw new IllegalArgumentException("num_fewshot needs short gold answers to show (multiple_choice, exact_match, f1_match); "
                    + type.configName() + " has none; remove num_fewshot");
        }
        if (k < 1) throw new IllegalArgumentException("num_fewshot must be at least 1, was " + k);
        if (dev.size() < k) {
            throw new IllegalArgumentException("num_fewshot is " + k + " but the dev split has only " + dev.size() + " examples");
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < dev.size(); i++) order.add(i);
        Collections.shuffle(order, new Random(seed));
        List<Example> shots = new ArrayList<>();
        for (int i = 0; i < k; i++) shots.add(dev.get(order.get(i)));
        return new FewShotEvaluator(inner, shots, seed);
    }

    /** The demonstrations, in the order shown. */
    public List<Example> shots() { return shots; }

    /** The ids of the demonstrations, in the order shown. */
    public List<String> shotIds() { return shots.stream().map(Example::id).toList(); }

    public long seed() { return seed; }

    /** The evaluator that formats the test prompt and scores. */
    public Evaluator inner() { return inner; }

    @Override public TaskType taskType() { return inner.taskType(); }

    @Override public String prompt(Example example) { return preamble + inner.prompt(example); }

    @Override public String extractAnswer(Example example, String response) { return inner.extractAnswer(example, response); }

    @Override public Score score(Example example, String response) { return inner.score(example, response); }

    @Override public List<Score> scoreAll(List<Example> examples, List<String> responses) { return inner.scoreAll(examples, responses); }

    private static String answerText(TaskType type, Example e) {
        return type == TaskType.MULTIPLE_CHOICE ? e.answer() : "\\box{" + e.answer() + "}";
    }
}
