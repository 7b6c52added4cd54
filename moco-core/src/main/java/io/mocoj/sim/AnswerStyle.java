package io.mocoj.sim;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a {@link SimulatedModel} writes a short answer {@code X} (an option letter for multiple
 * choice, the answer text otherwise). See {@code docs/simulated-models.md} for which MoCo
 * extraction rules parse which style.
 */
public enum AnswerStyle {
    /** MCQ: {@code The answer is (B).}; exact/F1 match: one line of reasoning, then {@code The final answer is \box{42}}. */
    AUTO,
    /** Just the answer: {@code B} or {@code 42}. */
    LETTER,
    /** MCQ: {@code The answer is (B).}; otherwise {@code The answer is 42.} */
    PAREN,
    /** {@code \boxed{X}}. */
    BOXED,
    /** {@code \box{X}} (what MoCo's exact-match prompt asks for). */
    BOX,
    /** MCQ: {@code Answer: (B)} plus a newline; otherwise {@code Answer: 42} plus a newline. */
    SENTENCE;

    /** The spec name, e.g. {@code paren}. */
    public String specName() { return name().toLowerCase(Locale.ROOT); }

    /** Parses a spec name; the error lists the accepted names. */
    public static AnswerStyle fromSpecName(String name) {
        for (AnswerStyle s : values()) if (s.specName().equalsIgnoreCase(name.strip())) return s;
        throw new IllegalArgumentException("unknown answer style '" + name + "'; accepted: "
                + Arrays.stream(values()).map(AnswerStyle::specName).collect(Collectors.joining(", "))
                + " (or use format=... with {answer})");
    }
}
