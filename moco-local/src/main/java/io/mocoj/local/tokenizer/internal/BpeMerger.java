package io.mocoj.local.tokenizer.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Byte-level BPE on one pre-tokenized word, as llama.cpp does it: repeatedly merge the adjacent
 * pair with the lowest merge rank (leftmost first on ties); words that are whole vocabulary
 * entries are kept whole when {@code ignoreMerges}.
 */
public final class BpeMerger {
    private final Map<String, Integer> tokenIds;
    private final Map<String, Integer> mergeRanks;
    private final boolean ignoreMerges;

    /**
     * @param tokenIds   token text to id
     * @param mergeRanks "left right" (joined with one space) to rank
     */
    public BpeMerger(Map<String, Integer> tokenIds, Map<String, Integer> mergeRanks, boolean ignoreMerges) {
        this.tokenIds = tokenIds;
        this.mergeRanks = mergeRanks;
        this.ignoreMerges = ignoreMerges;
    }

    private record Pair(int left, int right, String text, int rank) {}

    /** Appends the ids of one byte-level word. */
    public void encodeWord(String word, List<Integer> output) {
        if (ignoreMerges) {
            Integer whole = tokenIds.get(word);
            if (whole != null) {
                output.add(whole);
                return;
            }
        }
        List<String> symbols = new ArrayList<>();
        for (int i = 0; i < word.length(); ) {
            int n = Character.charCount(word.codePointAt(i));
            symbols.add(word.substring(i, i + n));
            i += n;
        }
        int count = symbols.size();
        String[] text = symbols.toArray(new String[0]);
        int[] prev = new int[count];
        int[] next = new int[count];
        for (int i = 0; i < count; i++) {
            prev[i] = i - 1;
            next[i] = i + 1 < count ? i + 1 : -1;
        }
        PriorityQueue<Pair> queue = new PriorityQueue<>((a, b) ->
                a.rank != b.rank ? Integer.compare(a.rank, b.rank) : Integer.compare(a.left, b.left));
        for (int i = 1; i < count; i++) {
            addPair(text, i - 1, i, queue);
        }
        while (!queue.isEmpty()) {
            Pair pair = queue.poll();
            String left = text[pair.left];
            String right = text[pair.right];
            if (left.isEmpty() || right.isEmpty() || !(left + right).equals(pair.text)) {
                continue; // outdated
            }
            text[pair.left] = pair.text;
            text[pair.right] = "";
            next[pair.left] = next[pair.right];
            if (next[pair.right] >= 0) {
                prev[next[pair.right]] = pair.left;
            }
            addPair(text, prev[pair.left], pair.left, queue);
            addPair(text, pair.left, next[pair.left], queue);
        }
        for (int i = 0; i != -1 && i < count; i = next[i]) {
            String symbol = text[i];
            if (symbol.isEmpty()) {
                continue;
            }
            Integer id = tokenIds.get(symbol);
            if (id != null) {
                output.add(id);
            } else {
                // llama.cpp falls back to single-byte pieces of the symbol's UTF-8 form; only ASCII
                // bytes can name a token.
                for (byte b : symbol.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                    if (b >= 0) {
                        Integer single = tokenIds.get(String.valueOf((char) b));
                        if (single != null) {
                            output.add(single);
                        }
                    }
                }
            }
        }
    }

    private void addPair(String[] text, int left, int right, PriorityQueue<Pair> queue) {
        if (left < 0 || right < 0) {
            return;
        }
        Integer rank = mergeRanks.get(text[left] + " " + text[right]);
        if (rank != null) {
            queue.add(new Pair(left, right, text[left] + text[right], rank));
        }
    }
}
