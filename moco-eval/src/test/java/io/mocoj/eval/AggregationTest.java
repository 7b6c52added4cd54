package io.mocoj.eval;

import io.mocoj.task.Example;
import io.mocoj.task.Score;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AggregationTest {

    private static List<Score> scores(double... v) {
        List<Score> out = new ArrayList<>();
        for (double x : v) out.add(Score.of(x, ""));
        return out;
    }

    private static List<Score> repeated(int ones, int zeros) {
        List<Score> out = new ArrayList<>();
        for (int i = 0; i < ones; i++) out.add(Score.of(1, ""));
        for (int i = 0; i < zeros; i++) out.add(Score.of(0, ""));
        return out;
    }

    @Test
    void meanLeavesFailedScoresOutAndCountsThem() {
        List<Score> s = new ArrayList<>(scores(1, 0, 1, 1));
        s.add(Score.failure("judge said nothing"));
        MeanWithInterval m = Aggregation.defaults().mean(s);
        assertEquals(0.75, m.mean(), 1e-12);
        assertEquals(4, m.count());
        assertEquals(1, m.failed());
        assertTrue(m.low() <= 0.75 && m.high() >= 0.75 && m.low() >= 0 && m.high() <= 1);
    }

    @Test
    void constantScoresHaveADegenerateInterval() {
        MeanWithInterval m = Aggregation.defaults().mean(scores(0.3, 0.3, 0.3));
        assertEquals(0.3, m.low(), 1e-12);
        assertEquals(0.3, m.high(), 1e-12);
    }

    @Test
    void noScoresGiveNaN() {
        MeanWithInterval m = Aggregation.defaults().mean(List.of(Score.failure("x")));
        assertTrue(Double.isNaN(m.mean()));
        assertEquals(1, m.failed());
    }

    @Test
    void bootstrapIntervalMatchesTheNormalApproximationForALargeBernoulliSample() {
        // 200 of 400 correct: mean 0.5, standard error sqrt(0.25/400) = 0.025, 95% interval 0.5 ± 0.049
        MeanWithInterval m = new Aggregation(10000, 0.95, 1).mean(repeated(200, 200));
        assertEquals(0.5 - 1.96 * 0.025, m.low(), 0.006);
        assertEquals(0.5 + 1.96 * 0.025, m.high(), 0.006);
    }

    @Test
    void seededResultsAreReproducible() {
        List<Score> s = repeated(37, 63);
        assertEquals(new Aggregation(2000, 0.9, 5).mean(s), new Aggregation(2000, 0.9, 5).mean(s));
    }

    @Test
    void perGroupBreakdownUsesExampleGroups() {
        List<Example> ex = List.of(
                Example.freeText("1", "q", "a").withFields(Map.of("domain", "math")),
                Example.freeText("2", "q", "a").withFields(Map.of("domain", "math")),
                Example.freeText("3", "q", "a").withFields(Map.of("domain", "law")),
                Example.freeText("4", "q", "a"));
        ScoreSummary s = Aggregation.defaults().summarize(ex, scores(1, 0, 1, 0));
        assertEquals(0.5, s.overall().mean(), 1e-12);
        assertEquals(List.of("(no group)", "law", "math"), List.copyOf(s.byGroup().keySet()));
        assertEquals(0.5, s.byGroup().get("math").mean(), 1e-12);
        assertEquals(2, s.byGroup().get("math").count());
        assertEquals(1.0, s.byGroup().get("law").mean(), 1e-12);
        assertEquals(0.0, s.byGroup().get(ScoreSummary.NO_GROUP).mean(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Aggregation.defaults().summarize(ex, scores(1)));
    }

    @Test
    void exactMcNemarByHand() {
        // b=1, c=5: P(X<=1 | n=6, p=1/2) = 7/64, two-sided 14/64
        assertEquals(14.0 / 64, Aggregation.exactMcNemar(1, 5), 1e-12);
        // b=0, c=6: 2/64
        assertEquals(2.0 / 64, Aggregation.exactMcNemar(0, 6), 1e-12);
        assertEquals(1.0, Aggregation.exactMcNemar(3, 3), 1e-12);
        assertEquals(1.0, Aggregation.exactMcNemar(0, 0), 1e-12);
        // b=2, c=10: 2 * (1 + 12 + 66) / 4096
        assertEquals(2.0 * 79 / 4096, Aggregation.exactMcNemar(2, 10), 1e-12);
    }

    @Test
    void pairedComparisonCountsAndMcNemar() {
        //            A: 1 1 1 0 0 1 0 1
        //            B: 1 0 0 0 1 1 0 0
        List<Score> a = scores(1, 1, 1, 0, 0, 1, 0, 1);
        List<Score> b = scores(1, 0, 0, 0, 1, 1, 0, 0);
        PairedComparison c = Aggregation.defaults().compare(a, b);
        assertEquals(8, c.pairs());
        assertEquals(3, c.wins());
        assertEquals(1, c.losses());
        assertEquals(4, c.ties());
        assertEquals(2.0 / 8, c.meanDifference(), 1e-12);
        // b=3 (only A right), c=1: two-sided 2 * P(X<=1 | n=4) = 2 * 5/16
        assertEquals(10.0 / 16, c.mcNemarPValue().orElseThrow(), 1e-12);
    }

    @Test
    void mcNemarAbsentForNonBinaryScores() {
        PairedComparison c = Aggregation.defaults().compare(scores(0.5, 1, 0.2), scores(0.4, 1, 0.3));
        assertTrue(c.mcNemarPValue().isEmpty());
        assertEquals(1, c.wins());
        assertEquals(1, c.ties());
        assertEquals(1, c.losses());
    }

    @Test
    void pairedBootstrapPValueAgreesWithTheNormalApproximation() {
        // differences: +1 x50, 0 x115, -1 x35 -> mean 0.075, variance 0.425 - 0.075^2 = 0.419375,
        // standard error sqrt(0.419375/200) = 0.045791, z = 1.6379, two-sided p = 0.1014
        List<Score> a = new ArrayList<>();
        List<Score> b = new ArrayList<>();
        for (int i = 0; i < 50; i++) { a.add(Score.of(1, "")); b.add(Score.of(0, "")); }
        for (int i = 0; i < 115; i++) { a.add(Score.of(1, "")); b.add(Score.of(1, "")); }
        for (int i = 0; i < 35; i++) { a.add(Score.of(0, "")); b.add(Score.of(1, "")); }
        PairedComparison c = new Aggregation(20000, 0.95, 3).compare(a, b);
        assertEquals(0.1014, c.bootstrapPValue(), 0.02);
        assertEquals(0.075 - 1.96 * 0.045791, c.low(), 0.01);
        assertEquals(0.075 + 1.96 * 0.045791, c.high(), 0.01);
        // exact McNemar with b=50, c=35 from the binomial distribution is about 0.128
        assertEquals(0.128, c.mcNemarPValue().orElseThrow(), 0.005);
    }

    @Test
    void identicalRunsHavePValueOne() {
        PairedComparison c = Aggregation.defaults().compare(repeated(5, 5), repeated(5, 5));
        assertEquals(1.0, c.bootstrapPValue(), 1e-12);
        assertEquals(1.0, c.mcNemarPValue().orElseThrow(), 1e-12);
    }
}
