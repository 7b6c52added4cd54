package io.mocoj.methods.testing;

import io.mocoj.RunReport;
import java.util.List;
import java.util.Map;

/** Helpers to read run reports in tests. */
public final class Reports {
    private Reports() {}

    /** The data of the last run-level trace event with this name. */
    public static Map<String, Object> runEvent(RunReport report, String name) {
        List<RunReport.TraceEvent> t = report.trace();
        for (int i = t.size() - 1; i >= 0; i--) {
            if (t.get(i).exampleIndex() < 0 && t.get(i).event().equals(name)) return t.get(i).data();
        }
        throw new AssertionError("no run-level trace event '" + name + "'");
    }

    /** The data of an example's trace event. */
    public static Map<String, Object> exampleEvent(RunReport report, int index, String name) {
        for (RunReport.TraceEvent e : report.trace()) {
            if (e.exampleIndex() == index && e.event().equals(name)) return e.data();
        }
        throw new AssertionError("no trace event '" + name + "' for example " + index);
    }

    /** Calls made to a model during the run (dev and test). */
    public static long calls(RunReport report, String model) {
        return report.summary().usage().stream().filter(u -> u.model().equals(model)).findFirst()
                .orElseThrow(() -> new AssertionError("no usage for " + model)).calls();
    }

    /** The two-sided 99% normal quantile. */
    public static final double Z99 = 2.5758293035489;
}
