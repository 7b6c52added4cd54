package io.mocoj.eval;

import io.mocoj.RunReport;
import io.mocoj.task.Score;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Statistics over finished {@link RunReport}s. */
public final class Reports {
    private Reports() {}

    /**
     * The method against its best single model (highest baseline mean), example by example:
     * win/tie/loss counts, the mean difference with its bootstrap interval, a paired bootstrap
     * p-value and, for 0/1 scores, the exact McNemar p-value. Empty when the run had no baselines.
     */
    public static Optional<PairedComparison> compareWithBestBaseline(RunReport report, Aggregation aggregation) {
        return report.bestBaseline().map(b -> aggregation.compare(scores(report.examples()), scores(b.examples())));
    }

    /**
     * One line describing {@link #compareWithBestBaseline}'s result. Examples left out of the
     * comparison because a score could not be computed on either side are counted in it, never
     * dropped silently.
     */
    public static String describe(RunReport report, PairedComparison c) {
        String best = report.bestBaseline().map(RunReport.Baseline::model).orElse("?");
        int leftOut = report.examples().size() - c.pairs();
        return String.format(Locale.ROOT,
                "paired vs %s: %d wins, %d ties, %d losses; mean difference %+.4f [%+.4f, %+.4f]; paired bootstrap p = %.4f%s%s",
                best, c.wins(), c.ties(), c.losses(), c.meanDifference(), c.low(), c.high(), c.bootstrapPValue(),
                c.mcNemarPValue().isPresent() ? String.format(Locale.ROOT, "; exact McNemar p = %.4f", c.mcNemarPValue().getAsDouble()) : "",
                leftOut > 0 ? "; " + leftOut + " example" + (leftOut == 1 ? "" : "s") + " left out (a score could not be computed)" : "");
    }

    private static List<Score> scores(List<RunReport.ExampleResult> results) {
        return results.stream().map(r -> new Score(r.score(), r.extracted() == null ? "" : r.extracted(), r.scoreFailed(), "")).toList();
    }
}
