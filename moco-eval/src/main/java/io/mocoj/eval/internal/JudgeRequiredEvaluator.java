package io.mocoj.eval.internal;

import io.mocoj.eval.MocoPrompts;
import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import io.mocoj.task.TaskType;

/**
 * What the service provider returns for task types that need a judge model the user has not
 * given: prompts are formatted as usual, every score is a failed score saying what to do.
 */
public final class JudgeRequiredEvaluator implements Evaluator {
    private final TaskType type;
    private final String taskName;

    public JudgeRequiredEvaluator(TaskType type, String taskName) {
        this.type = type;
        this.taskName = taskName;
    }

    @Override public TaskType taskType() { return type; }

    @Override public String prompt(Example example) { return MocoPrompts.plain(example); }

    @Override public String extractAnswer(Example example, String response) { return response == null ? "" : response; }

    @Override
    public Score score(Example example, String response) {
        String factory = type == TaskType.GENERAL_VERIFIER ? "Evaluators.generalVerifier(judge)" : "Evaluators.rewardModel(judge)";
        return Score.failure("task '" + taskName + "' (" + type.configName() + ") is scored by a judge model and none was given: "
                + "set \"judge_model\" in the config, call .judgeModel(...) on the run builder, or pass " + factory + " as the run's evaluator");
    }
}
