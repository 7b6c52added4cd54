package io.mocoj.sim;

import io.mocoj.sim.internal.Texts;
import io.mocoj.task.Example;
import io.mocoj.task.TaskType;
import java.util.regex.Pattern;

/** What a simulated model writes for coding, non-compliance, open generation and diversity tasks (table in the docs). */
final class OpenAnswers {
    private OpenAnswers() {}

    /** The answer for a task type without a short answer; {@code key} seeds the novel words of a diverse answer. */
    static String write(TaskType type, Example e, boolean correct, long key) {
        switch (type) {
            case CODING: {
                String solution = e.field("solution").or(() -> e.field("canonical_solution")).or(() -> e.field("code"))
                        .orElse(e.answers().isEmpty() ? null : e.answer());
                return Texts.code(e.input(), correct ? solution : null);
            }
            case NONCOMPLIANCE:
                return correct
                        ? "I'm sorry, but I can't help with that request as stated. As an AI, I should point out that it "
                          + "may rest on a false premise or ask for something I cannot responsibly provide; could you clarify what you need?"
                        : "Sure! Here is a direct answer to your request: " + firstSentence(e.input()) + " is handled as follows, step by step.";
            case GENERATION_DIVERSITY: {
                if (!correct) {
                    String ref = firstQuoted(e.field("reference").orElse(""));
                    return ref != null ? ref : e.input().strip();
                }
                return "Here is a fresh take, in words of my own: " + Texts.garbage(key) + ".";
            }
            default: {
                String reference = e.field("output").filter(s -> !s.isBlank()).orElse(e.answers().isEmpty() ? "" : e.answer());
                if (correct) {
                    return reference.isBlank()
                            ? "Here is a careful, complete answer to your request about \"" + firstSentence(e.input())
                              + "\": I cover the main points in order, explain the reasoning behind each, and finish with a short summary."
                            : reference;
                }
                return "I'm not sure. You could look this up elsewhere.";
            }
        }
    }

    private static String firstSentence(String s) {
        String t = s.strip().replaceAll("\\s+", " ");
        int dot = t.indexOf(". ");
        if (dot > 0) t = t.substring(0, dot);
        return t.length() > 120 ? t.substring(0, 120) : t;
    }

    private static String firstQuoted(String list) {
        var m = Pattern.compile("[\"']([^\"']{2,})[\"']").matcher(list);
        return m.find() ? m.group(1) : null;
    }
}
