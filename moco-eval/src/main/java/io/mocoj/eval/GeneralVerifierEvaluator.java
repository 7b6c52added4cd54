package io.mocoj.eval;

import io.mocoj.eval.internal.ChoiceExtraction;
import io.mocoj.eval.internal.JudgeCalls;
import io.mocoj.model.ModelEndpoint;
import io.mocoj.task.Evaluator;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import io.mocoj.task.TaskType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * general_verifier: a judge model decides whether the response's answer is equivalent to the
 * reference, answering "Final Decision: Yes" or "Final Decision: No" to {@link #JUDGE_PROMPT}
 * (the same question / ground truth / student answer layout as the verifier MoCo uses). Prompts
 * and answer extraction come from the multiple-choice evaluator for examples with choices and
 * from the exact-match evaluator otherwise. The student answer shown to the judge is the extracted
 * answer (for multiple choice, the letter and its option text), or the whole response when
 * nothing was extracted. An unreadable verdict is retried, then recorded as a failed score.
 */
public final class GeneralVerifierEvaluator implements Evaluator {
    /** The judge prompt; {@code {question}}, {@code {reference}} and {@code {answer}} are replaced. */
    public static final String JUDGE_PROMPT = """
            ### Question: {question}

            ### Ground Truth Answer: {reference}

            ### Student Answer: {answer}

            Check whether the student's answer to the question above means the same as the ground truth answer. \
            Do not work out the question yourself; only compare the two answers (different wording, formatting \
            or equivalent numeric forms count as the same).
            Finish with exactly "Final Decision: Yes" if they are equivalent, or "Final Decision: No" if they are not.""";

    private static final Pattern DECISION = Pattern.compile("final decision\\s*:\\s*\\**\\s*(yes|no)\\b", Pattern.CASE_INSENSITIVE);

    private final ModelEndpoint judge;
    private final JudgeSettings settings;
    private final MultipleChoiceEvaluator multipleChoice;
    private final ExactMatchEvaluator freeText;

    public GeneralVerifierEvaluator(ModelEndpoint judge, JudgeSettings settings, MatchMode mode) {
        this.judge = Objects.requireNonNull(judge, "judge");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.multipleChoice = new MultipleChoiceEvaluator(mode);
        this.freeText = new ExactMatchEvaluator(mode);
    }

    @Override public TaskType taskType() { return TaskType.GENERAL_VERIFIER; }

    @Override public java.util.Map<String, String> scoringInfo() {
        return java.util.Map.of("judge", judge.name(), "matchMode", multipleChoice.mode().name().toLowerCase(java.util.Locale.ROOT));
    }

    private Evaluator base(Example e) { return e.choices().isEmpty() ? freeText : multipleChoice; }

    @Override public String prompt(Example example) { return base(example).prompt(example); }

    @Override public String extractAnswer(Example example, String response) { return base(example).extractAnswer(example, response); }

    /** The verdict in the judge's output (the last "Final Decision: Yes/No"), if any. */
    public static Optional<Boolean> parseDecision(String judgeOutput) {
        Matcher m = DECISION.matcher(judgeOutput);
        Boolean last = null;
        while (m.find()) last = m.group(1).toLowerCase(Locale.ROOT).equals("yes");
        return Optional.ofNullable(last);
    }

    @Override
    public Score score(Example example, String response) {
        String extracted = extractAnswer(example, response);
        String question;
        String reference;
        String answer;
        if (example.choices().isEmpty()) {
            question = example.input();
            reference = String.join(" / ", example.answers());
            answer = extracted.isEmpty() ? response : extracted;
        } else {
            List<String> options = new ArrayList<>(example.choices().values());
            StringBuilder q = new StringBuilder(example.input());
            for (int i = 0; i < options.size(); i++) q.append('\n').append(ChoiceExtraction.letter(i)).append(") ").append(options.get(i));
            question = q.toString();
            reference = withText(MultipleChoiceEvaluator.goldLetter(example), options);
            answer = extracted.isEmpty() ? response : withText(extracted, options);
        }
        String prompt = JUDGE_PROMPT.replace("{question}", question).replace("{reference}", reference).replace("{answer}", answer);
        var outcome = JudgeCalls.ask(judge, prompt, settings.maxTokens(), settings.maxAttempts(), GeneralVerifierEvaluator::parseDecision);
        if (outcome.value().isEmpty()) {
            return new Score(0, extracted, true, "judge " + judge.name() + " gave no decision after " + outcome.attempts() + " attempt(s): " + outcome.problem());
        }
        return new Score(outcome.value().get() ? 1 : 0, extracted, false, "judged by " + judge.name());
    }

    private static String withText(String letter, List<String> options) {
        int i = letter.isEmpty() ? -1 : letter.charAt(0) - 'A';
        return i >= 0 && i < options.size() ? letter + ") " + options.get(i) : letter;
    }
}
