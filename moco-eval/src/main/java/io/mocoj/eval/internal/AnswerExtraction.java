package io.mocoj.eval.internal;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the final answer out of a free-text response (exact_match and f1_match tasks). */
public final class AnswerExtraction {
    private AnswerExtraction() {}

    /** Python {@code re} semantics for str patterns: Unicode-aware case and classes, {@code .} excludes only {@code \n}. */
    private static final int CI = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNIX_LINES;
    private static final Pattern BOX_BRACED = Pattern.compile("\\\\box(?:ed)?\\{(.*?)}", CI | Pattern.DOTALL);
    private static final Pattern BOX_INLINE = Pattern.compile("\\\\box(?:ed)? (.*)", CI);
    private static final Pattern BOX_MARKER = Pattern.compile("\\\\box(?:ed)?\\s*\\{", CI);
    /** The six labelled forms; each only counts when a newline follows the answer. */
    private static final List<Pattern> LABELS_WITH_NEWLINE = List.of(
            Pattern.compile("Final Answer:\\s*(.*?)\\n", CI),
            Pattern.compile("Final Answer is:\\s*(.*?)\\n", CI),
            Pattern.compile("The answer is:\\s*(.*?)\\n", CI),
            Pattern.compile("Answer:\\s*(.*?)\\n", CI),
            Pattern.compile("Solution:\\s*(.*?)\\n", CI),
            Pattern.compile("The solution is:\\s*(.*?)\\n", CI));
    private static final List<Pattern> LOOSE_LABELS = List.of(
            Pattern.compile("the answer\\s*(?:is|=)\\s*(.*)", CI),
            Pattern.compile("final answer\\s*(?:is|=)\\s*(.*)", CI),
            Pattern.compile("answer\\s*(?:is|=)\\s*(.*)", CI));

    /** MoCo-compatible extraction (see docs/evaluation.md for the exact order). */
    public static String extractCompatible(String response) {
        String boxed = Matches.lastGroup(BOX_BRACED, response);
        if (boxed != null) return boxed.strip();
        Matcher inline = BOX_INLINE.matcher(response);
        if (inline.find()) {
            String c = inline.group(1).strip();
            if (!c.isEmpty()) return c;
        }
        String labelled = fromLabels(response);
        return labelled != null ? labelled : response.strip();
    }

    /**
     * Strict extraction: like the compatible one, but a box's content runs to its balanced
     * closing brace (so {@code \boxed{\frac{1}{2}}} gives {@code \frac{1}{2}}), and a
     * surrounding {@code \text{…}} and {@code $…$} are removed.
     */
    public static String extractStrict(String response) {
        String boxed = lastBalancedBox(response);
        if (boxed != null) return unwrapLatex(boxed.strip());
        Matcher inline = BOX_INLINE.matcher(response);
        if (inline.find()) {
            String c = inline.group(1).strip();
            if (!c.isEmpty()) return unwrapLatex(c);
        }
        String labelled = fromLabels(response);
        return unwrapLatex(labelled != null ? labelled : response.strip());
    }

    private static String fromLabels(String response) {
        for (Pattern p : LABELS_WITH_NEWLINE) {
            Matcher m = p.matcher(response);
            if (m.find()) {
                String c = trimTrailingDotsAndSpaces(m.group(1));
                if (!c.isEmpty()) return c;
            }
        }
        for (Pattern p : LOOSE_LABELS) {
            Matcher m = p.matcher(response);
            if (m.find()) {
                String c = trimTrailingDotsAndSpaces(m.group(1).strip());
                if (!c.isEmpty()) return c;
            }
        }
        return null;
    }

    static String trimTrailingDotsAndSpaces(String s) {
        String t = s.strip();
        int end = t.length();
        while (end > 0 && (t.charAt(end - 1) == '.' || t.charAt(end - 1) == ' ')) end--;
        return t.substring(0, end);
    }

    private static String lastBalancedBox(String text) {
        Matcher m = BOX_MARKER.matcher(text);
        String last = null;
        while (m.find()) {
            int open = m.end() - 1;
            int depth = 0;
            for (int i = open; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '{') depth++;
                else if (c == '}' && --depth == 0) {
                    last = text.substring(open + 1, i);
                    break;
                }
            }
        }
        return last;
    }

    private static final Pattern TEXT_WRAP = Pattern.compile("^\\\\(?:text|mathrm|textbf)\\{(.*)}$", Pattern.DOTALL);

    /** Removes a surrounding {@code $…$} and {@code \text{…}} / {@code \mathrm{…}} / {@code \textbf{…}}. */
    public static String unwrapLatex(String s) {
        String t = s.strip();
        if (t.length() >= 2 && t.startsWith("$") && t.endsWith("$")) t = t.substring(1, t.length() - 1).strip();
        Matcher m = TEXT_WRAP.matcher(t);
        if (m.matches()) t = m.group(1).strip();
        return t;
    }
}
