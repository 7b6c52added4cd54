package io.mocoj.methods.testing;

import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import io.mocoj.task.TaskType;

/** Prompts with the example's input; scores 1 when the stripped response is the first reference answer (for toy tasks on tiny models). */
public final class ExactWordEvaluator implements Evaluator {
    @Override public TaskType taskType() { return TaskType.EXACT_MATCH; }
    @Override public String prompt(Example e) { return e.input(); }
    @Override public String extractAnswer(Example e, String response) { return response.strip(); }
    @Override public Score score(Example e, String response) {
        return Score.of(response.strip().equals(e.answers().get(0)) ? 1 : 0, response.strip());
    }
}
