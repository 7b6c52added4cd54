package io.mocoj.eval;

import io.mocoj.eval.internal.Matches;
import io.mocoj.task.Example;
import io.mocoj.task.Score;
import io.mocoj.task.TaskType;

import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scores code by running the dataset's tests (MoCo's humaneval / mbpp rule): take the last
 * fenced code block ({@code ```python} blocks preferred, then any fence, else the whole
 * response), alias {@code candidate} to the first function it defines, append the example's
 * {@code test} field and {@code check(candidate)}, and run it in a {@link CodeSandbox}. Score
 * 1 only when the sandbox's harness proves the pass (its per-run nonce after every statement
 * returned; an exit status of 0 alone is not enough). A response without any function definition scores 0 without
 * running; an example without a {@code test} field, or a sandbox that could not be set up, is a
 * failed score (nothing was checked).
 */
public final class CodingEvaluator extends SandboxEvaluator {
    private static final Pattern PYTHON_FENCE = Pattern.compile("```(?:python|py)[^\\n]*\\n(.*?)```", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
    private static final Pattern ANY_FENCE = Pattern.compile("```[^\\n]*\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern FIRST_DEF = Pattern.compile("def\\s+(\\w+)\\s*\\(");

    /** Uses the given sandbox. */
    public CodingEvaluator(CodeSandbox sandbox) {
        super(constant(sandbox));
    }

    /** Creates the sandbox on first use (so that a missing python3 fails only when code must run). */
    public CodingEvaluator(Supplier<CodeSandbox> lazySandbox) {
        super(lazySandbox);
    }

    static Supplier<CodeSandbox> constant(CodeSandbox sandbox) {
        Objects.requireNonNull(sandbox, "sandbox");
        return () -> sandbox;
    }

    @Override public TaskType taskType() { return TaskType.CODING; }

    @Override public String prompt(Example example) { return MocoPrompts.plain(example); }

    /** The code that would be run: the extracted block. */
    @Override
    public String extractAnswer(Example example, String response) {
        return response == null ? "" : extractCode(response);
    }

    /** The last ```python block, else the last fenced block, else the whole response (trimmed). */
    public static String extractCode(String response) {
        String last = Matches.lastGroup(PYTHON_FENCE, response);
        if (last == null) last = Matches.lastGroup(ANY_FENCE, response);
        return (last == null ? response : last).strip();
    }

    /** The program that is run: code, the {@code candidate} alias, the tests and {@code check(candidate)}; empty when the code defines no function. */
    public static String program(String code, String testCode) {
        Matcher m = FIRST_DEF.matcher(code);
        if (!m.find()) return "";
        return code + "\n\ncandidate = " + m.group(1) + "\n\n" + testCode + "\n\ncheck(candidate)\n";
    }

    @Override
    public Score score(Example example, String response) {
        String code = extractAnswer(example, response);
        String test = example.field("test").orElse("");
        if (test.isBlank()) return Score.failure("example '" + example.id() + "' has no 'test' field to run");
        String program = program(code, test);
        if (program.isEmpty()) return new Score(0, code, false, "no function definition found");
        SandboxResult r = sandbox().run(program);
        if (r.setupFailed()) return new Score(0, code, true, "sandbox could not be set up: " + lastLine(r.stderr()));
        String detail = switch (r.outcome()) {
            case PASSED -> "passed";
            case TIMED_OUT -> "timed out after " + sandbox().timeout().toSeconds() + " s";
            case DISK_LIMIT -> "killed: wrote more than the run's disk cap";
            default -> r.exitCode() == 0 ? "exit 0 without the harness's proof that the tests ran to the end"
                    : "exit " + r.exitCode() + ": " + lastLine(r.stderr());
        };
        return new Score(r.passed() ? 1 : 0, code, false, detail + " [" + r.isolation() + "]");
    }
}
