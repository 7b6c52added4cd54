package io.mocoj.eval.internal;

import io.mocoj.model.GenerationRequest;
import io.mocoj.model.ModelCallException;
import io.mocoj.model.ModelEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.function.Function;

/**
 * Asks a judge model and parses its verdict, retrying when the output cannot be parsed or the
 * call failed transiently. The first attempt is greedy (temperature 0); retries sample
 * (temperature 0.7, seed = attempt number) so that a deterministic judge does not repeat itself.
 */
public final class JudgeCalls {
    private static final Logger LOG = LoggerFactory.getLogger(JudgeCalls.class);

    private JudgeCalls() {}

    /** The parsed verdict, or the reason none was obtained. */
    public record Outcome<T>(Optional<T> value, String problem, int attempts) {}

    public static <T> Outcome<T> ask(ModelEndpoint judge, String prompt, int maxTokens, int maxAttempts,
                                     Function<String, Optional<T>> parser) {
        String problem = "";
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            GenerationRequest.Builder b = GenerationRequest.builder().user(prompt).maxTokens(maxTokens).topP(1.0);
            if (attempt == 1) b.temperature(0); else b.temperature(0.7).seed(attempt);
            try {
                String out = judge.generate(b.build()).text();
                Optional<T> v = parser.apply(out);
                if (v.isPresent()) return new Outcome<>(v, "", attempt);
                problem = "unparseable judge output: '" + abbreviate(out) + "'";
                LOG.debug("judge {} attempt {}: {}", judge.name(), attempt, problem);
            } catch (ModelCallException e) {
                problem = "judge call failed: " + e.getMessage();
                if (!e.transientFailure()) return new Outcome<>(Optional.empty(), problem, attempt);
            }
        }
        return new Outcome<>(Optional.empty(), problem, maxAttempts);
    }

    static String abbreviate(String s) {
        String t = s.strip().replace('\n', ' ');
        return t.length() <= 160 ? t : t.substring(0, 160) + "…";
    }
}
