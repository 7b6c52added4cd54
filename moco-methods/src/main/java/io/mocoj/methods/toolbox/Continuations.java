package io.mocoj.methods.toolbox;

/**
 * Prompts that ask a TEXT model to continue an answer another model started (nudging with a TEXT
 * nudger, switch generation's patches).
 */
public final class Continuations {
    private Continuations() {}

    /**
     * The task prompt alone when nothing is written yet; otherwise the task prompt, an instruction
     * to continue exactly where the answer stops, and the answer so far.
     */
    public static String prompt(String taskPrompt, String answerSoFar) {
        if (answerSoFar.isEmpty()) return taskPrompt;
        return taskPrompt + "\n\nAn answer to this has been started below. Continue it exactly where it stops: write only the"
                + " continuation, without repeating what is already written.\n\nAnswer so far:\n" + answerSoFar;
    }

    /** The first whitespace-delimited word of {@code reply}, with a leading space when it must be separated from {@code soFar}. */
    public static String firstWord(String reply, String soFar) {
        int start = 0;
        while (start < reply.length() && Character.isWhitespace(reply.charAt(start))) start++;
        int end = start;
        while (end < reply.length() && !Character.isWhitespace(reply.charAt(end))) end++;
        String word = reply.substring(start, end);
        if (word.isEmpty()) return "";
        boolean glued = soFar.isEmpty() || Character.isWhitespace(soFar.charAt(soFar.length() - 1))
                || start == 0 && !Character.isLetterOrDigit(word.charAt(0));
        return glued ? word : " " + word;
    }
}
