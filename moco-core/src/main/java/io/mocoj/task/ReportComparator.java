package io.mocoj.task;

import io.mocoj.RunReport;
import java.util.Optional;

/**
 * Computes the paired comparison of a finished run with its best single model, for the report and
 * run log; found with {@link java.util.ServiceLoader} (moco-eval provides it).
 */
public interface ReportComparator {
    /** The comparison, or empty when the run has no baseline or no pair of scores. */
    Optional<RunReport.Comparison> compareWithBestBaseline(RunReport report);
}
