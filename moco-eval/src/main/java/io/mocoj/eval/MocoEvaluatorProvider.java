package io.mocoj.eval;

import io.mocoj.task.Evaluator;
import io.mocoj.task.EvaluatorOptions;
import io.mocoj.task.EvaluatorProvider;
import io.mocoj.task.Task;
import io.mocoj.task.TaskType;

import java.util.Optional;

/**
 * Registers the MoCo-compatible evaluators with {@link java.util.ServiceLoader}. Given a run's
 * options, judge-scored task types use the run's judge model and generation_diversity its
 * embedding model; a judge-scored task without a judge is refused before any model is called.
 */
public final class MocoEvaluatorProvider implements EvaluatorProvider {
    @Override
    public Optional<Evaluator> evaluatorFor(Task task) {
        return Optional.of(Evaluators.forTask(task));
    }

    @Override
    public Optional<Evaluator> evaluatorFor(Task task, EvaluatorOptions options) {
        TaskType type = task.type();
        if (needsJudge(type)) {
            var judge = options.judge().orElseThrow(() -> new IllegalArgumentException("task " + task.name() + " ("
                    + type.configName() + ") is scored by a judge model and none was given: set \"judge_model\" in the config"
                    + " (a model spec, e.g. \"judge_model\": \"openai:gpt-4o-mini\") or call .judgeModel(...) on the run builder"));
            return Optional.of(switch (type) {
                case GENERAL_VERIFIER -> Evaluators.generalVerifier(judge);
                case TEXT_GENERATION -> Evaluators.textGeneration(judge);
                default -> Evaluators.rewardModel(judge);
            });
        }
        if (type == TaskType.GENERATION_DIVERSITY && options.embeddingModel().isPresent()) {
            return Optional.of(new GenerationDiversityEvaluator(options.embeddingModel().get(),
                    options.embeddingModelName().orElse("custom")));
        }
        return evaluatorFor(task);
    }

    /** Whether tasks of this type are scored by a judge model (reward_model, text_generation, general_verifier). */
    public static boolean needsJudge(TaskType type) {
        return type == TaskType.REWARD_MODEL || type == TaskType.TEXT_GENERATION || type == TaskType.GENERAL_VERIFIER;
    }
}
