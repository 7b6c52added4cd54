package io.mocoj.methods.toolbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VotingTest {

    @Test
    void countsAnswersAndFindsTheLeader() {
        Voting.Tally t = Voting.tally(List.of("B", "A", "B", "C", "B"));
        assertEquals(Map.of("B", 3, "A", 1, "C", 1), t.counts());
        assertEquals(List.of("B", "A", "C"), List.copyOf(t.counts().keySet()), "first-appearance order");
        assertEquals(3, t.top());
        assertEquals(List.of("B"), t.leaders());
        assertFalse(t.tied());
    }

    @Test
    void tiedLeadersKeepFirstAppearanceOrder() {
        Voting.Tally t = Voting.tally(List.of("C", "A", "A", "C", "D"));
        assertEquals(List.of("C", "A"), t.leaders());
        assertTrue(t.tied());
    }

    @Test
    void emptyAndMissingAnswersAreNotVotes() {
        Voting.Tally t = Voting.tally(Arrays.asList("", null, "A", "", null));
        assertEquals(Map.of("A", 1), t.counts());
        assertEquals(List.of("A"), t.leaders());
        Voting.Tally none = Voting.tally(Arrays.asList("", null));
        assertFalse(none.hasVotes());
        assertEquals(List.of(), none.leaders());
    }

    @Test
    void priorityTieBreakTakesTheAnswerOfTheFirstTrustedVoterThatGaveALeader() {
        List<String> answers = List.of("A", "A", "B", "B", "C");
        List<String> leaders = Voting.tally(answers).leaders();
        // voter 4 (answer C, not a leader) is most trusted, then voter 3 (B)
        assertEquals("B", Voting.byPriority(leaders, answers, List.of(4, 3, 0, 1, 2)));
        assertEquals("A", Voting.byPriority(leaders, answers, List.of(1, 3, 0, 2, 4)));
        assertEquals(3, Voting.firstVoterFor("B", answers, List.of(4, 3, 2)));
        assertEquals(-1, Voting.firstVoterFor("D", answers, List.of(0, 1, 2, 3, 4)));
        assertThrows(IllegalArgumentException.class, () -> Voting.byPriority(leaders, answers, List.of(4)));
    }

    @Test
    void randomTieBreakIsUniformOverLeaders() {
        List<String> leaders = List.of("A", "B", "C");
        SplittableRandom rnd = new SplittableRandom(7);
        int n = 30_000;
        int[] counts = new int[3];
        for (int i = 0; i < n; i++) counts[leaders.indexOf(Voting.atRandom(leaders, rnd))]++;
        // each count ~ Binomial(n, 1/3): sd = sqrt(n·(1/3)·(2/3)) ≈ 81.6; 99.9% band ≈ ±3.29 sd
        double sd = Math.sqrt(n * (1.0 / 3) * (2.0 / 3));
        for (int c : counts) assertEquals(n / 3.0, c, 3.29 * sd, Arrays.toString(counts));
        assertEquals("X", Voting.atRandom(List.of("X"), rnd));
    }

    @Test
    void breakTieAppliesEachRule() {
        List<String> answers = List.of("A", "B", "B", "A");
        List<String> leaders = Voting.tally(answers).leaders();
        assertEquals("B", Voting.breakTie(Tie.DEV_BASED, leaders, answers, List.of(2, 0, 1, 3), null));
        assertEquals("A", Voting.breakTie(Tie.MODEL_ORDER, leaders, answers, List.of(0, 1, 2, 3), null));
        assertTrue(leaders.contains(Voting.breakTie(Tie.RANDOM, leaders, answers, List.of(), new SplittableRandom(1))));
        assertEquals("C", Voting.breakTie(Tie.RANDOM, List.of("C"), List.of("C"), List.of(), null), "no tie, no randomness needed");
    }

    @Test
    void tieRulesParseTheirConfigNames() {
        assertEquals(Tie.DEV_BASED, Tie.fromConfigName("dev-based"));
        assertEquals(Tie.MODEL_ORDER, Tie.fromConfigName("model-order"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tie.fromConfigName("dev"));
        assertEquals("unknown tie rule 'dev'; accepted: [random, dev-based, model-order]", e.getMessage());
    }
}
