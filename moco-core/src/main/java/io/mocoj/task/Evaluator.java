package io.mocoj.task;

import java.util.ArrayList;
import java.util.List;

/**
 * Formats prompts for one task type and scores outputs. Implementations live in {@code moco-eval}
 * and are found through {@link EvaluatorProvider}. Thread-safe.
 */
public interface Evaluator {

    TaskType taskType();

    /** The prompt a model receives for an example (MoCo-compatible formatting by default). */
    String prompt(Example example);

    /**
     * The short answer extracted from a response, used for voting and agreement ("" when none).
     * For task types without discrete answers this is the response itself.
     */
    String extractAnswer(Example example, String response);

    /**
     * How this evaluator scores, for the run log: {@code matchMode} ("moco_compatible" or
     * "strict"), {@code judge} (the judge model's name), {@code embeddingModel}; keys that do not
     * apply are absent.
     */
    default java.util.Map<String, String> scoringInfo() { return java.util.Map.of(); }

    /** Scores one response. */
    Score score(Example example, String response);

    /**
     * Scores a whole split at once; evaluators whose scores depend on other examples (e.g.
     * culturebench group scoring) override this. {@code responses} may contain null for failed
     * examples, which score 0.
     */
    default List<Score> scoreAll(List<Example> examples, List<String> responses) {
        List<Score> out = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            String r = responses.get(i);
            out.add(r == null ? Score.of(0, "") : score(examples.get(i), r));
        }
        return out;
    }
}
