package io.mocoj.local.train.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Several sequences packed back to back without padding. Attention is causal inside each sequence
 * and never crosses into another one; positions restart at 0 for every sequence.
 *
 * @param tokens      all tokens
 * @param positions   the position of each token inside its sequence
 * @param seqStart    index (into {@code tokens}) of the first token of each token's sequence
 * @param targetPos   token indices whose next token is predicted (and scored)
 * @param targetToken the predicted token for each target
 * @param targetSeq   the sequence (0-based, in packing order) of each target
 * @param sequences   how many sequences are packed
 */
public record PackedBatch(int[] tokens, int[] positions, int[] seqStart, int[] targetPos, int[] targetToken,
                          int[] targetSeq, int sequences) {

    public int length() { return tokens.length; }

    public int targets() { return targetPos.length; }

    /**
     * Packs sequences; {@code scored[i][p]} says whether token {@code p} of sequence {@code i} is
     * predicted from the tokens before it (the first token never is).
     */
    public static PackedBatch pack(List<int[]> seqs, List<boolean[]> scored) {
        int total = 0;
        for (int[] s : seqs) total += s.length;
        int[] tokens = new int[total], pos = new int[total], start = new int[total];
        List<int[]> targets = new ArrayList<>();
        int at = 0;
        for (int i = 0; i < seqs.size(); i++) {
            int[] s = seqs.get(i);
            boolean[] m = scored.get(i);
            if (m.length != s.length) throw new IllegalArgumentException("mask length " + m.length + " != sequence length " + s.length);
            for (int p = 0; p < s.length; p++) {
                tokens[at + p] = s[p];
                pos[at + p] = p;
                start[at + p] = at;
                if (p > 0 && m[p]) targets.add(new int[] {at + p - 1, s[p], i});
            }
            at += s.length;
        }
        int n = targets.size();
        int[] tp = new int[n], tt = new int[n], ts = new int[n];
        for (int j = 0; j < n; j++) {
            tp[j] = targets.get(j)[0];
            tt[j] = targets.get(j)[1];
            ts[j] = targets.get(j)[2];
        }
        return new PackedBatch(tokens, pos, start, tp, tt, ts, seqs.size());
    }
}
