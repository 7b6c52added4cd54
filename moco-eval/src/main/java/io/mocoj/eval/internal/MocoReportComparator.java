package io.mocoj.eval.internal;

import io.mocoj.RunReport;
import io.mocoj.eval.Aggregation;
import io.mocoj.eval.PairedComparison;
import io.mocoj.eval.Reports;
import io.mocoj.task.ReportComparator;
import java.util.Optional;

/** The run log's paired comparison: {@link Reports#compareWithBestBaseline} with the default aggregation. */
public final class MocoReportComparator implements ReportComparator {
    @Override
    public Optional<RunReport.Comparison> compareWithBestBaseline(RunReport report) {
        Optional<RunReport.Baseline> best = report.bestBaseline();
        if (best.isEmpty() || report.summary().scored() == 0) return Optional.empty();
        PairedComparison c;
        try {
            c = Reports.compareWithBestBaseline(report, Aggregation.defaults()).orElse(null);
        } catch (IllegalArgumentException noPairs) {
            return Optional.empty();
        }
        if (c == null) return Optional.empty();
        return Optional.of(new RunReport.Comparison(best.get().model(), c.pairs(), c.wins(), c.ties(), c.losses(),
                c.meanDifference(), new RunReport.Interval(c.low(), c.high(), 0.95), c.bootstrapPValue(),
                c.mcNemarPValue().isPresent() ? c.mcNemarPValue().getAsDouble() : null));
    }
}
