package io.mocoj.methods.toolbox;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prompt templates shared by methods, and parsers for the short replies they ask for. */
public final class Prompts {
    private Prompts() {}

    /**
     * The router prompt of prompt-based routing: the query, then every model with its 1-based
     * number, name and description, then the instruction to reply with the model's number.
     */
    public static String routing(String query, List<String> modelNames, List<String> descriptions) {
        if (modelNames.size() != descriptions.size()) {
            throw new IllegalArgumentException(modelNames.size() + " model names but " + descriptions.size() + " descriptions");
        }
        StringBuilder sb = new StringBuilder();
        sb.append("You route each user question to the AI model best suited to answer it, judging by the model descriptions.\n\n");
        sb.append("User question:\n").append(query).append("\n\n");
        sb.append("Models:\n");
        for (int i = 0; i < modelNames.size(); i++) {
            sb.append(i + 1).append(". ").append(modelNames.get(i)).append(": ").append(descriptions.get(i)).append('\n');
        }
        sb.append("\nWhich model should answer the user question? Reply with the model's number only.");
        return sb.toString();
    }

    /** The follow-up question of the "just ask" cascade, sent after the model's own answer in the same conversation. */
    public static final String CONFIDENCE_QUESTION =
            "Are you confident that your answer above is correct? Reply with yes or no only.";

    private static final Pattern YES_NO = Pattern.compile("\\b(yes|no|not confident|unconfident|confident)\\b");

    /** A parsed yes/no reply. */
    public enum YesNo { YES, NO, UNCLEAR }

    /**
     * Reads a yes/no reply: the first of "yes", "confident" (→ YES) or "no", "not confident",
     * "unconfident" (→ NO) as a whole word, case-insensitive; UNCLEAR when none occurs.
     */
    public static YesNo parseYesNo(String reply) {
        Matcher m = YES_NO.matcher(reply.toLowerCase(Locale.ROOT));
        if (!m.find()) return YesNo.UNCLEAR;
        return switch (m.group(1)) {
            case "yes", "confident" -> YesNo.YES;
            default -> YesNo.NO;
        };
    }

    private static final Pattern NUMBER = Pattern.compile("(?<![\\w.])(\\d+)(?!\\w|\\.\\d)");

    /**
     * Finds the model a reply names: the earliest mention of either a model name (case-insensitive, whole word;
     * the longest name wins where names overlap) or a whole number in {@code 1..n} (1-based index).
     * Digits inside a mentioned model name are not read as numbers.
     *
     * @return the 0-based model index, or -1 when the reply names no model
     */
    public static int parseModelChoice(String reply, List<String> modelNames) {
        String text = reply.toLowerCase(Locale.ROOT);
        char[] masked = text.toCharArray();
        int bestPos = Integer.MAX_VALUE, bestModel = -1, bestLen = 0;
        for (int i = 0; i < modelNames.size(); i++) {
            String name = modelNames.get(i).toLowerCase(Locale.ROOT);
            if (name.isEmpty()) continue;
            int first = -1;
            for (int pos = text.indexOf(name); pos >= 0; pos = text.indexOf(name, pos + 1)) {
                if (!standsAlone(text, pos, pos + name.length())) continue;
                for (int k = pos; k < pos + name.length(); k++) masked[k] = ' ';
                if (first < 0) first = pos;
            }
            if (first >= 0 && (first < bestPos || (first == bestPos && name.length() > bestLen))) {
                bestPos = first;
                bestModel = i;
                bestLen = name.length();
            }
        }
        Matcher m = NUMBER.matcher(new String(masked));
        while (m.find()) {
            if (m.start() >= bestPos) break;
            String digits = m.group(1);
            if (digits.length() > 9) continue;
            int n = Integer.parseInt(digits);
            if (n >= 1 && n <= modelNames.size()) return n - 1;
        }
        return bestModel;
    }

    /** Whether text[start, end) is not part of a longer word (no letter or digit right before or after it). */
    private static boolean standsAlone(String text, int start, int end) {
        return (start == 0 || !Character.isLetterOrDigit(text.charAt(start - 1)))
                && (end == text.length() || !Character.isLetterOrDigit(text.charAt(end)));
    }
}
