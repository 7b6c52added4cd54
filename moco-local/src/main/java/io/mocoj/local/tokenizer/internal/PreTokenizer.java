package io.mocoj.local.tokenizer.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits text into words before byte-level BPE, reproducing llama.cpp's pre-tokenizers: each
 * pattern of a chain splits every piece the previous pattern produced, and text a pattern does not
 * match stays a piece of its own. The patterns are hand-written matchers (Java regex lacks the
 * exact Unicode classes llama.cpp uses).
 */
public final class PreTokenizer {

    /** One splitting stage. */
    private interface Stage {
        /** Splits cps[start, end) and appends the piece lengths. */
        void split(int[] cps, int start, int end, List<Integer> lengths);
    }

    private final List<Stage> stages;

    private PreTokenizer(List<Stage> stages) {
        this.stages = stages;
    }

    /** Llama 3: {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+}. */
    public static PreTokenizer llama3() {
        return new PreTokenizer(List.of((cps, s, e, out) -> splitLlama3Like(cps, s, e, 3, out)));
    }

    /** Qwen2: as Llama 3 but one digit per piece. */
    public static PreTokenizer qwen2() {
        return new PreTokenizer(List.of((cps, s, e, out) -> splitLlama3Like(cps, s, e, 1, out)));
    }

    /** GPT-2: {@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)}. */
    public static PreTokenizer gpt2() {
        return new PreTokenizer(List.of(PreTokenizer::splitGpt2));
    }

    /** SmolLM (and StarCoder): every digit apart ({@code \p{N}}), then GPT-2. */
    public static PreTokenizer smollm() {
        return new PreTokenizer(List.of(
                (cps, s, e, out) -> splitRuns(cps, s, e, CodepointClass::isNumber, 1, out),
                PreTokenizer::splitGpt2));
    }

    /**
     * llama.cpp's default chain: punctuation runs {@code [\p{P}\$\+<=>\^~\|]+}, then GPT-2, then
     * number runs {@code \p{N}+}, then ASCII digit triples {@code [0-9][0-9][0-9]}.
     */
    public static PreTokenizer llamaCppDefault() {
        return new PreTokenizer(List.of(
                (cps, s, e, out) -> splitRuns(cps, s, e, PreTokenizer::isDefaultPunctuation, Integer.MAX_VALUE, out),
                PreTokenizer::splitGpt2,
                (cps, s, e, out) -> splitRuns(cps, s, e, CodepointClass::isNumber, Integer.MAX_VALUE, out),
                (cps, s, e, out) -> splitDigitTriples(cps, s, e, out)));
    }

    /** Splits text into words (as code point strings). */
    public List<String> split(String text) {
        int[] cps = text.codePoints().toArray();
        List<Integer> lengths = new ArrayList<>();
        lengths.add(cps.length);
        for (Stage stage : stages) {
            List<Integer> next = new ArrayList<>(lengths.size() * 2);
            int start = 0;
            for (int len : lengths) {
                stage.split(cps, start, start + len, next);
                start += len;
            }
            lengths = next;
        }
        List<String> words = new ArrayList<>(lengths.size());
        int start = 0;
        for (int len : lengths) {
            if (len > 0) {
                words.add(new String(cps, start, len));
            }
            start += len;
        }
        return words;
    }

    private static boolean isDefaultPunctuation(int cp) {
        if (cp < 128) {
            return (cp >= 0x21 && cp <= 0x2F) || (cp >= 0x3A && cp <= 0x40) || (cp >= 0x5B && cp <= 0x5F)
                    || (cp >= 0x7B && cp <= 0x7E);
        }
        return !CodepointClass.isWhitespace(cp) && CodepointClass.isPunctuation(cp);
    }

    /** Matches of {@code X{1,max}}-style runs of a class (greedy), gaps kept as pieces. */
    private static void splitRuns(int[] cps, int start, int end, java.util.function.IntPredicate cls, int maxRun,
                                  List<Integer> out) {
        int gapStart = start;
        int pos = start;
        while (pos < end) {
            if (cls.test(cps[pos])) {
                if (pos > gapStart) {
                    out.add(pos - gapStart);
                }
                int runStart = pos;
                while (pos < end && cls.test(cps[pos]) && pos - runStart < maxRun) {
                    pos++;
                }
                out.add(pos - runStart);
                gapStart = pos;
            } else {
                pos++;
            }
        }
        if (end > gapStart) {
            out.add(end - gapStart);
        }
    }

    private static void splitDigitTriples(int[] cps, int start, int end, List<Integer> out) {
        int gapStart = start;
        int pos = start;
        while (pos < end) {
            if (pos + 3 <= end && isAsciiDigit(cps[pos]) && isAsciiDigit(cps[pos + 1]) && isAsciiDigit(cps[pos + 2])) {
                if (pos > gapStart) {
                    out.add(pos - gapStart);
                }
                out.add(3);
                pos += 3;
                gapStart = pos;
            } else {
                pos++;
            }
        }
        if (end > gapStart) {
            out.add(end - gapStart);
        }
    }

    private static boolean isAsciiDigit(int cp) {
        return cp >= '0' && cp <= '9';
    }

    // Classification of positions inside [start, end); outside counts as "nothing".
    private static boolean letter(int[] cps, int pos, int end) {
        return pos < end && CodepointClass.isLetter(cps[pos]);
    }

    private static boolean number(int[] cps, int pos, int end) {
        return pos < end && CodepointClass.isNumber(cps[pos]);
    }

    private static boolean space(int[] cps, int pos, int end) {
        return pos < end && CodepointClass.isWhitespace(cps[pos]);
    }

    /** Neither whitespace, letter nor number (and inside the piece). */
    private static boolean other(int[] cps, int pos, int end) {
        return pos < end && !CodepointClass.isWhitespace(cps[pos]) && !CodepointClass.isLetter(cps[pos])
                && !CodepointClass.isNumber(cps[pos]);
    }

    private static int contractionLength(int[] cps, int pos, int end, boolean ignoreCase) {
        if (cps[pos] != '\'' || pos + 1 >= end) {
            return 0;
        }
        int next = ignoreCase ? asciiLower(cps[pos + 1]) : cps[pos + 1];
        if (next == 's' || next == 't' || next == 'm' || next == 'd') {
            return 2;
        }
        if (pos + 2 < end) {
            int nextNext = ignoreCase ? asciiLower(cps[pos + 2]) : cps[pos + 2];
            if ((next == 'r' && nextNext == 'e') || (next == 'v' && nextNext == 'e') || (next == 'l' && nextNext == 'l')) {
                return 3;
            }
        }
        return 0;
    }

    private static int asciiLower(int cp) {
        return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
    }

    private static void splitGpt2(int[] cps, int start, int end, List<Integer> out) {
        int pos = start;
        while (pos < end) {
            int from = pos;
            int cp = cps[pos];
            int contraction = contractionLength(cps, pos, end, false);
            if (contraction > 0) {
                pos += contraction;
            } else {
                int first = cp == ' ' ? pos + 1 : pos;
                if (letter(cps, first, end)) {
                    pos = first;
                    while (letter(cps, pos, end)) {
                        pos++;
                    }
                } else if (number(cps, first, end)) {
                    pos = first;
                    while (number(cps, pos, end)) {
                        pos++;
                    }
                } else if (other(cps, first, end)) {
                    pos = first;
                    while (other(cps, pos, end)) {
                        pos++;
                    }
                } else {
                    int spaces = 0;
                    while (space(cps, pos + spaces, end)) {
                        spaces++;
                    }
                    if (spaces > 1 && pos + spaces < end) {
                        pos += spaces - 1; // \s+(?!\S): leave the last space to the next word
                    } else if (spaces > 0) {
                        pos += spaces;
                    } else {
                        pos++;
                    }
                }
            }
            out.add(pos - from);
        }
    }

    private static void splitLlama3Like(int[] cps, int start, int end, int maxDigits, List<Integer> out) {
        int pos = start;
        while (pos < end) {
            int from = pos;
            int cp = cps[pos];
            int contraction = contractionLength(cps, pos, end, true);
            if (contraction > 0) {
                pos += contraction;
                out.add(pos - from);
                continue;
            }
            // [^\r\n\p{L}\p{N}]?\p{L}+
            if (!(cp == '\r' || cp == '\n' || CodepointClass.isNumber(cp))
                    && (CodepointClass.isLetter(cp) || letter(cps, pos + 1, end))) {
                pos++;
                while (letter(cps, pos, end)) {
                    pos++;
                }
                out.add(pos - from);
                continue;
            }
            // \p{N}{1,maxDigits}
            if (CodepointClass.isNumber(cp)) {
                while (number(cps, pos, end)) {
                    int runStart = pos;
                    while (number(cps, pos, end) && pos - runStart < maxDigits) {
                        pos++;
                    }
                    out.add(pos - runStart);
                }
                continue;
            }
            //  ?[^\s\p{L}\p{N}]+[\r\n]*
            int first = cp == ' ' ? pos + 1 : pos;
            if (other(cps, first, end)) {
                pos = first;
                while (other(cps, pos, end)) {
                    pos++;
                }
                while (pos < end && (cps[pos] == '\r' || cps[pos] == '\n')) {
                    pos++;
                }
                out.add(pos - from);
                continue;
            }
            // \s*[\r\n]+ | \s+(?!\S) | \s+
            int spaces = 0;
            int lastLineBreakEnd = -1;
            while (space(cps, pos + spaces, end)) {
                int c = cps[pos + spaces];
                if (c == '\r' || c == '\n') {
                    lastLineBreakEnd = pos + spaces + 1;
                }
                spaces++;
            }
            if (lastLineBreakEnd > 0) {
                pos = lastLineBreakEnd;
            } else if (spaces > 1 && pos + spaces < end) {
                pos += spaces - 1;
            } else if (spaces > 0) {
                pos += spaces;
            } else {
                pos++;
            }
            out.add(pos - from);
        }
    }
}
