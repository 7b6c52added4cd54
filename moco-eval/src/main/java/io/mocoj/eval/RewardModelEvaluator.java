package io.mocoj.eval;

import io.mocoj.eval.internal.JudgeCalls;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import io.mocoj.task.TaskType;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scores open-ended responses (reward_model and text_generation tasks) with a judge model that
 * rates the (input, response) pair from 1 to 10 using {@link #JUDGE_PROMPT}. The score is the
 * rating (1–10). MoCo uses a trained reward model whose raw scalar has no fixed scale, so the
 * numbers are not comparable with MoCo's, only between runs judged by the same judge. An output
 * without a readable rating is retried, then recorded as a failed score ({@link Score#failed()}).
 */
public final class RewardModelEvaluator implements Evaluator {
    /** The judge prompt; {@code {input}} and {@code {response}} are replaced. */
    public static final String JUDGE_PROMPT = """
            You are grading the reply an AI assistant gave to a user. Judge how helpful, correct, \
            complete and clear the reply is for what the user asked.

            [User request]
            {input}

            [Assistant reply]
            {response}

            Give a rating from 1 (useless or harmful) to 10 (excellent). Write your reasoning briefly \
            if you like, then end with a line of the form "Rating: N" where N is a number from 1 to 10.""";

    private static final Pattern RATING = Pattern.compile("rating\\s*[:=]\\s*\\**\\s*(\\d+(?:\\.\\d+)?)", Pattern.CASE_INSENSITIVE);

    private final TaskType type;
    private final ModelEndpoint judge;
    private final JudgeSettings settings;

    public RewardModelEvaluator(TaskType type, ModelEndpoint judge, JudgeSettings settings) {
        if (type != TaskType.REWARD_MODEL && type != TaskType.TEXT_GENERATION) {
            throw new IllegalArgumentException("RewardModelEvaluator scores reward_model or text_generation tasks, not " + type.configName());
        }
        this.type = type;
        this.judge = Objects.requireNonNull(judge, "judge");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public ModelEndpoint judge() { return judge; }

    @Override public java.util.Map<String, String> scoringInfo() { return java.util.Map.of("judge", judge.name()); }

    @Override public TaskType taskType() { return type; }

    @Override public String prompt(Example example) { return MocoPrompts.plain(example); }

    @Override public String extractAnswer(Example example, String response) { return response == null ? "" : response; }

    /** The rating in the judge's output (the last "Rating: N" with 1 ≤ N ≤ 10), if any. */
    public static Optional<Double> parseRating(String judgeOutput) {
        Matcher m = RATING.matcher(judgeOutput);
        Double last = null;
        while (m.find()) last = Double.parseDouble(m.group(1));
        return last != null && last >= 1 && last <= 10 ? Optional.of(last) : Optional.empty();
    }

    /** The judge's prompt for one (input, response) pair: {@link #JUDGE_PROMPT} filled in. */
    public static String judgePrompt(String input, String response) {
        return JUDGE_PROMPT.replace("{input}", input).replace("{response}", response);
    }

    @Override
    public Score score(Example example, String response) {
        String prompt = judgePrompt(example.input(), response);
        var outcome = JudgeCalls.ask(judge, prompt, settings.maxTokens(), settings.maxAttempts(), RewardModelEvaluator::parseRating);
        if (outcome.value().isEmpty()) {
            return Score.failure("judge " + judge.name() + " gave no rating after " + outcome.attempts() + " attempt(s): " + outcome.problem());
        }
        return new Score(outcome.value().get(), "", false, "rated by " + judge.name());
    }
}
