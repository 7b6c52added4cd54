package io.mocoj.chat.internal;

import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import io.mocoj.task.TaskType;
import java.util.Objects;

/**
 * The evaluator of a chat run: the chat turn itself is free-form (its prompt is the user's message
 * as written, with no answer-format suffix, and it is not scored); dev examples of a calibration
 * task go to that task's own evaluator so that dev-based methods rank the pool as in a benchmark.
 */
public final class ChatEvaluator implements Evaluator {
    /** The field that marks the chat turn among the examples. */
    public static final String CHAT_FIELD = "moco_chat_turn";

    private final TaskType type;
    private final Evaluator calibration;

    /** @param calibration the calibration task's evaluator, or null when there is none */
    public ChatEvaluator(TaskType type, Evaluator calibration) {
        this.type = Objects.requireNonNull(type);
        this.calibration = calibration;
    }

    private boolean chat(Example e) { return calibration == null || e.fields().containsKey(CHAT_FIELD); }

    @Override public TaskType taskType() { return type; }

    @Override public String prompt(Example example) {
        return chat(example) ? example.input() : calibration.prompt(example);
    }

    @Override public String extractAnswer(Example example, String response) {
        return chat(example) ? response.strip() : calibration.extractAnswer(example, response);
    }

    @Override public Score score(Example example, String response) {
        return chat(example) ? new Score(0, response.strip(), false, "chat turn (not scored)") : calibration.score(example, response);
    }
}
