package io.mocoj.local.tokenizer.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.IntUnaryOperator;

/**
 * SentencePiece-style encoding as llama.cpp's SPM tokenizer does it: start from single characters,
 * repeatedly join the adjacent pair whose joined text is a token with the highest score (leftmost
 * on ties), then emit each piece; a single character that is not a token is emitted as byte tokens
 * ({@code <0xNN>}).
 */
public final class SentencePieceMerger {
    private final Map<String, Integer> tokenIds;
    private final float[] scores;
    private final IntUnaryOperator byteToToken;

    public SentencePieceMerger(Map<String, Integer> tokenIds, float[] scores, IntUnaryOperator byteToToken) {
        this.tokenIds = tokenIds;
        this.scores = scores;
        this.byteToToken = byteToToken;
    }

    private record Pair(int left, int right, float score, int length) {}

    /** Appends the ids of text (already with spaces escaped as U+2581). */
    public void encode(String text, List<Integer> output) {
        List<Integer> startList = new ArrayList<>();
        for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
            startList.add(i);
        }
        int count = startList.size();
        if (count == 0) {
            return;
        }
        int[] start = new int[count];
        int[] length = new int[count];
        int[] prev = new int[count];
        int[] next = new int[count];
        for (int i = 0; i < count; i++) {
            start[i] = startList.get(i);
            length[i] = (i + 1 < count ? startList.get(i + 1) : text.length()) - start[i];
            prev[i] = i - 1;
            next[i] = i + 1 < count ? i + 1 : -1;
        }
        PriorityQueue<Pair> queue = new PriorityQueue<>((a, b) -> {
            int byScore = Float.compare(b.score, a.score);
            return byScore != 0 ? byScore : Integer.compare(a.left, b.left);
        });
        for (int i = 1; i < count; i++) {
            addPair(text, start, length, i - 1, i, queue);
        }
        while (!queue.isEmpty()) {
            Pair pair = queue.poll();
            if (length[pair.left] == 0 || length[pair.right] == 0
                    || length[pair.left] + length[pair.right] != pair.length) {
                continue;
            }
            length[pair.left] += length[pair.right];
            length[pair.right] = 0;
            next[pair.left] = next[pair.right];
            if (next[pair.right] >= 0) {
                prev[next[pair.right]] = pair.left;
            }
            addPair(text, start, length, prev[pair.left], pair.left, queue);
            addPair(text, start, length, pair.left, next[pair.left], queue);
        }
        for (int i = 0; i != -1; i = next[i]) {
            emit(text.substring(start[i], start[i] + length[i]), output);
        }
    }

    private void addPair(String text, int[] start, int[] length, int left, int right, PriorityQueue<Pair> queue) {
        if (left < 0 || right < 0) {
            return;
        }
        String joined = text.substring(start[left], start[left] + length[left] + length[right]);
        Integer id = tokenIds.get(joined);
        if (id == null || id >= scores.length) {
            return;
        }
        queue.add(new Pair(left, right, scores[id], joined.length()));
    }

    /** Emits one final piece: merged pieces are always tokens; a lone character that is not falls back to byte tokens. */
    private void emit(String piece, List<Integer> output) {
        Integer id = tokenIds.get(piece);
        if (id != null) {
            output.add(id);
            return;
        }
        for (byte b : piece.getBytes(StandardCharsets.UTF_8)) {
            output.add(byteToToken.applyAsInt(b & 0xFF));
        }
    }
}
