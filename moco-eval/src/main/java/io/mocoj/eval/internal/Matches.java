package io.mocoj.eval.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Regex helpers shared by the answer extractors. */
public final class Matches {
    private Matches() {}

    /** Group 1 of the last match of {@code p} in {@code text}, or null when it does not match. */
    public static String lastGroup(Pattern p, String text) {
        Matcher m = p.matcher(text);
        String last = null;
        while (m.find()) last = m.group(1);
        return last;
    }
}
