package io.mocoj.methods.toolbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SPARTA's rating updates and the EXP3 leader against the values of
 * {@code moco-methods/tools/sparta-reference/reference.py} (its output is in
 * {@code reference-output.txt}), a separate Python rendering of MoCo's rules.
 */
class EloRatingsExp3Test {
    private static EloRatings.Verdict v(String judge, double a, double b) { return new EloRatings.Verdict(judge, a, b); }

    @Test
    void ratingsFollowTheReferenceDuelByDuel() {
        EloRatings r = new EloRatings(List.of("a", "b", "c"), EloRatings.Settings.defaults());
        // duel 1 by hand: K = 10·0.9^(1/10) = 9.89519, d = 4, a's expected factor max(|erf(0)|, ε) = 0.01:
        // Δa = 9.89519·4·tanh(0.5)·0.01/20 = 0.0091455; b then sees a's new score: erf(-0.0091455/1.0) = -0.010320 → Δb = -0.0094375
        r.update("a", "b", List.of(v("c", 8, 4)), Map.of());
        assertEquals(100.009145476533, r.score("a"), 1e-9);
        assertEquals(99.990562528986, r.score("b"), 1e-9);
        assertEquals(9.895192582062, r.k(), 1e-9);
        r.update("a", "c", List.of(v("b", 3, 9)), Map.of());
        assertEquals(99.995137637557, r.score("a"), 1e-9);
        assertEquals(0.1, r.rating("a").deviation(), 1e-12, "two changes: std is below min_deviation");
        assertEquals(100.013574437733, r.score("c"), 1e-9);
        r.update("b", "c", List.of(v("a", 7, 7)), Map.of());
        assertEquals(0.1, r.rating("b").deviation(), 1e-12);
        r.update("c", "a", List.of(v("b", 10, 1)), Map.of());
        assertEquals(99.847124343666, r.score("a"), 1e-9);
        assertEquals(99.990562528986, r.score("b"), 1e-9);
        assertEquals(100.058175689483, r.score("c"), 1e-9);
        assertEquals(4, r.updates());
    }

    @Test
    void competitorsDoNotJudgeAndFrozenRatingsStay() {
        EloRatings r = new EloRatings(List.of("a", "b", "c"), EloRatings.Settings.defaults());
        assertEquals(null, r.weightedScores("a", "b", List.of(v("a", 9, 1), v("b", 1, 9))));
        r.update("a", "b", List.of(v("a", 9, 1)), Map.of());
        assertEquals(100.0, r.score("a"));
        var s = EloRatings.Settings.defaults();
        EloRatings frozen = new EloRatings(List.of("a", "b", "c"), new EloRatings.Settings(s.initialK(), s.minK(), s.windowSize(),
                s.minDeviation(), s.epsilon(), s.decayRate(), s.decaySteps(), s.scalingFactor(), true));
        frozen.update("a", "b", List.of(v("c", 10, 1)), Map.of());
        assertEquals(100.0, frozen.score("a"));
        assertEquals(0, frozen.updates());
    }

    @Test
    void dynamicAndStaticWeightsDownWeightTheLowestRated() {
        List<String> m = List.of("a", "b", "c");
        Map<String, EloRatings.Rating> it0 = Map.of("a", new EloRatings.Rating(101, .5), "b", new EloRatings.Rating(99, .5), "c", new EloRatings.Rating(100, .5));
        Map<String, EloRatings.Rating> it1 = Map.of("a", new EloRatings.Rating(98, .5), "b", new EloRatings.Rating(99, .5), "c", new EloRatings.Rating(100, .5));
        Map<String, EloRatings.Rating> it2 = Map.of("a", new EloRatings.Rating(97, .5), "b", new EloRatings.Rating(99, .5), "c", new EloRatings.Rating(100, .5));
        assertEquals(Map.of("a", 1.0, "b", 1.0, "c", 1.0), EloRatings.iterationWeights(EloRatings.ScoreType.DYNAMIC, m, 1, List.of(it0)));
        // iteration 2 looks at iteration 1's ratings: the single lowest (a, 98) gets 0
        assertEquals(Map.of("a", 0.0, "b", 1.0, "c", 1.0), EloRatings.iterationWeights(EloRatings.ScoreType.DYNAMIC, m, 2, List.of(it0, it1)));
        // iteration 3: the two lowest of iteration 2 get 0 and 0.1
        assertEquals(Map.of("a", 0.0, "b", 0.1, "c", 1.0), EloRatings.iterationWeights(EloRatings.ScoreType.DYNAMIC, m, 3, List.of(it0, it1, it2)));
        // static: iteration 2 fixes the lowest of iteration 1 (a); iteration 3 the lowest remaining of iteration 2 (b)
        assertEquals(Map.of("a", 0.0, "b", 0.1, "c", 1.0), EloRatings.iterationWeights(EloRatings.ScoreType.STATIC, m, 3, List.of(it0, it1, it2)));
        assertEquals(Map.of("a", 1.0, "b", 1.0, "c", 1.0), EloRatings.iterationWeights(EloRatings.ScoreType.NORMAL, m, 3, List.of(it0, it1, it2)));
    }

    @Test
    void exp3ProbabilitiesMatchTheReference() {
        Exp3 e = new Exp3(4, 0.2);
        assertArrayEquals(new double[] {.25, .25, .25, .25}, e.probabilities(), 1e-15);
        e.reward(1, 0.5);
        e.endRound();
        // by hand: estimate 0.5/0.25 = 2, log w1 = 2/4 → w = [e^-0.5, 1, e^-0.5, e^-0.5]; p = 0.8·w/Σw + 0.05
        assertArrayEquals(new double[] {0.6065306597126334, 1.0, 0.6065306597126334, 0.6065306597126334}, e.weights(), 1e-14);
        assertArrayEquals(new double[] {0.2220903348286818, 0.3337289955139547, 0.2220903348286818, 0.2220903348286818}, e.probabilities(), 1e-14);
        e.reward(1, 0.2);
        e.reward(3, 1.0);
        e.reward(3, 0.4);
        e.endRound();
        assertArrayEquals(new double[] {0.14142374254496298, 0.22509477050753018, 0.14142374254496298, 0.49205774440254385}, e.probabilities(), 1e-14);
    }

    @Test
    void preferencePairsDropTiesAndIncompleteDuels() {
        var r = PreferencePairs.build(List.of(
                new PreferencePairs.Duel("p1", "a", "b", "ra", "rb", 7, 3),
                new PreferencePairs.Duel("p2", "a", "b", "ra", "rb", 2, 6),
                new PreferencePairs.Duel("p3", "a", "b", "ra", "rb", 5, 5),
                new PreferencePairs.Duel("p4", "a", "b", null, "rb", 5, 9)));
        assertEquals(2, r.pairs().size());
        assertEquals("ra", r.pairs().get(0).chosen());
        assertEquals("rb", r.pairs().get(1).chosen());
        assertEquals("ra", r.pairs().get(1).rejected());
        assertEquals(1, r.ties());
        assertEquals(1, r.unusable());
    }

    @Test
    void judgeRepliesAreParsedAsMocoDoes() {
        assertEquals(7, PeerJudge.parse("{\"score\": 7}"));
        assertEquals(3, PeerJudge.parse("I think \"score\": 3 fits"));
        assertEquals(8, PeerJudge.parse("Score: 8"));
        assertEquals(6, PeerJudge.parse("maybe 6/10"));
        assertEquals(null, PeerJudge.parse("{\"score\": 11}"));
        assertEquals(null, PeerJudge.parse("no idea"));
    }
}
