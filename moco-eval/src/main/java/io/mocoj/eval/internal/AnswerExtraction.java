package io.mocoj.eval.internal;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the final answer out of a free-text response (exact_match and f1_match tasks). The compatible
 * rules are those of MoCo's {@code extract_answer_text} at the pinned commit (docs/evaluation.md).
 */
public final class AnswerExtraction {
    private AnswerExtraction() {}

    /** Python {@code re} semantics for str patterns: Unicode-aware case and classes, {@code .} excludes only {@code \n}. */
    private static final int CI = Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNIX_LINES;
    /** {@code \box{…}} / {@code \boxed {…}}: optional white space before the brace, non-greedy to the first {@code }}. */
    private static final Pattern BOX_BRACED = Pattern.compile("\\\\box(?:ed)?\\s*\\{(.*?)}", CI | Pattern.DOTALL);
    /** {@code \box} / {@code \boxed} then at least one white-space character (a space, tab or newline), then the rest of that line. */
    private static final Pattern BOX_INLINE = Pattern.compile("\\\\box(?:ed)?\\s+([^\\n\\r]*)", CI);
    private static final Pattern BOX_MARKER = Pattern.compile("\\\\box(?:ed)?\\s*\\{", CI);
    /** The toolkit's fallback labels in order: six that need a newline after the answer, then three looser ones. */
    private static final List<Pattern> LABELS = List.of(
            Pattern.compile("Final Answer:\\s*((?:[^<]|<[^<])*?)\\n", CI),
            Pattern.compile("Final Answer is:\\s*((?:[^<]|<[^<])*?)\\n", CI),
            Pattern.compile("The answer is:\\s*((?:[^<]|<[^<])*?)\\n", CI),
            Pattern.compile("Answer:\\s*((?:[^<]|<[^<])*?)\\n", CI),
            Pattern.compile("Solution:\\s*((?:[^<]|<[^<])*?)\\n", CI),
            Pattern.compile("The solution is:\\s*((?:[^<]|<[^<])*?)\\n", CI),
            Pattern.compile("\\bthe answer\\s*(?:is|=)?\\s*[:\\-]?\\s*(.+)", CI),
            Pattern.compile("\\bfinal answer\\s*(?:is|=)?\\s*[:\\-]?\\s*(.+)", CI),
            Pattern.compile("\\banswer\\s*(?:is|=)?\\s*[:\\-]?\\s*(.+)", CI));
    private static final Pattern LINE_BREAK = Pattern.compile("[\\n\\r]");

    /** MoCo-compatible extraction (see docs/evaluation.md for the exact order). */
    public static String extractCompatible(String response) {
        String boxed = Matches.lastGroup(BOX_BRACED, response);
        if (boxed != null) return PyText.strip(boxed);
        String inline = inlineBox(response);
        if (inline != null) return inline;
        String labelled = fromLabels(response);
        return labelled != null ? labelled : PyText.strip(response);
    }

    /**
     * Strict extraction: like the compatible one, but a box's content runs to its balanced
     * closing brace (so {@code \boxed{\frac{1}{2}}} gives {@code \frac{1}{2}}), and a
     * surrounding {@code \text{…}} and {@code $…$} are removed.
     */
    public static String extractStrict(String response) {
        String boxed = lastBalancedBox(response);
        if (boxed != null) return unwrapLatex(PyText.strip(boxed));
        String inline = inlineBox(response);
        if (inline != null) return unwrapLatex(inline);
        String labelled = fromLabels(response);
        return unwrapLatex(labelled != null ? labelled : PyText.strip(response));
    }

    /** The first inline box's rest of line, stripped, or null when there is none or it is empty. */
    private static String inlineBox(String response) {
        Matcher inline = BOX_INLINE.matcher(response);
        if (!inline.find()) return null;
        String c = PyText.strip(inline.group(1));
        return c.isEmpty() ? null : c;
    }

    /**
     * The first label (in list order) whose first match gives a non-empty answer: the capture is
     * stripped, cut at its first line break, stripped again, and trailing dots and spaces removed.
     */
    private static String fromLabels(String response) {
        for (Pattern p : LABELS) {
            Matcher m = p.matcher(response);
            if (!m.find()) continue;
            String c = PyText.strip(m.group(1));
            if (c.isEmpty()) continue;
            c = PyText.rstrip(PyText.strip(LINE_BREAK.split(c, 2)[0]), ". ");
            if (!c.isEmpty()) return c;
        }
        return null;
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
