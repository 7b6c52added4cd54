package io.mocoj.report.internal;

import io.mocoj.report.internal.LogView.ExampleRow;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Markdown report: the same tables as the HTML page, the charts as SVG files beside it, and a
 * list of the examples the method won or lost against the best single model.
 */
public final class MarkdownReport {
    private MarkdownReport() {}

    /** Examples listed per outcome; the HTML report shows all of them. */
    static final int MAX_LISTED = 25;

    /**
     * The Markdown text; {@code chartFiles} maps each chart id to the relative file name the
     * caller writes its SVG to.
     */
    public static String render(LogView log, List<Charts.Svg> charts, Map<String, String> chartFiles) {
        StringBuilder m = new StringBuilder(8192);
        m.append("# ").append(log.method()).append(" on ").append(log.task()).append("\n\n");
        m.append(log.taskType().toLowerCase(Locale.ROOT)).append(" · ").append(log.modelNames().size()).append(" models · ")
                .append(log.examples().size()).append(" test examples\n\n");
        log.degraded().ifPresent(d -> m.append("> **DEGRADED** ").append(cell(Json.brief(d))).append("\n\n"));
        if (!log.simulatedModels().isEmpty()) {
            m.append("> **Simulated models:** ").append(String.join(", ", log.simulatedModels())).append("\n\n");
        }
        m.append("## Comparison\n\n");
        table(m, Tables.COMPARISON_HEADER, Tables.comparison(log));
        log.paired().ifPresent(p -> m.append('\n').append(Tables.paired(p)).append('\n'));
        if (!log.groupNames().isEmpty()) {
            m.append("\n## By group\n\n");
            table(m, Tables.groupHeader(log), Tables.groups(log));
        }
        m.append("\n## Charts\n\n");
        for (Charts.Svg c : charts) {
            m.append("![").append(c.title()).append("](").append(chartFiles.get(c.id())).append(")\n\n")
                    .append('*').append(c.caption()).append("*\n\n");
        }
        if (!log.warnings().isEmpty()) {
            m.append("## Warnings\n\n");
            log.warnings().forEach(w -> m.append("- ").append(w.replace("\n", " ")).append('\n'));
            m.append('\n');
        }
        log.bestSingle().ifPresent(best -> {
            m.append("## Examples against ").append(best.name()).append("\n\n");
            for (String outcome : List.of("win", "loss")) {
                List<ExampleRow> rows = log.examples().stream().filter(e -> e.outcome().equals(outcome)).toList();
                m.append("### ").append(outcome.equals("win") ? "Wins" : "Losses").append(" (").append(rows.size()).append(")\n\n");
                if (rows.isEmpty()) {
                    m.append("none\n\n");
                    continue;
                }
                table(m, List.of("id", "group", "method", best.name(), "method answer", best.name() + " answer"),
                        rows.stream().limit(MAX_LISTED).map(e -> List.of(e.id(), e.group() == null ? "" : e.group(),
                                Tables.f4(e.method().score()), Tables.f4(e.singles().get(best.name()).score()),
                                answer(e.method()), answer(e.singles().get(best.name())))).toList());
                if (rows.size() > MAX_LISTED) m.append("\n… and ").append(rows.size() - MAX_LISTED).append(" more (the HTML report lists all).\n");
                m.append('\n');
            }
        });
        return m.toString();
    }

    private static String answer(LogView.Result r) {
        if (r.error() != null) return "failed: " + r.error();
        String s = r.extracted() != null && !r.extracted().isEmpty() ? r.extracted() : r.output() == null ? "" : r.output();
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    private static void table(StringBuilder m, List<String> header, List<List<String>> rows) {
        m.append('|');
        header.forEach(h -> m.append(' ').append(cell(h)).append(" |"));
        m.append("\n|");
        for (int i = 0; i < header.size(); i++) m.append(i == 0 ? "---|" : "---:|");
        m.append('\n');
        for (List<String> r : rows) {
            m.append('|');
            r.forEach(c -> m.append(' ').append(cell(c)).append(" |"));
            m.append('\n');
        }
    }

    private static String cell(String s) {
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")
                .replace("<", "&lt;").replace(">", "&gt;");
    }
}
