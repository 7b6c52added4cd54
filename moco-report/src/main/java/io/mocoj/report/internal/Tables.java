package io.mocoj.report.internal;

import io.mocoj.report.internal.LogView.Paired;
import io.mocoj.report.internal.LogView.SystemRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The report's tables as rows of cells, shared by the HTML and Markdown writers. */
final class Tables {
    private Tables() {}

    static final List<String> COMPARISON_HEADER = List.of("system", "score", "95% CI", "n", "failed", "calls", "lost", "lost votes", "tokens", "cost",
            "wall");

    static List<List<String>> comparison(LogView log) {
        List<List<String>> rows = new ArrayList<>();
        for (SystemRow r : log.systems()) {
            rows.add(List.of(r.isMethod() ? r.name() + " (method)" : r.name() + " alone", f4(r.mean()),
                    "[" + f4(r.low()) + ", " + f4(r.high()) + "]", Integer.toString(r.n()), Integer.toString(r.failed()),
                    Long.toString(r.calls()), Long.toString(r.lostCalls()), r.lostVotes() == null ? "n/a" : Long.toString(r.lostVotes()),
                    Long.toString(r.tokens()), r.cost() == null ? "n/a (no price)" : f4(r.cost()),
                    String.format(Locale.ROOT, "%.1f s", r.wallSeconds())));
        }
        return rows;
    }

    static List<String> groupHeader(LogView log) {
        List<String> h = new ArrayList<>();
        h.add("group");
        h.add("n");
        log.systems().forEach(s -> h.add(s.name()));
        return h;
    }

    static List<List<String>> groups(LogView log) {
        List<List<String>> rows = new ArrayList<>();
        for (String g : log.groupNames()) {
            List<String> row = new ArrayList<>();
            row.add(g);
            double[] first = log.systems().get(0).groups().get(g);
            row.add(first == null ? "" : Long.toString(Math.round(first[0])));
            for (SystemRow s : log.systems()) {
                double[] v = s.groups().get(g);
                row.add(v == null ? "" : f4(v[1]));
            }
            rows.add(row);
        }
        return rows;
    }

    static String paired(Paired p) {
        return String.format(Locale.ROOT,
                "Method against the best single model (%s), example by example: %d wins, %d ties, %d losses;"
                        + " mean difference %+.4f, 95%% interval [%+.4f, %+.4f]; paired bootstrap p = %.4f%s.",
                p.against(), p.wins(), p.ties(), p.losses(), p.meanDifference(), p.low(), p.high(), p.pValue(),
                p.mcNemar().isPresent() ? String.format(Locale.ROOT, "; exact McNemar p = %.4f", p.mcNemar().getAsDouble()) : "");
    }

    static String f4(double v) { return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "n/a"; }
}
