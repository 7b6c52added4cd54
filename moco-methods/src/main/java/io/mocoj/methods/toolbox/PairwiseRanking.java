package io.mocoj.methods.toolbox;

import io.mocoj.method.MethodContext;
import io.mocoj.model.Generation;
import io.mocoj.model.ModelCallException;
import io.mocoj.model.ModelEndpoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Ranking candidates by pairwise comparisons with win counts (LLM-Blender's PairRanker, used
 * zero-shot): the judge compares every unordered pair (i, j), i &lt; j, once, with i as
 * candidate A; the preferred one gets a win, an unreadable reply or failed call gives each half a
 * win. Candidates are ordered by wins, pool order among equal wins. Null candidates (failed
 * generations) take no part.
 */
public final class PairwiseRanking {
    private PairwiseRanking() {}

    /** One comparison: the candidates' indices, the judge's raw reply ({@code null} if the call failed) and the winner (-1: half each). */
    public record Comparison(int a, int b, String reply, int winner) {}

    /** The comparisons made, the wins of each candidate, and the candidates from most to fewest wins. */
    public record Ranking(List<Comparison> comparisons, double[] wins, List<Integer> order) {
        /** The first {@code k} candidates of the order. */
        public List<Integer> top(int k) { return order.subList(0, Math.min(k, order.size())); }
    }

    /** Compares all pairs of the non-null candidates with {@code judge}, concurrently, each reply limited to {@code maxTokens}. */
    public static Ranking rank(MethodContext context, ModelEndpoint judge, String question, List<String> candidates, int maxTokens) {
        record Pair(int a, int b) {}
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            for (int j = i + 1; j < candidates.size(); j++) {
                if (candidates.get(i) != null && candidates.get(j) != null) pairs.add(new Pair(i, j));
            }
        }
        List<Comparison> comparisons = context.parallel(pairs, p -> {
            Generation g;
            try {
                g = context.generate(judge, context.settings()
                        .request(TeamPrompts.pairwise(question, candidates.get(p.a()), candidates.get(p.b()))).maxTokens(maxTokens).build());
            } catch (ModelCallException e) {
                g = null;
            }
            char pick = g == null ? 0 : TeamPrompts.parseAorB(g.text());
            int winner = pick == 'A' ? p.a() : pick == 'B' ? p.b() : -1;
            return new Comparison(p.a(), p.b(), g == null ? null : g.text(), winner);
        });
        double[] wins = new double[candidates.size()];
        for (Comparison c : comparisons) {
            if (c.winner() >= 0) {
                wins[c.winner()] += 1;
            } else {
                wins[c.a()] += 0.5;
                wins[c.b()] += 0.5;
            }
        }
        List<Integer> order = IntStream.range(0, candidates.size()).filter(i -> candidates.get(i) != null).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -wins[i]).thenComparingInt(i -> i)).toList();
        return new Ranking(List.copyOf(comparisons), wins, order);
    }
}
