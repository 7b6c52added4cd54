package io.mocoj.report.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mocoj.report.internal.LogView.ExampleRow;
import io.mocoj.report.internal.LogView.Result;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One self-contained HTML page: styles, SVG charts, the example data and the browser script are
 * all inline, so the file works offline and can be mailed or archived alone.
 */
public final class HtmlReport {
    private HtmlReport() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The page for a run log. */
    public static String render(LogView log) {
        StringBuilder h = new StringBuilder(1 << 16);
        String title = "MoCo-J report: " + log.method() + " on " + log.task();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>").append(esc(title)).append("</title>\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                // The first script: record every later script error on the page element (the Chromium test reads it).
                .append("<script>window.__reportErrors=[];window.addEventListener('error',function(e){window.__reportErrors.push(String(e.message));"
                        + "document.documentElement.setAttribute('data-script-errors',String(window.__reportErrors.length));});</script>\n")
                .append("<style>").append(resource("report.css")).append("</style>\n</head>\n<body>\n");
        h.append("<header><h1>").append(esc(log.method())).append(" on ").append(esc(log.task()))
                .append("</h1><p class=\"sub\">").append(esc(log.taskType().toLowerCase(java.util.Locale.ROOT)))
                .append(" · ").append(log.modelNames().size()).append(" models · ").append(log.examples().size())
                .append(" test examples</p></header>\n");
        banners(h, log);

        h.append("<section id=\"comparison\"><h2>Comparison</h2>\n");
        table(h, Tables.COMPARISON_HEADER, Tables.comparison(log), "comparison-table");
        log.paired().ifPresent(p -> h.append("<p class=\"paired\">").append(esc(Tables.paired(p))).append("</p>\n"));
        h.append("</section>\n");

        if (!log.groupNames().isEmpty()) {
            h.append("<section id=\"groups\"><h2>By group</h2>\n");
            table(h, Tables.groupHeader(log), Tables.groups(log), "group-table");
            h.append("</section>\n");
        }

        h.append("<section id=\"charts\"><h2>Charts</h2>\n");
        for (Charts.Svg c : Charts.all(log)) {
            h.append("<figure class=\"chart\" id=\"").append(c.id()).append("\">").append(c.svg())
                    .append("<figcaption>").append(esc(c.caption())).append("</figcaption></figure>\n");
        }
        h.append("</section>\n");

        if (!log.warnings().isEmpty()) {
            h.append("<section id=\"warnings\"><h2>Warnings (").append(log.warnings().size()).append(")</h2><ul>");
            log.warnings().forEach(w -> h.append("<li>").append(esc(w)).append("</li>"));
            h.append("</ul></section>\n");
        }

        h.append("<section id=\"examples\"><h2>Examples</h2>\n<div class=\"filters\">");
        long wins = count(log, "win"), losses = count(log, "loss"), ties = count(log, "tie");
        String vs = log.bestSingle().map(b -> " against " + b.name()).orElse("");
        filter(h, "all", "all (" + log.examples().size() + ")");
        if (!vs.isEmpty()) {
            filter(h, "win", "wins (" + wins + ")");
            filter(h, "loss", "losses (" + losses + ")");
            filter(h, "tie", "ties (" + ties + ")");
        }
        filter(h, "failed", "failed (" + log.examples().stream().filter(e -> e.method().error() != null).count() + ")");
        h.append("<input id=\"search\" type=\"search\" placeholder=\"search id, prompt or output\"></div>\n")
                .append("<p class=\"sub\">Outcome of the method").append(esc(vs)).append(" on each example.</p>\n")
                .append("<div class=\"browser\"><div class=\"list\"><table id=\"example-list\"><thead><tr><th>id</th><th>group</th>")
                .append("<th>method</th><th>best single</th><th>outcome</th></tr></thead><tbody></tbody></table></div>")
                .append("<div id=\"example-detail\" class=\"detail\"><p class=\"sub\">Choose an example.</p></div></div>\n</section>\n");

        h.append("<section id=\"run-info\"><h2>Run</h2>\n");
        runInfo(h, log);
        h.append("</section>\n");

        h.append("<footer>Written by MoCo-J from the run log. Charts drawn with XChart, recorded as SVG by Apache Batik.</footer>\n");
        h.append("<script type=\"application/json\" id=\"example-data\">").append(scriptSafe(exampleData(log))).append("</script>\n");
        h.append("<script>").append(resource("report.js")).append("</script>\n</body></html>\n");
        return h.toString();
    }

    private static void banners(StringBuilder h, LogView log) {
        log.degraded().ifPresent(d -> h.append("<div class=\"banner degraded\" id=\"degraded\"><strong>DEGRADED</strong> ")
                .append(esc(Json.brief(d))).append("</div>\n"));
        List<String> sim = log.simulatedModels();
        if (!sim.isEmpty()) {
            h.append("<div class=\"banner simulated\"><strong>Simulated models:</strong> ").append(esc(String.join(", ", sim)))
                    .append(sim.size() == log.modelNames().size() ? " (every model of this run is simulated; no language model was called)"
                            : " (the other models are real)").append("</div>\n");
        }
        long failed = log.systems().get(0).failed();
        if (failed > 0) {
            h.append("<div class=\"banner failed\">").append(failed).append(" of ").append(log.systems().get(0).n())
                    .append(" test examples of the method failed and score 0; see the <em>failed</em> filter below.</div>\n");
        }
    }

    private static void runInfo(StringBuilder h, LogView log) {
        h.append("<table class=\"kv\">");
        kv(h, "method", log.method());
        kv(h, "task", log.task() + (log.taskType().isEmpty() ? "" : " (" + log.taskType() + ")"));
        kv(h, "models", String.join(", ", log.modelNames()));
        JsonNode hp = log.root().path("hyperparameters");
        if (!hp.isMissingNode()) kv(h, "hyperparameters", Json.brief(hp));
        JsonNode st = log.root().path("settings");
        if (!st.isMissingNode()) kv(h, "generation settings", Json.brief(st));
        h.append("</table>\n");
        Map<String, JsonNode> extra = log.extraInfo();
        for (Map.Entry<String, JsonNode> e : extra.entrySet()) {
            JsonNode v = e.getValue();
            if (v.isValueNode()) {
                h.append("<p><b>").append(esc(e.getKey())).append(":</b> ").append(esc(v.asText())).append("</p>");
            } else {
                h.append("<details><summary>").append(esc(e.getKey())).append("</summary><pre>")
                        .append(esc(v.toPrettyString())).append("</pre></details>");
            }
        }
        JsonNode runTrace = runLevelTrace(log);
        if (!runTrace.isEmpty()) {
            h.append("<details><summary>run-level trace (").append(runTrace.size()).append(" events)</summary><pre>")
                    .append(esc(runTrace.toPrettyString())).append("</pre></details>\n");
        }
    }

    private static JsonNode runLevelTrace(LogView log) {
        ArrayNode out = JSON.createArrayNode();
        for (JsonNode t : log.root().path("trace")) if (t.path("exampleIndex").asInt(-1) < 0) out.add(t);
        return out;
    }

    /** Per example: results, every single model's, the extra fields a newer log has, and its trace events. */
    private static String exampleData(LogView log) {
        ArrayNode all = JSON.createArrayNode();
        java.util.Map<Integer, ArrayNode> traces = new java.util.HashMap<>();
        for (JsonNode t : log.root().path("trace")) {
            int i = t.path("exampleIndex").asInt(-1);
            if (i >= 0) traces.computeIfAbsent(i, k -> JSON.createArrayNode()).add(t);
        }
        String best = log.bestSingle().map(LogView.SystemRow::name).orElse(null);
        for (ExampleRow e : log.examples()) {
            ObjectNode o = all.addObject();
            o.put("index", e.index()).put("id", e.id()).put("prompt", e.prompt()).put("group", e.group()).put("outcome", e.outcome());
            o.set("method", result(e.method()));
            if (best != null && e.singles().containsKey(best)) o.put("bestScore", e.singles().get(best).score());
            ObjectNode singles = o.putObject("singles");
            e.singles().forEach((m, r) -> singles.set(m, result(r)));
            ObjectNode extra = o.putObject("extra");
            e.raw().fields().forEachRemaining(f -> { if (!LogView.KNOWN_EXAMPLE_KEYS.contains(f.getKey())) extra.set(f.getKey(), f.getValue()); });
            o.set("trace", traces.getOrDefault(e.index(), JSON.createArrayNode()));
        }
        ObjectNode root = JSON.createObjectNode();
        root.put("method", log.method());
        root.put("best", best);
        root.set("examples", all);
        try {
            return JSON.writeValueAsString(root);
        } catch (JsonProcessingException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static ObjectNode result(Result r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("output", r.output()).put("extracted", r.extracted()).put("score", r.score())
                .put("scoreFailed", r.scoreFailed()).put("error", r.error());
        return o;
    }

    private static long count(LogView log, String outcome) {
        return log.examples().stream().filter(e -> e.outcome().equals(outcome)).count();
    }

    private static void filter(StringBuilder h, String key, String label) {
        h.append("<button type=\"button\" data-filter=\"").append(key).append("\"").append(key.equals("all") ? " class=\"on\"" : "")
                .append(">").append(esc(label)).append("</button>");
    }

    private static void table(StringBuilder h, List<String> header, List<List<String>> rows, String id) {
        h.append("<table id=\"").append(id).append("\"><thead><tr>");
        header.forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
        h.append("</tr></thead><tbody>");
        for (int i = 0; i < rows.size(); i++) {
            h.append(i == 0 && id.equals("comparison-table") ? "<tr class=\"method\">" : "<tr>");
            rows.get(i).forEach(c -> h.append("<td>").append(esc(c)).append("</td>"));
            h.append("</tr>");
        }
        h.append("</tbody></table>\n");
    }

    private static void kv(StringBuilder h, String k, String v) {
        h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>");
    }

    /**
     * JSON inside a script element: every '<' (which only occurs inside JSON strings) becomes the
     * escape {@code \u003c}, so no text can end the element or open a comment or nested script.
     */
    static String scriptSafe(String json) {
        return json.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
    }

    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream("/io/mocoj/report/" + name)) {
            if (in == null) throw new IllegalStateException("moco-report resource " + name + " is missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
