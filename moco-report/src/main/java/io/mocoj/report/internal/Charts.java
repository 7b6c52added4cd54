package io.mocoj.report.internal;

import io.mocoj.report.internal.LogView.ModelLatency;
import io.mocoj.report.internal.LogView.SystemRow;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.apache.batik.svggen.SVGGeneratorContext;
import org.apache.batik.svggen.SVGGraphics2D;
import org.apache.batik.svggen.SVGIDGenerator;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.w3c.dom.Document;

/**
 * The report's three charts, drawn by XChart and recorded as SVG by Batik's SVG generator:
 * score with its 95% interval per system, cost (or tokens) against score with the Pareto
 * frontier, and latency per model.
 */
public final class Charts {
    private Charts() {}

    static final int WIDTH = 720;
    private static final Color METHOD = new Color(0xC0392B);
    private static final Color SINGLE = new Color(0x2E86C1);
    private static final Color FRONTIER = new Color(0x7F8C8D);

    /** A chart: its SVG text and a short caption. */
    public record Svg(String id, String title, String svg, String caption) {}

    /** The three charts of a run log (the cost chart needs two systems or more). */
    public static List<Svg> all(LogView log) {
        List<Svg> out = new ArrayList<>();
        out.add(scores(log));
        if (log.systems().size() > 1) out.add(costAgainstScore(log));
        if (!log.latencies().isEmpty()) out.add(latency(log));
        calibration(log).ifPresent(out::add);
        return out;
    }

    /**
     * A calibrated router's dev cost–quality curve (the run-level {@code calibration} trace event): quality
     * against cost per 1,000 queries (or the strong model's share when a price is unknown) over its
     * thresholds, the operating point chosen, every single model and the oracle router.
     */
    static java.util.Optional<Svg> calibration(LogView log) {
        com.fasterxml.jackson.databind.JsonNode cal = null;
        for (com.fasterxml.jackson.databind.JsonNode t : log.root().path("trace")) {
            if (t.path("exampleIndex").asInt(-1) < 0 && t.path("event").asText().equals("calibration")) cal = t.path("data");
        }
        if (cal == null || !cal.path("curve").isArray() || cal.path("curve").isEmpty()) return java.util.Optional.empty();
        boolean cost = true;
        for (com.fasterxml.jackson.databind.JsonNode p : cal.path("curve")) cost &= p.has("cost_per_1k");
        for (com.fasterxml.jackson.databind.JsonNode p : cal.path("single_models")) cost &= p.has("cost_per_1k");
        String xKey = cost ? "cost_per_1k" : "strong_share";
        String unit = cost ? "cost per 1,000 queries (USD)" : "share of queries sent to " + cal.path("strong_model").asText();
        XYChart chart = new XYChartBuilder().width(WIDTH).height(420).title("Router calibration on dev")
                .xAxisTitle(unit).yAxisTitle("dev quality").build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        List<double[]> curve = new ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode p : cal.path("curve")) curve.add(new double[] {p.path(xKey).asDouble(), p.path("quality").asDouble()});
        curve.sort(Comparator.comparingDouble(p -> p[0]));
        XYSeries line = chart.addSeries("router over its thresholds", curve.stream().mapToDouble(p -> p[0]).toArray(),
                curve.stream().mapToDouble(p -> p[1]).toArray());
        line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        line.setMarker(SeriesMarkers.NONE);
        line.setLineColor(FRONTIER);
        if (cost) {
            var singles = cal.path("single_models").fields();
            while (singles.hasNext()) {
                var e = singles.next();
                XYSeries s = chart.addSeries(e.getKey() + " alone", new double[] {e.getValue().path(xKey).asDouble()},
                        new double[] {e.getValue().path("quality").asDouble()});
                s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                s.setMarker(SeriesMarkers.CIRCLE);
                s.setMarkerColor(SINGLE);
            }
        }
        com.fasterxml.jackson.databind.JsonNode oracle = cal.path("oracle");
        if (oracle.has("quality") && (!cost || oracle.has(xKey))) {
            XYSeries o = chart.addSeries("oracle router", new double[] {oracle.path(xKey).asDouble()},
                    new double[] {oracle.path("quality").asDouble()});
            o.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            o.setMarker(SeriesMarkers.TRIANGLE_UP);
            o.setMarkerColor(new Color(0x1E8449));
        }
        com.fasterxml.jackson.databind.JsonNode chosen = cal.path("chosen");
        if (chosen.has("quality")) {
            XYSeries c = chart.addSeries("chosen operating point", new double[] {chosen.path(xKey).asDouble()},
                    new double[] {chosen.path("quality").asDouble()});
            c.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            c.setMarker(SeriesMarkers.DIAMOND);
            c.setMarkerColor(METHOD);
        }
        String target = cal.path("target").isMissingNode() ? "no target" : "target " + cal.path("target").toString();
        return java.util.Optional.of(new Svg("chart-calibration", "Router calibration on dev", svg(chart, "chart-calibration", WIDTH, 420),
                "The router's dev quality against " + (cost ? "its cost per 1,000 queries" : "the share sent to the strong model")
                        + " over its thresholds (grey line); red diamond: the point chosen for " + target
                        + (chosen.has("quality") ? "" : " (none)") + "; green triangle: the oracle router (the best model per query)"
                        + (cost ? "; blue: each model alone." : ". Single models are left out because a price is unknown.")));
    }

    /** Each system's mean score (dot) and 95% bootstrap interval (bar), one row per system. */
    static Svg scores(LogView log) {
        List<SystemRow> rows = log.systems();
        int height = 120 + 44 * rows.size();
        XYChart chart = new XYChartBuilder().width(WIDTH).height(height).title("Score with 95% interval")
                .xAxisTitle("mean score").yAxisTitle("").build();
        style(chart.getStyler());
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisTicksVisible(false);
        chart.getStyler().setPlotGridHorizontalLinesVisible(false);
        chart.getStyler().setYAxisMin(-0.8).setYAxisMax(rows.size() - 0.2);
        double lo = 1, hi = 0;
        for (SystemRow r : rows) {
            lo = Math.min(lo, finite(r.low(), r.mean()));
            hi = Math.max(hi, finite(r.high(), r.mean()));
        }
        double pad = Math.max(0.02, (hi - lo) * 0.08);
        chart.getStyler().setXAxisMin(Math.max(0, lo - pad)).setXAxisMax(hi + pad);
        chart.getStyler().setXAxisDecimalPattern("0.00");
        for (int i = 0; i < rows.size(); i++) {
            SystemRow r = rows.get(i);
            double y = rows.size() - 1 - i;
            Color c = r.isMethod() ? METHOD : SINGLE;
            XYSeries bar = chart.addSeries("ci " + i, new double[] {finite(r.low(), r.mean()), finite(r.high(), r.mean())},
                    new double[] {y, y});
            bar.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            bar.setMarker(SeriesMarkers.NONE);
            bar.setLineColor(c);
            bar.setLineStyle(new BasicStroke(4f));
            XYSeries dot = chart.addSeries("mean " + i, new double[] {r.mean()}, new double[] {y});
            dot.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            dot.setMarker(SeriesMarkers.CIRCLE);
            dot.setMarkerColor(c);
            chart.addAnnotation(new AnnotationText(String.format(Locale.ROOT, "%s  %.3f [%.3f, %.3f]", r.name(), r.mean(),
                    r.low(), r.high()), r.mean(), y + 0.38, false));
        }
        return new Svg("chart-score", "Score with 95% interval", svg(chart, "chart-score", WIDTH, height),
                "Dot: mean score on the test split; bar: 95% percentile-bootstrap interval. Red: the method; blue: each model alone.");
    }

    /** Cost (dollars, when every system has a price) or tokens against score, with the Pareto frontier. */
    static Svg costAgainstScore(LogView log) {
        List<SystemRow> rows = log.systems();
        boolean useCost = rows.stream().allMatch(r -> r.cost() != null);
        String unit = useCost ? "cost (USD)" : "tokens";
        XYChart chart = new XYChartBuilder().width(WIDTH).height(420).title((useCost ? "Cost" : "Tokens") + " against score")
                .xAxisTitle(unit).yAxisTitle("mean score").build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        List<double[]> points = new ArrayList<>();
        for (SystemRow r : rows) {
            double x = useCost ? r.cost() : r.tokens();
            points.add(new double[] {x, r.mean()});
            XYSeries s = chart.addSeries(r.name(), new double[] {x}, new double[] {r.mean()});
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(r.isMethod() ? SeriesMarkers.DIAMOND : SeriesMarkers.CIRCLE);
            if (r.isMethod()) s.setMarkerColor(METHOD);
        }
        // Pad both axes so a point on the edge (the cheapest or the worst system) stays visible.
        double minX = points.stream().mapToDouble(p -> p[0]).min().orElse(0), maxX = points.stream().mapToDouble(p -> p[0]).max().orElse(1);
        double minY = points.stream().mapToDouble(p -> p[1]).min().orElse(0), maxY = points.stream().mapToDouble(p -> p[1]).max().orElse(1);
        double padX = Math.max((maxX - minX) * 0.08, Math.max(Math.abs(maxX) * 0.05, 1e-9));
        double padY = Math.max((maxY - minY) * 0.1, 0.02);
        chart.getStyler().setXAxisMin(Math.max(0, minX - padX)).setXAxisMax(maxX + padX);
        chart.getStyler().setYAxisMin(Math.max(0, minY - padY)).setYAxisMax(maxY + padY);
        List<double[]> frontier = paretoFrontier(points);
        XYSeries f = chart.addSeries("Pareto frontier", frontier.stream().mapToDouble(p -> p[0]).toArray(),
                frontier.stream().mapToDouble(p -> p[1]).toArray());
        f.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        f.setMarker(SeriesMarkers.NONE);
        f.setLineColor(FRONTIER);
        f.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        return new Svg("chart-cost", (useCost ? "Cost" : "Tokens") + " against score", svg(chart, "chart-cost", WIDTH, 420),
                "Each system's total " + unit + " on the test split against its mean score. The dashed line joins the"
                        + " systems no other system beats on both (lower " + (useCost ? "cost" : "tokens") + " and higher score)."
                        + (useCost ? "" : " Tokens are shown because at least one model has no price."));
    }

    /** Mean and p95 latency of each model over the calls actually sent to it. */
    static Svg latency(LogView log) {
        List<ModelLatency> rows = log.latencies();
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(380).title("Latency per model")
                .xAxisTitle("model").yAxisTitle("milliseconds").build();
        style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        chart.getStyler().setYAxisDecimalPattern("#,##0.##");
        chart.getStyler().setYAxisMin(0.0);
        List<String> names = rows.stream().map(ModelLatency::model).toList();
        chart.addSeries("mean", names, rows.stream().map(r -> (Number) r.meanMs()).toList()).setFillColor(SINGLE);
        chart.addSeries("p95", names, rows.stream().map(r -> (Number) r.p95Ms()).toList()).setFillColor(new Color(0xF5B041));
        boolean anySent = rows.stream().anyMatch(r -> r.sentCalls() > 0);
        return new Svg("chart-latency", "Latency per model", svg(chart, "chart-latency", WIDTH, 380),
                anySent ? "Over the calls actually sent to each model in every phase of the run (cache hits excluded)."
                        : "No call was sent in this run (every response came from the cache), so no latency was measured.");
    }

    /**
     * The points no other point dominates (lower or equal x and higher or equal y, one strictly),
     * ordered by x: the cost-optimal systems.
     */
    static List<double[]> paretoFrontier(List<double[]> points) {
        List<double[]> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.<double[]>comparingDouble(p -> p[0]).thenComparing(p -> -p[1]));
        List<double[]> out = new ArrayList<>();
        double bestY = Double.NEGATIVE_INFINITY;
        for (double[] p : sorted) {
            if (p[1] > bestY) {
                out.add(p);
                bestY = p[1];
            }
        }
        return out;
    }

    private static double finite(double v, double fallback) { return Double.isFinite(v) ? v : fallback; }

    static void style(org.knowm.xchart.style.AxesChartStyler s) {
        Font base = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(false);
        s.setChartTitleFont(base.deriveFont(Font.BOLD, 14f));
        s.setAxisTitleFont(base);
        s.setAxisTickLabelsFont(base.deriveFont(11f));
        s.setLegendFont(base.deriveFont(11f));
        s.setAnnotationTextFont(base.deriveFont(11f));
        s.setLegendBorderColor(Color.WHITE);
        s.setMarkerSize(10);
        s.setAntiAlias(true);
    }

    /**
     * Paints an XChart chart onto Batik's recording Graphics2D and returns the SVG text. Every id
     * in it starts with {@code idPrefix}: several charts inline in one page must not share the ids
     * their clip paths are referenced by.
     */
    static String svg(Chart<?, ?> chart, String idPrefix, int width, int height) {
        Document doc;
        try {
            doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().getDOMImplementation()
                    .createDocument("http://www.w3.org/2000/svg", "svg", null);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("no XML DOM implementation available", e);
        }
        SVGGeneratorContext ctx = SVGGeneratorContext.createDefault(doc);
        ctx.setComment(null);
        ctx.setIDGenerator(new SVGIDGenerator() {
            @Override
            public String generateID(String prefix) { return super.generateID(idPrefix + "-" + prefix); }
        });
        ctx.setEmbeddedFontsOn(false);
        SVGGraphics2D g = new SVGGraphics2D(ctx, false);
        g.setSVGCanvasSize(new java.awt.Dimension(width, height));
        chart.paint(g, width, height);
        org.w3c.dom.Element root = g.getRoot();
        root.setAttribute("viewBox", "0 0 " + width + " " + height);
        root.setAttribute("role", "img");
        StringWriter w = new StringWriter();
        try {
            g.stream(root, w, true, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            g.dispose();
        }
        String s = w.toString();
        int start = s.indexOf("<svg");
        return (start > 0 ? s.substring(start) : s).replace("id=\"genericDefs\"", "id=\"" + idPrefix + "-genericDefs\"");
    }
}
