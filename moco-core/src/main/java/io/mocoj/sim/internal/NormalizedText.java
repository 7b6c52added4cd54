package io.mocoj.sim.internal;

import java.util.Arrays;

/**
 * Text reduced to lower-case letters and digits, every run of other characters replaced by one
 * space and no space at either end, with word boundaries and polynomial prefix hashes so that the
 * hash of any slice costs O(1). Two texts that differ only in case, white space or punctuation
 * normalise to the same string.
 */
public final class NormalizedText {
    private static final long BASE = 0x100000001b3L * 31 + 7;
    private static final boolean[] ASCII_WORD = new boolean[128];

    static {
        for (char c = 0; c < 128; c++) ASCII_WORD[c] = Character.isLetterOrDigit(c);
    }

    private static volatile long[] powers = computePowers(new long[] {1}, 4096);

    final char[] chars;
    final int length;
    final int[] wordStarts;
    final int[] wordEnds;
    final int words;
    private final long[] prefix;
    private final long[] pow;

    public NormalizedText(CharSequence text) {
        int n = text.length();
        char[] out = new char[n];
        int[] starts = new int[Math.max(4, n / 4 + 1)];
        int[] ends = new int[starts.length];
        int len = 0;
        int w = 0;
        boolean inWord = false;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c < 128 ? ASCII_WORD[c] : Character.isLetterOrDigit(c)) {
                if (!inWord) {
                    if (len > 0) out[len++] = ' ';
                    if (w == starts.length) {
                        starts = Arrays.copyOf(starts, w * 2);
                        ends = Arrays.copyOf(ends, w * 2);
                    }
                    starts[w] = len;
                    inWord = true;
                }
                out[len++] = c < 128 ? (c >= 'A' && c <= 'Z' ? (char) (c + 32) : c) : Character.toLowerCase(c);
            } else if (inWord) {
                ends[w++] = len;
                inWord = false;
            }
        }
        if (inWord) ends[w++] = len;
        this.chars = out;
        this.length = len;
        this.words = w;
        this.wordStarts = starts;
        this.wordEnds = ends;
        this.prefix = new long[len + 1];
        for (int i = 0; i < len; i++) prefix[i + 1] = prefix[i] * BASE + chars[i];
        this.pow = powersUpTo(len);
    }

    private static long[] computePowers(long[] old, int size) {
        long[] p = Arrays.copyOf(old, size + 1);
        for (int i = Math.max(1, old.length); i <= size; i++) p[i] = p[i - 1] * BASE;
        return p;
    }

    private static long[] powersUpTo(int len) {
        long[] p = powers;
        if (p.length > len) return p;
        synchronized (NormalizedText.class) {
            p = powers;
            if (p.length <= len) {
                p = computePowers(p, Math.max(len, p.length * 2));
                powers = p;
            }
            return p;
        }
    }

    /** Hash of chars [from, to). */
    long hash(int from, int to) {
        return prefix[to] - prefix[from] * pow[to - from];
    }

    /** Hash of the whole text. */
    long hash() {
        return prefix[length];
    }

    /** Whether chars [from, from + other.length) equal {@code other}'s chars. */
    boolean regionEquals(int from, NormalizedText other) {
        if (from + other.length > length) return false;
        return Arrays.equals(chars, from, from + other.length, other.chars, 0, other.length);
    }

    public int length() { return length; }

    public int words() { return words; }

    @Override
    public String toString() { return new String(chars, 0, length); }
}
