package io.mocoj.sim.internal;

import io.mocoj.task.Example;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Finds which known example a prompt is about: the example whose normalised input occurs in the
 * normalised prompt, starting and ending at word boundaries.
 *
 * <p>Every example is filed under the hash of its first {@value #PREFIX_WORDS} normalised words
 * (all of them when it has fewer). A query walks the prompt's word starts and probes, in O(1) each,
 * the prefix hashes for {@value #PREFIX_WORDS} words and for each shorter word count some example
 * has; on a hit it checks the bucket's full lengths by hash and finally compares the characters.
 * The cost per prompt is O(prompt words × distinct short word counts), independent of the number
 * of examples. When several examples occur, the one with the longest normalised input wins (a
 * short input such as "Inflation" can occur inside another question's options or inside other
 * agents' answers); among equally long ones the one starting last wins.
 */
public final class ExampleIndex {
    public static final int PREFIX_WORDS = 6;

    private final List<Example> examples;
    private final NormalizedText[] normalized;
    private final Map<Long, Bucket> buckets = new HashMap<>();
    private final int[] probeWordCounts;

    private static final class Bucket {
        int[] lengths = new int[0];
        final Map<Long, int[]> byLengthAndHash = new HashMap<>();

        void add(int length, long fullHash, int example) {
            long key = Draws.combine(length, fullHash);
            int[] old = byLengthAndHash.get(key);
            if (old == null) {
                byLengthAndHash.put(key, new int[] {example});
                boolean seen = false;
                for (int l : lengths) seen |= l == length;
                if (!seen) {
                    lengths = java.util.Arrays.copyOf(lengths, lengths.length + 1);
                    lengths[lengths.length - 1] = length;
                }
            } else {
                int[] grown = java.util.Arrays.copyOf(old, old.length + 1);
                grown[old.length] = example;
                byLengthAndHash.put(key, grown);
            }
        }
    }

    /** A found example and where its input sits in the normalised prompt. */
    public record Match(int exampleIndex, int start, int end) {}

    public ExampleIndex(List<Example> examples) {
        this.examples = List.copyOf(examples);
        this.normalized = new NormalizedText[this.examples.size()];
        TreeSet<Integer> counts = new TreeSet<>();
        for (int i = 0; i < this.examples.size(); i++) {
            NormalizedText t = new NormalizedText(this.examples.get(i).input());
            normalized[i] = t;
            if (t.words == 0) continue;
            int pc = Math.min(PREFIX_WORDS, t.words);
            counts.add(pc);
            long prefixKey = Draws.combine(pc, t.hash(0, t.wordEnds[pc - 1]));
            buckets.computeIfAbsent(prefixKey, k -> new Bucket()).add(t.length, t.hash(), i);
        }
        this.probeWordCounts = counts.descendingSet().stream().mapToInt(Integer::intValue).toArray();
    }

    public int size() { return examples.size(); }

    public Example example(int index) { return examples.get(index); }

    /** The example the text is about, if any (see the class comment for the rules). */
    public Optional<Match> find(CharSequence text) {
        return find(new NormalizedText(text));
    }

    /** Same as {@link #find(CharSequence)} on already-normalised text. */
    public Optional<Match> find(NormalizedText p) {
        List<Match> matches = null;
        for (int w = 0; w < p.words; w++) {
            int pos = p.wordStarts[w];
            for (int pc : probeWordCounts) {
                if (w + pc > p.words) continue;
                Bucket b = buckets.get(Draws.combine(pc, p.hash(pos, p.wordEnds[w + pc - 1])));
                if (b == null) continue;
                for (int len : b.lengths) {
                    int end = pos + len;
                    if (end > p.length || (end < p.length && p.chars[end] != ' ')) continue;
                    int[] cands = b.byLengthAndHash.get(Draws.combine(len, p.hash(pos, end)));
                    if (cands == null) continue;
                    for (int c : cands) {
                        if (p.regionEquals(pos, normalized[c])) {
                            if (matches == null) matches = new ArrayList<>(2);
                            matches.add(new Match(c, pos, end));
                            break; // identical inputs: the first example wins
                        }
                    }
                }
            }
        }
        if (matches == null) return Optional.empty();
        Match best = matches.get(0);
        for (Match m : matches) {
            int len = m.end - m.start;
            int bestLen = best.end - best.start;
            if (len > bestLen || (len == bestLen && m.start > best.start)) best = m;
        }
        return Optional.of(best);
    }
}
