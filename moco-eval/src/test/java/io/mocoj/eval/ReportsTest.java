package io.mocoj.eval;

import static org.junit.jupiter.api.Assertions.*;

import io.mocoj.RunReport;
import io.mocoj.RunReport.ExampleResult;
import io.mocoj.method.GenerationSettings;
import io.mocoj.task.TaskType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportsTest {

    private static List<ExampleResult> results(int[] scores) {
        List<ExampleResult> out = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) out.add(new ExampleResult(i, "e" + i, "p", "o", "", scores[i], false, null, null));
        return out;
    }

    private static RunReport.Summary summary(double mean) {
        return new RunReport.Summary(10, 0, mean, new RunReport.Interval(0, 1, 0.95), Map.of(), List.of(), Duration.ZERO);
    }

    @Test
    void comparesWithTheBaselineOfHighestMean() {
        int[] method = {1, 1, 1, 1, 1, 1, 0, 1, 1, 1};
        int[] weak = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        int[] best = {1, 1, 0, 0, 1, 1, 1, 0, 1, 1};
        RunReport r = new RunReport("m", Map.of(), "t", TaskType.MULTIPLE_CHOICE, List.of(), GenerationSettings.DEFAULTS,
                results(method), summary(0.9),
                List.of(new RunReport.Baseline("weak", summary(0.0), results(weak)), new RunReport.Baseline("best", summary(0.7), results(best))),
                List.of(), Duration.ZERO, List.of());
        PairedComparison c = Reports.compareWithBestBaseline(r, Aggregation.defaults()).orElseThrow();
        // discordant pairs: method right / best wrong at 2, 3, 7 (3); method wrong / best right at 6 (1)
        assertEquals(3, c.wins());
        assertEquals(1, c.losses());
        assertEquals(6, c.ties());
        assertEquals(0.2, c.meanDifference(), 1e-12);
        // exact McNemar with b=3, c=1: p = 2 * P(X <= 1 | Binomial(4, 0.5)) = 2 * 5/16 = 0.625
        assertEquals(0.625, c.mcNemarPValue().orElseThrow(), 1e-12);
        assertTrue(Reports.describe(r, c).startsWith("paired vs best: 3 wins, 6 ties, 1 losses"));
    }
}
