package io.mocoj.report.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The HTML page of a grid's {@code leaderboard.json}: per task, a chart of each cell's paired difference
 * to its best single model with the 95% interval (the zero line marks "as good as the best model alone"),
 * and the table the Markdown leaderboard has. Self-contained like the run report.
 */
public final class LeaderboardHtml {
    private LeaderboardHtml() {}

    private static final Color AHEAD = new Color(0x1E8449);
    private static final Color BEHIND = new Color(0xC0392B);
    private static final Color UNSURE = new Color(0x7F8C8D);

    /** The page for the parsed {@code leaderboard.json}. */
    public static String render(JsonNode board) {
        JsonNode rows = board.path("rows");
        if (!rows.isArray()) throw new IllegalArgumentException("not a MoCo-J grid leaderboard: it has no \"rows\" list");
        StringBuilder h = new StringBuilder(1 << 15);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>MoCo-J grid leaderboard</title>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<style>").append(HtmlReport.resource("report.css")).append("</style>\n</head>\n<body>\n")
                .append("<header><h1>Grid leaderboard</h1><p class=\"sub\">").append(rows.size()).append(" cells of ")
                .append(board.path("planned_cells").asInt(rows.size())).append(" planned</p></header>\n");
        if (!board.path("complete").asBoolean(true)) {
            List<String> missing = new ArrayList<>();
            board.path("missing").forEach(m -> missing.add(m.asText()));
            h.append("<div class=\"banner degraded\" id=\"incomplete\"><strong>INCOMPLETE</strong> ").append(missing.size())
                    .append(" cells have no result yet: ").append(HtmlReport.esc(String.join(", ", missing.stream().limit(10).toList())))
                    .append(missing.size() > 10 ? ", …" : "").append(". Run the missing shards, then <code>moco grid merge</code> again.</div>\n");
        }
        List<String> sims = new ArrayList<>();
        rows.forEach(r -> r.path("simulated").forEach(s -> { if (!sims.contains(s.asText())) sims.add(s.asText()); }));
        if (!sims.isEmpty()) {
            h.append("<div class=\"banner simulated\"><strong>Simulated models:</strong> ").append(HtmlReport.esc(String.join(", ", sims))).append("</div>\n");
        }
        h.append(String.format(Locale.ROOT, "<p id=\"summary\">The method is ahead of its best single model in %d of %d cells, "
                + "significantly (95%% paired interval above 0) in %d.</p>%n", board.path("ahead").asLong(), rows.size(),
                board.path("significantly_ahead").asLong()));
        Map<String, List<JsonNode>> byTask = new LinkedHashMap<>();
        rows.forEach(r -> byTask.computeIfAbsent(r.path("task").asText(), k -> new ArrayList<>()).add(r));
        int t = 0;
        for (var e : byTask.entrySet()) {
            String id = "task-" + t++;
            h.append("<section class=\"task\" id=\"").append(id).append("\"><h2>").append(HtmlReport.esc(e.getKey())).append("</h2>\n");
            h.append("<figure class=\"chart\" id=\"").append(id).append("-chart\">").append(deltaChart(e.getValue(), id + "-chart"))
                    .append("<figcaption>Each cell's mean score minus its best single model's on the same examples; bar: 95% paired interval. ")
                    .append("Green: interval above 0; red: below 0; grey: not distinguishable from the best model alone.</figcaption></figure>\n");
            table(h, e.getValue());
            h.append("</section>\n");
        }
        h.append("<footer>p: exact McNemar for 0/1 scores, else paired bootstrap. Oracle: the best single model on each example. ")
                .append("Emergence: examples where the method beats every single model. Written by MoCo-J from leaderboard.json; ")
                .append("charts drawn with XChart, recorded as SVG by Apache Batik.</footer>\n</body></html>\n");
        return h.toString();
    }

    private static String label(JsonNode r) {
        return r.path("method").asText() + " · pool " + r.path("pool").asInt() + " · seed " + r.path("seed").asLong();
    }

    static String deltaChart(List<JsonNode> rows, String id) {
        int height = 120 + 44 * rows.size();
        XYChart chart = new XYChartBuilder().width(Charts.WIDTH).height(height).title("Difference to the best single model")
                .xAxisTitle("method − best single model (mean score)").yAxisTitle("").build();
        Charts.style(chart.getStyler());
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisTicksVisible(false);
        chart.getStyler().setPlotGridHorizontalLinesVisible(false);
        chart.getStyler().setYAxisMin(-0.8).setYAxisMax(rows.size() - 0.2);
        double lo = 0, hi = 0;
        for (JsonNode r : rows) {
            JsonNode v = r.path("vs_best");
            if (v.isMissingNode() || v.isNull()) continue;
            lo = Math.min(lo, v.path("low").asDouble());
            hi = Math.max(hi, v.path("high").asDouble());
        }
        double pad = Math.max(0.02, (hi - lo) * 0.1);
        chart.getStyler().setXAxisMin(lo - pad).setXAxisMax(hi + pad);
        chart.getStyler().setXAxisDecimalPattern("+0.00;-0.00");
        XYSeries zero = chart.addSeries("zero", new double[] {0, 0}, new double[] {-0.8, rows.size() - 0.2});
        zero.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        zero.setMarker(SeriesMarkers.NONE);
        zero.setLineColor(Color.BLACK);
        zero.setLineStyle(new BasicStroke(1f));
        for (int i = 0; i < rows.size(); i++) {
            JsonNode r = rows.get(i);
            double y = rows.size() - 1 - i;
            JsonNode v = r.path("vs_best");
            if (v.isMissingNode() || v.isNull()) {
                chart.addAnnotation(new AnnotationText(label(r) + "  (no single-model baseline)", 0, y, false));
                continue;
            }
            double mean = v.path("mean_difference").asDouble(), low = v.path("low").asDouble(), high = v.path("high").asDouble();
            Color c = low > 0 ? AHEAD : high < 0 ? BEHIND : UNSURE;
            XYSeries bar = chart.addSeries("ci " + i, new double[] {low, high}, new double[] {y, y});
            bar.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            bar.setMarker(SeriesMarkers.NONE);
            bar.setLineColor(c);
            bar.setLineStyle(new BasicStroke(4f));
            XYSeries dot = chart.addSeries("mean " + i, new double[] {mean}, new double[] {y});
            dot.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            dot.setMarker(SeriesMarkers.CIRCLE);
            dot.setMarkerColor(c);
            chart.addAnnotation(new AnnotationText(String.format(Locale.ROOT, "%s  %+.3f [%+.3f, %+.3f]", label(r), mean, low, high),
                    mean, y + 0.38, false));
        }
        return Charts.svg(chart, id, Charts.WIDTH, height);
    }

    private static void table(StringBuilder h, List<JsonNode> rows) {
        h.append("<table class=\"leaderboard\"><thead><tr>");
        for (String c : List.of("method", "pool", "seed", "n", "score [95% CI]", "best single", "Δ vs best [95% CI]", "W/T/L", "p",
                "oracle", "emergence", "cost", "tokens")) {
            h.append("<th>").append(HtmlReport.esc(c)).append("</th>");
        }
        h.append("</tr></thead><tbody>");
        for (JsonNode r : rows) {
            JsonNode v = r.path("vs_best");
            boolean hasV = !(v.isMissingNode() || v.isNull());
            List<String> cells = List.of(r.path("method").asText(), r.path("pool").asText(), r.path("seed").asText(), r.path("n").asText(),
                    String.format(Locale.ROOT, "%.4f [%.4f, %.4f]", r.path("score").asDouble(), r.path("low").asDouble(), r.path("high").asDouble()),
                    r.path("best_single").isNull() ? "–" : r.path("best_single").asText() + " " + num(r.path("best_single_score")),
                    hasV ? String.format(Locale.ROOT, "%+.4f [%+.4f, %+.4f]", v.path("mean_difference").asDouble(), v.path("low").asDouble(),
                            v.path("high").asDouble()) : "n/a",
                    hasV ? v.path("wins").asInt() + "/" + v.path("ties").asInt() + "/" + v.path("losses").asInt() : "n/a",
                    hasV ? num(v.path("mcnemar_p").isNull() ? v.path("bootstrap_p") : v.path("mcnemar_p")) : "n/a",
                    num(r.path("oracle")),
                    r.path("emergence").isNull() ? "n/a" : String.format(Locale.ROOT, "%.1f%% (%d)", 100 * r.path("emergence").asDouble(),
                            r.path("emergent").asInt()),
                    r.path("cost").isNull() ? "unknown" : num(r.path("cost")), r.path("tokens").asText());
            h.append("<tr>");
            cells.forEach(c -> h.append("<td>").append(HtmlReport.esc(c)).append("</td>"));
            h.append("</tr>");
        }
        h.append("</tbody></table>\n");
    }

    private static String num(JsonNode n) {
        return n.isNull() || n.isMissingNode() ? "n/a" : String.format(Locale.ROOT, "%.4f", n.asDouble());
    }
}
